// The package on the data files every surface reads: the official generator's vectors, the
// ports (verify accepts exactly those the service accepts), the extra-field order, the
// documentation tokens, and the malformed tokens (refused with the field and message the Rust
// and Python tests expect).
import assert from "node:assert/strict";
import { test } from "node:test";
import * as nt from "netless-token-wasm";
import { jsonl, malformedTokens } from "./data.mjs";

test("the official vectors: minted byte for byte, decoded to their inputs, verified", () => {
  const vectors = jsonl("official-js.jsonl");
  assert.equal(vectors.length, 64);
  for (const v of vectors) {
    const at = `official-js.jsonl:${v.line}`;
    const token = nt.mint(v.kind, v.ak, v.sk, v.role, v.lifespan, v.uuid, { issuedAt: v.now, nonce: v.nonce });
    assert.equal(token, v.token, at);
    const pair = new nt.KeyPair(v.ak, v.sk);
    assert.equal(pair.mint(v.kind, v.role, v.lifespan, v.uuid, { issuedAt: v.now, nonce: v.nonce }), v.token, at);
    const d = nt.decode(v.token);
    assert.deepEqual(
      [d.kind, d.ak, d.nonce, d.role, d.uuid, d.expireAt],
      [v.kind, v.ak, v.nonce, v.role, v.uuid, v.lifespan ? v.now + v.lifespan : undefined],
      at,
    );
    const verified = nt.verify(v.token, v.sk, { kind: v.kind, now: v.now });
    assert.ok(verified instanceof nt.VerifiedToken, at);
    assert.equal(pair.verify(v.token, { now: v.now }).sig, d.sig, at);
  }
});

test("the ports: verify accepts exactly the tokens the service accepts", () => {
  const ports = jsonl("official-ports.jsonl");
  let accepted = 0;
  for (const p of ports) {
    const at = `official-ports.jsonl:${p.line} (${p.port}, ${p.class})`;
    if (p.service_accepts) {
      const verified = nt.verify(p.token, p.sk, { now: p.verify_at, kind: p.kind });
      for (const [name, value] of Object.entries(p.fields ?? {})) {
        assert.equal(verified[name], value ?? undefined, `${at}: ${name}`);
      }
      accepted++;
    } else {
      assert.throws(() => nt.verify(p.token, p.sk, { now: p.verify_at }), nt.VerifyError, at);
    }
  }
  assert.ok(accepted > 150, `${accepted} accepted`);
});

test("extra fields come out in the reference generator's order", () => {
  const [v] = jsonl("extra-field-order.jsonl");
  const token = nt.mint(v.kind, v.ak, v.sk, v.role, v.lifespan, v.uuid, {
    issuedAt: v.issued_at,
    nonce: v.nonce,
    extra: new Map(v.extra),
  });
  assert.equal(token, v.token);
  const d = nt.decode(token);
  assert.deepEqual(new Set(Object.keys(d.extra)), new Set(v.extra.map(([name]) => name)));
  assert.ok(nt.verify(token, v.sk, { now: v.issued_at }));
});

test("the documentation tokens decode to the fields of their queries", () => {
  const docs = jsonl("documentation-tokens.jsonl");
  assert.deepEqual(docs.map((d) => d.kind), ["sdk", "room", "task"]);
  for (const doc of docs) {
    const d = nt.decode(doc.token);
    const fields = Object.fromEntries(new URLSearchParams(doc.query));
    assert.deepEqual(
      [d.kind, d.ak, d.nonce, d.role, d.sig, d.uuid, d.expireAt],
      [doc.kind, fields.ak, fields.nonce, fields.role, fields.sig, fields.uuid, undefined],
      doc.kind,
    );
    assert.ok(doc.token.startsWith(nt.TokenPrefix[doc.kind.toUpperCase()]));
    // The secret is unknown: any guess is a signature mismatch, not a crash.
    assert.throws(() => nt.verify(doc.token, "not the secret"), nt.SignatureError);
  }
});

test("every malformed token is refused naming the field the Rust and Python tests name", () => {
  const rows = malformedTokens();
  assert.ok(rows.length >= 90);
  for (const row of rows) {
    const at = `malformed-tokens.jsonl:${row.line}: ${row.class}`;
    let refused;
    assert.throws(() => nt.decode(row.token), (e) => (refused = e) instanceof nt.DecodeError, at);
    assert.equal(refused.field, row.field, at);
    assert.ok(refused.message.startsWith(`${row.field}: `), at);
    if (row.message) assert.equal(refused.message, row.message, at);
    if (row.contains) assert.ok(refused.message.includes(row.contains), `${at}: ${refused.message}`);
    // verify refuses it the same way, before touching the key.
    assert.throws(
      () => nt.verify(row.token, "any secret"),
      (e) =>
        e instanceof nt.MalformedTokenError &&
        e instanceof nt.DecodeError &&
        e.field === refused.field &&
        e.message === refused.message,
      at,
    );
  }
});

// The package's own API: mint, decode, verify (and its policy), audit, KeyPair, Keyring,
// decoded and verified tokens, and the error classes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { inspect } from "node:util";
import * as nt from "netless-token-wasm";

const AK = "BUxxxxxxrc";
const SK = "CxxxxxxxauY3";
const T = 1_700_000_000_000;
const NONCE = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
// The README's fixed-clock SDK token (the library's doctest mints the same).
const SDK_ADMIN_T = "NETLESSSDK_YWs9QlV4eHh4eHhyYyZub25jZT02YmE3YjgxMC05ZGFkLTExZDEtODBiNC0wMGMwNGZkNDMwYzgmcm9sZT0wJnNpZz05ODY3YjBiMzZhMWMyZTFkNzQ5ZjBhMDYzMGRmOTFiOGNiYzQ3NzFhODJjMzVjN2YyNWIwYWQ2OTZhNmQ0NGJm";

test("every spelling of kind and role mints the same token", () => {
  for (const kind of ["sdk", "SDK", "Sdk"]) {
    for (const role of ["admin", "ADMIN", "0", nt.TokenRole.Admin]) {
      assert.equal(nt.mint(kind, AK, SK, role, 0, undefined, { issuedAt: T, nonce: NONCE }), SDK_ADMIN_T, `${kind} ${role}`);
    }
  }
  const bytes = new TextEncoder().encode(SK);
  assert.equal(nt.mint("sdk", AK, bytes, "0", 0, undefined, { issuedAt: T, nonce: NONCE }), SDK_ADMIN_T);
  assert.deepEqual([...bytes], [...new TextEncoder().encode(SK)], "the caller's bytes are left as they were");
});

test("mint draws what is not fixed: the clock and a random UUID v4 nonce", () => {
  const pair = new nt.KeyPair(AK, SK);
  const before = Date.now();
  const nonces = new Set();
  for (let i = 0; i < 100; i++) {
    const d = nt.decode(pair.mint("room", "writer", 60_000, "room-1"));
    assert.match(d.nonce, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(d.expireAt - 60_000 >= before && d.expireAt - 60_000 <= Date.now());
    nonces.add(d.nonce);
  }
  assert.equal(nonces.size, 100);
  const fixedTime = nt.decode(pair.mint("room", "writer", 60_000, "room-1", { issuedAt: T }));
  assert.equal(fixedTime.expireAt, T + 60_000);
  const fixedNonce = nt.decode(pair.mint("room", "writer", 0, "room-1", { nonce: "n-1" }));
  assert.deepEqual([fixedNonce.nonce, fixedNonce.expireAt], ["n-1", undefined]);
});

test("decode reads the fields without the secret and proves nothing", () => {
  const token = nt.mint("room", AK, SK, "writer", 1000, "room-1", { issuedAt: T, nonce: NONCE, extra: { b: "x", 10: "y" } });
  const d = nt.decode(token);
  assert.ok(d instanceof nt.DecodedToken);
  assert.ok(!(d instanceof nt.VerifiedToken));
  assert.deepEqual(
    { kind: d.kind, ak: d.ak, nonce: d.nonce, role: d.role, expireAt: d.expireAt, uuid: d.uuid, extra: { ...d.extra } },
    { kind: "room", ak: AK, nonce: NONCE, role: nt.TokenRole.Writer, expireAt: T + 1000, uuid: "room-1", extra: { 10: "y", b: "x" } },
  );
  assert.match(d.sig, /^[0-9a-f]{64}$/);
  assert.ok(Object.isFrozen(d) && Object.isFrozen(d.extra));
  // Logging it does not log a usable credential.
  for (const shown of [inspect(d), JSON.stringify(d)]) {
    assert.ok(!shown.includes(d.sig), shown);
    assert.ok(shown.includes(d.sig.slice(0, 8)), shown);
  }
});

test("verify checks the signature, then the policy, each refusal its own class", () => {
  const token = new nt.KeyPair(AK, SK).mint("room", "reader", 1000, "room-1", { issuedAt: T });
  assert.ok(nt.verify(token, SK, { now: T + 999 }) instanceof nt.VerifiedToken);
  assert.ok(nt.verify(token, SK, { ak: AK, kind: "room", now: T }));
  const refusals = [
    [() => nt.verify(token, "other"), nt.SignatureError, "sig"],
    [() => nt.verify(token, SK, { ak: "other" }), nt.UnknownAccessKeyError, "ak"],
    [() => nt.verify(token, SK, { now: T + 1000 }), nt.ExpiredError, "expireAt"],
    [() => nt.verify(token, SK, { now: T + 1000, leeway: 1 }), null, null],
    [() => nt.verify(token, SK, { now: T, kind: "task" }), nt.WrongKindError, "kind"],
    [() => nt.verify(token, SK, { now: T, maxLifetime: 999 }), nt.LifetimeError, "expireAt"],
    [() => nt.verify("NETLESSROOM_", SK), nt.MalformedTokenError, "payload"],
    [() => nt.verify(token, SK, { now: -1 }), nt.VerifyError, "now"],
    [() => nt.verify(token, SK, { kind: "user" }), nt.VerifyError, "kind"],
  ];
  for (const [call, cls, field] of refusals) {
    if (cls === null) {
      assert.ok(call());
      continue;
    }
    assert.throws(call, (e) => e instanceof cls && e instanceof nt.VerifyError && e instanceof nt.TokenError && e instanceof Error && e.field === field && e.message.startsWith(`${field}: `), `${cls.name}`);
  }
  assert.throws(() => nt.verify(token, SK, { now: T + 5000, leeway: 1000 }), (e) => {
    assert.deepEqual([e.expireAt, e.now, e.leeway], [T + 1000, T + 5000, 1000]);
    return e.name === "ExpiredError";
  });
  assert.throws(() => nt.verify(token, SK, { now: T, kind: "task" }), (e) => e.expected === "task" && e.found === "room");
  assert.throws(() => nt.verify(nt.mint("sdk", AK, SK, "0", 0), SK, { maxLifetime: 1000 }), (e) => e instanceof nt.LifetimeError && e.expireAt === undefined && e.maxLifetime === 1000);
});

test("a verified token cannot be made but by verify", () => {
  const d = nt.decode(nt.mint("sdk", AK, SK, "0", 0));
  assert.throws(() => new nt.VerifiedToken({ ...d, extra: [] }), TypeError);
  assert.throws(() => Reflect.construct(nt.VerifiedToken, [{ ...d, extra: [] }, Symbol("verified")]), TypeError);
});

test("the error classes: one base, the finer classes under it, two of them under two", () => {
  const key = (() => { try { new nt.KeyPair("ak", ""); } catch (e) { return e; } })();
  assert.ok(key instanceof nt.KeyPairError && key instanceof nt.MintError && key instanceof nt.VerifyError);
  assert.ok(!(key instanceof nt.DecodeError) && !(key instanceof nt.SignatureError));
  const malformed = (() => { try { nt.verify("x", "sk"); } catch (e) { return e; } })();
  assert.ok(malformed instanceof nt.MalformedTokenError && malformed instanceof nt.DecodeError && malformed instanceof nt.VerifyError);
  assert.ok(!(malformed instanceof nt.MintError));
  const decoded = (() => { try { nt.decode("x"); } catch (e) { return e; } })();
  assert.ok(decoded instanceof nt.DecodeError && !(decoded instanceof nt.VerifyError) && !(decoded instanceof nt.MalformedTokenError));
  assert.equal(decoded.name, "DecodeError");
  assert.equal(String(decoded), "DecodeError: prefix: a token starts with NETLESSSDK_, NETLESSROOM_ or NETLESSTASK_");
});

test("an argument of the wrong type is a TypeError naming it, never showing its value", () => {
  const secret = "S3cret-in-the-wrong-place";
  const calls = [
    [() => nt.roomToken(undefined, "sk", 1, { role: "1", uuid: "r" }), "accessKey"],
    [() => nt.roomToken("ak", 42, 1, { role: "1", uuid: "r" }), "secretAccessKey"],
    [() => nt.roomToken("ak", "sk", "600000", { role: "1", uuid: "r" }), "lifespan"],
    [() => nt.roomToken("ak", "sk", 1, { role: "1", uuid: 7 }), "uuid"],
    [() => nt.mint("sdk", "ak", "sk", 0, 1), "role"],
    [() => nt.mint("sdk", "ak", "sk", "0", 1, undefined, { nonce: 5 }), "nonce"],
    [() => nt.mint("sdk", "ak", "sk", "0", 1, undefined, { extra: { a: 1 } }), "extra.a"],
    [() => nt.decode(null), "token"],
    [() => nt.verify("t", { secret }), "sk"],
    [() => new nt.KeyPair(secret), "sk"],
    [() => new nt.Keyring().insert({}), "pair"],
  ];
  for (const [call, arg] of calls) {
    assert.throws(call, (e) => {
      assert.ok(e instanceof TypeError, `${arg}: ${e}`);
      assert.ok(e.message.startsWith(`${arg}: expected `), e.message);
      assert.ok(!e.message.includes(secret), e.message);
      return true;
    });
  }
});

test("a key pair mints and verifies many tokens, and is gone after free()", () => {
  const pair = new nt.KeyPair(AK, SK);
  assert.equal(pair.accessKey, AK);
  assert.equal(pair.mint("sdk", "0", 0, undefined, { issuedAt: T, nonce: NONCE }), SDK_ADMIN_T);
  assert.ok(pair.verify(SDK_ADMIN_T) instanceof nt.VerifiedToken);
  assert.throws(() => new nt.KeyPair("other", SK).verify(SDK_ADMIN_T), nt.UnknownAccessKeyError);
  pair.free();
  assert.throws(() => pair.mint("sdk", "0", 0), /used after free/);
  pair.free(); // twice is harmless
  // `using scoped = new KeyPair(...)` calls this at the end of the block.
  const scoped = new nt.KeyPair(AK, SK);
  assert.ok(scoped.verify(SDK_ADMIN_T));
  scoped[Symbol.dispose ?? Symbol.for("Symbol.dispose")]();
  assert.throws(() => scoped.verify(SDK_ADMIN_T), /used after free/);
});

test("a keyring verifies with every secret of an access key while it rotates", () => {
  const old = new nt.KeyPair(AK, "old");
  const next = new nt.KeyPair(AK, "new");
  const keyring = new nt.Keyring().insert(old).insert(next).insert(new nt.KeyPair("other", "x"));
  assert.equal(keyring.size, 2);
  assert.ok(keyring.has(old) && keyring.has(next) && !keyring.has(new nt.KeyPair(AK, "guess")));
  const oldToken = old.mint("sdk", "1", 0);
  assert.ok(keyring.verify(oldToken) instanceof nt.VerifiedToken);
  // The minter is the newest secret.
  const minted = keyring.minter(AK).mint("sdk", "1", 0);
  assert.ok(next.verify(minted) && keyring.verify(minted));
  assert.throws(() => old.verify(minted), nt.SignatureError);
  assert.equal(keyring.retireOldest(AK), true);
  assert.throws(() => keyring.verify(oldToken), nt.SignatureError);
  assert.equal(keyring.remove(AK), 1);
  assert.equal(keyring.minter(AK), undefined);
  assert.throws(() => keyring.verify(minted), nt.UnknownAccessKeyError);
  assert.equal(keyring.remove(AK), 0);
  assert.equal(keyring.retireOldest(AK), false);
  assert.equal(String(keyring), "Keyring { size: 1 }");
});

test("audit reads the findings without the secret", () => {
  const permanent = nt.sdkToken("ak", "sk", 0, { role: nt.TokenRole.Admin });
  assert.deepEqual(nt.audit(permanent).map((f) => [f.severity, f.code]), [["critical", "sdk-never-expires"]]);
  const hour = nt.roomToken("ak", "sk", 3_600_000, { role: nt.TokenRole.Reader, uuid: "r" });
  assert.deepEqual(nt.audit(hour), []);
  const expireAt = nt.decode(hour).expireAt;
  assert.deepEqual(nt.audit(hour, { now: expireAt }).map((f) => f.code), ["expired"]);
  assert.deepEqual(nt.audit(hour, { maxLifetime: 60_000 }).map((f) => f.code), ["long-lived"]);
  assert.throws(() => nt.audit("NETLESSSDK_"), nt.DecodeError);
});

// Against the official package itself (netless-token@1.0.2, a devDependency), on random
// inputs: non-ASCII (including astral characters), quotes, backslashes, control characters,
// the query's own '&', '=', '%' and '+', and extra fields. The official token is decoded for
// the nonce and expireAt it drew; ours, minted with that nonce at expireAt - lifespan, must be
// the same string, byte for byte.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import fc from "fast-check";
import * as nt from "netless-token-wasm";

const official = createRequire(import.meta.url)("netless-token");
const MINTERS = { sdk: official.sdkToken, room: official.roomToken, task: official.taskToken };
const FORMAT_NAMES = ["ak", "expireat", "nonce", "role", "sig", "uuid"];

// Well-formed text: any code point (astral ones included), weighted towards the characters
// that need escaping in JSON or in a query.
const special = fc.constantFrom('"', "\\", "\n", "\t", "\u0000", "\u001f", "\u007f", "&", "=", "%", "+", " ", "/", "é", "房", "😀", "\u2028");
const char = fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }), special, fc.string({ unit: "binary", minLength: 1, maxLength: 1 }));
const text = (minLength) => fc.array(char, { minLength, maxLength: 12 }).map((chars) => chars.join(""));
const extraName = text(1).filter((name) => !FORMAT_NAMES.includes(name.toLowerCase()) && name !== "__proto__");

const input = fc.record({
  kind: fc.constantFrom("sdk", "room", "task"),
  ak: text(1),
  sk: text(1),
  lifespan: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10 * 365 * 86_400_000 })),
  role: fc.constantFrom(...Object.values(official.TokenRole)),
  uuid: text(1),
  extra: fc.dictionary(extraName, text(0), { maxKeys: 4 }),
});

test("our tokens are the official package's, byte for byte, on random inputs", () => {
  fc.assert(
    fc.property(input, ({ kind, ak, sk, lifespan, role, uuid, extra }) => {
      const content = { ...extra, role, ...(kind === "sdk" ? {} : { uuid }) };
      const theirs = MINTERS[kind](ak, sk, lifespan, content);
      const d = nt.decode(theirs);
      const issuedAt = lifespan === 0 ? 0 : d.expireAt - lifespan;
      const ours = nt.mint(kind, ak, sk, role, lifespan, kind === "sdk" ? undefined : uuid, {
        issuedAt,
        nonce: d.nonce,
        extra,
      });
      assert.equal(ours, theirs);
      // And each verifies the other's.
      assert.ok(nt.verify(theirs, sk, { ak, kind, now: issuedAt }));
    }),
    { numRuns: Number(process.env.RUNS ?? 500) },
  );
});

test("a lone surrogate, which the official package throws on, is refused naming the argument", () => {
  const lone = "room-\ud800";
  assert.throws(() => official.roomToken("ak", "sk", 0, { role: "1", uuid: lone }), URIError);
  assert.throws(() => nt.roomToken("ak", "sk", 0, { role: "1", uuid: lone }), { name: "MintError", field: "uuid" });
  assert.throws(() => nt.sdkToken("ak\udfff", "sk", 0, { role: "1" }), { name: "KeyPairError", field: "accessKey" });
  assert.throws(() => new nt.KeyPair("ak", "sk\ud800"), { name: "KeyPairError", field: "sk" });
  assert.throws(() => nt.mint("sdk", "ak", "sk", "1", 0, undefined, { extra: { a: "\udc00" } }), { name: "MintError", field: "extra.a" });
  assert.throws(() => nt.mint("sdk", "ak", "sk", "1", 0, undefined, { nonce: "\udc00" }), { name: "MintError", field: "nonce" });
});

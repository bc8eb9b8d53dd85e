// require() from CommonJS works in Node: the same API, ready at require.
const assert = require("node:assert/strict");
const { test } = require("node:test");
const nt = require("netless-token-wasm");

test("require() gives the whole API, ready at once", () => {
  for (const name of ["sdkToken", "roomToken", "taskToken", "TokenRole", "TokenPrefix", "mint", "decode", "verify", "audit", "KeyPair", "Keyring", "DecodedToken", "VerifiedToken", "TokenError", "MintError", "DecodeError", "VerifyError", "ready"]) {
    assert.ok(name in nt, name);
  }
  const token = nt.roomToken("ak", "sk", 60_000, { role: nt.TokenRole.Writer, uuid: "room-1" });
  assert.equal(nt.verify(token, "sk", { kind: "room" }).uuid, "room-1");
  assert.throws(() => nt.decode("x"), nt.DecodeError);
});

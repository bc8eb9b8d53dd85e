// The drop-in for the official netless-token package: the same exports, call shapes and
// synchronous string results, so code written for it changes only its import.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import * as nt from "netless-token-wasm";
import { roomToken, sdkToken, taskToken, TokenPrefix, TokenRole } from "netless-token-wasm";

const official = createRequire(import.meta.url)("netless-token");

test("the official package's exports are all here, with the same values", () => {
  for (const name of Object.keys(official)) assert.ok(name in nt, name);
  assert.deepEqual({ ...TokenRole }, { ...official.TokenRole });
  assert.deepEqual({ ...TokenPrefix }, { ...official.TokenPrefix });
  for (const name of ["sdkToken", "roomToken", "taskToken"]) {
    assert.equal(nt[name].length, official[name].length, `${name} takes as many arguments`);
  }
});

test("the official README's example, with only its import changed, prints three tokens that verify", () => {
  // From the official package's README (its import: `from "./src/index"`).
  const netlessSDKToken = sdkToken(
    "netless ak",
    "netless sk",
    1000 * 60 * 10, // token 有效时间 (10分钟)，为 0 时，即永不过期。单位毫秒
    {
      role: TokenRole.Admin, // 可以选择 TokenRole.Reader / TokenRole.Writer
    },
  );
  const netlessRoomToken = roomToken("netless ak", "netless sk", 1000 * 60 * 10, {
    role: TokenRole.Reader, // 可以选择 TokenRole.Admin / TokenRole.Writer
    uuid: "房间的 UUID",
  });
  const netlessTaskToken = taskToken("netless ak", "netless sk", 1000 * 60 * 10, {
    role: TokenRole.Writer, // 可以选择 TokenRole.Admin / TokenRole.Reader
    uuid: "任务的 UUID",
  });
  const expected = [
    [netlessSDKToken, "sdk", TokenRole.Admin, undefined],
    [netlessRoomToken, "room", TokenRole.Reader, "房间的 UUID"],
    [netlessTaskToken, "task", TokenRole.Writer, "任务的 UUID"],
  ];
  for (const [token, kind, role, uuid] of expected) {
    assert.equal(typeof token, "string");
    console.log(token);
    const verified = nt.verify(token, "netless sk", { ak: "netless ak", kind, maxLifetime: 600_000 });
    assert.deepEqual([verified.kind, verified.role, verified.uuid], [kind, role, uuid]);
  }
});

test("a token the official package mints for the same inputs is the same token", () => {
  const theirs = official.roomToken("ak", "sk", 60_000, { role: official.TokenRole.Writer, uuid: "r" });
  const d = nt.decode(theirs);
  const ours = nt.mint("room", "ak", "sk", "1", 60_000, "r", { nonce: d.nonce, issuedAt: d.expireAt - 60_000 });
  assert.equal(ours, theirs);
});

test("more fields in content are signed and carried, as the official package does", () => {
  const theirs = official.sdkToken("ak", "sk", 0, { role: "2", team: "blue" });
  const nonce = nt.decode(theirs).nonce;
  assert.equal(nt.mint("sdk", "ak", "sk", "2", 0, undefined, { nonce, extra: { team: "blue" } }), theirs);
  const ours = sdkToken("ak", "sk", 0, { role: "2", team: "blue" });
  assert.deepEqual(nt.verify(ours, "sk").extra, { team: "blue" });
});

test("where the official package mints a broken or never-expiring token, the drop-in refuses", () => {
  // No role: the official package mints a token without one.
  assert.throws(() => sdkToken("ak", "sk", 0, {}), { name: "MintError", field: "role" });
  // A negative lifespan (the official package mints a token that never expires) or a fractional
  // one (the official token's expireAt is fractional).
  assert.throws(() => roomToken("ak", "sk", -1, { role: "1", uuid: "r" }), { name: "MintError", field: "lifespan" });
  assert.throws(() => roomToken("ak", "sk", 0.5, { role: "1", uuid: "r" }), { name: "MintError", field: "lifespan" });
  // A Room token without a uuid, an SDK token with one.
  assert.throws(() => roomToken("ak", "sk", 0, { role: "1" }), { name: "MintError", field: "uuid" });
  assert.throws(() => sdkToken("ak", "sk", 0, { role: "1", uuid: "r" }), { name: "MintError", field: "uuid" });
  // A role that is a number (String(0) is "0": admin, in the official package).
  assert.throws(() => sdkToken("ak", "sk", 0, { role: 0 }), (e) => e instanceof TypeError && /^role: .*TokenRole/.test(e.message));
  // An empty key.
  assert.throws(() => sdkToken("", "sk", 0, { role: "1" }), { name: "KeyPairError", field: "ak" });
  assert.throws(() => sdkToken("ak", "", 0, { role: "1" }), { name: "KeyPairError", field: "sk" });
});

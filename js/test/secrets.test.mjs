// The secret key never shows, and is wiped from WebAssembly memory: it never stays there as
// bytes, and a key pair's keyed HMAC state is wiped when the key pair is freed (free(),
// Symbol.dispose, or the garbage collector).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { inspect } from "node:util";
import * as nt from "netless-token-wasm";
import { keyedState, occurrences } from "./memory.mjs";

const SENTINEL = "Sentinel-SK-7f3a9c1e5b";

test("the secret never shows in a message, a string, JSON or util.inspect", () => {
  const pair = new nt.KeyPair("ak", SENTINEL);
  const keyring = new nt.Keyring().insert(pair);
  const token = pair.mint("room", "reader", 1000, "r", { issuedAt: 0 });
  const shown = [inspect(pair), String(pair), JSON.stringify(pair), inspect(keyring), String(keyring)];
  for (const call of [
    () => nt.verify(token, SENTINEL),
    () => nt.verify(token, SENTINEL + "x"),
    () => nt.verify(token, SENTINEL, { ak: "other" }),
    () => nt.mint("sdk", "", SENTINEL, "0", 0),
    () => nt.mint("sdk", "ak", SENTINEL, "owner", 0),
    () => nt.roomToken("ak", SENTINEL, 0, { role: "1" }),
    () => keyring.verify(token.slice(0, -2)),
    () => new nt.KeyPair(SENTINEL),
    () => nt.sdkToken(SENTINEL, 0, 0, { role: "0" }),
  ]) {
    try {
      call();
    } catch (e) {
      shown.push(String(e), e.stack, inspect(e), JSON.stringify(e));
    }
  }
  assert.ok(shown.length > 10);
  const forms = [SENTINEL, Buffer.from(SENTINEL).toString("hex"), Buffer.from(SENTINEL).toString("base64"), SENTINEL.slice(0, 11), SENTINEL.slice(11)];
  for (const text of shown) for (const form of forms) assert.ok(!text.includes(form), `${form} in ${text}`);
});

test("a secret is not left in WebAssembly memory as bytes, given as text or as bytes", () => {
  const secret = "Sentinel-bytes-7f3a9c1e5b";
  const bytes = new TextEncoder().encode(secret);
  assert.equal(occurrences(bytes), 0, "before");
  const pair = new nt.KeyPair("ak", secret);
  const token = pair.mint("sdk", "0", 0);
  nt.verify(token, secret);
  nt.verify(token, bytes);
  nt.mint("sdk", "ak", bytes, "0", 0);
  nt.roomToken("ak", secret, 0, { role: "1", uuid: "r" });
  assert.equal(occurrences(bytes), 0, "after use");
  pair.free();
});

test("freeing a key pair wipes its keyed state: free() and Symbol.dispose", () => {
  for (const end of ["free", "dispose"]) {
    const secret = `Sentinel-${end}-1b2c3d4e5f`;
    const [inner, outer] = keyedState(secret);
    assert.equal(occurrences(inner) + occurrences(outer), 0, `${end}: before`);
    const pair = new nt.KeyPair("ak", secret);
    // The checker finds the state where it is: the key pair holds it.
    assert.ok(occurrences(inner) >= 1 && occurrences(outer) >= 1, `${end}: the key pair's state is found`);
    pair.mint("sdk", "0", 0);
    if (end === "free") pair.free();
    else pair[Symbol.dispose ?? Symbol.for("Symbol.dispose")]();
    assert.equal(occurrences(inner) + occurrences(outer), 0, `${end}: after`);
  }
});

test("the garbage collector wipes the keyed state of a key pair nobody holds", () => {
  // A process of its own, with the collector at hand (--expose-gc).
  const out = execFileSync(process.execPath, ["--expose-gc", new URL("./gc-wipe.mjs", import.meta.url).pathname], {
    encoding: "utf8",
  });
  assert.deepEqual(JSON.parse(out), { whileHeld: true, afterCollection: 0 });
});

// Run by secrets.test.mjs with --expose-gc: makes a key pair, drops it, collects garbage, and
// prints whether its keyed state was in memory while held, and how often it is after.
import * as nt from "netless-token-wasm";
import { keyedState, occurrences } from "./memory.mjs";

const secret = "Sentinel-gc-9a8b7c6d5e";
const [inner, outer] = keyedState(secret);
let whileHeld;
(() => {
  const pair = new nt.KeyPair("ak", secret);
  pair.mint("sdk", "0", 0);
  whileHeld = occurrences(inner) >= 1 && occurrences(outer) >= 1;
})();
for (let i = 0; i < 20 && occurrences(inner) + occurrences(outer) > 0; i++) {
  globalThis.gc();
  await new Promise((resolve) => setTimeout(resolve, 10));
}
console.log(JSON.stringify({ whileHeld, afterCollection: occurrences(inner) + occurrences(outer) }));

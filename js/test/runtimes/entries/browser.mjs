// Chromium: loaded by browser.html, which maps the package's name to its browser entry (an
// import map, as a page without a bundler would). The Node side calls `suite(vectors)`.
import * as nt from "netless-token-wasm";
import { run } from "../suite.mjs";

// Before `ready`: what a call and a construction throw (the module is still loading).
const beforeReady = [];
for (const call of [() => nt.decode("x"), () => new nt.KeyPair("ak", "sk")]) {
  try {
    call();
    beforeReady.push(null);
  } catch (thrown) {
    beforeReady.push({ name: thrown?.name, message: thrown?.message });
  }
}

globalThis.suite = async (vectors) => {
  await nt.ready;
  return run(nt, vectors, { beforeReady });
};

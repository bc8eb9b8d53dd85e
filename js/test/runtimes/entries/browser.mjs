// Chromium: loaded by browser.html, which maps the package's name to its browser entry (an
// import map, as a page without a bundler would). The Node side calls `suite(vectors)`.
import * as nt from "netless-token-wasm";
import { run } from "../suite.mjs";

globalThis.suite = async (vectors) => {
  await nt.ready;
  return run(nt, vectors, null);
};

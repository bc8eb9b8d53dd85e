// The CommonJS build for `require()` in Node (bundled into dist/node.cjs by scripts/build.mjs):
// the same as node.js, the WebAssembly module found beside the bundle.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync } from "../dist/netless_token_js.js";

initSync({ module: readFileSync(join(__dirname, "netless_token_js_bg.wasm")) });

export * from "./api.js";
/** Already resolved: the module is ready at `require`. */
export const ready = Promise.resolve();

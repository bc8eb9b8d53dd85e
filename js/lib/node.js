// Node and Bun: the WebAssembly module is read from the package and compiled
// synchronously, so every call works as soon as `import` returns.
import { readFileSync } from "node:fs";
import { initSync } from "../dist/netless_token_js.js";

initSync({ module: readFileSync(new URL("../dist/netless_token_js_bg.wasm", import.meta.url)) });

export * from "./api.js";
/** Already resolved: the module is ready at import. */
export const ready = Promise.resolve();

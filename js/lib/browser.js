// Browsers: the WebAssembly module is fetched and compiled asynchronously (a main thread may
// not compile a large module synchronously). Await `ready` once before the first call.
import init from "../dist/netless_token_js.js";

/** Resolves once the WebAssembly module is loaded; await it before the first call. */
export const ready = init({
  module_or_path: new URL("../dist/netless_token_js_bg.wasm", import.meta.url),
}).then(() => undefined);

export * from "./api.js";

// Cloudflare Workers (workerd, wrangler, miniflare): a Worker may not compile WebAssembly from
// bytes at run time; it imports the module, which the runtime compiles at upload, and
// instantiates it synchronously.
import module from "../dist/netless_token_js_bg.wasm";
import { initSync } from "../dist/netless_token_js.js";

initSync({ module });

export * from "./api.js";
/** Already resolved: the module is ready at import. */
export const ready = Promise.resolve();

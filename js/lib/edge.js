// Vercel's Edge runtime (the `edge-light` condition; Next.js middleware and edge routes): code
// may not compile WebAssembly from bytes at run time; the bundler compiles a `?module` import
// ahead, and it is instantiated synchronously.
import module from "../dist/netless_token_js_bg.wasm?module";
import { initSync } from "../dist/netless_token_js.js";

initSync({ module });

export * from "./api.js";
/** Already resolved: the module is ready at import. */
export const ready = Promise.resolve();

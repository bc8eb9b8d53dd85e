// Vercel's Edge runtime (the `edge-light` condition; Next.js middleware and edge routes): code
// may not compile WebAssembly from bytes at run time; the bundler compiles a `?module` import
// ahead, and it is instantiated synchronously.
import module from "../dist/netless_token_js_bg.wasm?module";
import { initSync } from "../dist/netless_token_js.js";

// Next.js runs edge code on a developer's machine (next dev, next start) in a context of its
// own, and compiles the `?module` import outside it: a WebAssembly.Module of another realm, which
// `instanceof WebAssembly.Module` denies here, so wasm-bindgen's initSync would compile it as
// bytes and fail. It is a compiled module all the same (instantiating it reads the engine's own
// mark, not the prototype): it is given this realm's prototype.
if (!(module instanceof WebAssembly.Module) && Object.prototype.toString.call(module) === "[object WebAssembly.Module]") {
  Object.setPrototypeOf(module, WebAssembly.Module.prototype);
}
initSync({ module });

export * from "./api.js";
/** Already resolved: the module is ready at import. */
export const ready = Promise.resolve();

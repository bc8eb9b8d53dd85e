// Deno (`deno run`, `deno serve`, Deno Deploy, Supabase Edge Functions): the WebAssembly module
// comes as a JavaScript module of the package holding its bytes, so loading it reads no file (a
// file of an npm package asks for --allow-read in Deno 2) and a bundle of the module graph
// (`deno compile`, Supabase's eszip) carries it. Compiled synchronously: every call works as soon
// as `import` returns.
import bytes from "../dist/netless_token_js_bg.wasm.js";
import { initSync } from "../dist/netless_token_js.js";

initSync({ module: bytes });

export * from "./api.js";
/** Already resolved: the module is ready at import. */
export const ready = Promise.resolve();

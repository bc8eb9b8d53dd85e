// Browsers: the WebAssembly module is fetched and compiled asynchronously (a main thread may
// not compile a large module synchronously). Await `ready` once before the first call.
//
// Until then, every entry point refuses with an Error that says so, instead of the TypeError
// wasm-bindgen's glue would throw from inside (`Cannot read properties of undefined`). The
// wrappers below shadow api.js's names of the `export *`; after `ready`, each costs one check.
import init from "../dist/netless_token_js.js";
import * as api from "./api.js";

let loaded = false;

/** Resolves once the WebAssembly module is loaded; await it before the first call. */
export const ready = init({
  module_or_path: new URL("../dist/netless_token_js_bg.wasm", import.meta.url),
}).then(() => {
  loaded = true;
});

function guard(name) {
  if (!loaded) {
    throw new Error(
      `netless-token-wasm: ${name} was called before the WebAssembly module loaded; in a browser, await ready once before the first call`,
    );
  }
}

/** `fn`, refused until the module is loaded. */
function guarded(name, fn) {
  const wrapper = {
    [name](...args) {
      guard(name);
      return fn(...args);
    },
  }[name];
  return wrapper;
}

/**
 * `Class`, whose construction is refused until the module is loaded; `instanceof`, statics and
 * the prototype are `Class`'s own (a Proxy, so the objects a keyring hands out are instances).
 */
function guardedClass(name, Class) {
  return new Proxy(Class, {
    construct(target, args, newTarget) {
      guard(`new ${name}`);
      return Reflect.construct(target, args, newTarget);
    },
  });
}

export * from "./api.js";
export const sdkToken = guarded("sdkToken", api.sdkToken);
export const roomToken = guarded("roomToken", api.roomToken);
export const taskToken = guarded("taskToken", api.taskToken);
export const mint = guarded("mint", api.mint);
export const decode = guarded("decode", api.decode);
export const verify = guarded("verify", api.verify);
export const audit = guarded("audit", api.audit);
export const KeyPair = guardedClass("KeyPair", api.KeyPair);
export const Keyring = guardedClass("Keyring", api.Keyring);

// Vercel's Edge runtime: the test entry bundled the way Next.js bundles middleware (the
// `edge-light` condition: lib/edge.js; a `.wasm?module` import becomes a global `wasm_<sha1>` that
// the sandbox supplies, compiled outside the edge context), then run by edge-runtime with code
// generation off (no eval, no WebAssembly from bytes), as Vercel runs deployed edge code.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { test } from "node:test";
import { EdgeRuntime } from "edge-runtime";
import { build } from "esbuild";
import { HERE, report, vectors } from "./harness.mjs";

/** Next.js's loader for `?module` imports (next-middleware-wasm-loader), as an esbuild plugin. */
function nextWasmModules(bindings) {
  return {
    name: "next-wasm-modules",
    setup(b) {
      b.onResolve({ filter: /\.wasm\?module$/ }, (args) => ({
        path: resolve(args.resolveDir, args.path.slice(0, -"?module".length)),
        namespace: "wasm-module",
      }));
      b.onLoad({ filter: /.*/, namespace: "wasm-module" }, async (args) => {
        const name = `wasm_${createHash("sha1").update(await readFile(args.path)).digest("hex")}`;
        bindings.set(name, args.path);
        return { contents: `module.exports = ${name};`, loader: "js", resolveDir: dirname(args.path) };
      });
    },
  };
}

test("the Edge runtime runs the suite, as Next.js bundles it, with code generation off", async (t) => {
  const bindings = new Map();
  const bundle = await build({
    entryPoints: [resolve(HERE, "entries/edge.mjs")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "neutral",
    // Next.js's edge compiler: edge-light, worker, then webpack's defaults for a web target.
    conditions: ["edge-light", "worker", "browser", "import", "module"],
    mainFields: ["browser", "module", "main"],
    plugins: [nextWasmModules(bindings)],
    // The glue's asynchronous loader reads import.meta.url; the edge entry never calls it.
    logOverride: { "empty-import-meta": "silent" },
  });
  assert.equal(bindings.size, 1, "one WebAssembly module, imported with ?module");
  // The sandbox compiles each module in Node's realm and hands it to the edge context.
  const wasm = {};
  for (const [name, path] of bindings) wasm[name] = await WebAssembly.compile(await readFile(path));
  const runtime = new EdgeRuntime({
    codeGeneration: { strings: false, wasm: false },
    extend: (context) => Object.assign(context, wasm),
    initialCode: bundle.outputFiles[0].text,
  });
  const response = await runtime.dispatchFetch("http://localhost/", { method: "POST", body: JSON.stringify(vectors()) });
  await report(t, await response.json(), { compileFromBytes: "refused", sdkTokenAtImport: true });
});

test("edge-runtime on its own allows WebAssembly from bytes: the test above turns it off", async () => {
  const runtime = new EdgeRuntime();
  assert.equal(runtime.evaluate("new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])) instanceof WebAssembly.Module"), true);
});

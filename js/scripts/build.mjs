// `npm run build`: builds the package's WebAssembly from the Rust crate (js/src/lib.rs, over
// the library), then its JavaScript glue, into dist/:
//
// 1. cargo, for wasm32-unknown-unknown (scripts/wasm.sh at the repository's top: rustup's
//    target where installed, else Debian's Rust building the standard library);
// 2. wasm-bindgen (scripts/wasm-bindgen.sh: the CLI of the crate's exact version, installed
//    from crates.io into a cache folder the first time) for the `web` target, whose glue every
//    entry of lib/ initialises its own way;
// 3. wasm-opt (binaryen, from npm): the module made smaller;
// 4. the module's bytes as a JavaScript module, dist/netless_token_js_bg.wasm.js, for Deno
//    (lib/deno.js), where reading a file of the package asks for --allow-read;
// 5. esbuild: dist/node.cjs, the CommonJS build for `require()` in Node, and its types,
//    dist/index.d.cts, a copy of lib/index.d.ts that TypeScript reads as CommonJS.
//
// Prints the sizes of the module (raw and gzipped) and of the glue.
import { execFileSync } from "node:child_process";
import { copyFileSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const js = dirname(dirname(fileURLToPath(import.meta.url)));
const root = dirname(js);
const dist = join(js, "dist");
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: "inherit" });

// WebAssembly SIMD (every runtime the package supports has it) for base64. Where the standard
// library is built from source (no rustup target), a panic (none can happen) traps without
// formatting anything, which keeps panic messages out of the module.
process.env.NETLESS_WASM_RUSTFLAGS ??= "-C target-feature=+simd128";
process.env.NETLESS_WASM_BUILD_STD_RUSTFLAGS ??=
  "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none";
run("bash", ["scripts/wasm.sh", "wasm32-unknown-unknown", "build", "-p", "netless-token-js", "--profile", "wasm"]);
rmSync(dist, { recursive: true, force: true });
const wasm = join(root, "target/wasm/wasm32-unknown-unknown/wasm/netless_token_js.wasm");
run("bash", [
  "scripts/wasm-bindgen.sh", wasm, "--target", "web", "--out-dir", dist, "--out-name", "netless_token_js",
  "--no-typescript", "--remove-name-section", "--remove-producers-section",
]);
const module_path = join(dist, "netless_token_js_bg.wasm");
run(join(js, "node_modules/.bin/wasm-opt"), [
  "-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
  "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue", "--enable-simd",
  module_path, "-o", module_path,
]);
writeFileSync(
  `${module_path}.js`,
  "// The bytes of netless_token_js_bg.wasm beside this file (made by scripts/build.mjs), for\n" +
    "// runtimes where the package reads no file of its own: lib/deno.js.\n" +
    `export default Uint8Array.from(atob("${readFileSync(module_path).toString("base64")}"), (c) => c.charCodeAt(0));\n`,
);
await build({
  entryPoints: [join(js, "lib/node-cjs.js")],
  outfile: join(dist, "node.cjs"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node18",
  // The web glue's default loader reads import.meta.url; the CommonJS build never calls it.
  logOverride: { "empty-import-meta": "silent" },
});
// TypeScript takes a .d.ts beside "type": "module" for an ES module, which a CommonJS file may
// not require() under `"module": "node16"`; the same declarations as .d.cts are CommonJS.
copyFileSync(join(js, "lib/index.d.ts"), join(dist, "index.d.cts"));

const size = (file) => statSync(join(dist, file)).size;
const module = readFileSync(join(dist, "netless_token_js_bg.wasm"));
console.log(
  `dist/netless_token_js_bg.wasm: ${module.length} bytes, ${gzipSync(module, { level: 9 }).length} gzipped; ` +
    `glue dist/netless_token_js.js: ${size("netless_token_js.js")} bytes; dist/node.cjs: ${size("node.cjs")} bytes; ` +
    `dist/netless_token_js_bg.wasm.js: ${size("netless_token_js_bg.wasm.js")} bytes`,
);

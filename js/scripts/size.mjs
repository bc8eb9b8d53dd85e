// `npm run size`: the sizes of the built package, and the check of its one size target: the
// WebAssembly module at most 45 KB (45,000 bytes) gzipped at level 9. Exits 1 past it.
import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";

const LIMIT = 45_000;
const at = (file) => new URL(`../${file}`, import.meta.url);
const gzipped = (file) => gzipSync(readFileSync(at(file)), { level: 9 }).length;
const rows = ["dist/netless_token_js_bg.wasm", "dist/netless_token_js.js", "lib/api.js", "lib/errors.js", "dist/node.cjs"].map(
  (file) => [file, statSync(at(file)).size, gzipped(file)],
);
for (const [file, bytes, gz] of rows) console.log(`${file.padEnd(32)} ${String(bytes).padStart(7)} bytes ${String(gz).padStart(7)} gzipped`);
const module = rows[0][2];
console.log(`WebAssembly module: ${module} bytes gzipped, limit ${LIMIT}: ${module <= LIMIT ? "met" : "MISSED"}`);
process.exitCode = module <= LIMIT ? 0 : 1;

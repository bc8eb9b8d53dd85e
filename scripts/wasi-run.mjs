// Runs a program compiled for wasm32-wasip1 under Node's WASI, as a test runner would:
//
//   node scripts/wasi-run.mjs PROGRAM.wasm [ARGS...]
//
// The program sees the current folder (the repository: tests read tests/data/ by their
// absolute path) and the system's temporary folder, the environment, and the arguments; its
// exit status is this process's. The thread functions that Debian's wasi-libc lacks
// (scripts/wasi-undefined.txt) are imports here that refuse, so a thread cannot be started
// (libtest runs every test on the main thread on WebAssembly).
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { WASI } from "node:wasi";

const [program, ...args] = process.argv.slice(2);
if (!program) {
  console.error("usage: node scripts/wasi-run.mjs PROGRAM.wasm [ARGS...]");
  process.exit(2);
}
const root = process.cwd();
const wasi = new WASI({
  version: "preview1",
  args: [program, ...args],
  env: process.env,
  preopens: { [root]: root, [tmpdir()]: tmpdir() },
  returnOnExit: true,
});
const ENOSYS = 52;
const refuse = () => ENOSYS;
const threads = Object.fromEntries(
  (await readFile(new URL("wasi-undefined.txt", import.meta.url), "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((name) => [name, refuse]),
);
const module = await WebAssembly.compile(await readFile(resolve(program)));
const instance = await WebAssembly.instantiate(module, {
  ...wasi.getImportObject(),
  env: threads,
});
process.exitCode = wasi.start(instance);

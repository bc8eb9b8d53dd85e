// `npm run test:runtimes` (every runtime) and `npm run test:deno`, `test:bun`, ... (one each):
// installs this folder's runtimes with `npm ci` when node_modules is missing or older than
// package-lock.json, then runs the tests named on the command line (default: every
// *.test.mjs here) with node:test; fails if any fails.
//
//   node test/runtimes/run.mjs [node|deno|bun|workerd|edge|chromium|types ...]
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { HERE, PACKAGE } from "./harness.mjs";

function run(command, args, cwd) {
  const { status, signal } = spawnSync(command, args, { cwd, stdio: "inherit" });
  if (status !== 0) process.exit(status ?? (signal ? 1 : 0));
}

if (!existsSync(join(PACKAGE, "dist", "netless_token_js_bg.wasm"))) {
  console.error("run.mjs: no dist/: run `npm run build` in js/ first");
  process.exit(1);
}
const installed = join(HERE, "node_modules", ".package-lock.json");
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(join(HERE, "package-lock.json")).mtimeMs) {
  console.log("run.mjs: npm ci in test/runtimes (the runtimes: deno, bun, workerd, ...)");
  run("npm", ["ci", "--no-audit", "--no-fund"], HERE);
}

const all = readdirSync(HERE).filter((f) => f.endsWith(".test.mjs"));
const names = process.argv.slice(2);
for (const name of names) {
  if (!all.includes(`${name}.test.mjs`)) {
    console.error(`run.mjs: no test ${name}; the tests: ${all.map((f) => f.replace(".test.mjs", "")).join(", ")}`);
    process.exit(2);
  }
}
const files = names.length ? names.map((n) => `${n}.test.mjs`) : all;
run(process.execPath, ["--test", ...files], HERE);

// The Node side of the runtime tests: the vectors sent to every runtime, the runtimes' binaries,
// and the report of a runtime's outcome as node:test cases.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { jsonl } from "../data.mjs";

/** This folder (js/test/runtimes), where the runtimes are installed. */
export const HERE = dirname(fileURLToPath(import.meta.url));
/** The package's folder (js/), which node_modules/netless-token-wasm links to. */
export const PACKAGE = join(HERE, "..", "..");

/**
 * The lines of tests/data/official-js.jsonl every runtime mints, decodes and verifies: line 1
 * (a permanent admin SDK token), a Room and a Task token with a lifespan, and SDK tokens whose
 * access key, secret and nonce are control characters, accented and CJK letters, an emoji
 * (a surrogate pair in JavaScript) and U+2028/U+2029.
 */
const LINES = [1, 23, 44, 52, 54, 55, 58];

export function vectors() {
  const chosen = jsonl("official-js.jsonl").filter((v) => LINES.includes(v.line));
  assert.equal(chosen.length, LINES.length);
  return chosen;
}

/** A binary of node_modules/.bin/. */
export function bin(name) {
  return join(HERE, "node_modules", ".bin", name);
}

/** Runs a command in this folder; its standard output, or a rejection with its standard error. */
export function command(file, args, env = {}) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: HERE, env: { ...process.env, ...env }, maxBuffer: 16 << 20, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) {
        error.message += `\n${stderr}`;
        reject(error);
      } else {
        resolve(stdout);
      }
    });
  });
}

/**
 * Reports a runtime's outcome (suite.mjs, `run`) as one subtest of `t` per case, then checks
 * what the runtime allowed against what is expected of it: `sdkTokenAtImport` (true: the drop-in
 * worked at import; else the error `{ name, field }` the runtime causes) and `compileFromBytes`
 * ("allowed", or "refused").
 */
export async function report(t, outcome, expected) {
  assert.ok(outcome.results.length >= 8, `${outcome.results.length} cases ran`);
  for (const { name, failure } of outcome.results) {
    await t.test(name, () => assert.equal(failure, null, failure ?? undefined));
  }
  await t.test(`what the runtime allows: compiling WebAssembly from bytes is ${expected.compileFromBytes}`, () => {
    assert.ok(outcome.facts.compileFromBytes.startsWith(expected.compileFromBytes), outcome.facts.compileFromBytes);
  });
  if (expected.sdkTokenAtImport === undefined) return;
  await t.test("at import, before any await: a fixed mint works, and the drop-in sdkToken as expected", () => {
    assert.equal(typeof outcome.facts.atImport.fixedMint, "string", JSON.stringify(outcome.facts.atImport.fixedMint));
    if (expected.sdkTokenAtImport === true) {
      assert.equal(outcome.facts.atImport.sdkToken, "string");
    } else {
      assert.deepEqual(
        { name: outcome.facts.atImport.sdkToken.name, field: outcome.facts.atImport.sdkToken.field },
        expected.sdkTokenAtImport,
        JSON.stringify(outcome.facts.atImport.sdkToken),
      );
    }
  });
}

// Cloudflare Workers: wrangler bundles the test Worker as `wrangler deploy` would (the `workerd`
// condition: lib/workerd.js, whose .wasm import becomes a module compiled at upload), then
// miniflare runs the bundle in workerd and sends it the vectors.
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Miniflare } from "miniflare";
import { bin, command, report, vectors } from "./harness.mjs";

test("workerd runs the suite, as wrangler bundles it", async (t) => {
  const out = await mkdtemp(join(tmpdir(), "netless-worker-"));
  try {
    await command(bin("wrangler"), ["deploy", "--dry-run", "--outdir", out], {
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_LOG_PATH: join(out, "logs"),
      NO_COLOR: "1",
    });
    const files = await readdir(out);
    assert.ok(files.some((f) => f.endsWith(".wasm")), "the module is a file of its own in the bundle, not bytes in the script");
    t.diagnostic(`wrangler's bundle: ${files.filter((f) => f !== "logs").join(", ")}`);
    const mf = new Miniflare({
      modules: true,
      modulesRoot: out,
      scriptPath: join(out, "worker.js"),
      modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
      compatibilityDate: "2026-04-26",
    });
    try {
      const response = await mf.dispatchFetch("http://localhost/", { method: "POST", body: JSON.stringify(vectors()) });
      const outcome = await response.json();
      // workerd gives no randomness (and a clock stopped at 0) while a Worker starts.
      await report(t, outcome, { compileFromBytes: "refused", sdkTokenAtImport: { name: "MintError", field: "nonce" } });
    } finally {
      await mf.dispose();
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

// Deno: the package imported as npm:netless-token-wasm (the `deno` condition: lib/deno.js), run
// with no permission at all: loading the package reads no file.
import { test } from "node:test";
import { bin, command, report, vectors } from "./harness.mjs";

test("Deno runs the suite with no permission", async (t) => {
  const version = await command(bin("deno"), ["--version"]);
  t.diagnostic(version.split("\n")[0]);
  const stdout = await command(bin("deno"), ["run", "--no-prompt", "entries/deno.mjs", JSON.stringify(vectors())], {
    DENO_NO_UPDATE_CHECK: "1",
    NO_COLOR: "1",
  });
  await report(t, JSON.parse(stdout), { compileFromBytes: "allowed", sdkTokenAtImport: true });
});

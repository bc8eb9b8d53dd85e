// Bun: the package imported by its name from node_modules (the `bun` condition: lib/node.js).
import { test } from "node:test";
import { bin, command, report, vectors } from "./harness.mjs";

test("Bun runs the suite", async (t) => {
  t.diagnostic(`bun ${(await command(bin("bun"), ["--version"])).trim()}`);
  const stdout = await command(bin("bun"), ["run", "entries/script.mjs", JSON.stringify(vectors())], { NO_COLOR: "1" });
  await report(t, JSON.parse(stdout), { compileFromBytes: "allowed", sdkTokenAtImport: true });
});

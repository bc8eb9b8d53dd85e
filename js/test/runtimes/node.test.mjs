// Node: the shared suite too, the package imported by its name from node_modules (the `node`
// condition: lib/node.js), as the other runtimes run it.
import { test } from "node:test";
import { command, report, vectors } from "./harness.mjs";

test("Node runs the suite", async (t) => {
  t.diagnostic(`node ${process.version}`);
  const stdout = await command(process.execPath, ["entries/script.mjs", JSON.stringify(vectors())]);
  await report(t, JSON.parse(stdout), { compileFromBytes: "allowed", sdkTokenAtImport: true });
});

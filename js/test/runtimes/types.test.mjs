// TypeScript: types/usage.ts, which uses the whole API (and misuses it where the types must say
// no), compiles with `tsc --noEmit` against lib/index.d.ts, found through the package's exports.
import { test } from "node:test";
import { bin, command } from "./harness.mjs";

test("tsc --noEmit accepts types/usage.ts against lib/index.d.ts", async (t) => {
  t.diagnostic((await command(bin("tsc"), ["--version"])).trim());
  await command(bin("tsc"), ["-p", "types", "--noEmit"]);
});

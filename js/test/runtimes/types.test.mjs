// TypeScript: types/usage.ts, which uses the whole API (and misuses it where the types must say
// no), compiles with `tsc --noEmit` against lib/index.d.ts, found through the package's exports;
// and with `deno check`, whose TypeScript is an older major version.
import { test } from "node:test";
import { bin, command } from "./harness.mjs";

test("tsc --noEmit accepts types/usage.ts against lib/index.d.ts", async (t) => {
  t.diagnostic((await command(bin("tsc"), ["--version"])).trim());
  await command(bin("tsc"), ["-p", "types", "--noEmit"]);
});

test("tsc --noEmit accepts types/require.cts, CommonJS under node16, against dist/index.d.cts", async () => {
  await command(bin("tsc"), ["-p", "types/tsconfig.require.json", "--noEmit"]);
});

test("deno check accepts types/usage.ts too (the TypeScript inside Deno)", async (t) => {
  const env = { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };
  t.diagnostic((await command(bin("deno"), ["--version"], env)).split("\n").find((line) => line.startsWith("typescript")));
  await command(bin("deno"), ["check", "types/usage.ts"], env);
});

// Deno: imports the package with an npm: specifier, as a Deno program does (resolved from
// node_modules here, as Deno does where a package.json is), runs the shared suite on the vectors
// given as the first argument (JSON), prints its outcome.
import * as nt from "npm:netless-token-wasm";
import { atImport, run } from "../suite.mjs";

const first = atImport(nt);
console.log(JSON.stringify(await run(nt, JSON.parse(Deno.args[0]), first)));

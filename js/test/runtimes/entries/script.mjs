// Bun and Node: imports the package by its name as a script of that runtime would,
// runs the shared suite on the vectors given as the first argument (JSON), prints its outcome.
import * as nt from "netless-token-wasm";
import { atImport, run } from "../suite.mjs";

const first = atImport(nt);
console.log(JSON.stringify(await run(nt, JSON.parse(process.argv[2]), first)));

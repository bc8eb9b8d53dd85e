// Vercel's Edge runtime: bundled the way Next.js bundles middleware (edge.test.mjs), run by
// edge-runtime. A POST of the vectors (JSON) runs the shared suite; the response is its outcome.
import * as nt from "netless-token-wasm";
import { atImport, run } from "../suite.mjs";

const first = atImport(nt);

addEventListener("fetch", (event) => {
  event.respondWith(event.request.json().then((vectors) => run(nt, vectors, first)).then((outcome) => Response.json(outcome)));
});

// Cloudflare Workers: a module Worker, bundled by wrangler (wrangler.toml) and run by workerd
// through miniflare. A POST of the vectors (JSON) runs the shared suite; the response is its
// outcome.
import * as nt from "netless-token-wasm";
import { atImport, run } from "../suite.mjs";

const first = atImport(nt);

export default {
  async fetch(request) {
    return Response.json(await run(nt, await request.json(), first));
  },
};

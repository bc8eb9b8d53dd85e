// CommonJS TypeScript that require()s the package (dist/node.cjs at run time), checked under
// "module": "node16" (tsconfig.require.json), where a CommonJS file may not require() a module
// typed as ESM: the package's `types` export gives it dist/index.d.cts.
import nt = require("netless-token-wasm");

const token: string = nt.roomToken("ak", "sk", 60_000, { role: nt.TokenRole.Writer, uuid: "room-1" });
const verified: nt.VerifiedToken = nt.verify(token, "sk", { kind: "room" });
const role: nt.TokenRole = verified.role;
let field = "";
try {
  nt.decode("x");
} catch (e) {
  if (e instanceof nt.DecodeError) field = e.field;
}
export = [role, field];

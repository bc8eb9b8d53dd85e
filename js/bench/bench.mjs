// `npm run bench`: this package against the official netless-token@1.0.2 in one Node process,
// rounds interleaved (official, ours, official, ...) so that a busy machine slows both alike;
// medians of ns per call. Prints the ratios the README reports:
//   - the drop-in roomToken against the official roomToken (target: at least 2x);
//   - KeyPair.mint (the HMAC keyed once) against the official roomToken (target: at least 4x);
//   - verify (with a KeyPair, and with the secret alone), which the official package lacks.
import { createRequire } from "node:module";
import * as ours from "netless-token-wasm";

const official = createRequire(import.meta.url)("netless-token");

const AK = "BUxxxxxxrc0123456789abcdefABCDEF";
const SK = "CxxxxxxxauY3-0123456789abcdefABCDEF";
const UUID = "a7e0a4d0c1a011eabc5b5d4c8e0aca69";
const LIFESPAN = 3_600_000;
const ROUNDS = Number(process.env.ROUNDS ?? 21);
const CALLS = Number(process.env.CALLS ?? 10_000);

const pair = new ours.KeyPair(AK, SK);
const token = pair.mint("room", "writer", LIFESPAN, UUID);

const cases = {
  "official roomToken": () =>
    official.roomToken(AK, SK, LIFESPAN, { role: official.TokenRole.Writer, uuid: UUID }),
  "drop-in roomToken": () =>
    ours.roomToken(AK, SK, LIFESPAN, { role: ours.TokenRole.Writer, uuid: UUID }),
  "KeyPair.mint": () => pair.mint("room", "writer", LIFESPAN, UUID),
  "KeyPair.verify": () => pair.verify(token),
  "verify (secret alone)": () => ours.verify(token, SK),
};

// Both must mint tokens that the other side accepts, before anything is timed.
if (!ours.verify(cases["official roomToken"](), SK, { kind: "room" })) throw new Error("official");

function time(fn) {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) sink += fn().length ?? 1;
  const ns = Number(process.hrtime.bigint() - start) / CALLS;
  if (sink === 0) throw new Error("nothing returned");
  return ns;
}

for (const fn of Object.values(cases)) time(fn); // warm up
const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fn] of Object.entries(cases)) samples[name].push(time(fn));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const official_ns = samples["official roomToken"];
console.log(`node ${process.version}, ${ROUNDS} rounds of ${CALLS} calls each, interleaved; medians`);
for (const [name, xs] of Object.entries(samples)) {
  // The ratio of each round (the official roomToken and this case, timed side by side), then
  // the median of those: a slow moment of the machine slows both sides of one round.
  const ratio = median(xs.map((ns, round) => official_ns[round] / ns));
  const shown = name.startsWith("official") ? "" : `  ${ratio.toFixed(2)}x the official roomToken's speed`;
  console.log(`${name.padEnd(24)} ${median(xs).toFixed(0).padStart(6)} ns${shown}`);
}

// The official algorithm in Node (tests/node/official.js: node:crypto, JSON.stringify,
// encodeURIComponent), with a fresh UUID v1-style nonce and Date.now() per token, as the
// official JavaScript generator does.
//   node mint.js N      time N Room tokens after a warm-up; print {"impl","ns_per_token"}
//   node mint.js once   print one Room token minted now (for the whole-process timing)
//   node mint.js fixed  print the Room token for the fixed inputs (cross-check)
'use strict';
const crypto = require('node:crypto');
const { token } = require('../../tests/node/official.js');

const AK = 'BUxxxxxxrc';
const SK = 'CxxxxxxxauY3';
const UUID = 'a7e0a4d0c1a011eabc5b5d4c8e0aca69';
const LIFESPAN = 3600000;

// UUID v1 layout: 60-bit time in 100 ns since 1582, clock sequence, random node id.
const node = crypto.randomBytes(6).toString('hex');
const clockSeq = crypto.randomBytes(2).readUInt16BE(0) & 0x3fff;
let last = 0n;
function uuidV1() {
  let t = BigInt(Date.now()) * 10000n + 0x01b21dd213814000n;
  if (t <= last) t = last + 1n;
  last = t;
  const hex = t.toString(16).padStart(15, '0');
  const low = hex.slice(7, 15);
  const mid = hex.slice(3, 7);
  const high = '1' + hex.slice(0, 3);
  const seq = (0x8000 | clockSeq).toString(16);
  return `${low}-${mid}-${high}-${seq}-${node}`;
}

function mintNow() {
  const now = Date.now();
  return token({
    kind: 'room', ak: AK, sk: SK, nonce: uuidV1(), role: '1',
    expireAt: String(now + LIFESPAN), uuid: UUID,
  }).token;
}

const arg = process.argv[2] || '100000';
if (arg === 'once') {
  console.log(mintNow());
} else if (arg === 'fixed') {
  console.log(token({
    kind: 'room', ak: AK, sk: SK, nonce: '6ba7b810-9dad-11d1-80b4-00c04fd430c8', role: '1',
    expireAt: String(1700000000000 + LIFESPAN), uuid: UUID,
  }).token);
} else {
  const n = Number(arg);
  let sink = 0;
  for (let i = 0; i < Math.min(n, 20000); i++) sink += mintNow().length;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += mintNow().length;
  const ns = Number(process.hrtime.bigint() - start) / n;
  console.log(JSON.stringify({ impl: 'node', ns_per_token: ns, sink }));
}

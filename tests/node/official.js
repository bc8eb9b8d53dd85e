// The official generator's algorithm, written from docs/format.md with node's own
// JSON.stringify, encodeURIComponent and node:crypto: the live oracle for the differential
// test. As the reference generator does, the fields are inserted into an object in sorted
// order, and both the signed JSON and the query list that object's keys as node orders them
// (Object.keys: array-index names first by value, then the rest in insertion order), so node
// itself supplies the field order. Reads one JSON object per line on stdin:
//   {"kind":"room","ak":…,"sk":…,"nonce":…,"role":"1","expireAt":"…"?,"uuid":…?,"extra":[[k,v]…]}
// and prints one JSON object per line: {"json":…,"query":…,"token":…}.
// benches/compare/mint.js requires it for the speed comparison.
'use strict';
const crypto = require('node:crypto');
const readline = require('node:readline');

const PREFIX = { sdk: 'NETLESSSDK_', room: 'NETLESSROOM_', task: 'NETLESSTASK_' };

// A copy of `object` whose keys were inserted in sorted (UTF-16 code unit) order.
function sorted(object) {
  const out = {};
  for (const key of Object.keys(object).sort()) out[key] = object[key];
  return out;
}

function token(input) {
  const object = {};
  for (const [k, v] of input.extra || []) object[k] = v;
  object.ak = input.ak;
  object.nonce = input.nonce;
  object.role = input.role;
  if (input.expireAt !== undefined) object.expireAt = input.expireAt;
  if (input.uuid !== undefined) object.uuid = input.uuid;
  const json = JSON.stringify(sorted(object));
  object.sig = crypto.createHmac('sha256', input.sk).update(json).digest('hex');
  const signed = sorted(object);
  const query = Object.keys(signed)
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(signed[k])}`)
    .join('&');
  return { json, query, token: PREFIX[input.kind] + Buffer.from(query, 'utf8').toString('base64url') };
}

module.exports = { token };

if (require.main === module) {
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    process.stdout.write(JSON.stringify(token(JSON.parse(line))) + '\n');
  });
}

// oss-fetch's own CPU per 1 KiB GET: the client against a canned in-process response (no
// network, no server), so what remains is signing, the request, the CRC-64 check and the result.
// The canned Response alone is measured in the same rounds and subtracted. Min of 7 rounds.
// Run: npx tsx bench/client-cost.ts   (SIG=v1 for V1 signing; SUBTLE=web for crypto.subtle)
import { nodeSubtle } from '../src/adapters/node-subtle.js';
import { crc64 } from '../src/core/crc64.js';
import { OSSClient } from '../src/index.js';

const body = new Uint8Array(1024);
const headers = {
  'content-length': '1024', 'content-type': 'application/octet-stream', etag: '"0F343B0931126A20F133D67C2B018A3B"',
  'x-oss-request-id': '5C9B3E2A1D4F6B7C8E9A0B1C', 'x-oss-hash-crc64ecma': crc64(body), date: new Date().toUTCString(),
};
const canned = async () => new Response(body, { status: 200, headers });
const signatureVersion = process.env.SIG === 'v1' ? 'v1' : 'v4';
const client = new OSSClient({
  endpoint: 'http://127.0.0.1:1', bucket: 'bench', accessKeyId: 'id', accessKeySecret: 'secret', signatureVersion,
  fetch: canned, ...(process.env.SUBTLE === 'web' ? {} : { subtle: nodeSubtle() }),
});

const OPS = Number(process.env.OPS ?? 20_000);
async function cpuPerOp(op: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < OPS; i++) await op();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / OPS;
}

let response = Infinity;
let get = Infinity;
for (let round = 0; round < 8; round++) {
  const r = await cpuPerOp(() => canned().then((res) => res.arrayBuffer()));
  const g = await cpuPerOp(() => client.get('k'));
  if (round === 0) continue; // warm-up
  response = Math.min(response, r);
  get = Math.min(get, g);
}
console.log(`Node ${process.version}, ${signatureVersion.toUpperCase()}, ${process.env.SUBTLE === 'web' ? 'crypto.subtle' : 'nodeSubtle'}, ${OPS} ops × 7 rounds (min)`);
console.log(`canned Response alone   ${response.toFixed(1)} µs/op`);
console.log(`client.get              ${get.toFixed(1)} µs/op`);
console.log(`oss-fetch's own work    ${(get - response).toFixed(1)} µs/op`);

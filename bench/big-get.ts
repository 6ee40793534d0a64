// Client CPU per MiB of a large buffered GET (and PUT), per contender, in interleaved rounds
// against the sink server: the focused measure behind the "large get" row of bench/run.ts.
// Usage: npx tsx bench/big-get.ts [--mib 8] [--n 6] [--rounds 5] [--op get|put] [--clients 'oss-fetch/node V4,ali-oss V4,node:http into'] [--crc64 false]
// Contenders: the signing clients ('oss-fetch/node V4', 'oss-fetch V1', 'ali-oss V4'…), 'node:http' (unsigned GET into
// Buffer.concat) and 'node:http into' (unsigned, each chunk copied into one buffer of the Content-Length: the floor).
import { parseArgs } from 'node:util';
import http from 'node:http';
import { randomFillSync } from 'node:crypto';
import { nodeEntry, root } from './package.js';
import { DEV_CREDENTIALS } from '../src/server/handler.js';
import { aliClient, parseContender } from './drivers.js';
import { startChildServer } from './local-server.js';
import { cpuDuringCollected } from './stats.js';

const { OSSClient } = root;
const { OSSClient: NodeOSSClient } = nodeEntry;

const { values } = parseArgs({ options: {
  mib: { type: 'string', default: '8' }, n: { type: 'string', default: '6' }, rounds: { type: 'string', default: '5' },
  op: { type: 'string', default: 'get' }, clients: { type: 'string', default: 'oss-fetch/node V4,oss-fetch V4,ali-oss V4' },
  crc64: { type: 'string', default: 'true' },
} });
const MiB = 1024 * 1024;
const mib = Number(values.mib), n = Number(values.n), rounds = Number(values.rounds);
const crc64 = values.crc64 !== 'false';
const BUCKET = 'bench';
const server = await startChildServer({ sink: true }, BUCKET);
try {
  const names = values.clients!.split(',');
  await new NodeOSSClient({ endpoint: server.url, bucket: BUCKET, region: 'cn-hangzhou', ...DEV_CREDENTIALS }).putBucketACL(BUCKET, 'public-read-write');
  const body = randomFillSync(new Uint8Array(mib * MiB));
  const ops = new Map<string, { put(k: string): Promise<void>; get(k: string): Promise<number> }>();
  for (const name of names) {
    const { client, sig } = parseContender(name) ?? { client: 'raw', sig: 'V4' };
    const signatureVersion = sig === 'V1' ? 'v1' : 'v4';
    if (name === 'node:http into') {
      // The floor for any client that returns one contiguous buffer: node:http copying each chunk
      // into a buffer of the Content-Length (no signing, no stream wrapping, no CRC).
      const agent = new http.Agent({ keepAlive: true });
      const url = (k: string) => `${server.url}/${BUCKET}/${k}`;
      ops.set(name, {
        put: (k) => new Promise((resolve, reject) => { const req = http.request(url(k), { method: 'PUT', agent }, (res) => { res.resume(); res.on('end', () => resolve()); }); req.on('error', reject); req.end(body); }),
        get: (k) => new Promise((resolve, reject) => { http.get(url(k), { agent }, (res) => { const out = new Uint8Array(Number(res.headers['content-length'])); let at = 0; res.on('data', (c: Buffer) => { out.set(c, at); at += c.byteLength; }); res.on('end', () => resolve(at)); res.on('error', reject); }).on('error', reject); }),
      });
      continue;
    }
    if (name === 'node:http') {
      // The floor: an unsigned node:http GET into Buffer.concat (the bucket is public-read-write).
      const agent = new http.Agent({ keepAlive: true });
      const url = (k: string) => `${server.url}/${BUCKET}/${k}`;
      ops.set(name, {
        put: (k) => new Promise((resolve, reject) => { const req = http.request(url(k), { method: 'PUT', agent }, (res) => { res.resume(); res.on('end', () => resolve()); }); req.on('error', reject); req.end(body); }),
        get: (k) => new Promise((resolve, reject) => { http.get(url(k), { agent }, (res) => { const chunks: Buffer[] = []; res.on('data', (c: Buffer) => chunks.push(c)); res.on('end', () => resolve(Buffer.concat(chunks).length)); res.on('error', reject); }).on('error', reject); }),
      });
      continue;
    }
    if (client === 'ali-oss') {
      const ali = aliClient(server.url, BUCKET, sig);
      ops.set(name, { put: async (k) => void (await ali.put(k, Buffer.from(body.buffer))), get: async (k) => (await ali.get(k)).content.length });
    } else {
      const C = client === 'oss-fetch' ? OSSClient : NodeOSSClient;
      const c = new C({ endpoint: server.url, bucket: BUCKET, region: 'cn-hangzhou', ...DEV_CREDENTIALS, signatureVersion, crc64 });
      ops.set(name, { put: async (k) => void (await c.put(k, body)), get: async (k) => (await c.get(k)).content.byteLength });
    }
  }
  const op = values.op === 'put' ? 'put' : 'get';
  for (const [name, o] of ops) await o.put(`big/${name}`); // the sink reads back zeros of the stored size
  for (const [name, o] of ops) await (op === 'put' ? o.put(`big/${name}`) : o.get(`big/${name}`)); // warm-up
  const results = new Map<string, number[]>(names.map((k) => [k, []]));
  // Fresh memory is first touched through a page fault, which costs ~20 µs per 4 KiB page on some
  // VMs: a 64 MiB result alone is then ~5 ms/MiB. 256 faults/MiB = one fresh copy of the body.
  const faults = new Map<string, number[]>(names.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]!);
    for (const name of order) {
      const o = ops.get(name)!;
      // Each contender pays for collecting its own garbage, and only its own (bench/stats.ts).
      const faultsBefore = process.resourceUsage().minorPageFault;
      const { cpuMicros } = await cpuDuringCollected(async () => {
        for (let i = 0; i < n; i++) {
          if (op === 'put') await o.put(`big/${name}`);
          else if ((await o.get(`big/${name}`)) !== mib * MiB) throw new Error('short body');
        }
      });
      results.get(name)!.push(cpuMicros / 1000 / (n * mib));
      faults.get(name)!.push((process.resourceUsage().minorPageFault - faultsBefore) / (n * mib));
    }
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  const ali = [...results].find(([k]) => k.startsWith('ali-oss'));
  console.log(`${mib} MiB ${op} ×${n}, ${rounds} rounds, crc64 ${crc64}: client CPU ms/MiB (median; min–max), page faults per MiB (median)`);
  for (const [name, runs] of results) {
    const ratio = ali ? ` ÷ ${ali[0]} ${(median(runs) / median(ali[1])).toFixed(2)}×` : '';
    console.log(`  ${name.padEnd(20)} ${median(runs).toFixed(2)}  (${Math.min(...runs).toFixed(2)}–${Math.max(...runs).toFixed(2)})  ${median(faults.get(name)!).toFixed(0)} faults/MiB${ratio}`);
  }
} finally {
  await server.stop();
}

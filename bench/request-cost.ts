// Where a small request's CPU goes: client and server CPU per 1 KiB GET, layer by layer, against
// one local server (sink mode, child process), 32 in flight. Client CPU from
// process.cpuUsage(), server CPU from /proc/<pid>/stat (Linux). Median of 5 interleaved rounds.
// Run: npx tsx bench/request-cost.ts
import { readFileSync } from 'node:fs';
// @ts-expect-error ali-oss ships no types
import OSS from 'ali-oss';
import { nodeEntry, root } from './package.js';
import { DEV_CREDENTIALS } from '../src/server/handler.js';
import { startChildServer } from './local-server.js';
import { rawNodeHttpDriver } from './drivers.js';

const { OSSClient } = root;
const { OSSClient: NodeOSSClient, nodeFetch } = nodeEntry;

const BUCKET = 'cost';
const OPS = 4000;
const ROUNDS = 5;
const server = await startChildServer({ sink: true }, BUCKET);
const options = { endpoint: server.url, bucket: BUCKET, region: 'cn-hangzhou', ...DEV_CREDENTIALS };
const portable = new OSSClient(options);
const node = new NodeOSSClient(options);
// The same client and transport behind a plain function: the core cannot take nodeFetch's own abort
// controllers (core/transport-shortcuts.ts) and makes an AbortSignal per request, as before they existed.
const nodeForAbortSignals = nodeFetch();
const nodeWithAbortSignals = new NodeOSSClient({ ...options, fetch: (input, init) => nodeForAbortSignals(input, init) });
const ali = new OSS({ ...options, region: 'oss-cn-hangzhou' });
await portable.putBucketACL(BUCKET, 'public-read-write'); // the unsigned layers read it too
await portable.put('k', new Uint8Array(1024));

const url = `${server.url}/${BUCKET}/k`;
const viaNodeHttp = rawNodeHttpDriver(server.url, BUCKET);
const viaNodeFetch = nodeFetch();
const layers: Record<string, () => Promise<unknown>> = {
  'node:http (unsigned)': () => viaNodeHttp.get('k'),
  'nodeFetch (unsigned)': () => viaNodeFetch(url).then((r) => r.arrayBuffer()),
  'fetch (unsigned)': () => fetch(url).then((r) => r.arrayBuffer()),
  'oss-fetch/node': () => node.get('k'),
  'oss-fetch/node, an AbortSignal per request': () => nodeWithAbortSignals.get('k'),
  'oss-fetch': () => portable.get('k'),
  'ali-oss': () => ali.get('k'),
};

/** Server CPU time in µs (utime + stime, clock ticks of 10 ms). */
function serverCpu(): number {
  const fields = readFileSync(`/proc/${server.process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function measure(op: () => Promise<unknown>): Promise<{ client: number; server: number }> {
  let next = 0;
  const clientBefore = process.cpuUsage();
  const serverBefore = serverCpu();
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next++ < OPS) await op();
  }));
  const used = process.cpuUsage(clientBefore);
  return { client: (used.user + used.system) / OPS, server: (serverCpu() - serverBefore) / OPS };
}

const results: Record<string, Array<{ client: number; server: number }>> = {};
for (const op of Object.values(layers)) await measure(op); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, op] of Object.entries(layers)) (results[name] ??= []).push(await measure(op));
}
await server.stop();

const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`Node ${process.version}, 1 KiB GET, 32 in flight, ${OPS} ops × ${ROUNDS} rounds (median)\n`);
console.log('| layer | client CPU µs/op | server CPU µs/op |\n|---|---:|---:|');
for (const [name, runs] of Object.entries(results)) {
  console.log(`| ${name} | ${median(runs.map((r) => r.client)).toFixed(0)} | ${median(runs.map((r) => r.server)).toFixed(0)} |`);
}

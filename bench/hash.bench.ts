// Throughput of the hash modules over a 64 MiB random buffer, median of 5 timed runs after a
// warm-up. MB = 10^6 bytes. Run: npx tsx bench/hash.bench.ts
import { createHash } from 'node:crypto';
import { Crc64, setCrc64Wasm } from '../src/core/crc64.js';
import { Md5 } from '../src/core/md5.js';

const SIZE = 64 << 20;
const RUNS = 5;
const buf = new Uint8Array(SIZE);
for (let o = 0; o < SIZE; o += 65536) crypto.getRandomValues(buf.subarray(o, o + 65536));

/** Median MB/s of fn over buf; the result is kept so the work can't be optimised away. */
function measure(fn: (data: Uint8Array) => unknown): { mbps: number; out: unknown } {
  // Warm up on small slices first: a single 64 MiB call would leave V8 running on-stack-
  // replaced code with partial type feedback, which measures the JIT rather than the hash.
  for (let i = 0; i < 20; i++) fn(buf.subarray(0, (1 << 20) + i)); // odd lengths too
  let out = fn(buf);
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    out = fn(buf);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { mbps: SIZE / 1e6 / (times[RUNS >> 1]! / 1000), out };
}

// Baseline: byte-at-a-time, one 256-entry table, BigInt-free (two uint32 halves).
const NAIVE_LO = new Uint32Array(256);
const NAIVE_HI = new Uint32Array(256);
for (let b = 0; b < 256; b++) {
  let lo = b;
  let hi = 0;
  for (let k = 0; k < 8; k++) {
    const m = -(lo & 1);
    lo = ((lo >>> 1) | (hi << 31)) ^ (0xd7870f42 & m);
    hi = (hi >>> 1) ^ (0xc96c5795 & m);
  }
  NAIVE_LO[b] = lo;
  NAIVE_HI[b] = hi;
}
function naiveCrc64(data: Uint8Array): string {
  let lo = ~0;
  let hi = ~0;
  for (let i = 0; i < data.length; i++) {
    const j = (lo ^ data[i]!) & 0xff;
    lo = NAIVE_LO[j]! ^ ((lo >>> 8) | (hi << 24));
    hi = NAIVE_HI[j]! ^ (hi >>> 8);
  }
  return ((BigInt(~hi >>> 0) << 32n) | BigInt(~lo >>> 0)).toString();
}

const chunked = (chunk: number) => (data: Uint8Array) => {
  const c = new Crc64();
  for (let o = 0; o < data.length; o += chunk) c.update(data.subarray(o, o + chunk));
  return c.toString();
};

const wasm = await setCrc64Wasm(true);
const rows: [string, number, unknown][] = [];
const add = (name: string, fn: (data: Uint8Array) => unknown) => {
  const { mbps, out } = measure(fn);
  rows.push([name, mbps, out]);
};
add(`crc64 ${wasm ? 'wasm' : 'js'} (default)`, (d) => new Crc64().update(d).toString());
add(`crc64 ${wasm ? 'wasm' : 'js'}, 64 KiB chunks`, chunked(65536));
await setCrc64Wasm(false);
add('crc64 js slicing-by-8', (d) => new Crc64().update(d).toString());
add('crc64 js, 64 KiB chunks', chunked(65536));
await setCrc64Wasm(true);
add('crc64 naive byte table', naiveCrc64);
add('md5 oss-fetch', (d) => new Md5().update(d).digest());
add('md5 node:crypto', (d) => createHash('md5').update(d).digest());

// Same input, same answer: a bench of a wrong hash is worthless.
const crcs = new Set(rows.filter(([n]) => n.startsWith('crc64')).map(([, , o]) => o));
const md5s = new Set(rows.filter(([n]) => n.startsWith('md5')).map(([, , o]) => Buffer.from(o as Uint8Array).toString('hex')));
if (crcs.size !== 1 || md5s.size !== 1) throw new Error('implementations disagree');

const naive = rows.find(([n]) => n.startsWith('crc64 naive'))![1];
const nodeMd5 = rows.find(([n]) => n === 'md5 node:crypto')![1];
console.log(`${process.version}, ${SIZE >> 20} MiB, median of ${RUNS}`);
console.log('| hash | MB/s | ratio |');
console.log('|---|---:|---:|');
for (const [name, mbps] of rows) {
  const base = name.startsWith('md5') ? nodeMd5 : naive;
  const label = name.startsWith('md5') ? 'vs node:crypto' : 'vs naive';
  console.log(`| ${name} | ${mbps.toFixed(0)} | ${(mbps / base).toFixed(2)}x ${label} |`);
}

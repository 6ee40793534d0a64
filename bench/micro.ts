// CPU-only contenders: header signing (V4 and V1) and CRC-64, no server involved.
// @ts-expect-error ali-oss ships no types
import signUtils from 'ali-oss/lib/common/signUtils.js';
import { nodeSubtle } from '../src/adapters/node-subtle.js';
import { signV1Header } from '../src/core/sign-v1.js';
import { signV4Header } from '../src/core/sign-v4.js';
import { Crc64, loadCrc64Wasm } from '../src/core/crc64.js';
import { DEV_CREDENTIALS } from '../src/server/handler.js';
import type { Measured } from './stats.js';

const { accessKeyId, accessKeySecret } = DEV_CREDENTIALS;
const BATCH = 64; // signatures in flight at once, as concurrent requests would ask for them

/** Calls per second of `fn`, run in batches for about `ms` milliseconds, and CPU µs per call. */
async function rate(ms: number, fn: () => unknown): Promise<Measured> {
  let n = 0;
  const started = performance.now();
  const before = process.cpuUsage();
  while (performance.now() - started < ms) {
    await Promise.all(Array.from({ length: BATCH }, fn));
    n += BATCH;
  }
  const used = process.cpuUsage(before);
  return { value: n / ((performance.now() - started) / 1000), cpu: (used.user + used.system) / n };
}

function requestHeaders(date: Date): Record<string, string> {
  return {
    'content-type': 'application/octet-stream',
    'content-md5': 'XrY7u+Ae7tCTyyK7j1rNww==',
    'x-oss-date': date.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, ''),
    'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
    'x-oss-meta-owner': 'bench',
  };
}

/** oss-fetch on the platform's crypto.subtle, oss-fetch/node on nodeSubtle, ali-oss on node:crypto. */
export type Signer = 'oss-fetch' | 'oss-fetch/node' | 'ali-oss';
const viaNodeCrypto = nodeSubtle();
const subtleOf = (who: Signer) => (who === 'oss-fetch/node' ? viaNodeCrypto : undefined);

/** V4 Authorization headers per second for a PUT of one object. */
export function signV4Rate(who: Signer, ms: number): Promise<Measured> {
  const date = new Date();
  const headers = requestHeaders(date);
  if (who !== 'ali-oss') {
    const subtle = subtleOf(who);
    return rate(ms, () => signV4Header({ method: 'PUT', bucket: 'bench', key: 'dir/object.bin', headers, accessKeyId, accessKeySecret, region: 'cn-hangzhou', date }, subtle));
  }
  return rate(ms, () => signUtils.authorizationV4(accessKeyId, accessKeySecret, 'cn-hangzhou', 'PUT', { headers: { ...headers }, queries: {} }, 'bench', 'dir/object.bin'));
}

/** V1 Authorization headers per second for the same PUT. */
export function signV1Rate(who: Signer, ms: number): Promise<Measured> {
  const date = new Date();
  const headers = { ...requestHeaders(date), 'x-oss-date': date.toUTCString() };
  if (who !== 'ali-oss') {
    const subtle = subtleOf(who);
    return rate(ms, () => signV1Header({ method: 'PUT', bucket: 'bench', key: 'dir/object.bin', headers, accessKeyId, accessKeySecret }, subtle));
  }
  return rate(ms, () => {
    const canonical = signUtils.buildCanonicalString('PUT', '/bench/dir/object.bin', { headers: { ...headers } });
    return signUtils.authorization(accessKeyId, accessKeySecret, canonical, 'utf-8');
  });
}

/** MB/s of CRC-64 over a random buffer, median of `runs` after a warm-up (as bench/hash.bench.ts), on the wasm kernel a big input loads. */
export async function crc64Rate(bytes: number, runs: number): Promise<number[]> {
  await loadCrc64Wasm();
  const buf = new Uint8Array(bytes);
  for (let o = 0; o < bytes; o += 65536) crypto.getRandomValues(buf.subarray(o, o + 65536));
  for (let i = 0; i < 20; i++) new Crc64().update(buf.subarray(0, (1 << 20) + i));
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    new Crc64().update(buf).toString();
    out.push(bytes / 1e6 / ((performance.now() - t) / 1000));
  }
  return out;
}


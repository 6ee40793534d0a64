// The soak: many concurrent uploads (some multipart) against the fs-backed server over HTTP while
// ~10% of requests are faulted, a reader polling list/get the whole time. Shared by `npm run soak`
// (full size) and test/integration/soak-small.test.ts (reduced size inside npm test).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OSSClient, OSSError } from '../../src/index.js';
import { crc64 } from '../../src/core/crc64.js';
import { startServer, type FaultRule } from '../../src/server/index.js';

export interface SoakOptions {
  uploads: number;
  workers: number;
  /** Share of eligible requests (object PUTs and reader GETs) that get a fault; 0.16 faults ~10% of all requests. */
  faultRate?: number;
  /** Share of uploads sent with multipartUpload. */
  multipartRate?: number;
  /** Largest single-PUT object (bytes; default 200,000). */
  maxPutSize?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface SoakReport {
  uploads: number;
  multipart: number;
  bytes: number;
  requests: number;
  faultsInjected: number;
  faultsByKind: Record<string, number>;
  retries: number;
  readerChecks: number;
  readerCrcErrors: number;
  /**
   * Whole objects the reader saw holding bytes a `corrupt` request fault flipped in transit: the
   * server stored what it received, and the object stays visible until the client's CRC check
   * sends it again. Counted, not a failure; any other difference is.
   */
  transitCorruptSeen: number;
  /** Objects the reader saw with other bytes than were uploaded: must stay empty. */
  partialSeen: string[];
  /** Objects missing or different at the end: must stay empty. */
  badAtEnd: string[];
  ms: number;
}

/** mulberry32: a small seeded PRNG, so a failing run can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(size: number, random: () => number): Uint8Array {
  const out = new Uint8Array(size);
  let x = (random() * 2 ** 32) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const equal = (a: Uint8Array, b: Uint8Array) => a.byteLength === b.byteLength && a.every((v, i) => v === b[i]);

/** The fault for an eligible request: request-side ones only when there is a body to act on. */
function pickFault(method: string, size: number, random: () => number): FaultRule {
  if (method === 'GET') return { kind: 'corrupt', method, afterBytes: Math.floor(random() * 64) };
  const kinds: FaultRule[] = [
    { kind: 'status', status: 500, method },
    { kind: 'status', status: 503, method },
    { kind: 'reset', method }, // after the op ran: the reply is lost
  ];
  if (size > 0) {
    kinds.push({ kind: 'reset', method, requestBytes: Math.floor(random() * size) });
    kinds.push({ kind: 'corrupt', method, requestBytes: Math.floor(random() * size) });
  }
  return kinds[Math.floor(random() * kinds.length)]!;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const { uploads, workers, faultRate = 0.16, multipartRate = 0.1, maxPutSize = 200_000, seed = 7, log = () => {} } = options;
  const random = prng(seed);
  const dir = await mkdtemp(join(tmpdir(), 'oss-soak-'));
  const server = await startServer({ dir });
  const bucket = 'soak';
  const faults = server.handler.state.faults;
  const expected = new Map<string, Uint8Array>();
  const report: SoakReport = {
    uploads, multipart: 0, bytes: 0, requests: 0, faultsInjected: 0, faultsByKind: {}, retries: 0,
    readerChecks: 0, readerCrcErrors: 0, transitCorruptSeen: 0, partialSeen: [], badAtEnd: [], ms: 0,
  };
  let faulting = true;
  const corruptedInTransit = new Set<string>();

  // Counts every request; queues a fault for ~faultRate of object PUTs and GETs, pinned to the key
  // (each key belongs to one worker, so the rule hits the request about to be sent).
  const countingFetch: typeof fetch = (input, init) => {
    report.requests += 1;
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const key = decodeURIComponent(url.pathname.replace(`/${bucket}/`, ''));
    if (faulting && key.startsWith('obj/') && (method === 'PUT' || method === 'GET') && random() < faultRate) {
      const body = init?.body;
      const size = body instanceof Uint8Array ? body.byteLength : body instanceof Blob ? body.size : 0;
      const rule = pickFault(method, size, random);
      if (rule.kind === 'corrupt' && rule.requestBytes !== undefined) corruptedInTransit.add(key);
      faults.add({ ...rule, keyPrefix: key });
    }
    return fetch(input, init);
  };
  const client = new OSSClient({
    ...server.clientOptions, bucket, fetch: countingFetch, retries: 8, retryDelay: 5, maxRetryDelay: 40, timeout: 20_000,
    onRetry: () => void (report.retries += 1),
  });

  const t0 = performance.now();
  try {
    await client.putBucket(bucket);
    const plan = Array.from({ length: uploads }, (_, i) => {
      const multipart = random() < multipartRate;
      const size = multipart ? 250_000 + Math.floor(random() * 400_000) : Math.floor(random() * maxPutSize);
      return { key: `obj/${String(i).padStart(6, '0')}.bin`, multipart, data: randomBytes(size, random) };
    });
    let next = 0;
    let writing = true;

    const worker = async () => {
      while (next < plan.length) {
        const { key, multipart, data } = plan[next++]!;
        expected.set(key, data);
        if (multipart) {
          report.multipart += 1;
          await client.multipartUpload(key, data, { partSize: 102_400, parallel: 3 });
        } else {
          await client.put(key, data);
        }
        report.bytes += data.byteLength;
      }
    };

    // Whatever list/get shows during the run must be a whole object: right size, right bytes.
    const reader = async () => {
      while (writing) {
        const { objects } = await client.list({ prefix: 'obj/', 'max-keys': 1000 }).catch(() => ({ objects: [] }));
        for (const object of objects.slice(0, 20)) {
          const want = expected.get(object.name);
          report.readerChecks += 1;
          if (!want || object.size !== want.byteLength) {
            report.partialSeen.push(`${object.name} listed with size ${object.size}`);
            continue;
          }
          try {
            const { content } = await client.get(object.name);
            if (equal(content, want)) continue;
            if (content.byteLength === want.byteLength && corruptedInTransit.has(object.name)) report.transitCorruptSeen += 1;
            else report.partialSeen.push(`${object.name} read with other bytes (${content.byteLength} of ${want.byteLength}; first difference at ${content.findIndex((v, i) => v !== want[i])})`);
          } catch (err) {
            if (err instanceof OSSError && err.code === 'CRC64Mismatch') report.readerCrcErrors += 1;
            else throw err;
          }
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    };

    const readerDone = reader();
    await Promise.all(Array.from({ length: workers }, worker)).finally(() => (writing = false));
    await readerDone;

    // The end state, without faults: every object present, its stored CRC-64 and bytes the ones sent.
    faulting = false;
    faults.clear();
    for (const [key, data] of expected) {
      const got = await client.get(key).catch((err: unknown) => err as Error);
      if (got instanceof Error) report.badAtEnd.push(`${key}: ${got.name}`);
      else if (!equal(got.content, data) || got.res.headers['x-oss-hash-crc64ecma'] !== crc64(data)) {
        report.badAtEnd.push(`${key}: other bytes`);
      }
    }
    const names = new Set<string>();
    for await (const entry of client.listAll({ prefix: 'obj/' })) names.add(entry.name);
    for (const key of expected.keys()) if (!names.has(key)) report.badAtEnd.push(`${key}: not listed`);
    if (names.size !== expected.size) report.badAtEnd.push(`${names.size} objects listed, ${expected.size} uploaded`);
  } finally {
    report.ms = Math.round(performance.now() - t0);
    report.faultsInjected = faults.stats.injected;
    report.faultsByKind = { ...faults.stats.byKind };
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  log(formatReport(report));
  return report;
}

export function formatReport(r: SoakReport): string {
  const kinds = Object.entries(r.faultsByKind).map(([k, n]) => `${k} ${n}`).join(', ');
  return [
    `uploads ${r.uploads} (${r.multipart} multipart), ${(r.bytes / 1e6).toFixed(1)} MB`,
    `requests ${r.requests}, faults injected ${r.faultsInjected} (${kinds}), retries ${r.retries}`,
    `reader checks ${r.readerChecks}, corrupted reads caught by CRC ${r.readerCrcErrors}, objects seen with in-transit-corrupted bytes before their re-upload ${r.transitCorruptSeen}, partial objects seen ${r.partialSeen.length}`,
    `bad at end ${r.badAtEnd.length}, time ${(r.ms / 1000).toFixed(1)} s`,
  ].join('\n');
}

// Download progress (issue 18): `onProgress` on get, getStream, get into a WritableStream and
// oss-fetch/node's getFile, with the shape of upload progress: bytes so far, never backwards (also
// across a resumed download), total from Content-Length, and 100% only once the whole body arrived
// and was checked. Over HTTP against the local server, with faults injected into its responses.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient, OSSCore, get, type UploadProgress } from '../../src/index.js';
import { OSSClient as NodeClient, getFile } from '../../src/adapters/node.js';
import type { StartedServer } from '../../src/server/index.js';
import { creds, httpServer, uniqueBucket } from '../helpers/server.js';

const bytes = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => (i * 31 + seed) % 251);
/** Byte equality without vitest's element-by-element diff (slow on megabytes). */
const same = (a: Uint8Array, b: Uint8Array) => expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b)).toBe(true);

/** Events are monotone, below 100% until the last one, which is the one 100% for `total`. */
function checkProgress(events: UploadProgress[], total: number | undefined, size: number) {
  expect(events.length).toBeGreaterThan(1);
  for (let i = 1; i < events.length; i++) expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
  for (const e of events.slice(0, -1)) {
    expect(e.total).toBe(total);
    if (e.percent !== undefined) expect(e.percent).toBeLessThan(100);
  }
  expect(events.at(-1)).toEqual({ loaded: size, total: size, percent: 100 });
}

describe('download progress', () => {
  let server: StartedServer;
  let client: OSSClient;
  const bucket = uniqueBucket('dlprog');
  const data = bytes(1_200_003);

  beforeAll(async () => {
    server = await httpServer({ admin: true });
    client = new OSSClient({ ...creds, endpoint: server.url, region: 'cn-hangzhou', bucket, retryDelay: 1 });
    await client.putBucket(bucket);
    await client.put('big.bin', data);
    await client.put('small.txt', 'hello');
  });
  afterAll(async () => server?.close());
  beforeEach(() => server.handler.state.faults.clear());

  it('get: bytes as they arrive, 100% once the whole body is read and checked', async () => {
    const events: UploadProgress[] = [];
    const { content } = await client.get('big.bin', { onProgress: (p) => events.push(p) });
    same(content, data);
    checkProgress(events, data.length, data.length);
  });

  it('get of a small object and of a range: total is the body\'s length', async () => {
    const small: UploadProgress[] = [];
    await client.get('small.txt', { onProgress: (p) => small.push(p) });
    expect(small.at(-1)).toEqual({ loaded: 5, total: 5, percent: 100 });
    const range: UploadProgress[] = [];
    const { content } = await client.get('big.bin', { headers: { Range: 'bytes=100-700099' }, onProgress: (p) => range.push(p) });
    expect(content.length).toBe(700_000);
    checkProgress(range, 700_000, 700_000);
  });

  it('a 304 is complete at once: one 100% event of 0 bytes', async () => {
    const { res } = await client.head('small.txt');
    const events: UploadProgress[] = [];
    const unchanged = await client.get('small.txt', { headers: { 'If-None-Match': res.headers.etag! }, onProgress: (p) => events.push(p) });
    expect(unchanged.res.status).toBe(304);
    expect(events).toEqual([{ loaded: 0, total: 0, percent: 100 }]);
  });

  it('getStream: progress follows the reader; no 100% until the stream has ended', async () => {
    const events: UploadProgress[] = [];
    const { stream } = await client.getStream('big.bin', { onProgress: (p) => events.push(p) });
    const reader = stream.getReader();
    let read = 0;
    while (read < 300_000) read += (await reader.read()).value!.byteLength;
    expect(events.at(-1)!.loaded).toBeLessThanOrEqual(read + 256 * 1024); // at most what the stream read ahead
    expect(events.some((e) => e.percent === 100)).toBe(false);
    for (;;) if ((await reader.read()).done) break;
    checkProgress(events, data.length, data.length);
  });

  it('get into a WritableStream, and oss-fetch/node\'s getFile', async () => {
    const events: UploadProgress[] = [];
    const chunks: Uint8Array[] = [];
    await client.get('big.bin', { writable: new WritableStream({ write: (c) => void chunks.push(c) }), onProgress: (p) => events.push(p) });
    checkProgress(events, data.length, data.length);
    const dir = await mkdtemp(join(tmpdir(), 'dlprog-'));
    try {
      const node = new NodeClient({ ...creds, endpoint: server.url, region: 'cn-hangzhou', bucket });
      const fileEvents: UploadProgress[] = [];
      await getFile(node, 'big.bin', join(dir, 'big.bin'), { onProgress: (p) => fileEvents.push(p) });
      const viaGet: UploadProgress[] = [];
      await node.get('big.bin', join(dir, 'again.bin'), { onProgress: (p) => viaGet.push(p) }); // ali-oss's get(name, file)
      checkProgress(viaGet, data.length, data.length);
      same(await readFile(join(dir, 'big.bin')), data);
      checkProgress(fileEvents, data.length, data.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a download resumed after a reset mid-body goes on from where it was, never backwards', async () => {
    server.handler.state.faults.add({ kind: 'reset', afterBytes: 500_000, method: 'GET', keyPrefix: 'big', count: 1 });
    const events: UploadProgress[] = [];
    const { stream } = await client.getStream('big.bin', { onProgress: (p) => events.push(p) });
    same(new Uint8Array(await new Response(stream).arrayBuffer()), data);
    expect(server.handler.state.faults.stats.injected).toBeGreaterThan(0);
    checkProgress(events, data.length, data.length);
  });

  it('a download that fails (a CRC-64 mismatch) never reports 100%', async () => {
    server.handler.state.faults.add({ kind: 'corrupt', afterBytes: 600_000, method: 'GET', keyPrefix: 'big', count: 10 });
    const events: UploadProgress[] = [];
    await expect(new OSSClient({ ...creds, endpoint: server.url, region: 'cn-hangzhou', bucket, retries: 0 }).get('big.bin', { onProgress: (p) => events.push(p) }))
      .rejects.toMatchObject({ name: 'CRC64MismatchError' });
    expect(events.length).toBeGreaterThan(0);
    expect(events.some((e) => e.percent === 100)).toBe(false);
  });

  it('a body of unknown length (stored gzip, which fetch decodes): no total until the end, then 100% of what arrived', async () => {
    // Content-Length counts the stored (compressed) bytes, not the decoded ones the reader gets.
    const text = new TextEncoder().encode('progress without a length '.repeat(40_000));
    await client.put('zipped.txt', gzipSync(text), { headers: { 'Content-Encoding': 'gzip' }, mime: 'text/plain' });
    for (const c of [client, new NodeClient({ ...creds, endpoint: server.url, region: 'cn-hangzhou', bucket })]) {
      const events: UploadProgress[] = [];
      const { content } = await c.get('zipped.txt', { onProgress: (p) => events.push(p) });
      same(content, text);
      checkProgress(events, undefined, text.length);
      for (const e of events.slice(0, -1)) expect(e.percent).toBeUndefined();
    }
  });

  it('a bad onProgress is refused before anything is sent; a bare OSSCore reports progress too', async () => {
    await expect(client.get('small.txt', { onProgress: 42 as never })).rejects.toBeInstanceOf(OSSArgumentError);
    await expect(client.getStream('small.txt', { onProgress: 'x' as never })).rejects.toBeInstanceOf(OSSArgumentError);
    const core = new OSSCore({ ...creds, endpoint: server.url, region: 'cn-hangzhou', bucket });
    const events: UploadProgress[] = [];
    await get(core, 'big.bin', { onProgress: (p) => events.push(p) });
    checkProgress(events, data.length, data.length);
  });
});

// Upload progress of put and multipartUpload over HTTP: XMLHttpRequest where it exists (happy-dom's,
// against the real server), bytes counted through the body stream elsewhere, and the fallback
// when a runtime refuses streamed request bodies (Chromium over HTTP/1.1).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { OSSClient, OSSError, requestStreamsSupported, type UploadProgress } from '../../src/index.js';
import { crc64 } from '../../src/core/crc64.js';
import { createHandler } from '../../src/server/handler.js';
import { creds, httpServer } from '../helpers/server.js';
import type { StartedServer } from '../../src/server/index.js';

const KB = 1024;
const bytes = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => (i * 7 + seed) % 253);

function checkProgress(events: UploadProgress[], total: number) {
  for (let i = 1; i < events.length; i++) expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
  expect(events.slice(0, -1).every((e) => e.percent === undefined || e.percent <= 99)).toBe(true);
  expect(events.at(-1)).toEqual({ loaded: total, total, percent: 100 });
}

/** `data` as a stream of `size`-byte chunks, read only on demand. */
function chunked(data: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= data.length) return controller.close();
      controller.enqueue(data.slice(offset, (offset += size)));
    },
  }, { highWaterMark: 0 });
}

let server: StartedServer;
const bucket = 'progress-b';
beforeAll(async () => {
  server = await httpServer({ buckets: [bucket] });
  const admin = new OSSClient({ ...server.clientOptions, bucket });
  await admin.putBucketCORS(bucket, [{ allowedOrigin: '*', allowedMethod: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'], allowedHeader: '*', exposeHeader: ['ETag', 'x-oss-request-id', 'x-oss-hash-crc64ecma'] }]);
});
afterAll(async () => server.close());

describe('through XMLHttpRequest (happy-dom window, real server)', () => {
  let window: Window;
  let opened: string[];
  beforeAll(() => {
    window = new Window({ url: 'http://localhost:5173/' });
    opened = [];
    const Base = window.XMLHttpRequest;
    // Counts what went through XHR; everything else is happy-dom's own implementation.
    (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest = class extends Base {
      override open(method: string, url: string) {
        opened.push(`${method} ${new URL(url).search}`);
        super.open(method, url);
      }
    };
  });
  afterAll(async () => {
    delete (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest;
    await window.happyDOM.close();
  });
  afterEach(() => {
    opened.length = 0;
  });

  it('put with onProgress goes through XHR and returns what the fetch path returns', async () => {
    const client = new OSSClient({ ...server.clientOptions, bucket });
    const data = bytes(300 * KB);
    const events: UploadProgress[] = [];
    // happy-dom's XHR takes its own Blob class, not Node's: bytes are what both understand.
    const viaXhr = await client.put('x/a.bin', data, { onProgress: (p) => events.push(p), meta: { via: 'xhr' } });
    expect(opened).toEqual(['PUT ']);
    const viaFetch = await client.put('x/b.bin', data);
    expect(viaXhr.etag).toBe(viaFetch.etag);
    expect(viaXhr.res.status).toBe(200);
    expect(viaXhr.res.headers['x-oss-hash-crc64ecma']).toBe(crc64(data));
    expect((await client.head('x/a.bin')).meta).toEqual({ via: 'xhr' });
    expect(events.at(-1)).toEqual({ loaded: data.length, total: data.length, percent: 100 });
  });

  it('errors are the fetch path\'s errors: OSS errors with details, aborts, timeouts', async () => {
    const client = new OSSClient({ ...server.clientOptions, bucket });
    const progress = { onProgress: () => {} };
    await client.put('x/e', 'first');
    const clash = { forbidOverwrite: true, headers: { 'x-oss-storage-class': 'Bogus' } };
    const fromXhr = await client.put('x/e', 'x', { ...progress, ...clash }).catch((e: OSSError) => e);
    const fromFetch = await client.put('x/e', 'x', clash).catch((e: OSSError) => e);
    expect(opened).toHaveLength(1);
    expect(fromXhr).toBeInstanceOf(OSSError);
    const pick = (e: OSSError) => ({ name: e.name, code: e.code, status: e.status, details: e.details, message: e.message });
    expect(pick(fromXhr as OSSError)).toEqual(pick(fromFetch as OSSError));
    expect(fromXhr).toMatchObject({ name: 'InvalidArgumentError', status: 400, details: { ArgumentName: 'x-oss-storage-class', ArgumentValue: 'Bogus' } });
    expect((fromXhr as OSSError).requestId).toMatch(/^[0-9A-F]{24}$/);
    await expect(client.put('x/e', 'x', { ...progress, forbidOverwrite: true })).rejects.toMatchObject({ name: 'FileAlreadyExistsError', status: 409 });

    const bad = new OSSClient({ ...server.clientOptions, accessKeySecret: 'wrong', bucket });
    const sig = (await bad.put('x/s', 'x', progress).catch((e: unknown) => e)) as OSSError;
    expect(sig).toMatchObject({ name: 'SignatureDoesNotMatchError', status: 403 });
    expect(sig.details.StringToSign).toBeTruthy();

    const controller = new AbortController();
    const aborted = client.put('x/abort', bytes(64 * KB), { onProgress: () => {}, signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError', code: 'RequestAborted' });

    server.handler.state.faults.add({ kind: 'stall', method: 'PUT', keyPrefix: 'x/slow', ms: 5_000 });
    const slow = new OSSClient({ ...server.clientOptions, bucket, timeout: 150, retries: 0 });
    await expect(slow.put('x/slow', 'x', progress)).rejects.toMatchObject({ name: 'TimeoutError' });
    server.handler.state.faults.clear();
  });

  it('multipartUpload sends its parts through XHR', async () => {
    const client = new OSSClient({ ...server.clientOptions, bucket });
    const data = bytes(350 * KB, 3);
    const events: UploadProgress[] = [];
    const result = await client.multipartUpload('x/big.bin', data, { partSize: 100 * KB, parallel: 2, onProgress: (p) => events.push(p) });
    const parts = opened.filter((o) => o.startsWith('PUT ?partNumber=')).map((o) => Number(/partNumber=(\d+)/.exec(o)![1]));
    expect(parts.sort()).toEqual([1, 2, 3, 4]);
    expect(result.crc64).toBe(crc64(data));
    const got = await client.get('x/big.bin');
    expect(got.content.length).toBe(data.length);
    expect(crc64(got.content)).toBe(crc64(data));
    checkProgress(events, data.length);
  });

  it('a ReadableStream body, which XHR cannot send, is counted through the stream instead', async () => {
    const client = new OSSClient({ ...server.clientOptions, bucket });
    const data = bytes(200 * KB, 5);
    const events: UploadProgress[] = [];
    await client.put('x/stream.bin', chunked(data, 16 * KB), { onProgress: (p) => events.push(p) });
    expect(opened).toEqual([]);
    expect(events.length).toBeGreaterThan(1);
    checkProgress(events, data.length);
  });
});

describe('counted through the body stream (no XMLHttpRequest)', () => {
  it('put of a Blob reports many steps and reaches 100% only after the reply', async () => {
    expect(typeof (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest).toBe('undefined');
    expect(requestStreamsSupported()).toBe(true);
    const client = new OSSClient({ ...server.clientOptions, bucket });
    const data = bytes(2 * 1024 * KB, 9);
    const events: UploadProgress[] = [];
    const order: string[] = [];
    const put = await client.put('n/blob.bin', new Blob([data]), {
      onProgress: (p) => {
        events.push(p);
        if (p.percent === 100) order.push('100%');
      },
    }).then((r) => {
      order.push('resolved');
      return r;
    });
    expect(order).toEqual(['100%', 'resolved']);
    expect(put.res.headers['x-oss-hash-crc64ecma']).toBe(crc64(data));
    expect(events.length).toBeGreaterThan(10);
    checkProgress(events, data.length);
    const head = await client.head('n/blob.bin');
    expect(head.res.headers['content-length']).toBe(String(data.length));
  });

  it('put of a stream of unknown length: no total or percent until it ends', async () => {
    const client = new OSSClient({ ...server.clientOptions, bucket });
    const data = bytes(500 * KB, 11);
    const events: UploadProgress[] = [];
    await client.put('n/stream.bin', chunked(data, 32 * KB), { onProgress: (p) => events.push(p) });
    expect(events.slice(0, -1).every((e) => e.total === undefined && e.percent === undefined)).toBe(true);
    expect(events.length).toBeGreaterThan(2);
    checkProgress(events, data.length);
  });

  it('each retry counts again from zero, and progress stays monotonic', async () => {
    const handler = createHandler({ buckets: ['retry-b'] });
    const client = new OSSClient({ ...creds, endpoint: 'http://127.0.0.1:1', bucket: 'retry-b', retryDelay: 1, fetch: (input, init) => handler(new Request(input, init)) });
    handler.state.faults.add({ kind: 'reset', requestBytes: 300 * KB, method: 'PUT' });
    const data = bytes(700 * KB, 21);
    const events: UploadProgress[] = [];
    const put = await client.put('r/blob.bin', new Blob([data]), { onProgress: (p) => events.push(p) });
    expect(handler.state.faults.stats.injected).toBe(1);
    expect(put.res.headers['x-oss-hash-crc64ecma']).toBe(crc64(data));
    expect(events.some((e) => e.loaded >= 300 * KB && e.loaded < data.length)).toBe(true);
    checkProgress(events, data.length);
  });

  it('falls back to a whole body where streamed bodies are refused, and never reads a stream it cannot send', async () => {
    let streamed = 0;
    // Chromium over HTTP/1.1: fetch rejects a ReadableStream body with a TypeError before reading it.
    const refusing: typeof fetch = async (input, init) => {
      if (init?.body instanceof ReadableStream) {
        streamed++;
        throw new TypeError('Failed to fetch');
      }
      return fetch(input, init);
    };
    const client = new OSSClient({ ...server.clientOptions, bucket, fetch: refusing });
    const data = bytes(300 * KB, 13);
    const events: UploadProgress[] = [];
    const first = await client.put('n/fallback.bin', new Blob([data]), { onProgress: (p) => events.push(p) });
    expect(first.res.headers['x-oss-hash-crc64ecma']).toBe(crc64(data));
    expect(streamed).toBe(1);
    expect(events).toEqual([{ loaded: data.length, total: data.length, percent: 100 }]);
    await client.put('n/fallback2.bin', data, { onProgress: () => {} });
    expect(streamed).toBe(1); // the origin is remembered

    let pulled = 0;
    const stream = chunked(data, 16 * KB).pipeThrough(new TransformStream({ transform: (c, ctl) => ((pulled += c.length), ctl.enqueue(c)) }));
    const err = await client.put('n/never.bin', stream, { onProgress: () => {} }).catch((e: Error) => e);
    expect(String((err as Error).message)).toMatch(/refuses a ReadableStream request body.*multipartUpload/);
    expect(streamed).toBe(1);
    expect(pulled).toBeLessThanOrEqual(16 * KB); // at most what a pipe reads ahead

    // multipartUpload buffers a stream one part at a time, so a part whose progress is counted
    // through a refused stream is sent again whole (without progress, parts are never streamed).
    const other = new OSSClient({ ...server.clientOptions, endpoint: server.url.replace('127.0.0.1', 'localhost'), bucket, fetch: refusing });
    const viaParts = await other.multipartUpload('n/parts.bin', new Blob([data]).stream(), { partSize: 100 * KB, parallel: 1, onProgress: () => {} });
    expect(viaParts.crc64).toBe(crc64(data));
    expect(streamed).toBe(2);
    expect(crc64((await client.get('n/parts.bin')).content)).toBe(crc64(data));
  });
});

// The bad day: injected faults on the real server, over HTTP and in-process.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OSSClient, OSSError, type OSSOptions } from '../../src/index.js';
import type { RetryInfo } from '../../src/client/retry.js';
import { backoff, isTransient } from '../../src/client/retry.js';
import { httpServer, inProcessClient, uniqueBucket } from '../helpers/server.js';
import { readAll } from '../helpers/streams.js';
import type { FaultRule, StartedServer } from '../../src/server/index.js';
import type { OSSHandler } from '../../src/server/handler.js';
import { expectBytes } from '../helpers/bytes.js';

const bytes = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => (i * 31 + seed) % 256);

for (const mode of ['http', 'in-process'] as const) {
  describe(`reliability (${mode})`, () => {
    let server: StartedServer | undefined;
    let handler: OSSHandler;
    const bucket = uniqueBucket('rel');
    const retries: RetryInfo[] = [];
    let make: (extra?: OSSOptions) => OSSClient;

    beforeAll(async () => {
      const base: OSSOptions = { bucket, retryDelay: 5, onRetry: (r) => retries.push(r) };
      if (mode === 'http') {
        server = await httpServer({ admin: true });
        handler = server.handler;
        make = (extra = {}) => new OSSClient({ ...server!.clientOptions, ...base, ...extra });
      } else {
        const p = inProcessClient({ admin: true }, base);
        handler = p.handler;
        make = (extra = {}) => new OSSClient({ ...p.client.options, accessKeyId: 'ossfetch-dev-key', accessKeySecret: 'ossfetch-dev-secret', ...base, ...extra } as OSSOptions);
      }
      await make().putBucket(bucket);
      await make().put('fixed.bin', bytes(200_000));
    });
    afterAll(async () => server?.close());

    const inject = (rule: FaultRule) => handler.state.faults.add(rule);
    /** No fault, skew or retry carried over: every test starts from the same server state. */
    const reset = () => {
      handler.state.faults.clear();
      retries.length = 0;
    };
    beforeEach(reset);
    afterEach(reset);

    it('retries 503s with backoff and succeeds', async () => {
      inject({ kind: 'status', status: 503, count: 2 });
      const put = await make().put('retry/a.txt', 'after two failures');
      expect(put.res.status).toBe(200);
      expect(retries.map((r) => r.error.status)).toEqual([503, 503]);
      expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
      expect(new TextDecoder().decode((await make().get('retry/a.txt')).content)).toBe('after two failures');
    });

    it('retries 429 and 500, gives up after `retries`', async () => {
      inject({ kind: 'status', status: 429, count: 1 });
      inject({ kind: 'status', status: 500, count: 1 });
      expect((await make().head('fixed.bin')).status).toBe(200);
      expect(retries.map((r) => r.error.status)).toEqual([429, 500]);
      reset();
      inject({ kind: 'status', status: 503, count: 10 });
      const injectedBefore = handler.state.faults.stats.injected;
      const err = await make({ retries: 2 }).head('fixed.bin').catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'ServiceUnavailableError', status: 503 });
      expect(retries).toHaveLength(2);
      expect(handler.state.faults.stats.injected - injectedBefore).toBe(3);
    });

    it('does not retry 4xx, non-idempotent POSTs, or consumed stream bodies', async () => {
      await expect(make().get('retry/missing')).rejects.toMatchObject({ name: 'NoSuchKeyError' });
      expect(retries).toHaveLength(0);

      inject({ kind: 'status', status: 503, count: 1, method: 'POST' });
      await expect(make().request({ method: 'POST', bucket, key: 'retry/p', query: { append: null, position: '0' }, body: 'x' }))
        .rejects.toMatchObject({ status: 503 });
      expect(retries).toHaveLength(0);

      inject({ kind: 'status', status: 503, count: 1, method: 'PUT' });
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode('once'));
          c.close();
        },
      });
      await expect(make().put('retry/stream', stream)).rejects.toMatchObject({ status: 503 });
      expect(retries).toHaveLength(0);
    });

    it('retries a reset connection', async () => {
      inject({ kind: 'reset', method: 'GET', keyPrefix: 'fixed' });
      const { content } = await make().get('fixed.bin');
      expectBytes(content, bytes(200_000));
      expect(retries).toHaveLength(1);
      expect(retries[0]!.error.name).toBe('RequestError');
    });

    it('a corrupted download is never returned as success (get and getStream)', async () => {
      // Retries exhausted (a buffered get sends a corrupted download again, as below).
      inject({ kind: 'corrupt', afterBytes: 777, method: 'GET', count: 2 });
      const err = await make({ retries: 0 }).get('fixed.bin').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OSSError);
      expect(err).toMatchObject({ name: 'CRC64MismatchError', code: 'CRC64Mismatch' });
      const { stream } = await make().getStream('fixed.bin');
      const read = (async () => {
        for await (const _ of stream as unknown as AsyncIterable<Uint8Array>) {
          /* drain */
        }
      })();
      await expect(read).rejects.toMatchObject({ name: 'CRC64MismatchError' });
      reset();
      inject({ kind: 'corrupt', afterBytes: 10, method: 'GET' });
      const unchecked = await make({ crc64: false }).get('fixed.bin');
      expect(unchecked.content[10]).toBe(bytes(200_000)[10]! ^ 0xff);
    });

    // Only fetch over HTTP decodes bodies; in-process Responses are raw.
    if (mode === 'http') it('a body fetch decodes (Content-Encoding: gzip) is returned decoded, not failed on its CRC-64 or length', async () => {
      const text = 'squeeze me '.repeat(40_000); // 440 KB decoded: the large-body read path
      const { gzipSync } = await import('node:zlib');
      await make().put('gz.txt', gzipSync(text), { headers: { 'Content-Encoding': 'gzip' } });
      const { content, res } = await make().get('gz.txt');
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(new TextDecoder().decode(content)).toBe(text);
      const { stream } = await make().getStream('gz.txt');
      expect(new TextDecoder().decode(await readAll(stream))).toBe(text);
    });

    it('a large download (read chunk by chunk into one buffer) is checked and complete, or fails', async () => {
      const big = bytes(1_000_003, 5);
      await make().put('fixed-big.bin', big);
      expectBytes((await make().get('fixed-big.bin')).content, big);
      inject({ kind: 'corrupt', afterBytes: 700_000, method: 'GET', keyPrefix: 'fixed-big', count: 4 });
      await expect(make({ retries: 0 }).get('fixed-big.bin')).rejects.toMatchObject({ name: 'CRC64MismatchError' });
      reset();
      inject({ kind: 'truncate', afterBytes: 600_000, method: 'GET', keyPrefix: 'fixed-big', count: 4 });
      const cut = await make({ retries: 0 }).get('fixed-big.bin').catch((e: unknown) => e);
      expect(cut).toBeInstanceOf(OSSError);
      expect((cut as OSSError).name).toMatch(/RequestError/);
    });

    it('an upload the server stored wrongly is detected and sent again', async () => {
      inject({ kind: 'corrupt', requestBytes: 5, method: 'PUT', keyPrefix: 'crc/' });
      await make().put('crc/a.bin', bytes(5000, 3));
      expect(retries.map((r) => r.error.name)).toEqual(['CRC64MismatchError']);
      expect((await make().get('crc/a.bin')).content).toEqual(bytes(5000, 3));
      reset();
      inject({ kind: 'corrupt', requestBytes: 5, method: 'PUT', keyPrefix: 'crc/', count: 5 });
      await expect(make({ retries: 1 }).put('crc/b.bin', new Blob([bytes(5000, 4)]))).rejects.toMatchObject({ name: 'CRC64MismatchError' });
    });

    it('times out a stalled request, and an idle download', async () => {
      inject({ kind: 'stall', ms: 5000, method: 'HEAD' });
      // Each stall outlasts its timeout: only the timeout can end these with TimeoutError.
      await expect(make({ timeout: 300 }).head('fixed.bin')).rejects.toMatchObject({ name: 'TimeoutError' });
      reset();
      inject({ kind: 'stall', ms: 5000, afterBytes: 1000, method: 'GET' });
      const { stream } = await make({ idleTimeout: 300 }).getStream('fixed.bin');
      const drained = (async () => {
        for await (const _ of stream as unknown as AsyncIterable<Uint8Array>) {
          /* drain */
        }
      })();
      await expect(drained).rejects.toMatchObject({ name: 'TimeoutError' });
      reset();

      // A reader that pauses longer than idleTimeout is not a stall: the watch runs only while a
      // read waits for the network.
      const slow = (await make({ idleTimeout: 150 }).getStream('fixed.bin')).stream.getReader();
      let got = 0;
      for (;;) {
        const { done, value } = await slow.read();
        if (done) break;
        got += value.byteLength;
        await new Promise((r) => setTimeout(r, 400));
      }
      expect(got).toBe(200_000);
    });

    it('a caller abort ends the request at once with AbortError, never retried', async () => {
      inject({ kind: 'stall', ms: 5000, method: 'HEAD' });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      await expect(make().head('fixed.bin', { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
      expect(retries).toHaveLength(0);
    });

    it('learns the clock offset from RequestTimeTooSkewed and retries once', async () => {
      handler.state.faults.clockSkew = 60 * 60_000; // the server is an hour ahead
      const client = make();
      expect((await client.head('fixed.bin')).status).toBe(200);
      expect(Math.abs(client.clockOffset - 3_600_000)).toBeLessThan(5_000);
      expect((await client.head('fixed.bin')).status).toBe(200);
    });
  });
}

describe('retry policy', () => {
  it('backoff is full jitter under a capped exponential ceiling', () => {
    const policy = { retries: 5, baseDelay: 100, maxDelay: 1000 };
    expect(backoff(1, policy, () => 1)).toBe(100);
    expect(backoff(3, policy, () => 1)).toBe(400);
    expect(backoff(10, policy, () => 1)).toBe(1000);
    expect(backoff(3, policy, () => 0)).toBe(0);
  });
  it('classifies transient errors', () => {
    const e = (code: string, status: number, name?: string) => new OSSError({ code, status, name, message: code });
    expect(isTransient(e('InternalError', 500))).toBe(true);
    expect(isTransient(e('ServiceUnavailable', 503))).toBe(true);
    expect(isTransient(e('TooManyRequests', 429))).toBe(true);
    expect(isTransient(e('RequestTimeout', 400))).toBe(true);
    expect(isTransient(e('RequestError', -1, 'RequestError'))).toBe(true);
    expect(isTransient(e('NotImplemented', 501))).toBe(false);
    expect(isTransient(e('NoSuchKey', 404))).toBe(false);
    expect(isTransient(e('Timeout', -1, 'TimeoutError'))).toBe(false);
    expect(isTransient(e('RequestAborted', -1, 'AbortError'))).toBe(false);
  });
});

describe('fault admin endpoint', () => {
  let server: StartedServer;
  beforeAll(async () => {
    server = await httpServer({ admin: true });
  });
  afterAll(async () => server.close());

  it('adds, lists and clears faults over HTTP, and is absent without admin', async () => {
    const add = await fetch(`${server.url}/-/faults`, { method: 'POST', body: JSON.stringify([{ kind: 'status', status: 500, count: 2 }]) });
    expect(add.status).toBe(204);
    const listed = (await (await fetch(`${server.url}/-/faults`)).json()) as { pending: FaultRule[] };
    expect(listed.pending).toEqual([{ kind: 'status', status: 500, count: 2 }]);
    expect((await fetch(`${server.url}/-/faults`, { method: 'POST', body: '{"kind":"nope"}' })).status).toBe(400);
    expect((await fetch(`${server.url}/-/faults`, { method: 'DELETE' })).status).toBe(204);
    expect(((await (await fetch(`${server.url}/-/faults`)).json()) as { pending: unknown[] }).pending).toEqual([]);
    const plain = await httpServer();
    expect((await fetch(`${plain.url}/-/faults`)).status).not.toBe(200);
    await plain.close();
  });
});

describe('low-level request()', () => {
  it('signs the Content-Type fetch would add to a string or typed Blob body', async () => {
    const { client } = inProcessClient({ buckets: ['raw-body'] });
    const put = await client.request({ method: 'PUT', bucket: 'raw-body', key: 'a.txt', body: 'plain string' });
    put.done();
    expect(put.response.status).toBe(200);
    const blob = await client.request({ method: 'PUT', bucket: 'raw-body', key: 'b.json', body: new Blob(['{}'], { type: 'application/json' }) });
    blob.done();
    expect((await client.head('b.json', { bucket: 'raw-body' })).res.headers['content-type']).toBe('application/json');
  });
});

describe('a 2xx answer that is not OSS XML', () => {
  // What a captive portal or a misconfigured proxy returns: an HTML page with status 200.
  const portal = (body: string) => new OSSClient({
    accessKeyId: 'id', accessKeySecret: 'secret', endpoint: 'http://127.0.0.1:1', region: 'cn-hangzhou', bucket: 'portal',
    fetch: async () => new Response(body, { status: 200, headers: { 'content-type': 'text/html', 'x-oss-request-id': 'req-1' } }),
  });

  it('is an InvalidResponse OSSError, never half a result', async () => {
    for (const body of ['<html><body><p>Sign in to the Wi-Fi<br></body></html>', '<ListBucketResult><Contents><Key>a</Key>']) {
      const err = await portal(body).list().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OSSError);
      expect(err).toMatchObject({ code: 'InvalidResponse', name: 'InvalidResponseError', status: 200, requestId: 'req-1' });
      expect((err as Error).message).toMatch(/not the XML OSS sends: Malformed XML/);
    }
  });
});

describe('a download whose Content-Length cannot be held', () => {
  it('fails as a RequestError and cancels the body instead of reading it', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(new Uint8Array(1024)), cancel: () => void (cancelled = true) });
    const client = new OSSClient({
      accessKeyId: 'id', accessKeySecret: 'secret', endpoint: 'http://127.0.0.1:1', region: 'cn-hangzhou', bucket: 'huge', crc64: false,
      fetch: async () => new Response(body, { status: 200, headers: { 'content-length': String(Number.MAX_SAFE_INTEGER) } }),
    });
    const err = await client.get('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OSSError);
    expect(err).toMatchObject({ name: 'RequestError' });
    expect(cancelled).toBe(true);
  });
});

// The client under injected faults (issue 14, "Client under faults"): failures after the response
// headers are retried (buffered get) or resumed (getStream, get into a writable) without splicing
// two versions; every streamed failure is a typed OSSError; an upload the server stored wrongly is
// sent again when its body can be, and otherwise named as corrupt. Over HTTP, with Node's fetch
// and with oss-fetch/node's nodeFetch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSClient, OSSError, type OSSOptions } from '../../src/index.js';
import { nodeFetch } from '../../src/adapters/node-fetch.js';
import type { RetryInfo } from '../../src/client/retry.js';
import type { FaultRule, StartedServer } from '../../src/server/index.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';
import { chunkedStream, readAll } from '../helpers/streams.js';

const bytes = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => (i * 31 + seed) % 256);
const SIZE = 200_000;
const OBJ = bytes(SIZE);
/** Byte equality without vitest's element-by-element diffing (slow on 200 KB). */
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

for (const transport of ['fetch', 'nodeFetch'] as const) {
  describe(`client under faults (${transport})`, () => {
    let server: StartedServer;
    const bucket = uniqueBucket('faults');
    const retries: RetryInfo[] = [];
    /** Request headers of every GET the client sent, in order. */
    const gets: Headers[] = [];
    const fetchImpl = transport === 'fetch' ? (input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init) : nodeFetch();
    /** Runs before a resumed GET (one with If-Match) is sent: the test's chance to change the object. */
    let beforeResume: (() => Promise<void>) | undefined;
    const recording: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      if (init?.method === 'GET') gets.push(headers);
      if (headers.has('if-match') && beforeResume) await beforeResume();
      return fetchImpl(input, init);
    };
    const make = (extra: OSSOptions = {}) =>
      new OSSClient({ ...server.clientOptions, bucket, retryDelay: 5, fetch: recording, onRetry: (r) => retries.push(r), ...extra });
    const inject = (rule: FaultRule) => server.handler.state.faults.add(rule);
    const reset = () => {
      server.handler.state.faults.clear();
      retries.length = 0;
      gets.length = 0;
      beforeResume = undefined;
    };

    beforeAll(async () => {
      server = await httpServer({ admin: true });
      await make().putBucket(bucket);
      await make().put('obj.bin', bytes(SIZE));
    });
    afterAll(async () => server?.close());

    it('a buffered get that breaks mid-body is sent again and returns the whole object', { timeout: 60_000 }, async () => {
      reset();
      const client = make({ retries: 4 });
      for (let i = 0; i < 4; i++) {
        inject({ kind: 'reset', afterBytes: 40_000 + i * 30_000, method: 'GET', keyPrefix: 'obj' });
        expect(same((await client.get('obj.bin')).content, OBJ)).toBe(true);
      }
      expect(retries).toHaveLength(4);
      expect(retries.every((r) => r.error.name === 'RequestError' && r.error.status === 200)).toBe(true);
    });

    it('a buffered get whose download is corrupted once returns the right bytes', async () => {
      reset();
      inject({ kind: 'corrupt', afterBytes: 1234, method: 'GET', keyPrefix: 'obj' });
      expect(same((await make().get('obj.bin')).content, OBJ)).toBe(true);
      expect(retries.map((r) => r.error.name)).toEqual(['CRC64MismatchError']);
    });

    it('a small buffered get (a body nodeFetch reads whole) whose download is corrupted once returns the right bytes', async () => {
      reset();
      const small = bytes(5000);
      await make().put('small-obj.bin', small);
      inject({ kind: 'corrupt', afterBytes: 123, method: 'GET', keyPrefix: 'small-obj' });
      expect(same((await make().get('small-obj.bin')).content, small)).toBe(true);
      expect(retries.map((r) => r.error.name)).toEqual(['CRC64MismatchError']);
    });

    it('getStream resumes with Range and If-Match from the byte it had delivered: one unbroken stream', async () => {
      reset();
      inject({ kind: 'reset', afterBytes: 70_000, method: 'GET', keyPrefix: 'obj' });
      inject({ kind: 'reset', afterBytes: 50_000, method: 'GET', keyPrefix: 'obj' });
      const { stream, res } = await make().getStream('obj.bin');
      expect(same(await readAll(stream), OBJ)).toBe(true);
      expect(res.status).toBe(200);
      expect(retries.map((r) => r.error.name)).toEqual(['RequestError', 'RequestError']);
      expect(gets).toHaveLength(3);
      const etag = res.headers.etag!;
      const first = /^bytes=(\d+)-199999$/.exec(gets[1]!.get('range') ?? '');
      expect(first, gets[1]!.get('range') ?? 'no Range').not.toBeNull();
      expect(Number(first![1])).toBeGreaterThan(0);
      expect(Number(first![1])).toBeLessThanOrEqual(70_000);
      expect(gets[1]!.get('if-match')).toBe(etag);
      expect(gets[2]!.get('if-match')).toBe(etag);
    });

    it('a resumed range keeps its end, and get({ writable }) resumes too', async () => {
      reset();
      inject({ kind: 'reset', afterBytes: 30_000, method: 'GET', keyPrefix: 'obj' });
      const { stream, res } = await make().getStream('obj.bin', { headers: { Range: 'bytes=1000-150999' } });
      expect(res.status).toBe(206);
      expect(same(await readAll(stream), OBJ.subarray(1000, 151_000))).toBe(true);
      expect(gets[1]!.get('range')).toMatch(/^bytes=\d+-150999$/);

      reset();
      inject({ kind: 'reset', afterBytes: 90_000, method: 'GET', keyPrefix: 'obj' });
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      await make().get('obj.bin', { writable: new WritableStream({ write: (c) => void chunks.push(c.slice()) }) });
      expect(same(await readAll(new Blob(chunks).stream()), OBJ)).toBe(true);
      expect(retries).toHaveLength(1);
    });

    it('an object that changed before the resume fails with ObjectChangedError, never two versions spliced', async () => {
      reset();
      const changing = bytes(SIZE, 7);
      await make().put('changing.bin', changing);
      inject({ kind: 'reset', afterBytes: 60_000, method: 'GET', keyPrefix: 'changing' });
      beforeResume = async () => {
        beforeResume = undefined;
        await make().put('changing.bin', bytes(SIZE, 9));
      };
      const { stream } = await make().getStream('changing.bin');
      const reader = stream.getReader();
      let received = 0;
      const err = await (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return undefined;
          expect(same(value, changing.subarray(received, received + value.byteLength))).toBe(true);
          received += value.byteLength;
        }
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OSSError);
      expect(err).toMatchObject({ name: 'ObjectChangedError', code: 'ObjectChanged', status: 412, key: 'changing.bin' });
      expect(received).toBeLessThan(SIZE);
      expect((err as OSSError).message).toContain(`after ${received} bytes`);
    });

    it('a streamed download that fails for good is a typed RequestError naming the origin, never a bare TypeError', async () => {
      reset();
      inject({ kind: 'reset', afterBytes: 50_000, method: 'GET', keyPrefix: 'obj' });
      const { stream } = await make({ retries: 0 }).getStream('obj.bin');
      const err = await readAll(stream).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OSSError);
      const { host, origin } = new URL(server.url);
      expect(err).toMatchObject({ name: 'RequestError', code: 'RequestError', status: 200, key: 'obj.bin', host });
      expect((err as Error).message).toContain(`GET ${origin} "obj.bin"`);
    });

    it('a caller abort mid-stream is an AbortError OSSError, and is not resumed', async () => {
      reset();
      inject({ kind: 'stall', afterBytes: 20_000, ms: 5_000, method: 'GET', keyPrefix: 'obj' });
      const controller = new AbortController();
      const { stream } = await make().getStream('obj.bin', { signal: controller.signal });
      const reader = stream.getReader();
      await reader.read();
      setTimeout(() => controller.abort(), 50);
      const err = await (async () => {
        for (;;) if ((await reader.read()).done) return undefined;
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OSSError);
      expect(err).toMatchObject({ name: 'AbortError', code: 'RequestAborted' });
      expect(retries).toHaveLength(0);
    });

    it('an upload stored wrongly is sent again (bytes, string, Blob, multipart part), so the right bytes end up stored', async () => {
      reset();
      const client = make();
      const bodies = { bytes: bytes(5000, 3), string: 'x'.repeat(5000), blob: new Blob([bytes(5000, 4)]) };
      for (const [name, body] of Object.entries(bodies)) {
        inject({ kind: 'corrupt', requestBytes: 100, method: 'PUT', keyPrefix: `crc-${name}` });
        await client.put(`crc-${name}`, body);
        const expected = typeof body === 'string' ? new TextEncoder().encode(body) : body instanceof Blob ? new Uint8Array(await body.arrayBuffer()) : body;
        expect(same((await client.get(`crc-${name}`)).content, expected), name).toBe(true);
      }
      expect(retries.map((r) => r.error.name)).toEqual(['CRC64MismatchError', 'CRC64MismatchError', 'CRC64MismatchError']);

      reset();
      const whole = bytes(260 * 1024, 5);
      inject({ kind: 'corrupt', requestBytes: 10, method: 'PUT', keyPrefix: 'crc-multi' });
      await client.multipartUpload('crc-multi', whole, { partSize: 100 * 1024, parallel: 1 });
      expect(same((await client.get('crc-multi')).content, whole)).toBe(true);
      expect(retries.map((r) => r.error.name)).toEqual(['CRC64MismatchError']);
      expect(retries[0]!.error.message).toMatch(/part 1 of the multipart upload of "crc-multi" is corrupt/);
    });

    it('an upload stored wrongly that cannot be sent again says the stored object is corrupt and names the key', async () => {
      reset();
      inject({ kind: 'corrupt', requestBytes: 100, method: 'PUT', keyPrefix: 'crc-stream' });
      const err = await make().put('crc-stream', chunkedStream(bytes(5000, 6), 1000)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OSSError);
      expect(err).toMatchObject({ name: 'CRC64MismatchError', key: 'crc-stream' });
      expect((err as Error).message).toMatch(/the object "crc-stream" is corrupt until it is uploaded again/);
      expect(retries).toHaveLength(0);
    });
  });
}

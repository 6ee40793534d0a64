// The managed multipartUpload against the local server: bodies of every kind, progress,
// checkpoints and resume, cancellation, independence of concurrent uploads, retries and faults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choosePartSize, OSSArgumentError, OSSClient, OSSError, type MultipartCheckpoint, type UploadProgress } from '../../src/index.js';
import { crc64 } from '../../src/core/crc64.js';
import { createHandler, type OSSHandler } from '../../src/server/handler.js';
import { creds, httpServer } from '../helpers/server.js';
import type { StartedServer } from '../../src/server/index.js';
import { expectBytes } from '../helpers/bytes.js';

const KB = 1024;

const PART = 100 * KB;
const bytes = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => (i * 31 + seed + (i >> 12)) % 251);

/** What each request was, in order: init, part:N, complete, listParts, listUploads, put, head, abort. */
function kindOf(method: string, url: URL): string {
  const q = url.searchParams;
  if (method === 'POST' && q.has('uploads')) return 'init';
  if (method === 'PUT' && q.has('partNumber')) return `part:${q.get('partNumber')}`;
  if (method === 'POST' && q.has('uploadId')) return 'complete';
  if (method === 'GET' && q.has('uploadId')) return 'listParts';
  if (method === 'DELETE' && q.has('uploadId')) return 'abort';
  return method.toLowerCase();
}

function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    }, { once: true });
  });
}

/** A client on an in-process server whose fetch logs requests and can slow part uploads down. */
function setup(bucket: string) {
  const handler: OSSHandler = createHandler({ buckets: [bucket] });
  const log: string[] = [];
  /** partMs delays every part; parts numbered from hangFrom on wait until their request is aborted (counted in hungAborted). */
  const slow = { partMs: 0, hangFrom: 0, hungAborted: 0 };
  const client = new OSSClient({
    ...creds, endpoint: 'http://127.0.0.1:1', bucket, retryDelay: 1,
    fetch: async (input, init) => {
      const kind = kindOf(init?.method ?? 'GET', new URL(String(input)));
      log.push(kind);
      if (kind.startsWith('part:') && slow.hangFrom && Number(kind.slice('part:'.length)) >= slow.hangFrom) {
        await sleep(2 ** 31 - 1, init?.signal).catch((reason: unknown) => {
          slow.hungAborted++;
          throw reason;
        });
      }
      if (kind.startsWith('part:') && slow.partMs) await sleep(slow.partMs, init?.signal);
      return handler(new Request(input, init));
    },
  });
  return { handler, client, log, slow, parts: () => log.filter((k) => k.startsWith('part:')) };
}

/** A pull stream of `data` in chunks of `chunk` bytes that reports how much was pulled. */
function streamOf(data: Uint8Array, chunk: number, onPull?: (pulled: number) => void): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= data.length) return controller.close();
      const end = Math.min(offset + chunk, data.length);
      controller.enqueue(data.slice(offset, end));
      offset = end;
      onPull?.(offset);
    },
  }, { highWaterMark: 0 });
}

/**
 * A byte stream of `data`, as a fetch body or a file's stream is: it writes into the reader's own
 * buffer when the reader brings one (BYOB), and hands out `chunk`-byte chunks otherwise. `seen`
 * records the size of the buffer behind each view it was asked to fill, and its chunks handed out.
 */
function byteStreamOf(data: Uint8Array, chunk: number, options: { ignoreViews?: boolean; onPull?: (pulled: number) => void; onCancel?: () => void } = {}) {
  let offset = 0;
  const seen = { viewBuffers: [] as number[], chunks: 0 };
  const stream = new ReadableStream({
    type: 'bytes',
    pull(controller) {
      if (offset >= data.length) {
        controller.close();
        controller.byobRequest?.respond(0);
        return;
      }
      const view = options.ignoreViews ? null : controller.byobRequest?.view;
      if (view) {
        const n = Math.min(view.byteLength, data.length - offset);
        new Uint8Array(view.buffer, view.byteOffset, n).set(data.subarray(offset, offset + n));
        seen.viewBuffers.push(view.buffer.byteLength);
        offset += n;
        controller.byobRequest!.respond(n);
      } else {
        const end = Math.min(offset + chunk, data.length);
        controller.enqueue(data.slice(offset, end));
        seen.chunks++;
        offset = end;
      }
      options.onPull?.(offset);
    },
    cancel: () => options.onCancel?.(),
  }, { highWaterMark: 0 });
  return { stream: stream as ReadableStream<Uint8Array>, seen };
}

function checkProgress(events: UploadProgress[], total: number) {
  for (let i = 1; i < events.length; i++) expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
  expect(events.slice(0, -1).every((e) => e.percent === undefined || e.percent <= 99)).toBe(true);
  expect(events.at(-1)).toEqual({ loaded: total, total, percent: 100 });
  expect(events.filter((e) => e.percent === 100)).toHaveLength(1);
}

describe('multipartUpload', () => {
  const bucket = 'managed-uploads';
  let env: ReturnType<typeof setup>;
  beforeAll(() => {
    env = setup(bucket);
  });

  it('uploads a Blob in parallel parts: bytes, ETag, CRC-64, progress up to 100% after Complete, checkpoints', async () => {
    const data = bytes(5 * PART + 123);
    const events: UploadProgress[] = [];
    const checkpoints: MultipartCheckpoint[] = [];
    env.log.length = 0;
    const result = await env.client.multipartUpload('m/blob.bin', new File([data], 'blob.bin', { lastModified: 42 }), {
      partSize: PART, parallel: 3, meta: { owner: 'ann' },
      onProgress: (p) => {
        events.push(p);
        if (p.percent === 100) env.log.push('100%');
      },
      onCheckpoint: (cp) => checkpoints.push(cp),
    });
    expect(result).toMatchObject({ name: 'm/blob.bin', bucket, crc64: crc64(data) });
    expect(result.etag).toMatch(/^"[0-9A-F]{32}-6"$/);
    expectBytes((await env.client.get('m/blob.bin')).content, data);
    const head = await env.client.head('m/blob.bin');
    expect(head.meta).toEqual({ owner: 'ann' });
    expect(head.res.headers['x-oss-object-type']).toBe('Multipart');
    checkProgress(events, data.length);
    expect(events.some((e) => e.partNumber === 6)).toBe(true);
    expect(env.log.indexOf('100%')).toBe(env.log.indexOf('complete') + 1);
    expect(env.log.filter((k) => k.startsWith('part:')).sort()).toEqual(['part:1', 'part:2', 'part:3', 'part:4', 'part:5', 'part:6']);
    expect(checkpoints).toHaveLength(7);
    expect(checkpoints[0]).toMatchObject({ name: 'm/blob.bin', bucket, partSize: PART, fileSize: data.length, fileName: 'blob.bin', fileLastModified: 42, doneParts: [] });
    const last = checkpoints.at(-1)!;
    expect(JSON.parse(JSON.stringify(last))).toEqual(last);
    expect(last.doneParts.map((p) => [p.number, p.size])).toEqual([[1, PART], [2, PART], [3, PART], [4, PART], [5, PART], [6, 123]]);
    expect(last.doneParts[5]!.crc64).toBe(crc64(data.subarray(5 * PART)));
  });

  it('takes bytes, ArrayBuffer, DataView and strings; sets Content-Type from the key, then the Blob', async () => {
    const data = bytes(2 * PART + 1, 7);
    for (const body of [data, data.buffer.slice(0), new DataView(data.buffer.slice(0))]) {
      await env.client.multipartUpload('m/typed.bin', body, { partSize: PART });
      expectBytes((await env.client.get('m/typed.bin')).content, data);
    }
    const text = 'x'.repeat(PART) + 'ü';
    await env.client.multipartUpload('m/text.txt', text, { partSize: PART });
    const got = await env.client.get('m/text.txt');
    expect(new TextDecoder().decode(got.content)).toBe(text);
    expect(got.res.headers['content-type']).toBe('text/plain');
    await env.client.multipartUpload('m/typed-blob', new Blob([data], { type: 'image/x-test' }), { partSize: PART });
    expect((await env.client.head('m/typed-blob')).res.headers['content-type']).toBe('image/x-test');
  });

  it('sends bodies no larger than one part with a single PUT (streams too)', async () => {
    env.log.length = 0;
    const small = await env.client.multipartUpload('m/small.bin', new Blob([bytes(PART)]), { partSize: PART });
    expect(small.etag).toMatch(/^"[0-9A-F]{32}"$/);
    const fromStream = await env.client.multipartUpload('m/small-stream.bin', streamOf(bytes(1000), 300), { partSize: PART });
    expect(fromStream.crc64).toBe(crc64(bytes(1000)));
    const empty = await env.client.multipartUpload('m/empty', streamOf(new Uint8Array(0), 1));
    expect(empty.crc64).toBe('0');
    expect(env.log).toEqual(['put', 'put', 'put']);
    expect((await env.client.head('m/small-stream.bin')).res.headers['x-oss-object-type']).toBe('Normal');
  });

  it('cuts a stream of unknown length into parts, holding at most parallel × partSize of it', async () => {
    const data = bytes(12 * PART + 4321, 3);
    const chunk = 37_000;
    const parallel = 3;
    let acked = 0;
    let worst = 0;
    const checkpoints: MultipartCheckpoint[] = [];
    const events: UploadProgress[] = [];
    env.slow.partMs = 5;
    const result = await env.client.multipartUpload('m/stream.bin', streamOf(data, chunk, (pulled) => {
      worst = Math.max(worst, pulled - acked);
    }), {
      partSize: PART, parallel,
      onCheckpoint: (cp) => {
        checkpoints.push(cp);
        acked = cp.doneParts.reduce((n, p) => n + p.size, 0);
      },
      onProgress: (p) => events.push(p),
    });
    env.slow.partMs = 0;
    expect(result.crc64).toBe(crc64(data));
    expectBytes((await env.client.get('m/stream.bin')).content, data);
    expect(worst).toBeLessThanOrEqual(parallel * PART + chunk);
    expect(worst).toBeGreaterThan(PART);
    expect(checkpoints[0]!.fileSize).toBeNull();
    expect(checkpoints.at(-1)!.fileSize).toBe(data.length);
    expect(events.find((e) => e.total === undefined)?.percent).toBeUndefined();
    checkProgress(events, data.length);
  });

  it('reads a byte stream straight into its part buffers, no chunk of its own, at most parallel × partSize', async () => {
    const data = bytes(7 * PART + 999, 5);
    const parallel = 2;
    let acked = 0;
    let worst = 0;
    const { stream, seen } = byteStreamOf(data, 10_000, { onPull: (pulled) => (worst = Math.max(worst, pulled - acked)) });
    env.slow.partMs = 5;
    const result = await env.client.multipartUpload('m/byte-stream.bin', stream, {
      partSize: PART, parallel, onCheckpoint: (cp) => (acked = cp.doneParts.reduce((n, p) => n + p.size, 0)),
    });
    env.slow.partMs = 0;
    expect(result.crc64).toBe(crc64(data));
    expectBytes((await env.client.get('m/byte-stream.bin')).content, data);
    expect(seen.chunks).toBe(0);
    // Every view it filled was a part's own buffer, but the one 64 KiB read that tells one part from several.
    expect(seen.viewBuffers.filter((size) => size !== PART)).toEqual([64 * KB]);
    expect(worst).toBeLessThanOrEqual(parallel * PART + 64 * KB);
  });

  it('uploads byte streams that ignore the buffer offered, and Blob and Response streams, byte for byte', async () => {
    const data = bytes(3 * PART + 17, 9);
    const { stream, seen } = byteStreamOf(data, 33_333, { ignoreViews: true });
    expect((await env.client.multipartUpload('m/bytes-chunked.bin', stream, { partSize: PART })).crc64).toBe(crc64(data));
    expect(seen.chunks).toBe(Math.ceil(data.length / 33_333));
    expectBytes((await env.client.get('m/bytes-chunked.bin')).content, data);
    expect((await env.client.multipartUpload('m/blob-stream.bin', new Blob([data]).stream(), { partSize: PART })).crc64).toBe(crc64(data));
    expectBytes((await env.client.get('m/blob-stream.bin')).content, data);
    expect((await env.client.multipartUpload('m/response-stream.bin', new Response(data).body!, { partSize: PART })).crc64).toBe(crc64(data));
    expectBytes((await env.client.get('m/response-stream.bin')).content, data);
  });

  it('an abort while a byte stream is read cancels it, and sends no part read after it', async () => {
    let cancelled = false;
    const controller = new AbortController();
    const { stream } = byteStreamOf(bytes(6 * PART), 10_000, { onCancel: () => (cancelled = true), onPull: (pulled) => pulled > 3 * PART && controller.abort() });
    env.log.length = 0;
    await expect(env.client.multipartUpload('m/byte-abort.bin', stream, { partSize: PART, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(cancelled).toBe(true);
    // The part being filled when the abort came (part 4) never reaches fetch; of the parts read
    // before it, those whose requests were still being signed may not either.
    await sleep(20);
    expect(env.parts()).not.toContain('part:4');
    expect(env.parts().every((p) => ['part:1', 'part:2', 'part:3'].includes(p))).toBe(true);
  });

  it('abort stops every part at once and keeps the upload; the checkpoint resumes it without resending done parts', async () => {
    const data = bytes(8 * PART, 11);
    let last: MultipartCheckpoint | undefined;
    const controller = new AbortController();
    env.log.length = 0;
    env.slow.partMs = 30;
    // Part 4 on never answers: only the abort reaching its request can end the upload.
    env.slow.hangFrom = 4;
    const run = env.client.multipartUpload('m/resume.bin', new Blob([data]), {
      partSize: PART, parallel: 2, signal: controller.signal,
      onCheckpoint: (cp) => {
        last = cp;
        if (cp.doneParts.length === 3 && !controller.signal.aborted) controller.abort(new Error('user pressed cancel'));
      },
    });
    const err = await run.catch((e: unknown) => e);
    env.slow.partMs = 0;
    env.slow.hangFrom = 0;
    expect(err).toBeInstanceOf(OSSError);
    expect(err).toMatchObject({ name: 'AbortError', code: 'RequestAborted' });
    expect(env.slow.hungAborted).toBe(1);
    const done = last!.doneParts.map((p) => p.number);
    expect(done).toHaveLength(3);
    // The part in flight was stopped too: it never reaches the server, even later.
    await sleep(60);
    expect((await env.client.listParts('m/resume.bin', last!.uploadId)).parts.map((p) => p.number)).toEqual(done);
    const { uploads } = await env.client.listUploads({ prefix: 'm/resume' });
    expect(uploads.map((u) => u.uploadId)).toEqual([last!.uploadId]);

    env.log.length = 0;
    const saved = JSON.parse(JSON.stringify(last));
    const events: UploadProgress[] = [];
    const result = await env.client.multipartUpload('m/resume.bin', new Blob([data]), { checkpoint: saved, onProgress: (p) => events.push(p) });
    const rest = [1, 2, 3, 4, 5, 6, 7, 8].filter((n) => !done.includes(n)).map((n) => `part:${n}`);
    expect(env.parts().sort()).toEqual(rest);
    expect(env.log).not.toContain('init');
    expect(result.crc64).toBe(crc64(data));
    expectBytes((await env.client.get('m/resume.bin')).content, data);
    checkProgress(events, data.length);
  });

  /** Upload `data` in parts one at a time and cancel once three are done: the checkpoint then. */
  async function abortedAfterThreeParts(name: string, data: Uint8Array): Promise<MultipartCheckpoint> {
    const controller = new AbortController();
    let cp: MultipartCheckpoint | undefined;
    await env.client.multipartUpload(name, data, {
      partSize: PART, parallel: 1, signal: controller.signal,
      onCheckpoint: (c) => {
        cp = c;
        if (c.doneParts.length === 3) controller.abort();
      },
    }).catch(() => {});
    return cp!;
  }

  it('a stale checkpoint cannot corrupt the object: parts the server lacks or holds with other ETags are sent again', async () => {
    const name = 'm/stale.bin';
    const data = bytes(4 * PART + 10, 13);
    const cp = await abortedAfterThreeParts(name, data);
    // Someone else replaced part 2; the checkpoint also claims a part 4 that never arrived.
    await env.client.uploadPart(name, cp.uploadId, 2, bytes(PART, 99));
    const doctored: MultipartCheckpoint = { ...cp, doneParts: [...cp.doneParts, { number: 4, etag: '"0123456789ABCDEF0123456789ABCDEF"', size: PART }] };
    env.log.length = 0;
    await env.client.multipartUpload(name, data, { checkpoint: doctored });
    expect(env.parts().sort()).toEqual(['part:2', 'part:4', 'part:5']);
    expectBytes((await env.client.get(name)).content, data);
  });

  it('a checkpoint without CRC-64s is checked by ETag: a done part replaced on the server (same size) is sent again', async () => {
    const name = 'm/stale-etag.bin';
    const data = bytes(4 * PART + 10, 17);
    const cp = await abortedAfterThreeParts(name, data);
    // A checkpoint as other tools write it (ETags only), and part 2 replaced by one of the same
    // size: only its ETag tells them apart. The body is a Blob, whose slices resume trusts.
    const etagsOnly: MultipartCheckpoint = { ...cp, doneParts: cp.doneParts.map(({ crc64: _, ...p }) => p) };
    expect(etagsOnly.doneParts.map((p) => p.number)).toEqual([1, 2, 3]);
    await env.client.uploadPart(name, cp.uploadId, 2, bytes(PART, 99));
    env.log.length = 0;
    await env.client.multipartUpload(name, new Blob([data]), { checkpoint: etagsOnly });
    expect(env.parts().sort()).toEqual(['part:2', 'part:4', 'part:5']);
    expectBytes((await env.client.get(name)).content, data);
  });

  it('refuses a checkpoint for another name, size, file or partSize; starts afresh when the upload is gone', async () => {
    const data = bytes(3 * PART, 17);
    const controller = new AbortController();
    let cp: MultipartCheckpoint | undefined;
    await env.client.multipartUpload('m/refuse.bin', new File([data], 'a.bin', { lastModified: 1 }), {
      partSize: PART, parallel: 1, signal: controller.signal,
      onCheckpoint: (c) => {
        cp = c;
        if (c.doneParts.length === 1) controller.abort();
      },
    }).catch(() => {});
    const refuse = (name: string, body: Blob | Uint8Array, extra = {}) =>
      expect(env.client.multipartUpload(name, body, { checkpoint: cp, ...extra })).rejects.toBeInstanceOf(OSSArgumentError);
    await refuse('m/other.bin', data);
    await refuse('m/refuse.bin', data.subarray(1));
    await refuse('m/refuse.bin', new File([data], 'b.bin', { lastModified: 1 }));
    await refuse('m/refuse.bin', new File([data], 'a.bin', { lastModified: 2 }));
    await refuse('m/refuse.bin', data, { partSize: 2 * PART });
    await refuse('m/refuse.bin', data, { bucket: 'other-bucket' });
    const wrong = await env.client.multipartUpload('m/refuse.bin', data.subarray(1), { checkpoint: cp }).catch((e: Error) => e.message);
    expect(wrong).toMatch(/body of 307200 bytes; this one has 307199/);

    await env.client.abortMultipartUpload('m/refuse.bin', cp!.uploadId);
    env.log.length = 0;
    const fresh: MultipartCheckpoint[] = [];
    await env.client.multipartUpload('m/refuse.bin', new File([data], 'a.bin', { lastModified: 1 }), { checkpoint: cp, onCheckpoint: (c) => fresh.push(c) });
    expect(env.log.slice(0, 2)).toEqual(['listParts', 'init']);
    expect(fresh[0]!.uploadId).not.toBe(cp!.uploadId);
    expectBytes((await env.client.get('m/refuse.bin')).content, data);
  });

  it('resumes a stream by reading it again: done parts whose bytes agree are skipped, others re-sent', async () => {
    const name = 'm/stream-resume.bin';
    const data = bytes(5 * PART + 7, 19);
    const controller = new AbortController();
    let cp: MultipartCheckpoint | undefined;
    await env.client.multipartUpload(name, streamOf(data, 50_000), {
      partSize: PART, parallel: 1, signal: controller.signal,
      onCheckpoint: (c) => {
        cp = c;
        if (c.doneParts.length === 3) controller.abort();
      },
    }).catch(() => {});
    expect(cp!.fileSize).toBeNull();
    env.log.length = 0;
    const changed = data.slice();
    changed[PART + 5] ^= 1; // part 2 differs now
    await env.client.multipartUpload(name, streamOf(changed, 64_000), { checkpoint: cp, parallel: 2 });
    expect(env.parts().sort()).toEqual(['part:2', 'part:4', 'part:5', 'part:6']);
    expectBytes((await env.client.get(name)).content, changed);
  });

  it('two uploads on one client are independent: cancelling one never touches the other', async () => {
    const a = bytes(6 * PART, 23);
    const b = bytes(6 * PART, 29);
    const stopA = new AbortController();
    env.slow.partMs = 10;
    const runA = env.client.multipartUpload('m/a.bin', a, {
      partSize: PART, parallel: 2, signal: stopA.signal,
      onCheckpoint: (c) => {
        if (c.doneParts.length === 2) stopA.abort();
      },
    });
    const runB = env.client.multipartUpload('m/b.bin', new Blob([b]), { partSize: PART, parallel: 2 });
    const [ra, rb] = await Promise.allSettled([runA, runB]);
    env.slow.partMs = 0;
    expect(ra).toMatchObject({ status: 'rejected', reason: { name: 'AbortError' } });
    expect(rb).toMatchObject({ status: 'fulfilled', value: { crc64: crc64(b) } });
    expectBytes((await env.client.get('m/b.bin')).content, b);
    await expect(env.client.head('m/a.bin')).rejects.toMatchObject({ name: 'NoSuchKeyError' });
  });

  it('retries a failed part; a part that keeps failing fails the upload, which stays resumable', async () => {
    const data = bytes(3 * PART, 31);
    env.handler.state.faults.add({ kind: 'status', status: 503, method: 'PUT', keyPrefix: 'm/retry', count: 2 });
    env.log.length = 0;
    await env.client.multipartUpload('m/retry.bin', data, { partSize: PART, parallel: 1 });
    expect(env.parts()).toHaveLength(5);
    expectBytes((await env.client.get('m/retry.bin')).content, data);

    env.handler.state.faults.add({ kind: 'status', status: 500, method: 'PUT', keyPrefix: 'm/broken', count: 4 });
    let cp: MultipartCheckpoint | undefined;
    const err = await env.client.multipartUpload('m/broken.bin', data, { partSize: PART, parallel: 1, onCheckpoint: (c) => (cp = c) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'InternalError', status: 500 });
    env.handler.state.faults.clear();
    expect((await env.client.listUploads({ prefix: 'm/broken' })).uploads).toHaveLength(1);
    await env.client.multipartUpload('m/broken.bin', data, { checkpoint: cp });
    expectBytes((await env.client.get('m/broken.bin')).content, data);
  });

  it('abortOnFailure deletes the parts of an upload that failed for good, not of one the caller aborted', async () => {
    const data = bytes(3 * PART, 33);
    env.handler.state.faults.add({ kind: 'status', status: 500, method: 'PUT', keyPrefix: 'm/cleaned', count: 4 });
    const err = await env.client.multipartUpload('m/cleaned.bin', data, { partSize: PART, parallel: 1, abortOnFailure: true }).catch((e: unknown) => e);
    env.handler.state.faults.clear();
    expect(err).toMatchObject({ name: 'InternalError', status: 500 });
    expect((await env.client.listUploads({ prefix: 'm/cleaned' })).uploads).toHaveLength(0);

    const stop = new AbortController();
    const aborted = await env.client.multipartUpload('m/stopped.bin', data, {
      partSize: PART, parallel: 1, abortOnFailure: true, signal: stop.signal, onCheckpoint: (c) => c.doneParts.length === 1 && stop.abort(),
    }).catch((e: unknown) => e);
    expect(aborted).toMatchObject({ name: 'AbortError' });
    expect((await env.client.listUploads({ prefix: 'm/stopped' })).uploads).toHaveLength(1);
    await expect(env.client.multipartUpload('m/x.bin', data, { abortOnFailure: 'yes' } as never)).rejects.toThrow(/abortOnFailure/);
  });

  it('adopts the object when the reply to Complete was lost and the retry finds no upload', async () => {
    const data = bytes(2 * PART + 5, 37);
    env.log.length = 0;
    const result = await env.client.multipartUpload('m/lost.bin', data, {
      partSize: PART,
      onCheckpoint: (c) => {
        if (c.doneParts.length === 3) env.handler.state.faults.add({ kind: 'reset', method: 'POST', keyPrefix: 'm/lost' });
      },
    });
    expect(env.log.filter((k) => k === 'complete')).toHaveLength(2);
    expect(env.log.at(-1)).toBe('head');
    expect(result).toMatchObject({ crc64: crc64(data), etag: expect.stringMatching(/-3"$/) });
  });

  it('a throwing onProgress or onCheckpoint is reported, not fatal, like an event listener', async () => {
    const reported: unknown[] = [];
    const original = console.error;
    console.error = (err: unknown) => reported.push(err);
    try {
      const data = bytes(2 * PART + 1, 43);
      const result = await env.client.multipartUpload('m/throws.bin', data, {
        partSize: PART,
        onProgress: () => {
          throw new Error('progress bug');
        },
        onCheckpoint: () => {
          throw new Error('storage full');
        },
      });
      expect(result.crc64).toBe(crc64(data));
    } finally {
      console.error = original;
    }
    expect(reported.map((e) => (e as Error).message)).toContain('progress bug');
    expect(reported.map((e) => (e as Error).message)).toContain('storage full');
  });

  it('validates options and picks part sizes that fit 10,000 parts', async () => {
    await expect(env.client.multipartUpload('m/x', 'x', { partSize: 1000 })).rejects.toMatchObject({ argument: 'options.partSize' });
    await expect(env.client.multipartUpload('m/x', 'x', { parallel: 0 })).rejects.toMatchObject({ argument: 'options.parallel' });
    await expect(env.client.multipartUpload('m/x', 'x', { checkpoint: { uploadId: 'u' } as never })).rejects.toMatchObject({ argument: 'options.checkpoint.name' });
    await expect(env.client.multipartUpload('m/x', 42 as never)).rejects.toMatchObject({ argument: 'body' });
    const aborted = AbortSignal.abort();
    await expect(env.client.multipartUpload('m/x', 'x', { signal: aborted })).rejects.toBeTruthy();
    expect(choosePartSize(10 * 1024 ** 3)).toBe(8 * 1024 * 1024);
    expect(choosePartSize(100 * 1024 ** 3)).toBe(Math.ceil((100 * 1024 ** 3) / 10_000));
    expect(choosePartSize(undefined, PART)).toBe(PART);
    expect(() => choosePartSize(10_000 * 5 * 1024 ** 3 + 1)).toThrow(OSSArgumentError);
  });
});

describe('multipartUpload over HTTP', () => {
  let server: StartedServer;
  let client: OSSClient;
  beforeAll(async () => {
    server = await httpServer({ buckets: ['http-mp'] });
    client = new OSSClient({ ...server.clientOptions, bucket: 'http-mp' });
  });
  afterAll(async () => server.close());

  it('uploads a stream with byte-level progress and aborts mid-part at once', async () => {
    const data = bytes(6 * PART + 3, 41);
    const events: UploadProgress[] = [];
    const result = await client.multipartUpload('h/stream.bin', streamOf(data, 16 * KB), { partSize: PART, parallel: 2, onProgress: (p) => events.push(p) });
    expect(result.crc64).toBe(crc64(data));
    expectBytes((await client.get('h/stream.bin')).content, data);
    checkProgress(events, data.length);
    expect(events.length).toBeGreaterThan(8);

    const controller = new AbortController();
    const run = client.multipartUpload('h/abort.bin', new Blob([bytes(40 * PART)]), {
      partSize: 10 * PART, parallel: 2, signal: controller.signal,
      onProgress: (p) => {
        if (p.loaded > PART) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    const { uploads } = await client.listUploads({ prefix: 'h/abort' });
    expect(uploads).toHaveLength(1);
    await client.abortMultipartUpload('h/abort.bin', uploads[0]!.uploadId);
  });
});

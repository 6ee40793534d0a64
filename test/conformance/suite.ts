// The conformance suite: one set of tests, written once against the public API (the package
// entry only), run unchanged in Node, Chromium, happy-dom, Deno, Bun and workerd against the
// local server over HTTP.

import {
  OSSArgumentError,
  OSSClient,
  OSSCore,
  OSSError,
  crc64Checks,
  deleteObject,
  get,
  head,
  list,
  mimeTypes,
  multipartUpload,
  presignV4,
  put,
  uploadCallbacks,
  uploadProgress,
  v1Signing,
  type OSSOptions,
  type UploadProgress,
} from '../../src/index.js';
import { bytesEqual, deepEqual, equal, match, ok, rejects, type ConformanceTest } from './harness.js';

export interface ConformanceContext {
  /** The local server, e.g. `http://127.0.0.1:9000`. */
  endpoint: string;
  /** Which runtime runs the suite (names the bucket, so runs never collide). */
  runtime: string;
  accessKeyId: string;
  accessKeySecret: string;
  region: string;
  /** Keys under this prefix make the server stall before answering (timeout tests). */
  stallPrefix: string;
  /** A back-end route that answers fresh STS keys as `refreshSTSToken` wants them. */
  stsUrl: string;
}

/** The bucket a runtime's suite uses; the server creates it with a CORS rule. */
export const bucketFor = (runtime: string) => `conformance-${runtime.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Deterministic bytes, so a mismatch shows where it is. */
function pattern(size: number, seed = 0): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) % 251;
  return out;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

function streamOf(parts: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < parts.length) controller.enqueue(parts[i++]!);
      else controller.close();
    },
  });
}

/** A fetch that flips the first byte of every GET body (a bit flip on the wire, for the CRC-64 tests). */
const corruptDownloads: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if ((init?.method ?? 'GET') !== 'GET' || !response.ok) return response;
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length) bytes[0] ^= 0xff;
  return new Response(bytes, { status: response.status, headers: response.headers });
};

/** A page on another origin than the server: CORS applies, and the service API (ListBuckets, PutBucket) has none, as on OSS. */
function crossOriginPage(endpoint: string): boolean {
  const here = (globalThis as { location?: { origin?: string } }).location?.origin;
  return typeof here === 'string' && here !== new URL(endpoint).origin;
}

/**
 * Whether fetch here sends a ReadableStream request body to an HTTP/1.1 server: every runtime but
 * a real browser (Chromium streams only over HTTP/2, Firefox and Safari never; multipartUpload is
 * the way to upload a stream there).
 */
function streamedUploads(): boolean {
  const agent = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ?? '';
  return typeof document === 'undefined' || /HappyDOM/.test(agent);
}

async function emptyBucket(client: OSSClient): Promise<void> {
  for (;;) {
    const { objects } = await client.list({ 'max-keys': 1000 });
    if (!objects.length) return;
    await Promise.all(objects.map((o) => client.delete(o.name)));
  }
}

/** Every body kind this runtime has, with the bytes the server must store for it. */
function bodyKinds(): Array<[string, () => unknown, Uint8Array]> {
  const bytes = new Uint8Array([0, 1, 2, 127, 128, 250, 255]);
  const text = 'héllo wörld ✓ 你好';
  const kinds: Array<[string, () => unknown, Uint8Array]> = [
    ['string', () => text, encoder.encode(text)],
    ['empty string', () => '', new Uint8Array(0)],
    ['Uint8Array', () => bytes, bytes],
    ['Uint8Array view of a larger buffer', () => new Uint8Array(pattern(64).buffer, 8, 16), pattern(64).subarray(8, 24)],
    ['ArrayBuffer', () => bytes.slice().buffer, bytes],
    ['DataView', () => new DataView(bytes.slice().buffer), bytes],
    ['Uint16Array', () => new Uint16Array([1, 2, 0xffff]), new Uint8Array(new Uint16Array([1, 2, 0xffff]).buffer)],
  ];
  if (typeof Blob !== 'undefined') kinds.push(['Blob', () => new Blob([bytes, 'tail']), new Uint8Array([...bytes, ...encoder.encode('tail')])]);
  if (typeof File !== 'undefined') kinds.push(['File', () => new File(['file body'], 'f.txt', { type: 'text/plain' }), encoder.encode('file body')]);
  return kinds;
}

export function conformanceSuite(ctx: ConformanceContext): ConformanceTest[] {
  const bucket = bucketFor(ctx.runtime);
  const base: OSSOptions = {
    endpoint: ctx.endpoint,
    accessKeyId: ctx.accessKeyId,
    accessKeySecret: ctx.accessKeySecret,
    region: ctx.region,
    timeout: 15_000,
  };
  const client = new OSSClient({ ...base, bucket });
  const tests: ConformanceTest[] = [];
  const test = (name: string, fn: () => Promise<void> | void) => tests.push({ name, fn });

  test('its bucket exists (emptied of any earlier run)', async () => {
    const info = await client.getBucketInfo(bucket);
    equal(info.bucket.Name, bucket, 'bucket name');
    await emptyBucket(client);
  });

  if (!crossOriginPage(ctx.endpoint)) {
    test('bucket lifecycle: putBucket, listBuckets, BucketNotEmpty, deleteBucket', async () => {
      const name = `${bucket}-${Date.now().toString(36)}`;
      equal((await client.putBucket(name)).res.status, 200, 'putBucket status');
      const { buckets } = await client.listBuckets({ prefix: name });
      deepEqual(buckets.map((b) => b.name), [name], 'listBuckets names');
      await client.put('x', 'x', { bucket: name });
      await rejects(() => client.deleteBucket(name), 'BucketNotEmptyError', 'non-empty');
      await client.delete('x', { bucket: name });
      equal((await client.deleteBucket(name)).res.status, 204, 'deleteBucket status');
      await rejects(() => client.list({}, { bucket: name }), 'NoSuchBucketError', 'deleted bucket');
    });
  }

  test('put → get → head → delete round trip', async () => {
    const result = await client.put('round/trip.txt', 'round trip');
    equal(result.name, 'round/trip.txt', 'put name');
    match(result.etag, /^"[0-9A-F]{32}"$/, 'put etag');
    equal(result.res.status, 200, 'put status');
    const got = await client.get('round/trip.txt');
    equal(decoder.decode(got.content), 'round trip', 'get content');
    equal(got.res.headers['content-type'], 'text/plain', 'content-type from the extension');
    equal(got.res.headers.etag, result.etag, 'get etag');
    const headed = await client.head('round/trip.txt');
    equal(headed.status, 200, 'head status');
    equal(headed.res.headers['content-length'], '10', 'head content-length');
    const deleted = await client.delete('round/trip.txt');
    equal(deleted.res.status, 204, 'delete status');
    const err = await rejects(() => client.head('round/trip.txt'), 'NoSuchKeyError', 'head after delete');
    equal(err.status, 404, 'status of the HEAD error');
  });

  for (const [kind, make, expected] of bodyKinds()) {
    test(`put body kind: ${kind}`, async () => {
      const key = `bodies/${kind.replace(/\W+/g, '-')}`;
      await client.put(key, make() as never);
      const got = await client.get(key);
      bytesEqual(got.content, expected, `${kind} bytes`);
      equal(got.res.headers['content-length'], String(expected.length), `${kind} content-length`);
    });
  }

  test('put body kind: ReadableStream (where fetch can stream a request body)', async () => {
    const parts = [pattern(1000, 1), pattern(70_000, 2), pattern(1, 3)];
    if (!streamedUploads()) {
      await rejects(() => client.put('bodies/stream.bin', streamOf(parts)), undefined, 'a streamed put this runtime cannot send');
      await rejects(() => client.head('bodies/stream.bin'), 'NoSuchKeyError', 'nothing stored');
      return;
    }
    await client.put('bodies/stream.bin', streamOf(parts));
    const got = await client.get('bodies/stream.bin');
    bytesEqual(got.content, new Uint8Array([...parts[0]!, ...parts[1]!, ...parts[2]!]), 'stream bytes');
  });

  test('keeps mime, user metadata (UTF-8) and headers', async () => {
    await client.put('meta/doc.json', '{"a":1}', {
      meta: { owner: 'ann', note: 'naïve ✓' },
      headers: { 'Cache-Control': 'no-cache', 'Content-Disposition': 'attachment; filename="doc.json"' },
    });
    const headed = await client.head('meta/doc.json');
    deepEqual(headed.meta, { owner: 'ann', note: 'naïve ✓' }, 'meta');
    equal(headed.res.headers['content-type'], 'application/json', 'content-type');
    equal(headed.res.headers['cache-control'], 'no-cache', 'cache-control');
    await client.put('meta/explicit', 'x', { mime: 'text/x-custom' });
    equal((await client.head('meta/explicit')).res.headers['content-type'], 'text/x-custom', 'explicit mime');
  });

  test('keys with spaces, unicode and reserved characters', async () => {
    const keys = ['odd/a b+c.txt', 'odd/ünïcødé/文件.txt', 'odd/q?x=1&y=%20#frag', 'odd/tilde~star*(paren)'];
    for (const key of keys) {
      await client.put(key, key);
      equal(decoder.decode((await client.get(key)).content), key, `content of ${key}`);
    }
    const names = (await client.list({ prefix: 'odd/' })).objects.map((o) => o.name);
    deepEqual(names.sort(), [...keys].sort(), 'listed keys');
  });

  test('list: prefix, delimiter, max-keys and markers', async () => {
    for (const key of ['list/a.txt', 'list/b.txt', 'list/c.txt', 'list/sub/d.txt', 'list/sub/e.txt']) await client.put(key, key);
    const top = await client.list({ prefix: 'list/', delimiter: '/' });
    deepEqual(top.objects.map((o) => o.name), ['list/a.txt', 'list/b.txt', 'list/c.txt'], 'objects');
    deepEqual(top.prefixes, ['list/sub/'], 'prefixes');
    equal(top.isTruncated, false, 'isTruncated');
    const first = top.objects[0]!;
    equal(first.size, 'list/a.txt'.length, 'size');
    match(first.etag, /^"[0-9A-F]{32}"$/, 'etag');
    ok(!Number.isNaN(Date.parse(first.lastModified)), 'lastModified is a date');
    const page = await client.list({ prefix: 'list/', 'max-keys': 2 });
    equal(page.objects.length, 2, 'page size');
    equal(page.isTruncated, true, 'first page truncated');
    const next = await client.list({ prefix: 'list/', 'max-keys': 2, marker: page.nextMarker! });
    deepEqual(next.objects.map((o) => o.name), ['list/c.txt', 'list/sub/d.txt'], 'second page');
  });

  test('listAll pages through everything, reads ahead, and stops when the loop breaks', async () => {
    const keys = Array.from({ length: 7 }, (_, i) => `all/${String(i).padStart(2, '0')}`);
    await Promise.all(keys.map((k) => client.put(k, k)));
    // A client that counts its requests: the pages listAll fetched are what it did, not our loop.
    let requests = 0;
    const counting = new OSSClient({ ...base, bucket, fetch: (input, init) => (requests++, fetch(input, init)) });
    const seen: string[] = [];
    for await (const entry of counting.listAll({ prefix: 'all/', pageSize: 2 })) seen.push(entry.name);
    deepEqual(seen, keys, 'every key in order');
    equal(requests, 4, 'four pages of two for seven keys');
    requests = 0;
    const before: string[] = [];
    for await (const entry of counting.listAll({ prefix: 'all/', pageSize: 2, readAhead: false })) {
      before.push(entry.name);
      if (before.length === 3) break;
    }
    deepEqual(before, keys.slice(0, 3), 'the first three keys');
    equal(requests, 2, 'readAhead: false: no page fetched after the loop broke in the second');
    // By default, once the loop has gone through page 1, page 3 is requested while the loop is
    // in page 2; breaking there cancels that request.
    const signals: AbortSignal[] = [];
    let thirdSent!: () => void;
    const third = new Promise<void>((resolve) => (thirdSent = resolve));
    const watching = new OSSClient({
      ...base, bucket,
      fetch: (input, init) => {
        signals.push(init!.signal!);
        if (signals.length === 3) thirdSent();
        return fetch(input, init);
      },
    });
    const ahead: string[] = [];
    for await (const entry of watching.listAll({ prefix: 'all/', pageSize: 2 })) {
      ahead.push(entry.name);
      if (ahead.length < 3) continue;
      await third; // never settles without reading ahead: the test times out
      equal(signals[2]!.aborted, false, 'page 3 in flight while the loop is in page 2');
      break;
    }
    equal(signals.length, 3, 'no request after the loop broke');
    equal(signals[2]!.aborted, true, 'the page read ahead is cancelled when the loop breaks');
  });

  test('getStream streams a 2 MiB object chunk by chunk', async () => {
    const big = pattern(2 * 1024 * 1024, 7);
    await client.put('stream/big.bin', big);
    const { stream, res } = await client.getStream('stream/big.bin');
    equal(res.status, 200, 'status');
    equal(res.headers['content-length'], String(big.length), 'content-length');
    ok(stream instanceof ReadableStream, 'a Web ReadableStream');
    bytesEqual(await readAll(stream), big, 'streamed bytes');
  });

  test('ranges and conditional GETs', async () => {
    await client.put('range.bin', pattern(1000));
    const part = await client.get('range.bin', { headers: { Range: 'bytes=100-199' } });
    equal(part.res.status, 206, 'range status');
    bytesEqual(part.content, pattern(1000).subarray(100, 200), 'range bytes');
    const { res } = await client.head('range.bin');
    const unchanged = await client.get('range.bin', { headers: { 'If-None-Match': res.headers.etag! } });
    equal(unchanged.res.status, 304, 'not modified');
    equal(unchanged.content.length, 0, 'no body on 304');
  });

  test('standalone functions over a bare OSSCore', async () => {
    const core = new OSSCore({ ...base, bucket });
    await put(core, 'core/x.bin', new Uint8Array([9, 8, 7]));
    bytesEqual((await get(core, 'core/x.bin')).content, new Uint8Array([9, 8, 7]), 'bytes');
    equal((await head(core, 'core/x.bin')).status, 200, 'head');
    deepEqual((await list(core, { prefix: 'core/' })).objects.map((o) => o.name), ['core/x.bin'], 'list');
    await deleteObject(core, 'core/x.bin');
    await rejects(() => get(core, 'core/x.bin'), 'NoSuchKeyError', 'get after delete');
  });

  // Opt-in features (issue 17): each one off (a bare OSSCore refuses what needs it, naming the
  // import, and does without the rest) and on (given alone to a bare OSSCore, it works).
  test('opt-in features off: a bare OSSCore names the import an option needs, and uploads without the rest', async () => {
    for (const [options, feature] of [[{ signatureVersion: 'v1' }, 'v1Signing'], [{ crc64: true }, 'crc64Checks']] as const) {
      const err = await rejects(() => new OSSCore({ ...base, bucket, ...options }), 'OSSArgumentError', feature);
      match(err.message, new RegExp(`import \\{ ${feature} \\}`), `${feature} named`);
    }
    const core = new OSSCore({ ...base, bucket });
    const noProgress = await rejects(() => put(core, 'features/off.png', 'x', { onProgress: () => {} }), 'OSSArgumentError', 'onProgress');
    match(noProgress.message, /import \{ uploadProgress \}/, 'uploadProgress named');
    const noCallback = await rejects(() => put(core, 'features/off.png', 'x', { callback: { url: 'http://127.0.0.1:1/', body: 'a=1' } }), 'OSSArgumentError', 'callback');
    match(noCallback.message, /import \{ uploadCallbacks \}/, 'uploadCallbacks named');
    await put(core, 'features/off.png', new Uint8Array([1, 2, 3]));
    equal((await head(core, 'features/off.png')).res.headers['content-type'], 'application/octet-stream', 'no type guessed from the name');
    // Without crc64Checks nothing compares the bytes: a corrupted download is not caught.
    const corrupting = new OSSCore({ ...base, bucket, fetch: corruptDownloads });
    bytesEqual((await get(corrupting, 'features/off.png')).content, new Uint8Array([1 ^ 0xff, 2, 3]), 'corrupted bytes pass unchecked');
    // Without uploadProgress, multipartUpload still reports progress, once per part (as ali-oss does).
    const seen: number[] = [];
    await multipartUpload(core, 'features/parts.bin', pattern(250 * 1024, 9), { partSize: 100 * 1024, parallel: 1, onProgress: (p) => seen.push(p.loaded) });
    deepEqual(seen, [100 * 1024, 200 * 1024, 250 * 1024, 250 * 1024], 'progress per part, then 100% once complete');
  });

  test('opt-in features on: each one alone on a bare OSSCore', async () => {
    const v1 = new OSSCore({ ...base, bucket, signatureVersion: 'v1', features: [v1Signing] });
    await put(v1, 'features/v1.txt', 'signed with v1');
    equal(decoder.decode((await get(v1, 'features/v1.txt')).content), 'signed with v1', 'V1 round trip');

    const checked = new OSSCore({ ...base, bucket, fetch: corruptDownloads, features: [crc64Checks] });
    await rejects(() => get(checked, 'features/v1.txt'), 'CRC64MismatchError', 'a corrupted download is caught');

    const typed = new OSSCore({ ...base, bucket, features: [mimeTypes] });
    await put(typed, 'features/on.png', new Uint8Array([1, 2, 3]));
    equal((await head(typed, 'features/on.png')).res.headers['content-type'], 'image/png', 'type from the name');

    const tracked = new OSSCore({ ...base, bucket, features: [uploadProgress] });
    const events: UploadProgress[] = [];
    await put(tracked, 'features/progress.bin', pattern(200 * 1024, 4), { onProgress: (p) => events.push({ ...p }) });
    equal(events.at(-1)!.percent, 100, 'put reports progress to 100%');

    // The callback goes out as OSS specifies; the answer is read as the app's (a stand-in fetch plays OSS).
    let sent: string | null = null;
    const answering: typeof fetch = async (input, init) => {
      sent = new Headers(init?.headers).get('x-oss-callback');
      return new Response('{"ok":true}', { status: 200, headers: { etag: '"E"' } });
    };
    const callbacks = new OSSCore({ ...base, bucket, fetch: answering, features: [uploadCallbacks] });
    const answered = await put(callbacks, 'features/cb.txt', 'x', { callback: { url: 'https://app.example/cb', body: 'object=${object}' } });
    deepEqual(answered.data, { ok: true }, 'the app\'s answer');
    equal(JSON.parse(decoder.decode(Uint8Array.from(atob(sent!), (c) => c.charCodeAt(0)))).callbackUrl, 'https://app.example/cb', 'x-oss-callback carries the URL');
  });

  test('signature V1 works as well', async () => {
    const v1 = new OSSClient({ ...base, bucket, signatureVersion: 'v1' });
    await v1.put('v1/a.txt', 'signed with v1', { meta: { k: 'v' } });
    equal(decoder.decode((await v1.get('v1/a.txt')).content), 'signed with v1', 'content');
    deepEqual((await v1.head('v1/a.txt')).meta, { k: 'v' }, 'meta');
  });

  test('presigned GET and PUT URLs work with plain fetch', async () => {
    await client.put('presigned/get.txt', 'presigned body');
    const common = { accessKeyId: ctx.accessKeyId, accessKeySecret: ctx.accessKeySecret, region: ctx.region, endpoint: ctx.endpoint, bucket, date: new Date(), expires: 300 };
    const getUrl = await presignV4({ ...common, key: 'presigned/get.txt', method: 'GET' });
    const response = await fetch(getUrl.url);
    equal(response.status, 200, 'GET status');
    equal(await response.text(), 'presigned body', 'GET body');
    const putUrl = await presignV4({ ...common, key: 'presigned/put.bin', method: 'PUT' });
    const uploaded = await fetch(putUrl.url, { method: 'PUT', body: new Uint8Array([1, 2, 3]) });
    equal(uploaded.status, 200, 'PUT status');
    bytesEqual((await client.get('presigned/put.bin')).content, new Uint8Array([1, 2, 3]), 'uploaded bytes');
    const tampered = getUrl.url.replace('presigned%2Fget.txt', 'presigned%2Fput.bin').replace('presigned/get.txt', 'presigned/put.bin');
    equal((await fetch(tampered)).status, 403, 'a URL for another key is refused');
  });

  test('signatureUrl: presigned GET and PUT (V4 and V1) used with plain fetch', async () => {
    await client.put('signed/get.txt', 'signed body');
    for (const signatureVersion of ['v4', 'v1'] as const) {
      const signer = new OSSClient({ ...base, bucket, signatureVersion });
      const getUrl = await signer.signatureUrl('signed/get.txt', { expires: 300 });
      const got = await fetch(getUrl);
      equal(got.status, 200, `${signatureVersion} GET status`);
      equal(await got.text(), 'signed body', `${signatureVersion} GET body`);
      const putUrl = await signer.signatureUrl(`signed/put-${signatureVersion}.txt`, { method: 'PUT', expires: 300, 'Content-Type': 'text/plain' });
      const sent = await fetch(putUrl, { method: 'PUT', body: 'sent by fetch', headers: { 'Content-Type': 'text/plain' } });
      equal(sent.status, 200, `${signatureVersion} PUT status`);
      equal(decoder.decode((await client.get(`signed/put-${signatureVersion}.txt`)).content), 'sent by fetch', `${signatureVersion} PUT stored`);
      const wrongType = await fetch(putUrl, { method: 'PUT', body: 'x', headers: { 'Content-Type': 'image/png' } });
      equal(wrongType.status, 403, `${signatureVersion} PUT with another Content-Type is refused`);
    }
  });

  test('multipartUpload: parts in parallel, progress to 100%, the same bytes back', async () => {
    const body = pattern(350 * 1024, 5);
    const seen: UploadProgress[] = [];
    const input = typeof Blob === 'undefined' ? body : new Blob([body]);
    const result = await client.multipartUpload('mp/blob.bin', input, { partSize: 100 * 1024, parallel: 2, onProgress: (p) => seen.push({ ...p }) });
    equal(result.name, 'mp/blob.bin', 'name');
    match(result.etag, /^"[0-9A-F]{32}-4"$/, 'multipart etag (4 parts)');
    bytesEqual((await client.get('mp/blob.bin')).content, body, 'bytes');
    ok(seen.length > 0, 'progress was reported');
    for (let i = 1; i < seen.length; i++) ok(seen[i]!.loaded >= seen[i - 1]!.loaded, 'progress never goes backwards');
    equal(seen.at(-1)!.percent, 100, 'last progress');
    equal(seen.at(-1)!.loaded, body.length, 'last loaded');
  });

  test('multipartUpload of a ReadableStream of unknown length (standalone function)', async () => {
    const parts = [pattern(150 * 1024, 1), pattern(120 * 1024, 2), pattern(10, 3)];
    const core = new OSSCore({ ...base, bucket });
    const result = await multipartUpload(core, 'mp/stream.bin', streamOf(parts), { partSize: 100 * 1024 });
    match(result.etag, /-3"$/, 'three parts');
    bytesEqual((await get(core, 'mp/stream.bin')).content, new Uint8Array([...parts[0]!, ...parts[1]!, ...parts[2]!]), 'bytes');
  });

  test('STS: temporary keys from a back end, refreshed once for parallel requests', async () => {
    let calls = 0;
    const sts = new OSSClient({
      endpoint: ctx.endpoint,
      region: ctx.region,
      bucket,
      timeout: 15_000,
      refreshSTSToken: async () => {
        calls += 1;
        const response = await fetch(ctx.stsUrl);
        if (!response.ok) throw new Error(`the STS route answered ${response.status}`);
        return response.json();
      },
    });
    await Promise.all([0, 1, 2, 3].map((i) => sts.put(`sts/${i}.txt`, `part ${i}`)));
    equal(calls, 1, 'refresh calls');
    equal(decoder.decode((await sts.get('sts/3.txt')).content), 'part 3', 'content');
    const url = await sts.signatureUrl('sts/3.txt', { expires: 60 });
    ok(/security-token=/i.test(url), 'the presigned URL carries the token');
    equal(await (await fetch(url)).text(), 'part 3', 'presigned with temporary keys');
    const forged = new OSSClient({ ...base, bucket, accessKeyId: 'STS.forged', stsToken: 'not-a-token' });
    await rejects(() => forged.get('sts/3.txt'), 'InvalidAccessKeyIdError', 'an unknown temporary key');
  });

  test('timeout: the client timeout option gives TimeoutError', async () => {
    // The server stalls this prefix for 60 s and this client's own timeout is longer still: only
    // the call's 300 ms timeout can end it with TimeoutError.
    const patient = new OSSClient({ ...base, bucket, timeout: 120_000 });
    const err = await rejects(() => patient.get(`${ctx.stallPrefix}timeout`, { timeout: 300 }), 'TimeoutError', 'stalled get');
    ok(err instanceof OSSError, 'an OSSError');
  });

  test('timeout: AbortSignal.timeout gives TimeoutError', async () => {
    const err = await rejects(() => client.get(`${ctx.stallPrefix}signal`, { signal: AbortSignal.timeout(300) }), 'TimeoutError', 'stalled get');
    ok(err instanceof OSSError, 'an OSSError');
  });

  test('abort: an aborted signal gives AbortError before and during a download', async () => {
    const before = new AbortController();
    before.abort();
    const err = await rejects(() => client.put('abort/never.txt', 'x', { signal: before.signal }), 'AbortError', 'pre-aborted put');
    ok(err instanceof OSSError, 'an OSSError');
    await rejects(() => client.head('abort/never.txt'), 'NoSuchKeyError', 'nothing was stored');

    await client.put('abort/big.bin', pattern(4 * 1024 * 1024));
    const during = new AbortController();
    const { stream } = await client.getStream('abort/big.bin', { signal: during.signal });
    const reader = stream.getReader();
    await reader.read();
    during.abort();
    const readErr = await rejects(async () => {
      for (;;) if ((await reader.read()).done) return 'finished';
    }, undefined, 'reading after abort');
    ok(/abort/i.test(`${readErr.name} ${readErr.message}`), `an abort error, got ${readErr.name}: ${readErr.message}`);
  });

  test('error names: NoSuchKey, NoSuchBucket, SignatureDoesNotMatch, InvalidAccessKeyId', async () => {
    const missing = await rejects(() => client.get('no/such/key'), 'NoSuchKeyError', 'get missing');
    ok(missing instanceof OSSError, 'an OSSError');
    equal(missing.code, 'NoSuchKey', 'code');
    equal(missing.status, 404, 'status');
    match(missing.requestId as string, /\S/, 'requestId');
    await rejects(() => client.head('no/such/key'), 'NoSuchKeyError', 'head missing (x-oss-err)');
    // A page cannot see it: OSS refuses the preflight of a missing bucket, so fetch fails as a network error.
    const bucketError = crossOriginPage(ctx.endpoint) ? 'RequestError' : 'NoSuchBucketError';
    await rejects(() => client.get('x', { bucket: 'no-such-bucket-conformance' }), bucketError, 'missing bucket');
    const secret = 'wrong-secret-do-not-leak';
    const wrong = new OSSClient({ ...base, bucket, accessKeySecret: secret });
    const bad = await rejects(() => wrong.put('x.txt', 'x'), 'SignatureDoesNotMatchError', 'wrong secret');
    equal(bad.status, 403, 'status');
    ok(!JSON.stringify(bad).includes(secret) && !bad.message.includes(secret), 'the secret is not in the error');
    const unknown = new OSSClient({ ...base, bucket, accessKeyId: 'no-such-key-id' });
    await rejects(() => unknown.get('x.txt'), 'InvalidAccessKeyIdError', 'unknown key id');
  });

  test('bad arguments fail before sending with OSSArgumentError', async () => {
    const empty = await rejects(() => client.put('', 'x'), 'OSSArgumentError', 'empty key');
    ok(empty instanceof OSSArgumentError && empty instanceof TypeError, 'an OSSArgumentError and a TypeError');
    equal(empty.argument, 'name', 'argument');
    await rejects(() => client.put('a/../b', 'x'), 'OSSArgumentError', 'dot segment');
    await rejects(() => client.put('x', 42 as never), 'OSSArgumentError', 'number body');
    await rejects(() => client.list({ 'max-keys': 5000 }), 'OSSArgumentError', 'max-keys');
    const ctor = await rejects(() => new OSSClient({ ...base, bucket: 'Bad_Bucket' }), 'OSSArgumentError', 'bucket name');
    equal(ctor.argument, 'bucket', 'argument');
  });

  test('cleans up after itself', async () => {
    await emptyBucket(client);
    equal((await client.list()).objects.length, 0, 'objects left');
  });

  return tests;
}

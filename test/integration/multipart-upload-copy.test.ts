// multipartUploadCopy against the local server over HTTP: whole and ranged copies (byte-exact,
// CRC-64 of the source), progress, abort and resume from a checkpoint, a versioned source, the
// source pinned by its ETag, bad input refused before any request, an STS key limited to a prefix,
// and ali-oss's multipartUploadCopy making the same copy as a second opinion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient, OSSError, STS, type MultipartCheckpoint, type UploadProgress } from '../../src/index.js';
import { crc64 } from '../../src/core/crc64.js';
import type { StartedServer } from '../../src/server/index.js';
import { creds, httpServer } from '../helpers/server.js';
import { aliOssClient } from '../helpers/ali-oss.js';
import { expectBytes } from '../helpers/bytes.js';

const KB = 1024;
const PART = 100 * KB;
const BUCKET = 'copies';
const bytes = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => (i * 31 + seed + (i >> 12)) % 251);

/** What a request was: head, init, copy:N (UploadPartCopy), part:N, complete:<uploadId>, listParts, abort, or its method. */
function kindOf(method: string, url: URL, headers: Headers): string {
  const q = url.searchParams;
  if (method === 'POST' && q.has('uploads')) return 'init';
  if (method === 'PUT' && q.has('partNumber')) return `${headers.has('x-oss-copy-source') ? 'copy' : 'part'}:${q.get('partNumber')}`;
  if (method === 'POST' && q.has('uploadId')) return `complete:${q.get('uploadId')}`;
  if (method === 'GET' && q.has('uploadId')) return 'listParts';
  if (method === 'DELETE' && q.has('uploadId')) return 'abort';
  return method.toLowerCase();
}

let server: StartedServer;
/** Requests of `client`, in order. */
const log: string[] = [];
/** Awaited before UploadPartCopy `n` is sent, when set (`signal` is the part's). */
let beforeCopy: ((n: number, signal: AbortSignal | null | undefined) => Promise<void>) | undefined;
/** Rewrites `client`'s responses, when set. */
let tamper: ((kind: string, response: Response) => Response) | undefined;
let client: OSSClient;
/** A client whose requests are not logged, to set things up. */
let admin: OSSClient;

beforeAll(async () => {
  server = await httpServer({ buckets: [BUCKET, 'other', 'demo'] });
  admin = new OSSClient({ ...creds, endpoint: server.url, bucket: BUCKET });
  client = new OSSClient({
    ...creds, endpoint: server.url, bucket: BUCKET, retryDelay: 1,
    fetch: async (input, init) => {
      const kind = kindOf(init?.method ?? 'GET', new URL(String(input)), new Headers(init?.headers));
      log.push(kind);
      if (kind.startsWith('copy:') && beforeCopy) await beforeCopy(Number(kind.slice(5)), init?.signal);
      const response = await fetch(input, init);
      return tamper ? tamper(kind, response) : response;
    },
  });
});
afterAll(async () => server.close());

/** A multipart source object of `size` bytes, uploaded in parts of PART. */
async function source(name: string, size: number, seed = 1, bucket = BUCKET): Promise<Uint8Array> {
  const data = bytes(size, seed);
  await admin.multipartUpload(name, data, { partSize: PART, bucket });
  return data;
}

function checkProgress(events: UploadProgress[], total: number) {
  for (let i = 1; i < events.length; i++) expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
  expect(events.slice(0, -1).every((e) => e.percent !== undefined && e.percent <= 99)).toBe(true);
  expect(events.at(-1)).toEqual({ loaded: total, total, percent: 100 });
  expect(events.filter((e) => e.percent === 100)).toHaveLength(1);
}

/** Never settles until `signal` aborts. */
const hang = (signal: AbortSignal | null | undefined) => new Promise<void>((_, reject) => {
  signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
});

describe('multipartUploadCopy', () => {
  it('copies a multipart object in parallel parts: byte-exact, the source\'s CRC-64, progress to 100% after Complete, checkpoints', async () => {
    const data = await source('src/whole.bin', 5 * PART + 321);
    const sourceHead = await admin.head('src/whole.bin');
    const events: UploadProgress[] = [];
    const checkpoints: MultipartCheckpoint[] = [];
    log.length = 0;
    const result = await client.multipartUploadCopy('dst/whole.bin', { sourceKey: 'src/whole.bin' }, {
      partSize: PART, parallel: 3, meta: { owner: 'ann' },
      onProgress: (p) => {
        events.push(p);
        if (p.percent === 100) log.push('100%');
      },
      onCheckpoint: (cp) => checkpoints.push(cp),
    });
    expect(result).toMatchObject({ name: 'dst/whole.bin', bucket: BUCKET, crc64: crc64(data) });
    expect(result.crc64).toBe(sourceHead.res.headers['x-oss-hash-crc64ecma']);
    expect(result.etag).toMatch(/^"[0-9A-F]{32}-6"$/);
    const got = await admin.get('dst/whole.bin');
    expectBytes(got.content, data);
    expect(got.res.headers['x-oss-hash-crc64ecma']).toBe(sourceHead.res.headers['x-oss-hash-crc64ecma']);
    expect((await admin.head('dst/whole.bin')).meta).toEqual({ owner: 'ann' });
    // HEAD first, one init, six copies (no bytes sent), then the Complete and the 100% event.
    expect(log.slice(0, 2)).toEqual(['head', 'init']);
    expect(log.filter((k) => k.startsWith('copy:')).sort()).toEqual(['copy:1', 'copy:2', 'copy:3', 'copy:4', 'copy:5', 'copy:6']);
    expect(log.some((k) => k.startsWith('part:'))).toBe(false);
    expect(log.slice(-2)).toEqual([`complete:${checkpoints[0]!.uploadId}`, '100%']);
    checkProgress(events, data.length);
    expect(checkpoints).toHaveLength(7);
    expect(checkpoints[0]).toMatchObject({
      name: 'dst/whole.bin', bucket: BUCKET, partSize: PART, fileSize: data.length, doneParts: [],
      copySource: { bucket: BUCKET, key: 'src/whole.bin', startOffset: 0, etag: sourceHead.res.headers.etag },
    });
    const last = checkpoints.at(-1)!;
    expect(JSON.parse(JSON.stringify(last))).toEqual(last);
    expect(last.doneParts.map((p) => [p.number, p.size])).toEqual([[1, PART], [2, PART], [3, PART], [4, PART], [5, PART], [6, 321]]);
    expect(last.doneParts[5]!.crc64).toBe(crc64(data.subarray(5 * PART)));
  });

  it('copies byte ranges [startOffset, endOffset), from another bucket, and a source smaller than a part as one part', async () => {
    const data = await source('src/range.bin', 4 * PART + 77, 2, 'other');
    const from = (startOffset?: number, endOffset?: number) => ({ sourceKey: 'src/range.bin', sourceBucketName: 'other', startOffset, endOffset });
    for (const [start, end] of [[1000, 3 * PART + 5], [PART + 1, undefined], [undefined, 2 * PART], [7, 9]] as const) {
      log.length = 0;
      const result = await client.multipartUploadCopy('dst/range.bin', from(start, end), { partSize: PART });
      const want = data.subarray(start ?? 0, end ?? data.length);
      expectBytes((await admin.get('dst/range.bin')).content, want);
      expect(result.crc64).toBe(crc64(want));
      // endOffset given: the source's size is not needed, so it is not HEADed.
      expect(log[0]).toBe(end === undefined ? 'head' : 'init');
      expect(log.filter((k) => k.startsWith('copy:'))).toHaveLength(Math.ceil(want.length / PART));
    }
    // A source smaller than a part: one UploadPartCopy (ali-oss refuses sources under 100 KB).
    await admin.put('src/tiny.txt', 'tiny but whole');
    log.length = 0;
    const tiny = await client.multipartUploadCopy('dst/tiny.txt', { sourceKey: 'src/tiny.txt' });
    expect(new TextDecoder().decode((await admin.get('dst/tiny.txt')).content)).toBe('tiny but whole');
    expect(tiny.etag).toMatch(/-1"$/);
    expect(log.filter((k) => k.startsWith('copy:'))).toEqual(['copy:1']);
    expect((await admin.head('dst/tiny.txt')).res.headers['content-type']).toBe('text/plain');
  });

  it('takes the Content-Type from mime, then the key, then the source', async () => {
    await admin.put('src/typed', bytes(10), { mime: 'image/x-test' });
    await client.multipartUploadCopy('dst/typed', { sourceKey: 'src/typed' });
    expect((await admin.head('dst/typed')).res.headers['content-type']).toBe('image/x-test');
    await client.multipartUploadCopy('dst/typed.json', { sourceKey: 'src/typed' });
    expect((await admin.head('dst/typed.json')).res.headers['content-type']).toBe('application/json');
    await client.multipartUploadCopy('dst/typed.json', { sourceKey: 'src/typed' }, { mime: 'text/x-mine' });
    expect((await admin.head('dst/typed.json')).res.headers['content-type']).toBe('text/x-mine');
  });

  it('abort keeps the copy; the checkpoint resumes it with the same uploadId without copying done parts again', async () => {
    const data = await source('src/resume.bin', 6 * PART + 9, 3);
    const controller = new AbortController();
    let last: MultipartCheckpoint | undefined;
    // Copies 3 on never answer: only the abort reaching their requests ends the copy.
    beforeCopy = async (n, signal) => (n >= 3 ? hang(signal) : undefined);
    const err = await client.multipartUploadCopy('dst/resume.bin', { sourceKey: 'src/resume.bin' }, {
      partSize: PART, parallel: 2, signal: controller.signal,
      onCheckpoint: (cp) => {
        last = cp;
        if (cp.doneParts.length === 2) controller.abort(new Error('user pressed cancel'));
      },
    }).catch((e: unknown) => e);
    beforeCopy = undefined;
    expect(err).toBeInstanceOf(OSSError);
    expect(err).toMatchObject({ name: 'AbortError', code: 'RequestAborted' });
    expect(last!.doneParts.map((p) => p.number)).toEqual([1, 2]);
    expect((await admin.listParts('dst/resume.bin', last!.uploadId)).parts.map((p) => p.number)).toEqual([1, 2]);

    const saved = JSON.parse(JSON.stringify(last)) as MultipartCheckpoint;
    const events: UploadProgress[] = [];
    log.length = 0;
    const result = await client.multipartUploadCopy('dst/resume.bin', { sourceKey: 'src/resume.bin' }, {
      checkpoint: saved, onProgress: (p) => events.push(p),
    });
    expect(result.crc64).toBe(crc64(data));
    expectBytes((await admin.get('dst/resume.bin')).content, data);
    expect(log).not.toContain('init');
    expect(log).toContain(`complete:${saved.uploadId}`);
    expect(log.filter((k) => k.startsWith('copy:')).sort()).toEqual(['copy:3', 'copy:4', 'copy:5', 'copy:6', 'copy:7']);
    checkProgress(events, data.length);
  });

  it('pins the source by its ETag: an overwrite mid-copy fails it, and a resume after an overwrite is refused', async () => {
    await source('src/moving.bin', 3 * PART, 4);
    let last: MultipartCheckpoint | undefined;
    beforeCopy = async (n) => {
      if (n === 2) await admin.put('src/moving.bin', bytes(3 * PART, 5));
    };
    const err = await client.multipartUploadCopy('dst/moving.bin', { sourceKey: 'src/moving.bin' }, {
      partSize: PART, parallel: 1, onCheckpoint: (cp) => (last = cp),
    }).catch((e: unknown) => e);
    beforeCopy = undefined;
    expect(err).toMatchObject({ code: 'PreconditionFailed', status: 412 });
    expect(last!.doneParts.map((p) => p.number)).toEqual([1]);
    const refused = await client.multipartUploadCopy('dst/moving.bin', { sourceKey: 'src/moving.bin' }, { checkpoint: last }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OSSArgumentError);
    expect(String(refused)).toMatch(/source \/copies\/src\/moving\.bin changed since the checkpoint was made/);
    // Resuming from another source (of the same size), or an upload's checkpoint, is refused too.
    await source('src/other.bin', 3 * PART, 6);
    await expect(client.multipartUploadCopy('dst/moving.bin', { sourceKey: 'src/other.bin' }, { checkpoint: last }))
      .rejects.toThrow(/it copies \/copies\/src\/moving\.bin from byte 0, not \/copies\/src\/other\.bin from byte 0/);
    await expect(client.multipartUploadCopy('dst/moving.bin', { sourceKey: 'src/moving.bin' }, { checkpoint: { ...last!, copySource: undefined } }))
      .rejects.toThrow(/it is for an upload, not a copy/);
    await expect(client.multipartUpload('dst/moving.bin', bytes(3 * PART), { checkpoint: last }))
      .rejects.toThrow(/it is for a copy, not an upload/);
    await admin.abortMultipartUpload('dst/moving.bin', last!.uploadId);
  });

  it('checks a whole copy against the source\'s CRC-64 when the parts carry none', async () => {
    await source('src/crc.bin', 2 * PART + 5, 11);
    const withHeader = (response: Response, crc: string | null) => {
      const headers = new Headers(response.headers);
      if (crc === null) headers.delete('x-oss-hash-crc64ecma');
      else headers.set('x-oss-hash-crc64ecma', crc);
      return new Response(response.body, { status: response.status, headers });
    };
    // As through a CORS rule that exposes no CRC for parts: only the source's HEAD can tell.
    tamper = (kind, response) => kind.startsWith('copy:') ? withHeader(response, null) : kind.startsWith('complete:') ? withHeader(response, '12345') : response;
    const err = await client.multipartUploadCopy('dst/crc.bin', { sourceKey: 'src/crc.bin' }, { partSize: PART }).catch((e: unknown) => e);
    tamper = undefined;
    expect(err).toMatchObject({ name: 'CRC64MismatchError', code: 'CRC64Mismatch' });
    expect(String(err)).toContain('the copy "dst/crc.bin" of "src/crc.bin"');
  });

  it('copies an older version of the source (versionId)', async () => {
    await admin.putBucketVersioning('demo', 'Enabled');
    const v1 = bytes(2 * PART + 3, 6);
    const first = await admin.put('src/v.bin', v1, { bucket: 'demo' });
    await admin.put('src/v.bin', bytes(PART, 7), { bucket: 'demo' });
    const versionId = first.res.headers['x-oss-version-id']!;
    expect(versionId).toBeTruthy();
    const result = await client.multipartUploadCopy('dst/v.bin', { sourceKey: 'src/v.bin', sourceBucket: 'demo' }, { partSize: PART, versionId });
    expect(result.crc64).toBe(crc64(v1));
    expectBytes((await admin.get('dst/v.bin')).content, v1);
  });

  it('abortOnFailure deletes the parts of a copy that failed for good', async () => {
    const from = { sourceKey: 'src/missing.bin', endOffset: 2 * PART };
    const kept = await client.multipartUploadCopy('dst/failed.bin', from, { partSize: PART, parallel: 1 }).catch((e: unknown) => e);
    expect(kept).toMatchObject({ code: 'NoSuchKey' });
    expect((await admin.listUploads({ prefix: 'dst/failed.bin' })).uploads).toHaveLength(1);
    const gone = await client.multipartUploadCopy('dst/cleaned.bin', from, { partSize: PART, parallel: 1, abortOnFailure: true }).catch((e: unknown) => e);
    expect(gone).toMatchObject({ code: 'NoSuchKey' });
    expect((await admin.listUploads({ prefix: 'dst/cleaned.bin' })).uploads).toHaveLength(0);
  });

  it('refuses bad input with typed errors before any request', async () => {
    const cases: Array<[() => Promise<unknown>, RegExp]> = [
      [() => client.multipartUploadCopy('', { sourceKey: 'a' }), /name/],
      [() => client.multipartUploadCopy('d', null as never), /source/],
      [() => client.multipartUploadCopy('d', {} as never), /source\.sourceKey/],
      [() => client.multipartUploadCopy('d', { sourceKey: 'a', sourceBucket: 'Bad_Bucket' }), /source\.sourceBucket/],
      [() => client.multipartUploadCopy('d', { sourceKey: 'a', key: 'b' } as never), /source\.key.*not a field/],
      [() => client.multipartUploadCopy('d', { sourceKey: 'a', startOffset: -1 }), /source\.startOffset/],
      [() => client.multipartUploadCopy('d', { sourceKey: 'a', startOffset: 5, endOffset: 5 }), /source\.endOffset.*empty/],
      [() => client.multipartUploadCopy('d', { sourceKey: 'a', endOffset: 1.5 }), /source\.endOffset/],
      [() => client.multipartUploadCopy('d', { sourceKey: 'a' }, { partSize: 1 }), /options\.partSize/],
      [() => client.multipartUploadCopy('d', { sourceKey: 'a' }, { parallel: 0 }), /options\.parallel/],
      [() => client.multipartUploadCopy('d', { sourceKey: 'a' }, { onProgress: 1 as never }), /options\.onProgress/],
      [() => client.multipartUploadCopy('d', { sourceKey: 'a' }, { progress: () => {} } as never), /options\.progress.*uses onProgress/],
      [() => client.multipartUploadCopy('d', { sourceKey: 'a' }, { copyheaders: {} } as never), /options\.copyheaders.*uses copyHeaders/],
      [() => client.multipartUploadCopy('d', { sourceKey: 'a' }, { callback: {} } as never), /options\.callback/],
      [() => client.multipartUploadCopy('d', { sourceKey: 'a' }, { copyHeaders: { 'Content-Type': 'x' } }), /options\.copyHeaders\.Content-Type/],
      [() => client.multipartUploadCopy('d', { sourceKey: 'a' }, { versionId: 1 as never }), /options\.versionId/],
      [() => client.multipartUploadCopy('d', { sourceKey: 'a' }, { checkpoint: { uploadId: 'u' } as never }), /options\.checkpoint/],
      [() => client.multipartUploadCopy('d', { sourceKey: 'a' }, { abortOnFailure: 'yes' as never }), /options\.abortOnFailure/],
      [() => client.multipartUploadCopy('d', { sourceKey: 'a' }, {
        checkpoint: { uploadId: 'u', name: 'd', bucket: BUCKET, partSize: PART, fileSize: 1, doneParts: [], copySource: 'a' as never },
      }), /options\.checkpoint.*copySource is not/],
    ];
    log.length = 0;
    for (const [call, message] of cases) {
      const err = await call().catch((e: unknown) => e);
      expect(err, String(message)).toBeInstanceOf(OSSArgumentError);
      expect(String(err)).toMatch(message);
    }
    expect(log).toEqual([]);
    const stopped = await client.multipartUploadCopy('d', { sourceKey: 'a' }, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(stopped).toMatchObject({ name: 'AbortError' });
    expect(log).toEqual([]);
    // Known only once the source is HEADed: an empty source, or a start past its end.
    await admin.put('src/empty', '');
    await expect(client.multipartUploadCopy('d', { sourceKey: 'src/empty' })).rejects.toThrow(/"src\/empty" is empty: copy\(\) copies an empty object/);
    await expect(client.multipartUploadCopy('d', { sourceKey: 'src/tiny.txt', startOffset: 99 })).rejects.toThrow(OSSArgumentError);
    expect(log.filter((k) => k !== 'head')).toEqual([]);
  });
});

describe('multipartUploadCopy with an STS key limited to a prefix', () => {
  it('copies within the prefix and cannot copy from outside it', async () => {
    await source('mine/a.bin', 2 * PART + 1, 8, 'demo');
    await source('theirs/b.bin', 2 * PART + 1, 9, 'demo');
    const sts = new STS({ ...creds, endpoint: `${server.url}/sts` });
    const { credentials: c } = await sts.assumeRole('acs:ram::1000000000000000:role/copier', {
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: ['oss:GetObject', 'oss:PutObject'], Resource: ['acs:oss:*:*:demo/mine/*'] }],
    }, 900, 'copier');
    const limited = new OSSClient({
      endpoint: server.url, bucket: 'demo', retries: 0, accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken,
    });
    const ok = await limited.multipartUploadCopy('mine/a-copy.bin', { sourceKey: 'mine/a.bin' }, { partSize: PART });
    expect(ok.crc64).toBe(crc64(bytes(2 * PART + 1, 8)));
    // Its HEAD of the source is refused…
    await expect(limited.multipartUploadCopy('mine/b-copy.bin', { sourceKey: 'theirs/b.bin' }, { partSize: PART }))
      .rejects.toMatchObject({ code: 'AccessDenied', status: 403 });
    // …and so is UploadPartCopy itself, when no HEAD is needed (endOffset given).
    const err = await limited.multipartUploadCopy('mine/b-copy.bin', { sourceKey: 'theirs/b.bin', endOffset: 2 * PART }, { partSize: PART, abortOnFailure: true })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'AccessDenied', status: 403 });
    expect(String(err)).not.toContain(c.AccessKeySecret);
    await expect(admin.head('mine/b-copy.bin', { bucket: 'demo' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('ali-oss multipartUploadCopy against the local server (second opinion)', () => {
  it('makes the same object as oss-fetch: bytes, CRC-64 and multipart ETag', async () => {
    const data = await source('src/ali.bin', 4 * PART + 55, 10);
    const ali = aliOssClient(server, { bucket: BUCKET });
    const fractions: number[] = [];
    const theirs = await ali.multipartUploadCopy('dst/ali-theirs.bin', { sourceKey: 'src/ali.bin', sourceBucketName: BUCKET }, {
      partSize: PART, parallel: 2, progress: (p: number) => void fractions.push(p),
    });
    expect(theirs.res.status).toBe(200);
    expect(fractions.at(-1)).toBe(1);
    const ours = await client.multipartUploadCopy('dst/ali-ours.bin', { sourceKey: 'src/ali.bin' }, { partSize: PART });
    const got = await admin.get('dst/ali-theirs.bin');
    expectBytes(got.content, data);
    expect(got.res.headers['x-oss-hash-crc64ecma']).toBe(ours.crc64);
    expect(got.res.headers.etag).toBe(ours.etag);
    // A range, as ali-oss takes it: endOffset exclusive.
    await ali.multipartUploadCopy('dst/ali-range.bin', { sourceKey: 'src/ali.bin', sourceBucketName: BUCKET, startOffset: 10, endOffset: 3 * PART }, { partSize: PART });
    await client.multipartUploadCopy('dst/ours-range.bin', { sourceKey: 'src/ali.bin', startOffset: 10, endOffset: 3 * PART }, { partSize: PART });
    expectBytes((await admin.get('dst/ali-range.bin')).content, data.subarray(10, 3 * PART));
    expectBytes((await admin.get('dst/ours-range.bin')).content, data.subarray(10, 3 * PART));
  });
});

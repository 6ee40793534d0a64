// The object API (put/get/head/getObjectMeta/copy/putMeta/deleteMulti/list/listV2/listAll)
// against the local server, over HTTP and in-process, in both signature versions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient, OSSError, type OSSOptions } from '../../src/index.js';
import { md5Base64 } from '../../src/core/md5.js';
import type { StartedServer } from '../../src/server/index.js';
import { AWKWARD_KEYS, sortByUtf8Bytes } from '../helpers/keys.js';
import { creds, httpServer, inProcessClient, uniqueBucket } from '../helpers/server.js';
import { readAll } from '../helpers/streams.js';

const enc = new TextEncoder();
const dec = new TextDecoder();


/** A stream that makes each chunk only when pulled, and counts the pulls. */
function lazyStream(chunks: number, size: number) {
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled === chunks) return controller.close();
        controller.enqueue(new Uint8Array(size).fill(state.pulled % 256));
        state.pulled++;
      },
    },
    { highWaterMark: 0 },
  );
  const expected = new Uint8Array(chunks * size);
  for (let i = 0; i < chunks; i++) expected.fill(i % 256, i * size, (i + 1) * size);
  return { stream, state, expected };
}

/** A WritableStream that keeps what it is given and remembers how it ended. */
function sink() {
  const chunks: Uint8Array[] = [];
  const state = { closed: false, aborted: undefined as unknown };
  const writable = new WritableStream<Uint8Array>({
    write: (c) => void chunks.push(c),
    close: () => void (state.closed = true),
    abort: (reason) => void (state.aborted = reason ?? 'aborted'),
  });
  return { writable, state, bytes: () => new Uint8Array(chunks.flatMap((c) => [...c])) };
}

const past = new Date(Date.now() - 3600_000).toUTCString();
const future = new Date(Date.now() + 3600_000).toUTCString();

for (const mode of ['in-process', 'http'] as const) {
  for (const signatureVersion of ['v4', 'v1'] as const) {
    describe(`objects (${mode}, ${signatureVersion})`, () => {
      let server: StartedServer | undefined;
      let client: OSSClient;
      let clientOptions: OSSOptions;
      const bucket = uniqueBucket('obj');
      const other = uniqueBucket('obj-other');

      beforeAll(async () => {
        if (mode === 'http') {
          server = await httpServer();
          clientOptions = { ...server.clientOptions, signatureVersion };
        } else {
          clientOptions = { ...inProcessClient().client.options, ...creds, signatureVersion };
        }
        client = new OSSClient(clientOptions);
        await client.putBucket(bucket);
        await client.putBucket(other);
        client.useBucket(bucket);
      });
      afterAll(async () => server?.close());

      describe('put', () => {
        it('sends every body kind, streams of unknown and known length included', async () => {
          const bytes = new Uint8Array([0, 1, 2, 250, 255]);
          const unknown = lazyStream(4, 1000);
          const known = lazyStream(3, 500);
          const bodies: Array<[string, unknown, Uint8Array, Record<string, unknown>?]> = [
            ['kinds/string.txt', 'héllo ✓', enc.encode('héllo ✓')],
            ['kinds/bytes.bin', bytes, bytes],
            ['kinds/buffer.bin', bytes.buffer.slice(0), bytes],
            ['kinds/i16.bin', new Int16Array([-1, 2]), new Uint8Array(new Int16Array([-1, 2]).buffer)],
            ['kinds/blob.bin', new Blob([bytes]), bytes],
            ['kinds/file.txt', new File(['file body'], 'f.txt'), enc.encode('file body')],
            ['kinds/stream-unknown.bin', unknown.stream, unknown.expected],
            ['kinds/stream-known.bin', known.stream, known.expected, { contentLength: 1500 }],
            ['kinds/empty', '', new Uint8Array(0)],
          ];
          for (const [name, body, expected, options] of bodies) {
            const put = await client.put(name, body as never, options);
            expect(put.etag, name).toMatch(/^"[0-9A-F]{32}"$/);
            expect(put.name).toBe(name);
            const got = await client.get(name);
            expect(got.content, name).toEqual(expected);
            expect(got.res.headers['content-length']).toBe(String(expected.length));
          }
        });

        it('streams an unknown-length body as it is read, never buffering it first', async () => {
          const { stream, state, expected } = lazyStream(20, 4096);
          const seen: Array<{ pulled: number; duplex?: string; length?: string | null; isStream: boolean }> = [];
          const inner = clientOptions.fetch ?? globalThis.fetch;
          const watching = new OSSClient({
            ...clientOptions,
            bucket,
            fetch: (input, init) => {
              const h = new Headers(init?.headers);
              seen.push({ pulled: state.pulled, duplex: (init as { duplex?: string }).duplex, length: h.get('content-length'), isStream: init?.body instanceof ReadableStream });
              return inner(input, init);
            },
          });
          await watching.put('stream/lazy.bin', stream);
          // fetch was called while most of the stream was still unread.
          expect(seen).toHaveLength(1);
          expect(seen[0]!.isStream).toBe(true);
          expect(seen[0]!.duplex).toBe('half');
          expect(seen[0]!.length).toBeNull();
          expect(seen[0]!.pulled).toBeLessThan(5);
          expect(state.pulled).toBe(20);
          expect((await client.get('stream/lazy.bin')).content).toEqual(expected);
        });

        it('a stream shorter than its contentLength is refused and stores nothing', async () => {
          const { stream } = lazyStream(2, 100);
          await expect(client.put('stream/short.bin', stream, { contentLength: 500 })).rejects.toBeInstanceOf(OSSError);
          await expect(client.head('stream/short.bin')).rejects.toMatchObject({ name: 'NoSuchKeyError' });
        });

        it('guesses the mime type from the extension, else the Blob type, else octet-stream', async () => {
          const cases: Array<[string, unknown, string]> = [
            ['mime/a.json', '{}', 'application/json'],
            ['mime/b.PNG', new Uint8Array(1), 'image/png'],
            ['mime/c', new Blob(['x'], { type: 'text/x-blob' }), 'text/x-blob'],
            ['mime/d', 'x', 'application/octet-stream'],
          ];
          for (const [name, body, type] of cases) {
            await client.put(name, body as never);
            expect((await client.head(name)).res.headers['content-type'], name).toBe(type);
          }
          await client.put('mime/e.json', 'x', { mime: 'text/x-explicit' });
          expect((await client.head('mime/e.json')).res.headers['content-type']).toBe('text/x-explicit');
          await client.put('mime/f.json', 'x', { headers: { 'Content-Type': 'text/x-header' } });
          expect((await client.head('mime/f.json')).res.headers['content-type']).toBe('text/x-header');
        });

        it('stores meta, content headers and storage class, and returns them on GET and HEAD', async () => {
          await client.put('attrs/a.txt', 'attrs', {
            meta: { owner: 'ann', note: 'naïve ✓', n: 7 },
            headers: {
              'Cache-Control': 'max-age=60',
              'Content-Disposition': 'attachment; filename="a.txt"',
              'Content-Encoding': 'identity',
              'Content-Language': 'en',
              Expires: 'Wed, 21 Oct 2037 07:28:00 GMT',
            },
            storageClass: 'IA',
          });
          for (const res of [(await client.head('attrs/a.txt')).res, (await client.get('attrs/a.txt')).res]) {
            expect(res.headers['cache-control']).toBe('max-age=60');
            expect(res.headers['content-disposition']).toBe('attachment; filename="a.txt"');
            expect(res.headers['content-encoding']).toBe('identity');
            expect(res.headers['content-language']).toBe('en');
            expect(res.headers.expires).toBe('Wed, 21 Oct 2037 07:28:00 GMT');
            expect(res.headers['x-oss-storage-class']).toBe('IA');
            expect(res.headers['x-oss-object-type']).toBe('Normal');
          }
          expect((await client.head('attrs/a.txt')).meta).toEqual({ owner: 'ann', note: 'naïve ✓', n: '7' });
        });

        it('acl public-read opens the object to anonymous readers', async () => {
          await client.put('acl/open.txt', 'open', { acl: 'public-read' });
          await client.put('acl/closed.txt', 'closed');
          const anonymous = new OSSClient({ ...clientOptions, accessKeyId: undefined, accessKeySecret: undefined, bucket });
          expect(dec.decode((await anonymous.get('acl/open.txt')).content)).toBe('open');
          await expect(anonymous.get('acl/closed.txt')).rejects.toMatchObject({ name: 'AccessDeniedError', status: 403 });
        });

        it('forbidOverwrite refuses to replace an existing object', async () => {
          await client.put('fo/x', 'first', { forbidOverwrite: true });
          await expect(client.put('fo/x', 'second', { forbidOverwrite: true })).rejects.toMatchObject({ name: 'FileAlreadyExistsError', status: 409 });
          expect(dec.decode((await client.get('fo/x')).content)).toBe('first');
          await client.put('fo/x', 'third', { forbidOverwrite: false });
          expect(dec.decode((await client.get('fo/x')).content)).toBe('third');
        });

        it('checks a given Content-MD5', async () => {
          await client.put('md5/ok', 'body', { headers: { 'Content-MD5': md5Base64('body') } });
          await expect(client.put('md5/bad', 'body', { headers: { 'Content-MD5': md5Base64('other') } })).rejects.toMatchObject({ name: 'InvalidDigestError', status: 400 });
        });
      });

      describe('get, getStream, head, getObjectMeta', () => {
        const body = enc.encode('0123456789abcdefghij');
        let etag = '';
        beforeAll(async () => {
          etag = (await client.put('read/r.txt', body, { meta: { owner: 'ann' } })).etag;
        });

        it('serves ranges with 206 and Content-Range', async () => {
          const first = await client.get('read/r.txt', { headers: { Range: 'bytes=0-4' } });
          expect(first.res.status).toBe(206);
          expect(dec.decode(first.content)).toBe('01234');
          expect(first.res.headers['content-range']).toBe('bytes 0-4/20');
          const tail = await client.get('read/r.txt', { headers: { Range: 'bytes=-3' } });
          expect(dec.decode(tail.content)).toBe('hij');
          const open = await client.get('read/r.txt', { headers: { range: 'bytes=18-' } });
          expect(dec.decode(open.content)).toBe('ij');
          // Unsatisfiable without x-oss-range-behavior: the whole object, as OSS does.
          const whole = await client.get('read/r.txt', { headers: { Range: 'bytes=50-60' } });
          expect(whole.res.status).toBe(200);
          expect(whole.content).toEqual(body);
          const { stream, res } = await client.getStream('read/r.txt', { headers: { Range: 'bytes=5-9' } });
          expect(res.status).toBe(206);
          expect(dec.decode(await readAll(stream))).toBe('56789');
        });

        it('answers unchanged objects with a 304 result', async () => {
          for (const headers of [{ 'If-None-Match': etag }, { 'If-Modified-Since': future }, { 'If-None-Match': `"nope", ${etag}` }] as Array<Record<string, string>>) {
            const got = await client.get('read/r.txt', { headers });
            expect(got.res.status).toBe(304);
            expect(got.content.length).toBe(0);
            const head = await client.head('read/r.txt', { headers });
            expect(head.status).toBe(304);
            expect(head.meta).toBeNull();
            const { stream, res } = await client.getStream('read/r.txt', { headers });
            expect(res.status).toBe(304);
            expect((await readAll(stream)).length).toBe(0);
          }
          // Changed since, or a different ETag: the full object.
          expect((await client.get('read/r.txt', { headers: { 'If-Modified-Since': past } })).res.status).toBe(200);
          expect((await client.get('read/r.txt', { headers: { 'If-None-Match': '"0000"' } })).res.status).toBe(200);
        });

        it('throws PreconditionFailedError when If-Match or If-Unmodified-Since fails', async () => {
          for (const headers of [{ 'If-Match': '"00000000000000000000000000000000"' }, { 'If-Unmodified-Since': past }] as Array<Record<string, string>>) {
            await expect(client.get('read/r.txt', { headers })).rejects.toMatchObject({ name: 'PreconditionFailedError', code: 'PreconditionFailed', status: 412 });
            await expect(client.head('read/r.txt', { headers })).rejects.toMatchObject({ name: 'PreconditionFailedError', status: 412 });
          }
          expect((await client.get('read/r.txt', { headers: { 'If-Match': etag, 'If-Unmodified-Since': future } })).content).toEqual(body);
          // If-Match decides; If-Unmodified-Since is then ignored (RFC 7232).
          expect((await client.get('read/r.txt', { headers: { 'If-Match': etag, 'If-Unmodified-Since': past } })).res.status).toBe(200);
        });

        it('overrides response headers with response-*', async () => {
          const got = await client.get('read/r.txt', {
            response: { 'content-type': 'text/x-override', 'content-disposition': 'attachment; filename="ü.txt"', 'cache-control': 'no-store' },
          });
          expect(got.res.headers['content-type']).toBe('text/x-override');
          expect(got.res.headers['cache-control']).toBe('no-store');
          expect(Buffer.from(got.res.headers['content-disposition']!, 'latin1').toString('utf8')).toBe('attachment; filename="ü.txt"');
          expect(got.content).toEqual(body);
        });

        it('passes x-oss-process through (the server refuses to process a text object)', async () => {
          await expect(client.get('read/r.txt', { process: 'image/resize,w_10' })).rejects.toMatchObject({ name: 'BadRequestError', status: 400 });
        });

        it('writes into a WritableStream, and aborts it when the download fails', async () => {
          const ok = sink();
          const result = await client.get('read/r.txt', { writable: ok.writable });
          expect(result.res.status).toBe(200);
          expect(ok.bytes()).toEqual(body);
          expect(ok.state.closed).toBe(true);
          expect('content' in result).toBe(false);

          const partial = sink();
          await client.get('read/r.txt', { writable: partial.writable, headers: { Range: 'bytes=10-' } });
          expect(dec.decode(partial.bytes())).toBe('abcdefghij');

          const failed = sink();
          await expect(client.get('read/missing', { writable: failed.writable })).rejects.toMatchObject({ name: 'NoSuchKeyError' });
          expect(failed.state.aborted).toBeInstanceOf(OSSError);
          expect(failed.state.closed).toBe(false);
        });

        it('getObjectMeta returns only the basic facts', async () => {
          const meta = await client.getObjectMeta('read/r.txt');
          expect(meta.status).toBe(200);
          expect(meta.etag).toBe(etag);
          expect(meta.size).toBe(20);
          expect(Date.parse(meta.lastModified)).toBeGreaterThan(0);
          expect(meta.res.headers['x-oss-hash-crc64ecma']).toMatch(/^\d+$/);
          expect(meta.res.headers['x-oss-meta-owner']).toBeUndefined();
          expect(meta.res.headers['content-type']).toBeUndefined();
          await expect(client.getObjectMeta('read/missing')).rejects.toMatchObject({ name: 'NoSuchKeyError', status: 404 });
        });
      });

      describe('copy and putMeta', () => {
        let sourceEtag = '';
        beforeAll(async () => {
          sourceEtag = (await client.put('copy/src.txt', 'copy me', { meta: { owner: 'ann' }, headers: { 'Cache-Control': 'no-cache' }, mime: 'text/x-src' })).etag;
        });

        it('copies bytes and metadata within the bucket', async () => {
          const result = await client.copy('copy/dst.txt', 'copy/src.txt');
          expect(result.res.status).toBe(200);
          expect(result.data!.etag).toBe(sourceEtag);
          expect(result.data!.lastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
          const head = await client.head('copy/dst.txt');
          expect(head.meta).toEqual({ owner: 'ann' });
          expect(head.res.headers['content-type']).toBe('text/x-src');
          expect(head.res.headers['cache-control']).toBe('no-cache');
          expect(dec.decode((await client.get('copy/dst.txt')).content)).toBe('copy me');
        });

        it('replaces metadata when meta or content headers are given', async () => {
          await client.copy('copy/meta.txt', 'copy/src.txt', { meta: { owner: 'bob' } });
          const withMeta = await client.head('copy/meta.txt');
          expect(withMeta.meta).toEqual({ owner: 'bob' });
          expect(withMeta.res.headers['cache-control']).toBeUndefined();
          await client.copy('copy/type.txt', 'copy/src.txt', { headers: { 'Content-Type': 'text/x-new', 'Content-Disposition': 'inline' } });
          const withType = await client.head('copy/type.txt');
          expect(withType.meta).toBeNull();
          expect(withType.res.headers['content-type']).toBe('text/x-new');
          expect(withType.res.headers['content-disposition']).toBe('inline');
        });

        it('copies from another bucket and to another bucket, unicode keys included', async () => {
          await client.put('src/中文 ✓ 😀.txt', 'unicode source', { bucket: other });
          await client.copy('copy/from-other.txt', `/${other}/src/中文 ✓ 😀.txt`);
          expect(dec.decode((await client.get('copy/from-other.txt')).content)).toBe('unicode source');
          await client.copy('to/中文.txt', `/${bucket}/copy/src.txt`, { bucket: other });
          expect(dec.decode((await client.get('to/中文.txt', { bucket: other })).content)).toBe('copy me');
        });

        it('honours conditions on the source: 412 throws, 304 is a result', async () => {
          await expect(client.copy('copy/c1', 'copy/src.txt', { headers: { 'If-Match': '"00000000000000000000000000000000"' } })).rejects.toMatchObject({ name: 'PreconditionFailedError', status: 412 });
          await expect(client.copy('copy/c1', 'copy/src.txt', { headers: { 'If-Unmodified-Since': past } })).rejects.toMatchObject({ name: 'PreconditionFailedError' });
          for (const headers of [{ 'If-None-Match': sourceEtag }, { 'If-Modified-Since': future }] as Array<Record<string, string>>) {
            const skipped = await client.copy('copy/c1', 'copy/src.txt', { headers });
            expect(skipped.res.status).toBe(304);
            expect(skipped.data).toBeNull();
          }
          await expect(client.head('copy/c1')).rejects.toMatchObject({ name: 'NoSuchKeyError' });
          expect((await client.copy('copy/c1', 'copy/src.txt', { headers: { 'If-Match': sourceEtag, 'If-Modified-Since': past } })).data!.etag).toBe(sourceEtag);
        });

        it('copy errors: missing source, missing bucket, forbidOverwrite; storage class and ACL apply', async () => {
          await expect(client.copy('copy/x', 'copy/none')).rejects.toMatchObject({ name: 'NoSuchKeyError', status: 404 });
          await expect(client.copy('copy/x', '/no-such-bucket-zz/k')).rejects.toMatchObject({ name: 'NoSuchBucketError', status: 404 });
          await expect(client.copy('copy/dst.txt', 'copy/src.txt', { forbidOverwrite: true })).rejects.toMatchObject({ name: 'FileAlreadyExistsError' });
          await client.copy('copy/ia.txt', 'copy/src.txt', { storageClass: 'IA', acl: 'public-read' });
          expect((await client.head('copy/ia.txt')).res.headers['x-oss-storage-class']).toBe('IA');
          const anonymous = new OSSClient({ ...clientOptions, accessKeyId: undefined, accessKeySecret: undefined, bucket });
          expect(dec.decode((await anonymous.get('copy/ia.txt')).content)).toBe('copy me');
        });

        it('copying a symlink copies the link; an archived source must be restored first', async () => {
          await client.put('copy/target.txt', 'target');
          await client.putSymlink('copy/link', 'copy/target.txt');
          await client.copy('copy/link2', 'copy/link');
          expect((await client.getSymlink('copy/link2')).targetName).toBe('copy/target.txt');
          expect(dec.decode((await client.get('copy/link2')).content)).toBe('target');
          await client.put('copy/frozen', 'cold', { storageClass: 'Archive' });
          await expect(client.copy('copy/thawed', 'copy/frozen')).rejects.toMatchObject({ name: 'InvalidObjectStateError', status: 403 });
        });

        it('putMeta replaces user metadata, and null clears it, keeping the bytes', async () => {
          await client.put('meta/p.txt', 'keep these bytes', { meta: { a: '1', b: '2' }, mime: 'text/x-keep' });
          const before = await client.head('meta/p.txt');
          const replaced = await client.putMeta('meta/p.txt', { c: '3' });
          expect(replaced.res.status).toBe(200);
          const after = await client.head('meta/p.txt');
          expect(after.meta).toEqual({ c: '3' });
          expect(after.res.headers.etag).toBe(before.res.headers.etag);
          // A REPLACE copy replaces Content-Type too: the name's type, as ali-oss's putMeta sends it.
          expect(after.res.headers['content-type']).toBe('text/plain');
          await client.putMeta('meta/p.txt', null);
          expect((await client.head('meta/p.txt')).meta).toBeNull();
          expect(dec.decode((await client.get('meta/p.txt')).content)).toBe('keep these bytes');
          await expect(client.putMeta('meta/none', { a: '1' })).rejects.toMatchObject({ name: 'NoSuchKeyError' });
        });
      });

      describe('deleteMulti', () => {
        it('verbose mode lists every key, missing ones included', async () => {
          const keys = ['dm/a', 'dm/b &<>"\'', 'dm/中文 😀'];
          for (const k of keys) await client.put(k, k);
          const { deleted, res } = await client.deleteMulti([...keys, 'dm/never-existed']);
          expect(res.status).toBe(200);
          expect(deleted.map((d) => d.key)).toEqual([...keys, 'dm/never-existed']);
          for (const k of keys) await expect(client.head(k)).rejects.toMatchObject({ name: 'NoSuchKeyError' });
        });

        it('quiet mode reports nothing when everything is deleted', async () => {
          await client.put('dm/q1', '1');
          await client.put('dm/q2', '2');
          const { deleted } = await client.deleteMulti(['dm/q1', { key: 'dm/q2' }], { quiet: true });
          expect(deleted).toEqual([]);
          expect((await client.list({ prefix: 'dm/q' })).objects).toEqual([]);
        });

        it('accepts { key, versionId } and echoes the version', async () => {
          const { deleted } = await client.deleteMulti([{ key: 'dm/v', versionId: 'CAEQ-version' }]);
          expect(deleted).toEqual([{ key: 'dm/v', versionId: 'CAEQ-version' }]);
        });

        it('deletes 1000 keys in one request', async () => {
          const names = Array.from({ length: 1000 }, (_, i) => `bulk/${String(i).padStart(4, '0')}`);
          const { deleted } = await client.deleteMulti(names);
          expect(deleted).toHaveLength(1000);
        });
      });

      describe('list and listV2', () => {
        const keys = ['lv/a', 'lv/b', 'lv/c/1', 'lv/c/2', 'lv/d', 'lv/e'];
        beforeAll(async () => {
          for (const k of keys) await client.put(k, k);
        });

        it('list v1 pages with marker and rolls prefixes up', async () => {
          const first = await client.list({ prefix: 'lv/', delimiter: '/', 'max-keys': 3 });
          expect(first.objects.map((o) => o.name)).toEqual(['lv/a', 'lv/b']);
          expect(first.prefixes).toEqual(['lv/c/']);
          expect(first.isTruncated).toBe(true);
          expect(first.nextMarker).toBe('lv/c/');
          const second = await client.list({ prefix: 'lv/', delimiter: '/', marker: first.nextMarker! });
          expect(second.objects.map((o) => o.name)).toEqual(['lv/d', 'lv/e']);
          expect(second.isTruncated).toBe(false);
          expect(second.nextMarker).toBeNull();
          expect(second.objects[0]!.owner?.id).toBeTruthy();
        });

        it('listV2 chains pages with a continuation token, with prefixes, keyCount and start-after', async () => {
          const first = await client.listV2({ prefix: 'lv/', delimiter: '/', 'max-keys': 3 });
          expect(first.objects.map((o) => o.name)).toEqual(['lv/a', 'lv/b']);
          expect(first.prefixes).toEqual(['lv/c/']);
          expect(first.keyCount).toBe(3);
          expect(first.isTruncated).toBe(true);
          expect(first.continuationToken).toBeNull();
          expect(first.nextContinuationToken).toBeTruthy();
          expect(first.objects[0]!.owner).toBeNull();
          const second = await client.listV2({ prefix: 'lv/', delimiter: '/', 'max-keys': 3, 'continuation-token': first.nextContinuationToken! });
          expect(second.objects.map((o) => o.name)).toEqual(['lv/d', 'lv/e']);
          expect(second.continuationToken).toBe(first.nextContinuationToken);
          expect(second.nextContinuationToken).toBeNull();
          expect(second.isTruncated).toBe(false);
          const after = await client.listV2({ prefix: 'lv/', 'start-after': 'lv/c/1', 'fetch-owner': true });
          expect(after.objects.map((o) => o.name)).toEqual(['lv/c/2', 'lv/d', 'lv/e']);
          expect(after.objects[0]!.owner?.id).toBeTruthy();
          expect(after.keyCount).toBe(3);
          const alias = await client.listV2({ prefix: 'lv/', 'max-keys': 2, continuationToken: (await client.listV2({ prefix: 'lv/', 'max-keys': 2 })).nextContinuationToken! });
          expect(alias.objects.map((o) => o.name)).toEqual(['lv/c/1', 'lv/c/2']);
        });

        it('refuses a continuation token the server did not issue', async () => {
          await expect(client.listV2({ 'continuation-token': 'not a token!' })).rejects.toMatchObject({ name: 'InvalidArgumentError', status: 400 });
        });

        it('listAll yields objects and prefixes across pages, and stops when the loop breaks', async () => {
          const all: string[] = [];
          for await (const entry of client.listAll({ prefix: 'lv/', delimiter: '/', pageSize: 2 })) all.push(entry.name);
          expect(all).toEqual(['lv/a', 'lv/b', 'lv/c/', 'lv/d', 'lv/e']);
          let requests = 0;
          const counting = new OSSClient({ ...clientOptions, bucket, fetch: (i, init) => (requests++, (clientOptions.fetch ?? fetch)(i, init)) });
          // (Reading ahead, which would have started a third, is test/integration/read-ahead.test.ts's.)
          for await (const entry of counting.listAll({ prefix: 'lv/', pageSize: 1, readAhead: false })) if (entry.name === 'lv/b') break;
          expect(requests).toBe(2);
          if (mode === 'http') {
            // (The in-process fetch ignores signals: it answers at once.)
            const aborted = new AbortController();
            aborted.abort();
            await expect(client.listAll({ prefix: 'lv/', signal: aborted.signal }).next()).rejects.toMatchObject({ name: 'AbortError' });
          }
        });
      });

      describe('awkward keys', () => {
        const isLong = (k: string) => enc.encode(k).length >= 1000;
        // The long keys are 1023 bytes already: they go as they are, the rest under a prefix.
        const names = AWKWARD_KEYS.map((k) => (isLong(k) ? k : `awk/${k}`));
        const copyOf = (n: string) => (isLong(n) ? `${n.slice(0, -1)}!` : `${n}.copy`);
        const everything = names.flatMap((n) => [n, copyOf(n)]);

        it('put / get / head / getObjectMeta / copy round-trip every key', async () => {
          for (const name of names) {
            const put = await client.put(name, `body of ${name}`, { meta: { k: 'v' } });
            expect(put.name).toBe(name);
            expect(dec.decode((await client.get(name)).content), name).toBe(`body of ${name}`);
            expect((await client.head(name)).meta, name).toEqual({ k: 'v' });
            expect((await client.getObjectMeta(name)).size).toBe(enc.encode(`body of ${name}`).length);
            await client.copy(copyOf(name), name);
            expect(dec.decode((await client.get(copyOf(name))).content), copyOf(name)).toBe(`body of ${name}`);
            await client.copy(name, `/${bucket}/${name}`, { bucket: other });
            expect(dec.decode((await client.get(name, { bucket: other })).content), name).toBe(`body of ${name}`);
          }
        });

        it('lists them in UTF-8 byte order, decoded, with list, listV2 and listAll', async () => {
          const expected = sortByUtf8Bytes(everything);
          const mine = (keys: string[]) => keys.filter((k) => everything.includes(k));
          const v1: string[] = [];
          let marker: string | undefined;
          do {
            const page = await client.list({ 'max-keys': 7, marker });
            v1.push(...page.objects.map((o) => o.name));
            marker = page.nextMarker ?? undefined;
          } while (marker);
          expect(mine(v1)).toEqual(expected);
          const v2: string[] = [];
          let token: string | undefined;
          do {
            const page = await client.listV2({ 'max-keys': 5, 'continuation-token': token });
            v2.push(...page.objects.map((o) => o.name));
            token = page.nextContinuationToken ?? undefined;
          } while (token);
          expect(mine(v2)).toEqual(expected);
          const all: string[] = [];
          for await (const o of client.listAll({ pageSize: 6 })) all.push(o.name);
          expect(mine(all)).toEqual(expected);
          const nested = await client.listV2({ prefix: 'awk/a//', delimiter: '/' });
          expect(nested.objects.map((o) => o.name)).toEqual(['awk/a//b', 'awk/a//b.copy']);
          const folders = await client.list({ prefix: 'awk/', delimiter: '/' });
          expect(folders.prefixes).toEqual(sortByUtf8Bytes(['awk/a/', 'awk/emoji/', 'awk/trailing/', 'awk/unicode/']));
        });

        it('deleteMulti removes them all', async () => {
          const { deleted } = await client.deleteMulti(everything);
          expect(deleted.map((d) => d.key)).toEqual(everything);
          const left: string[] = [];
          for await (const o of client.listAll()) if (everything.includes(o.name)) left.push(o.name);
          expect(left).toEqual([]);
        });
      });
    });
  }
}

describe('server checks that only a hand-made request reaches', () => {
  const { client } = inProcessClient({ buckets: ['raw-checks'] }, { bucket: 'raw-checks' });
  const xml = '<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>false</Quiet><Object><Key>k</Key></Object></Delete>';
  const post = (body: string, headers: Record<string, string>) =>
    client.request({ method: 'POST', bucket: 'raw-checks', query: { delete: null }, body, headers: { 'content-type': 'application/xml', ...headers } });

  it('DeleteMultipleObjects needs a matching Content-MD5', async () => {
    await expect(post(xml, {})).rejects.toMatchObject({ code: 'InvalidRequest', status: 400, ec: '0016-00000606' });
    await expect(post(xml, { 'content-md5': md5Base64('something else') })).rejects.toMatchObject({ name: 'InvalidDigestError' });
  });

  it('DeleteMultipleObjects refuses bad XML, a bad Quiet, no objects and over 1000 keys', async () => {
    const send = (body: string) => post(body, { 'content-md5': md5Base64(body) });
    await expect(send('<Delete><Object><Key>k</Key></Object>')).rejects.toMatchObject({ name: 'MalformedXMLError' });
    await expect(send('<Delete><Quiet>yes</Quiet><Object><Key>k</Key></Object></Delete>')).rejects.toMatchObject({ name: 'MalformedXMLError', ec: '0016-00000610' });
    await expect(send('<Delete><Quiet>true</Quiet></Delete>')).rejects.toMatchObject({ name: 'MalformedXMLError', ec: '0016-00000615' });
    await expect(send('<Delete><Object><VersionId>v</VersionId></Object></Delete>')).rejects.toMatchObject({ name: 'MalformedXMLError', ec: '0016-00000613' });
    const many = `<Delete>${'<Object><Key>k</Key></Object>'.repeat(1001)}</Delete>`;
    await expect(send(many)).rejects.toMatchObject({ name: 'MalformedXMLError' });
    await expect(send('<!DOCTYPE x [<!ENTITY a "b">]><Delete><Object><Key>&a;</Key></Object></Delete>')).rejects.toMatchObject({ name: 'MalformedXMLError' });
  });

  it('CopyObject refuses a malformed source and an unknown metadata directive', async () => {
    await client.put('src', 'x');
    const copy = (headers: Record<string, string>) => client.request({ method: 'PUT', bucket: 'raw-checks', key: 'dst', headers });
    await expect(copy({ 'x-oss-copy-source': 'no-slash' })).rejects.toMatchObject({ name: 'InvalidArgumentError' });
    await expect(copy({ 'x-oss-copy-source': '/raw-checks/src', 'x-oss-metadata-directive': 'MERGE' })).rejects.toMatchObject({ name: 'InvalidArgumentError' });
    // Go's form (no leading slash encoding of "/") and ali-oss's (%2F) both name the same key.
    await client.put('dir/src', 'nested');
    for (const source of ['/raw-checks/dir/src', '/raw-checks/dir%2Fsrc', 'raw-checks/dir/src']) {
      const raw = await copy({ 'x-oss-copy-source': source });
      expect(raw.response.status).toBe(200);
      raw.done();
    }
    expect(new TextDecoder().decode((await client.get('dst')).content)).toBe('nested');
  });

  it('ListObjects refuses an unknown list-type and encoding', async () => {
    const list = (query: Record<string, string>) => client.request({ method: 'GET', bucket: 'raw-checks', query });
    await expect(list({ 'list-type': '3' })).rejects.toMatchObject({ name: 'InvalidArgumentError' });
    await expect(list({ 'list-type': '2', 'encoding-type': 'base64' })).rejects.toMatchObject({ name: 'InvalidArgumentError' });
  });
});

describe('bad object arguments are refused before anything is sent', () => {
  let sent = 0;
  const client = new OSSClient({
    ...creds, endpoint: 'http://127.0.0.1:1', bucket: 'some-bucket',
    fetch: async () => {
      sent += 1;
      return new Response(null, { status: 500 });
    },
  });
  const writable = new WritableStream();

  it.each([
    ['unknown storage class', () => client.put('k', 'x', { storageClass: 'Cold' as never })],
    ['unknown acl', () => client.put('k', 'x', { acl: 'public' as never })],
    ['non-boolean forbidOverwrite', () => client.put('k', 'x', { forbidOverwrite: 'yes' as never })],
    ['contentLength for a sized body', () => client.put('k', 'x', { contentLength: 1 })],
    ['negative contentLength', () => client.put('k', new ReadableStream(), { contentLength: -1 })],
    ['header value with a line break', () => client.put('k', 'x', { headers: { 'Cache-Control': 'a\r\nb' } })],
    ['a WritableStream in place of options', () => client.get('k', writable as never)],
    ['a writable that is not a WritableStream', () => client.get('k', { writable: {} as never })],
    ['unknown response override', () => client.get('k', { response: { 'x-custom': 'v' } as never })],
    ['empty process', () => client.get('k', { process: '' })],
    ['non-string headers', () => client.head('k', { headers: { 'If-Match': {} as never } })],
    ['deleteMulti with no names', () => client.deleteMulti([])],
    ['deleteMulti with 1001 names', () => client.deleteMulti(Array.from({ length: 1001 }, (_, i) => `k${i}`))],
    ['deleteMulti with a bad key', () => client.deleteMulti(['ok', '/bad'])],
    ['deleteMulti with a bad entry', () => client.deleteMulti([{ key: 'a', versionId: 5 as never }])],
    ['copy from a malformed /bucket/key', () => client.copy('k', '/only-bucket')],
    ['copy from a bad bucket', () => client.copy('k', '/Bad_Bucket/k')],
    ['copy with a non-string source', () => client.copy('k', 7 as never)],
    ['putMeta without meta', () => client.putMeta('k', undefined as never)],
    ['putMeta with a bad meta name', () => client.putMeta('k', { bad_name: 'x' })],
    ['listV2 with non-boolean fetch-owner', () => client.listV2({ 'fetch-owner': 'true' as never })],
    ['listV2 with max-keys 0', () => client.listV2({ 'max-keys': 0 })],
    ['getObjectMeta with an empty key', () => client.getObjectMeta('')],
  ])('%s', async (_name, call) => {
    await expect(call()).rejects.toBeInstanceOf(OSSArgumentError);
    expect(sent).toBe(0);
  });
});

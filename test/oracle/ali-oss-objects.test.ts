// The official ali-oss client drives the server's object API: the same expectations as our own
// client's tests, proving the server speaks OSS and not only our dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable, Writable } from 'node:stream';
// @ts-expect-error ali-oss ships no types
import OSS from 'ali-oss';
import type { StartedServer } from '../../src/server/index.js';
import { AWKWARD_KEYS, sortByUtf8Bytes } from '../helpers/keys.js';
import { aliOssClient } from '../helpers/ali-oss.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';

const past = new Date(Date.now() - 3600_000).toUTCString();
const future = new Date(Date.now() + 3600_000).toUTCString();
const NO_ETAG = '"00000000000000000000000000000000"';

function collector() {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

for (const authorizationV4 of [false, true]) {
  describe(`ali-oss 6.23 objects against the local server (${authorizationV4 ? 'V4' : 'V1'})`, () => {
    let server: StartedServer;
    let client: any;
    const bucket = uniqueBucket('alio');
    const other = uniqueBucket('alio-other');

    beforeAll(async () => {
      server = await httpServer();
      client = aliOssClient(server, { authorizationV4 });
      await client.putBucket(bucket);
      await client.putBucket(other);
      client.useBucket(bucket);
    });
    afterAll(async () => server.close());

    it('put with meta, content headers, storage class, ACL; GET and HEAD return them', async () => {
      await client.put('attrs/a.txt', Buffer.from('attrs'), {
        meta: { owner: 'ann' },
        headers: {
          'Cache-Control': 'max-age=60',
          'Content-Disposition': 'attachment; filename="a.txt"',
          'Content-Encoding': 'identity',
          Expires: 'Wed, 21 Oct 2037 07:28:00 GMT',
          'x-oss-storage-class': 'IA',
          'x-oss-object-acl': 'public-read',
        },
      });
      const head = await client.head('attrs/a.txt');
      expect(head.meta).toEqual({ owner: 'ann' });
      for (const res of [head.res, (await client.get('attrs/a.txt')).res]) {
        expect(res.headers['content-type']).toBe('text/plain');
        expect(res.headers['cache-control']).toBe('max-age=60');
        expect(res.headers['content-disposition']).toBe('attachment; filename="a.txt"');
        expect(res.headers.expires).toBe('Wed, 21 Oct 2037 07:28:00 GMT');
        expect(res.headers['x-oss-storage-class']).toBe('IA');
      }
      const anonymous = await fetch(`${server.url}/${bucket}/attrs/a.txt`);
      expect(await anonymous.text()).toBe('attrs');
    });

    it('putStream of unknown length (chunked) and of known length', async () => {
      const body = Buffer.alloc(300_000, 9);
      await client.putStream('stream/chunked.bin', Readable.from([body.subarray(0, 100_000), body.subarray(100_000)]));
      expect((await client.get('stream/chunked.bin')).content.equals(body)).toBe(true);
      await client.putStream('stream/sized.bin', Readable.from([body]), { contentLength: body.length });
      expect((await client.getObjectMeta('stream/sized.bin')).res.headers['content-length']).toBe(String(body.length));
    });

    it('x-oss-forbid-overwrite refuses to replace an existing object', async () => {
      await client.put('fo/x', Buffer.from('first'));
      await expect(client.put('fo/x', Buffer.from('second'), { headers: { 'x-oss-forbid-overwrite': 'true' } })).rejects.toMatchObject({ name: 'FileAlreadyExistsError', status: 409 });
      expect((await client.get('fo/x')).content.toString()).toBe('first');
    });

    describe('reads', () => {
      let etag = '';
      beforeAll(async () => {
        await client.put('read/r.txt', Buffer.from('0123456789abcdefghij'), { meta: { owner: 'ann' } });
        etag = (await client.head('read/r.txt')).res.headers.etag;
      });

      it('Range gives 206 with Content-Range, in get and getStream', async () => {
        const got = await client.get('read/r.txt', { headers: { Range: 'bytes=0-4' } });
        expect(got.res.status).toBe(206);
        expect(got.content.toString()).toBe('01234');
        expect(got.res.headers['content-range']).toBe('bytes 0-4/20');
        const { stream, res } = await client.getStream('read/r.txt', { headers: { Range: 'bytes=-3' } });
        expect(res.status).toBe(206);
        const chunks: Buffer[] = [];
        for await (const c of stream as Readable) chunks.push(c as Buffer);
        expect(Buffer.concat(chunks).toString()).toBe('hij');
      });

      it('conditionals: 304 results and PreconditionFailedError', async () => {
        for (const headers of [{ 'If-None-Match': etag }, { 'If-Modified-Since': future }]) {
          expect((await client.get('read/r.txt', { headers })).res.status).toBe(304);
          const head = await client.head('read/r.txt', { headers });
          expect(head.status).toBe(304);
          expect(head.meta).toBeNull();
        }
        for (const headers of [{ 'If-Match': NO_ETAG }, { 'If-Unmodified-Since': past }]) {
          await expect(client.get('read/r.txt', { headers })).rejects.toMatchObject({ name: 'PreconditionFailedError', status: 412 });
          await expect(client.head('read/r.txt', { headers })).rejects.toMatchObject({ name: 'PreconditionFailedError', status: 412 });
        }
        expect((await client.get('read/r.txt', { headers: { 'If-Match': etag } })).res.status).toBe(200);
      });

      it('response-* overrides, x-oss-process passes through, a writable stream receives the body', async () => {
        const got = await client.get('read/r.txt', { subres: { 'response-content-type': 'text/x-override', 'response-cache-control': 'no-store' } });
        expect(got.res.headers['content-type']).toBe('text/x-override');
        expect(got.res.headers['cache-control']).toBe('no-store');
        await expect(client.get('read/r.txt', { process: 'image/resize,w_10' })).rejects.toMatchObject({ name: 'BadRequestError', status: 400 });
        const sink = collector();
        await client.get('read/r.txt', sink.stream);
        expect(sink.text()).toBe('0123456789abcdefghij');
      });

      it('getObjectMeta returns ETag, size and Last-Modified without user metadata', async () => {
        const meta = await client.getObjectMeta('read/r.txt');
        expect(meta.status).toBe(200);
        expect(meta.res.headers.etag).toBe(etag);
        expect(meta.res.headers['content-length']).toBe('20');
        expect(meta.res.headers['last-modified']).toBeTruthy();
        expect(meta.res.headers['x-oss-meta-owner']).toBeUndefined();
      });
    });

    describe('copy and putMeta', () => {
      let etag = '';
      beforeAll(async () => {
        await client.put('copy/src.txt', Buffer.from('copy me'), { meta: { owner: 'ann' }, mime: 'text/x-src' });
        etag = (await client.head('copy/src.txt')).res.headers.etag;
      });

      it('copies within the bucket (COPY keeps meta) and returns ETag and LastModified', async () => {
        const result = await client.copy('copy/dst.txt', 'copy/src.txt');
        expect(result.res.status).toBe(200);
        expect(result.data.etag).toBe(etag);
        expect(result.data.lastModified).toMatch(/Z$/);
        const head = await client.head('copy/dst.txt');
        expect(head.meta).toEqual({ owner: 'ann' });
        expect(head.res.headers['content-type']).toBe('text/x-src');
      });

      it('meta switches to REPLACE; other-bucket and unicode sources; the bucketName argument', async () => {
        await client.copy('copy/meta.txt', 'copy/src.txt', { meta: { owner: 'bob' } });
        expect((await client.head('copy/meta.txt')).meta).toEqual({ owner: 'bob' });
        await client.put('中文/源 ✓.txt', Buffer.from('unicode'));
        const otherClient = new OSS({
          accessKeyId: server.clientOptions.accessKeyId, accessKeySecret: server.clientOptions.accessKeySecret,
          endpoint: server.url, region: 'oss-cn-hangzhou', bucket: other, authorizationV4,
        });
        await otherClient.copy('from-main.txt', `/${bucket}/中文/源 ✓.txt`);
        expect((await otherClient.get('from-main.txt')).content.toString()).toBe('unicode');
        await client.copy('copy/arg.txt', '中文/源 ✓.txt', bucket);
        expect((await client.get('copy/arg.txt')).content.toString()).toBe('unicode');
      });

      it('source conditions: 412 throws, 304 answers', async () => {
        await expect(client.copy('copy/c', 'copy/src.txt', { headers: { 'If-Match': NO_ETAG } })).rejects.toMatchObject({ name: 'PreconditionFailedError', status: 412 });
        expect((await client.copy('copy/c', 'copy/src.txt', { headers: { 'If-None-Match': etag } })).res.status).toBe(304);
        expect((await client.copy('copy/c', 'copy/src.txt', { headers: { 'If-Modified-Since': future } })).res.status).toBe(304);
        await expect(client.head('copy/c')).rejects.toMatchObject({ name: 'NoSuchKeyError' });
        expect((await client.copy('copy/c', 'copy/src.txt', { headers: { 'If-Match': etag } })).res.status).toBe(200);
        await expect(client.copy('copy/x', 'copy/missing')).rejects.toMatchObject({ name: 'NoSuchKeyError', status: 404 });
      });

      it('putMeta replaces meta, and null clears it, keeping the bytes', async () => {
        await client.put('meta/p.txt', Buffer.from('keep'), { meta: { a: '1' } });
        await client.putMeta('meta/p.txt', { b: '2' });
        expect((await client.head('meta/p.txt')).meta).toEqual({ b: '2' });
        await client.putMeta('meta/p.txt', null);
        expect((await client.head('meta/p.txt')).meta).toBeNull();
        expect((await client.get('meta/p.txt')).content.toString()).toBe('keep');
      });
    });

    describe('deleteMulti', () => {
      it('verbose lists deleted keys (XML specials and unicode), quiet lists none', async () => {
        const keys = ['dm/a', 'dm/b &<>"\'', 'dm/中文 😀'];
        for (const k of keys) await client.put(k, Buffer.from(k));
        const verbose = await client.deleteMulti([...keys, 'dm/never']);
        expect(verbose.deleted.map((d: any) => d.Key)).toEqual([...keys, 'dm/never']);
        for (const k of keys) await expect(client.head(k)).rejects.toMatchObject({ name: 'NoSuchKeyError' });
        await client.put('dm/q', Buffer.from('q'));
        const quiet = await client.deleteMulti(['dm/q'], { quiet: true });
        expect(quiet.deleted).toEqual([]);
        await expect(client.head('dm/q')).rejects.toMatchObject({ name: 'NoSuchKeyError' });
      });
    });

    describe('list and listV2', () => {
      beforeAll(async () => {
        for (const k of ['lv/a', 'lv/b', 'lv/c/1', 'lv/c/2', 'lv/d', 'lv/e']) await client.put(k, Buffer.from(k));
      });

      it('listV2: continuation token, prefixes, keyCount, start-after, fetch-owner', async () => {
        const first = await client.listV2({ prefix: 'lv/', delimiter: '/', 'max-keys': 3 });
        expect(first.objects.map((o: any) => o.name)).toEqual(['lv/a', 'lv/b']);
        expect(first.prefixes).toEqual(['lv/c/']);
        expect(first.keyCount).toBe(3);
        expect(first.isTruncated).toBe(true);
        expect(first.objects[0].owner).toBeNull();
        const second = await client.listV2({ prefix: 'lv/', delimiter: '/', 'max-keys': 3, 'continuation-token': first.nextContinuationToken });
        expect(second.objects.map((o: any) => o.name)).toEqual(['lv/d', 'lv/e']);
        expect(second.isTruncated).toBe(false);
        expect(second.nextContinuationToken).toBeNull();
        const after = await client.listV2({ prefix: 'lv/', 'start-after': 'lv/c/1', 'fetch-owner': true });
        expect(after.objects.map((o: any) => o.name)).toEqual(['lv/c/2', 'lv/d', 'lv/e']);
        expect(after.objects[0].owner.id).toBeTruthy();
      });

      it('encoding-type=url encodes keys and prefixes (ali-oss returns them as sent)', async () => {
        await client.put('enc/a b+c%d', Buffer.from('x'));
        await client.put('enc/中/x', Buffer.from('x'));
        const v1 = await client.list({ prefix: 'enc/', delimiter: '/', 'encoding-type': 'url' });
        expect(v1.objects.map((o: any) => o.name)).toEqual([encodeURIComponent('enc/a b+c%d')]);
        expect(v1.prefixes).toEqual([encodeURIComponent('enc/中/')]);
        const v2 = await client.listV2({ prefix: 'enc/', 'encoding-type': 'url' });
        expect(v2.objects.map((o: any) => o.name)).toEqual([encodeURIComponent('enc/a b+c%d'), encodeURIComponent('enc/中/x')]);
      });
    });

    describe('awkward keys', () => {
      const isLong = (k: string) => Buffer.byteLength(k) >= 1000;
      const names = AWKWARD_KEYS.map((k) => (isLong(k) ? k : `awk/${k}`));
      const copyOf = (n: string) => (isLong(n) ? `${n.slice(0, -1)}!` : `${n}.copy`);
      const everything = names.flatMap((n) => [n, copyOf(n)]);

      it('put / get / head / getObjectMeta / copy every key', async () => {
        for (const name of names) {
          await client.put(name, Buffer.from(`body of ${name}`), { meta: { k: 'v' } });
          expect((await client.get(name)).content.toString(), name).toBe(`body of ${name}`);
          expect((await client.head(name)).meta, name).toEqual({ k: 'v' });
          expect((await client.getObjectMeta(name)).res.headers['content-length']).toBe(String(Buffer.byteLength(`body of ${name}`)));
          await client.copy(copyOf(name), name);
          expect((await client.get(copyOf(name))).content.toString(), copyOf(name)).toBe(`body of ${name}`);
        }
      });

      it('lists them in UTF-8 byte order (v1 and v2 pages), then deleteMulti removes them', async () => {
        const expected = sortByUtf8Bytes(everything);
        const mine = (keys: string[]) => keys.filter((k) => everything.includes(k));
        const v1: string[] = [];
        let marker: string | undefined;
        do {
          // (ali-oss V4 signs a parameter whose value is undefined: leave it out instead.)
          const page = await client.list({ 'max-keys': 7, ...(marker ? { marker } : {}) });
          v1.push(...page.objects.map((o: any) => o.name));
          marker = page.nextMarker ?? undefined;
        } while (marker);
        expect(mine(v1)).toEqual(expected);
        const v2: string[] = [];
        let token: string | undefined;
        do {
          const page = await client.listV2({ 'max-keys': 5, 'continuation-token': token });
          v2.push(...page.objects.map((o: any) => o.name));
          token = page.nextContinuationToken ?? undefined;
        } while (token);
        expect(mine(v2)).toEqual(expected);
        const { deleted } = await client.deleteMulti(everything);
        expect(deleted.map((d: any) => d.Key)).toEqual(everything);
        const after = await client.list({ prefix: 'awk/', 'max-keys': 1000 });
        expect(after.objects).toEqual([]);
      });
    });
  });
}

// Multipart primitives against the local server, over HTTP and in-process: the wire shapes,
// the server's checks of a Complete, ETag and CRC-64 of the result, listings and part copies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient, OSSError } from '../../src/index.js';
import { crc64 } from '../../src/core/crc64.js';
import { md5 } from '../../src/core/md5.js';
import { toHex } from '../../src/core/crypto.js';
import { readXml } from '../../src/client/read.js';
import { httpServer, inProcessClient, uniqueBucket } from '../helpers/server.js';
import type { StartedServer } from '../../src/server/index.js';
import { expectBytes } from '../helpers/bytes.js';

const KB = 1024;

const bytes = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => (i * 31 + seed) % 251);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const bareHex = (etag: string) => etag.replace(/"/g, '');

for (const mode of ['http', 'in-process'] as const) {
  for (const signatureVersion of ['v4', 'v1'] as const) {
    describe(`multipart primitives (${mode}, ${signatureVersion})`, () => {
      let server: StartedServer | undefined;
      let client: OSSClient;
      const bucket = uniqueBucket('mp');

      beforeAll(async () => {
        if (mode === 'http') {
          server = await httpServer();
          client = new OSSClient({ ...server.clientOptions, signatureVersion, retryDelay: 1 });
        } else {
          client = inProcessClient({}, { signatureVersion, retryDelay: 1 }).client;
        }
        await client.putBucket(bucket);
        client.useBucket(bucket);
      });
      afterAll(async () => server?.close());

      /** A raw signed Complete with a body of our choosing (the client itself always sorts). */
      async function rawComplete(name: string, uploadId: string, parts: Array<[number, string]>) {
        return rawPost(name, uploadId, `<CompleteMultipartUpload>${parts.map(([n, e]) => `<Part><PartNumber>${n}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`);
      }

      function rawPost(name: string, uploadId: string, body: string) {
        return client.request({ method: 'POST', bucket, key: name, query: { uploadId }, body, headers: { 'content-type': 'application/xml' } });
      }

      it('init, parts, complete: S3-style ETag, combined CRC-64, type Multipart, template kept', async () => {
        const name = 'mp/video ü.bin';
        const init = await client.initMultipartUpload(name, { meta: { owner: 'ann' }, headers: { 'Cache-Control': 'no-cache' } });
        expect(init).toMatchObject({ bucket, name });
        expect(init.uploadId).toMatch(/^[0-9A-F]{32}$/);
        const p1 = bytes(100 * KB, 1);
        const p2 = bytes(150 * KB, 2);
        const p3 = bytes(7, 3);
        // A typed Blob: fetch would add its type as an unsigned Content-Type unless the part signs one.
        const r1 = await client.uploadPart(name, init.uploadId, 1, new Blob([p1], { type: 'image/png' }));
        const r2 = await client.uploadPart(name, init.uploadId, 2, p2);
        const r3 = await client.uploadPart(name, init.uploadId, 3, p3.buffer);
        expect(r1.etag).toBe(`"${toHex(md5(p1)).toUpperCase()}"`);
        expect(r2.crc64).toBe(crc64(p2));
        const done = await client.completeMultipartUpload(name, init.uploadId, [
          { number: 3, etag: r3.etag }, { number: 1, etag: r1.etag }, { number: 2, etag: r2.etag },
        ]);
        const expectedEtag = `"${toHex(md5(concat(md5(p1), md5(p2), md5(p3)))).toUpperCase()}-3"`;
        expect(done).toMatchObject({ bucket, name, etag: expectedEtag, crc64: crc64(concat(p1, p2, p3)) });
        const head = await client.head(name);
        expect(head.meta).toEqual({ owner: 'ann' });
        expect(head.res.headers).toMatchObject({
          'x-oss-object-type': 'Multipart', etag: expectedEtag, 'cache-control': 'no-cache',
          'content-type': 'application/octet-stream', 'content-length': String(250 * KB + 7),
          'x-oss-hash-crc64ecma': crc64(concat(p1, p2, p3)),
        });
        expectBytes((await client.get(name)).content, concat(p1, p2, p3));
        await expect(client.listParts(name, init.uploadId)).rejects.toMatchObject({ name: 'NoSuchUploadError', status: 404 });
      });

      it('a part uploaded again replaces the first; part numbers need not be contiguous', async () => {
        const name = 'mp/replace.bin';
        const { uploadId } = await client.initMultipartUpload(name);
        await client.uploadPart(name, uploadId, 5, bytes(100 * KB, 9));
        const again = await client.uploadPart(name, uploadId, 5, bytes(100 * KB, 10));
        const last = await client.uploadPart(name, uploadId, 9, 'tail');
        const { parts } = await client.listParts(name, uploadId);
        expect(parts.map((p) => [p.number, p.etag, p.size])).toEqual([[5, again.etag, 100 * KB], [9, last.etag, 4]]);
        expect(parts[0]!.crc64).toBe(crc64(bytes(100 * KB, 10)));
        await client.completeMultipartUpload(name, uploadId, [{ number: 5, etag: again.etag }, { number: 9, etag: last.etag }]);
        expectBytes((await client.get(name)).content, concat(bytes(100 * KB, 10), new TextEncoder().encode('tail')));
      });

      it('the server refuses part numbers outside 1-10000 with ArgumentName/Value', async () => {
        const name = 'mp/numbers.bin';
        const { uploadId } = await client.initMultipartUpload(name);
        for (const n of ['0', '10001', 'x']) {
          const err = await client.request({ method: 'PUT', bucket, key: name, query: { partNumber: n, uploadId }, body: 'x', headers: { 'content-type': 'text/plain' } }).catch((e: unknown) => e);
          expect(err).toMatchObject({ name: 'InvalidArgumentError', status: 400, details: { ArgumentName: 'PartNumber', ArgumentValue: n } });
        }
        await expect(client.uploadPart(name, uploadId, 10001, 'x')).rejects.toBeInstanceOf(OSSArgumentError);
        await expect(client.uploadPart(name, uploadId, 0, 'x')).rejects.toMatchObject({ argument: 'partNumber' });
        expect((await client.uploadPart(name, uploadId, 10000, 'x')).etag).toMatch(/^"[0-9A-F]{32}"$/);
      });

      it('Complete: InvalidPartOrder, InvalidPart (missing, wrong ETag), EntityTooSmall, MalformedXML', async () => {
        const name = 'mp/checks.bin';
        const { uploadId } = await client.initMultipartUpload(name);
        const small = await client.uploadPart(name, uploadId, 1, bytes(100 * KB - 1));
        const big = await client.uploadPart(name, uploadId, 2, bytes(100 * KB));
        const tail = await client.uploadPart(name, uploadId, 3, bytes(10));
        await expect(rawComplete(name, uploadId, [[2, big.etag], [1, small.etag]])).rejects.toMatchObject({ name: 'InvalidPartOrderError', status: 400 });
        await expect(rawComplete(name, uploadId, [[2, big.etag], [2, big.etag]])).rejects.toMatchObject({ name: 'InvalidPartOrderError' });
        await expect(rawComplete(name, uploadId, [[2, big.etag], [4, tail.etag]])).rejects.toMatchObject({ name: 'InvalidPartError', status: 400 });
        await expect(rawComplete(name, uploadId, [[2, tail.etag], [3, tail.etag]])).rejects.toMatchObject({
          name: 'InvalidPartError', details: { PartNumber: '2' },
        });
        // An ETag without quotes or in lower case is the same ETag.
        await expect(rawComplete(name, uploadId, [[1, bareHex(small.etag).toLowerCase()], [3, tail.etag]])).rejects.toMatchObject({
          name: 'EntityTooSmallError', status: 400, details: { PartNumber: '1', MinSizeAllowed: String(100 * KB) },
        });
        await expect(rawPost(name, uploadId, '<CompleteMultipartUpload/>')).rejects.toMatchObject({ name: 'MalformedXMLError' });
        await expect(rawPost(name, uploadId, 'not xml <')).rejects.toMatchObject({ name: 'MalformedXMLError' });
        await expect(rawPost(name, uploadId, '<!DOCTYPE x [<!ENTITY a "b">]><CompleteMultipartUpload/>')).rejects.toMatchObject({ name: 'MalformedXMLError' });
        // Nothing of that touched the upload: the right list still completes, the small last part is fine.
        const done = await client.completeMultipartUpload(name, uploadId, [{ number: 2, etag: big.etag }, { number: 3, etag: tail.etag }]);
        expect(done.etag).toMatch(/^"[0-9A-F]{32}-2"$/);
        expectBytes((await client.get(name)).content, concat(bytes(100 * KB), bytes(10)));
      });

      it('NoSuchUpload for unknown ids and for an id used with another key', async () => {
        const { uploadId } = await client.initMultipartUpload('mp/owner.bin');
        for (const id of ['0000000000000000DEADBEEF00000000', 'not/an id', uploadId]) {
          const key = id === uploadId ? 'mp/other.bin' : 'mp/owner.bin';
          await expect(client.uploadPart(key, id, 1, 'x')).rejects.toMatchObject({ name: 'NoSuchUploadError', status: 404 });
          await expect(client.listParts(key, id)).rejects.toMatchObject({ name: 'NoSuchUploadError' });
          await expect(client.completeMultipartUpload(key, id, [{ number: 1, etag: '"x"' }])).rejects.toMatchObject({ name: 'NoSuchUploadError' });
          await expect(client.abortMultipartUpload(key, id)).rejects.toMatchObject({ name: 'NoSuchUploadError' });
        }
      });

      it('x-oss-complete-all takes every part in order', async () => {
        const name = 'mp/all.bin';
        const { uploadId } = await client.initMultipartUpload(name, { mime: 'text/x-all' });
        await client.uploadPart(name, uploadId, 2, bytes(20, 2));
        await client.uploadPart(name, uploadId, 1, bytes(100 * KB, 1));
        const done = await client.completeMultipartUpload(name, uploadId, null, { completeAll: true });
        expect(done.etag).toMatch(/-2"$/);
        expect(done.crc64).toBe(crc64(concat(bytes(100 * KB, 1), bytes(20, 2))));
        expect((await client.head(name)).res.headers['content-type']).toBe('text/x-all');
      });

      it('abort drops the upload and its parts', async () => {
        const name = 'mp/abort.bin';
        const { uploadId } = await client.initMultipartUpload(name);
        await client.uploadPart(name, uploadId, 1, bytes(100));
        expect((await client.abortMultipartUpload(name, uploadId)).res.status).toBe(204);
        await expect(client.uploadPart(name, uploadId, 2, 'x')).rejects.toMatchObject({ name: 'NoSuchUploadError' });
        const { uploads } = await client.listUploads({ prefix: 'mp/abort' });
        expect(uploads).toEqual([]);
        await expect(client.head(name)).rejects.toMatchObject({ name: 'NoSuchKeyError' });
      });

      it('listParts pages with maxParts / partNumberMarker (and the ali-oss spellings); listAllParts walks them', async () => {
        const name = 'mp/pages.bin';
        const { uploadId } = await client.initMultipartUpload(name);
        for (const n of [1, 2, 3, 4, 7]) await client.uploadPart(name, uploadId, n, `part ${n}`);
        const first = await client.listParts(name, uploadId, { maxParts: 2 });
        expect(first).toMatchObject({ uploadId, bucket, name, isTruncated: true, maxParts: 2, partNumberMarker: 0, nextPartNumberMarker: 2 });
        expect(first.parts.map((p) => p.number)).toEqual([1, 2]);
        const second = await client.listParts(name, uploadId, { 'max-parts': '2', 'part-number-marker': 2 });
        expect(second.parts.map((p) => p.number)).toEqual([3, 4]);
        const last = await client.listParts(name, uploadId, { partNumberMarker: 4 });
        expect(last).toMatchObject({ isTruncated: false, parts: [{ number: 7, size: 6 }] });
        const all: number[] = [];
        for await (const p of client.listAllParts(name, uploadId, { pageSize: 2 })) all.push(p.number);
        expect(all).toEqual([1, 2, 3, 4, 7]);
        await expect(client.listParts(name, uploadId, { maxParts: 1001 })).rejects.toMatchObject({ argument: 'query.maxParts' });
        await client.abortMultipartUpload(name, uploadId);
      });

      it('listUploads: prefix, delimiter, key/upload-id markers, odd keys through encoding-type=url', async () => {
        const keys = ['lu/a', 'lu/a', 'lu/b c%2F', 'lu/dir/x', 'lu/dir/y', 'lu/ctl\u0001\n', 'lu/ü 😀'];
        const ids: string[] = [];
        for (const k of keys) ids.push((await client.initMultipartUpload(k)).uploadId);
        const page1 = await client.listUploads({ prefix: 'lu/', maxUploads: 2 });
        expect(page1.uploads.map((u) => [u.name, u.uploadId])).toEqual([['lu/a', ids[0]], ['lu/a', ids[1]]]);
        expect(page1).toMatchObject({ isTruncated: true, nextKeyMarker: 'lu/a', nextUploadIdMarker: ids[1] });
        expect(page1.uploads[0]!.initiated).toMatch(/^\d{4}-\d\d-\d\dT/);
        const page2 = await client.listUploads({ prefix: 'lu/', keyMarker: 'lu/a', uploadIdMarker: ids[0], 'max-uploads': 1 });
        expect(page2.uploads.map((u) => u.uploadId)).toEqual([ids[1]]);
        const grouped = await client.listUploads({ prefix: 'lu/', delimiter: '/' });
        expect(grouped.prefixes).toEqual(['lu/dir/']);
        expect(grouped.uploads.map((u) => u.name)).toEqual(['lu/a', 'lu/a', 'lu/b c%2F', 'lu/ctl\u0001\n', 'lu/ü 😀']);
        const walked: string[] = [];
        for await (const u of client.listAllUploads({ prefix: 'lu/', delimiter: '/', pageSize: 2 })) walked.push(u.name);
        expect(walked).toEqual(['lu/a', 'lu/a', 'lu/b c%2F', 'lu/ctl\u0001\n', 'lu/dir/', 'lu/ü 😀']);
        const flat: string[] = [];
        for await (const u of client.listAllUploads({ prefix: 'lu/', pageSize: 3 })) flat.push(u.name);
        expect(flat).toEqual(['lu/a', 'lu/a', 'lu/b c%2F', 'lu/ctl\u0001\n', 'lu/dir/x', 'lu/dir/y', 'lu/ü 😀']);
        // Without encoding-type the raw XML carries the key as text.
        const raw = await readXml(await client.request({ method: 'GET', bucket, query: { uploads: null, prefix: 'lu/b' } }));
        expect(raw.doc.ListMultipartUploadsResult).toMatchObject({ Upload: { Key: 'lu/b c%2F' } });
        for (const [i, k] of keys.entries()) await client.abortMultipartUpload(k, ids[i]!);
      });

      it('uploadPartCopy copies byte ranges of another object (same and other bucket)', async () => {
        const source = bytes(300 * KB, 5);
        await client.put('copy/source.bin', source);
        const other = uniqueBucket('mpsrc');
        await client.putBucket(other);
        await client.put('src 2.bin', bytes(100 * KB, 6), { bucket: other });
        const name = 'copy/target.bin';
        const { uploadId } = await client.initMultipartUpload(name);
        const a = await client.uploadPartCopy(name, uploadId, 1, `${200 * KB}-${300 * KB - 1}`, { sourceKey: 'copy/source.bin' });
        const b = await client.uploadPartCopy(name, uploadId, 2, undefined, { sourceKey: 'src 2.bin', sourceBucketName: other });
        const c = await client.uploadPartCopy(name, uploadId, 3, '0-99', { sourceKey: 'copy/source.bin' });
        expect(a.etag).toBe(`"${toHex(md5(source.subarray(200 * KB))).toUpperCase()}"`);
        expect(b.lastModified).toMatch(/Z$/);
        await client.completeMultipartUpload(name, uploadId, [{ number: 1, etag: a.etag }, { number: 2, etag: b.etag }, { number: 3, etag: c.etag }]);
        expectBytes((await client.get(name)).content, concat(source.subarray(200 * KB), bytes(100 * KB, 6), source.subarray(0, 100)));

        const { uploadId: id2 } = await client.initMultipartUpload(name);
        await expect(client.uploadPartCopy(name, id2, 1, '0-10', { sourceKey: 'copy/missing' })).rejects.toMatchObject({ name: 'NoSuchKeyError' });
        await expect(client.uploadPartCopy(name, id2, 1, `0-${300 * KB}`, { sourceKey: 'copy/source.bin' })).rejects.toMatchObject({ name: 'InvalidRangeError', status: 416 });
        await expect(client.uploadPartCopy(name, id2, 1, '5-1', { sourceKey: 'copy/source.bin' })).rejects.toMatchObject({ argument: 'range' });
        await expect(client.uploadPartCopy(name, id2, 1, '0-1', { sourceKey: 'copy/source.bin' }, { headers: { 'x-oss-copy-source-if-match': '"nope"' } }))
          .rejects.toMatchObject({ name: 'PreconditionFailedError', status: 412 });
        await client.abortMultipartUpload(name, id2);
      });

      it('validates arguments before sending', async () => {
        await expect(client.completeMultipartUpload('k', 'id', [])).rejects.toMatchObject({ argument: 'parts' });
        await expect(client.completeMultipartUpload('k', 'id', [{ number: 1, etag: '"a"' }, { number: 1, etag: '"b"' }])).rejects.toMatchObject({ argument: 'parts[1]' });
        await expect(client.uploadPart('k', '', 1, 'x')).rejects.toMatchObject({ argument: 'uploadId' });
        await expect(client.initMultipartUpload('/bad')).rejects.toMatchObject({ argument: 'name' });
        await expect(client.listUploads({ uploadIdMarker: 'x' })).rejects.toMatchObject({ argument: 'query.uploadIdMarker' });
        const err = await client.uploadPartCopy('k', 'id', 1, undefined, {} as never).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(OSSArgumentError);
        expect(err).not.toBeInstanceOf(OSSError);
      });
    });
  }
}

// The official ali-oss client's multipart API against the local server, and objects crossing
// between ali-oss and oss-fetch in both directions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error ali-oss ships no types
import OSS from 'ali-oss';
import { OSSClient } from '../../src/index.js';
import { crc64 } from '../../src/core/crc64.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';
import type { StartedServer } from '../../src/server/index.js';

const KB = 1024;
const bytes = (n: number, seed = 1) => Buffer.from(new Uint8Array(n).map((_, i) => (i * 13 + seed) % 251));

for (const authorizationV4 of [false, true]) {
  describe(`ali-oss multipart against the local server (${authorizationV4 ? 'V4' : 'V1'})`, () => {
    let server: StartedServer;
    let ali: any;
    let ours: OSSClient;
    const bucket = uniqueBucket('alimp');

    beforeAll(async () => {
      server = await httpServer();
      const { accessKeyId, accessKeySecret } = server.clientOptions;
      ali = new OSS({ accessKeyId, accessKeySecret, endpoint: server.url, region: 'oss-cn-hangzhou', authorizationV4 });
      await ali.putBucket(bucket);
      ali.useBucket(bucket);
      ours = new OSSClient({ ...server.clientOptions, bucket });
    });
    afterAll(async () => server.close());

    it('multipartUpload with progress and checkpoints; oss-fetch reads the object back', async () => {
      const data = bytes(350 * KB);
      const progress: number[] = [];
      let checkpoint: any;
      const result = await ali.multipartUpload('ali/big.bin', data, {
        partSize: 100 * KB, parallel: 2, meta: { owner: 'ali' },
        progress: (p: number, cp: any) => {
          progress.push(p);
          if (cp) checkpoint = cp;
        },
      });
      expect(result.res.status).toBe(200);
      expect(result.etag ?? result.res.headers.etag).toMatch(/^"[0-9A-F]{32}-4"$/);
      expect(progress.at(-1)).toBe(1);
      expect(checkpoint.doneParts).toHaveLength(4);
      const got = await ours.get('ali/big.bin');
      expect(crc64(got.content)).toBe(crc64(data));
      expect(got.res.headers['x-oss-hash-crc64ecma']).toBe(crc64(data));
      const head = await ours.head('ali/big.bin');
      expect(head.meta).toEqual({ owner: 'ali' });
      expect(head.res.headers['x-oss-object-type']).toBe('Multipart');
    });

    it('init / uploadPart / listParts / listUploads / complete, step by step', async () => {
      const name = 'ali/steps 中.bin';
      const { uploadId } = await ali.initMultipartUpload(name, { mime: 'application/x-steps' });
      const first = bytes(100 * KB, 3);
      const second = bytes(5000, 4);
      const p1 = await ali.uploadPart(name, uploadId, 1, first, 0, first.length);
      const p2 = await ali.uploadPart(name, uploadId, 2, second, 0, second.length);
      const listed = await ali.listParts(name, uploadId, { 'max-parts': 1 });
      expect(listed.isTruncated).toBe('true');
      // ali-oss passes the XML through: one <Part> is an object, not a list of one.
      expect(listed.parts).toMatchObject({ PartNumber: '1', ETag: p1.etag, Size: String(first.length) });
      const rest = await ali.listParts(name, uploadId, { 'part-number-marker': listed.nextPartNumberMarker });
      expect(rest.parts.PartNumber).toBe('2');
      const uploads = await ali.listUploads({ prefix: 'ali/steps' });
      expect(uploads.uploads).toEqual([expect.objectContaining({ name, uploadId })]);
      const done = await ali.completeMultipartUpload(name, uploadId, [{ number: 2, etag: p2.etag }, { number: 1, etag: p1.etag }]);
      expect(done.res.status).toBe(200);
      const got = await ours.get(name);
      expect(crc64(got.content)).toBe(crc64(Buffer.concat([first, second])));
      expect(got.res.headers['content-type']).toBe('application/x-steps');
    });

    it('oss-fetch uploads the parts, ali-oss lists and completes them (and aborts another)', async () => {
      const name = 'cross/ours.bin';
      const { uploadId } = await ours.initMultipartUpload(name);
      const a = await ours.uploadPart(name, uploadId, 1, bytes(120 * KB, 5));
      const b = await ours.uploadPart(name, uploadId, 2, bytes(10, 6));
      const listed = await ali.listParts(name, uploadId);
      expect(listed.parts.map((p: any) => p.ETag)).toEqual([a.etag, b.etag]);
      await ali.completeMultipartUpload(name, uploadId, [{ number: 1, etag: a.etag }, { number: 2, etag: b.etag }]);
      expect((await ali.head(name)).res.headers['x-oss-hash-crc64ecma']).toBe(crc64(Buffer.concat([bytes(120 * KB, 5), bytes(10, 6)])));

      const other = await ours.initMultipartUpload('cross/aborted.bin');
      await ali.abortMultipartUpload('cross/aborted.bin', other.uploadId);
      expect((await ours.listUploads({ prefix: 'cross/' })).uploads).toEqual([]);
    });

    it('uploadPartCopy and multipartUploadCopy', async () => {
      const source = bytes(250 * KB, 7);
      await ours.put('copy/src.bin', source);
      const name = 'copy/dst.bin';
      const { uploadId } = await ali.initMultipartUpload(name);
      const c1 = await ali.uploadPartCopy(name, uploadId, 1, `${100 * KB}-${250 * KB - 1}`, { sourceKey: 'copy/src.bin', sourceBucketName: bucket });
      const c2 = await ali.uploadPartCopy(name, uploadId, 2, '0-9', { sourceKey: 'copy/src.bin', sourceBucketName: bucket });
      await ali.completeMultipartUpload(name, uploadId, [{ number: 1, etag: c1.etag }, { number: 2, etag: c2.etag }]);
      expect(crc64((await ours.get(name)).content)).toBe(crc64(Buffer.concat([source.subarray(100 * KB), source.subarray(0, 10)])));

      const copied = await ali.multipartUploadCopy('copy/whole.bin', { sourceKey: 'copy/src.bin', sourceBucketName: bucket }, { partSize: 100 * KB });
      expect(copied.res.status).toBe(200);
      expect((await ours.head('copy/whole.bin')).res.headers['x-oss-hash-crc64ecma']).toBe(crc64(source));
    });

    it('the server\'s errors reach ali-oss by name', async () => {
      const name = 'ali/errors.bin';
      const { uploadId } = await ali.initMultipartUpload(name);
      const small = await ali.uploadPart(name, uploadId, 1, bytes(10, 1), 0, 10);
      const tail = await ali.uploadPart(name, uploadId, 2, bytes(10, 2), 0, 10);
      await expect(ali.completeMultipartUpload(name, uploadId, [{ number: 1, etag: tail.etag }])).rejects.toMatchObject({ name: 'InvalidPartError', status: 400 });
      await expect(ali.completeMultipartUpload(name, uploadId, [{ number: 1, etag: small.etag }, { number: 2, etag: tail.etag }]))
        .rejects.toMatchObject({ name: 'EntityTooSmallError', status: 400 });
      await expect(ali.uploadPart(name, '0000000000000000DEADBEEF00000000', 1, bytes(10), 0, 10)).rejects.toMatchObject({ name: 'NoSuchUploadError', status: 404 });
      await ali.abortMultipartUpload(name, uploadId);
    });
  });
}

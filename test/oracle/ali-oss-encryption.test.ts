// The official ali-oss client against the local server: bucket encryption (put/get/delete) and
// per-object encryption headers on put and multipartUpload, as ali-oss's own live tests use them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedServer } from '../../src/server/index.js';
import { aliOssClient } from '../helpers/ali-oss.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';

for (const authorizationV4 of [false, true]) {
  describe(`ali-oss 6.23 server-side encryption (${authorizationV4 ? 'V4' : 'V1'})`, () => {
    let server: StartedServer;
    let client: any;
    const bucket = uniqueBucket('alisse');

    beforeAll(async () => {
      server = await httpServer();
      client = aliOssClient(server, { authorizationV4 });
      await client.putBucket(bucket);
      client.useBucket(bucket);
    });
    afterAll(async () => server.close());

    it('putBucketEncryption, getBucketEncryption, deleteBucketEncryption', async () => {
      await expect(client.getBucketEncryption(bucket)).rejects.toMatchObject({ name: 'NoSuchServerSideEncryptionRuleError', status: 404 });
      expect((await client.putBucketEncryption(bucket, { SSEAlgorithm: 'AES256' })).status).toBe(200);
      const got = await client.getBucketEncryption(bucket);
      expect(got.status).toBe(200);
      expect(got.encryption).toEqual({ SSEAlgorithm: 'AES256' });
      await client.putBucketEncryption(bucket, { SSEAlgorithm: 'KMS', KMSMasterKeyID: 'key-1' });
      expect((await client.getBucketEncryption(bucket)).encryption).toEqual({ SSEAlgorithm: 'KMS', KMSMasterKeyID: 'key-1' });
      expect((await client.getBucketInfo(bucket)).bucket.ServerSideEncryptionRule).toEqual({ SSEAlgorithm: 'KMS', KMSMasterKeyID: 'key-1' });
      expect((await client.deleteBucketEncryption(bucket)).status).toBe(204);
      await expect(client.getBucketEncryption(bucket)).rejects.toMatchObject({ name: 'NoSuchServerSideEncryptionRuleError' });
    });

    it('put and multipartUpload with x-oss-server-side-encryption headers: echoed, kept on HEAD', async () => {
      const put = await client.put('a.txt', Buffer.from('a'), { headers: { 'x-oss-server-side-encryption': 'AES256' } });
      expect(put.res.headers['x-oss-server-side-encryption']).toBe('AES256');
      expect((await client.head('a.txt')).res.headers['x-oss-server-side-encryption']).toBe('AES256');
      // ali-oss strips the header from UploadPart and Complete, as OSS requires.
      const mp = await client.multipartUpload('b.bin', Buffer.alloc(250 * 1024, 1), {
        partSize: 100 * 1024, headers: { 'x-oss-server-side-encryption': 'KMS' },
      });
      expect(mp.res.headers['x-oss-server-side-encryption']).toBe('KMS');
      expect(mp.res.headers['x-oss-server-side-encryption-key-id']).toBeTruthy();
      expect((await client.head('b.bin')).res.headers['x-oss-server-side-encryption']).toBe('KMS');
    });
  });
}

// The official ali-oss client against the local server: put/get/list/deleteBucketInventory with
// the configuration model ali-oss's own tests use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedServer } from '../../src/server/index.js';
import { aliOssClient } from '../helpers/ali-oss.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';

for (const authorizationV4 of [false, true]) {
  describe(`ali-oss 6.23 bucket inventory (${authorizationV4 ? 'V4' : 'V1'})`, () => {
    let server: StartedServer;
    let client: any;
    const bucket = uniqueBucket('aliinv');
    const dest = uniqueBucket('aliinvd');
    const inventory = (id: string, extra: Record<string, unknown> = {}) => ({
      id,
      isEnabled: false,
      prefix: 'ttt',
      OSSBucketDestination: { format: 'CSV', accountId: '1817184078010220', rolename: 'AliyunOSSRole', bucket: dest, prefix: 'test' },
      frequency: 'Daily',
      includedObjectVersions: 'All',
      optionalFields: { field: ['Size', 'LastModifiedDate'] },
      ...extra,
    });

    beforeAll(async () => {
      server = await httpServer();
      client = aliOssClient(server, { authorizationV4 });
      await client.putBucket(bucket);
      await client.putBucket(dest);
    });
    afterAll(async () => server.close());

    it('put, get, list and delete', async () => {
      expect((await client.putBucketInventory(bucket, inventory('one'))).status).toBe(200);
      await client.putBucketInventory(bucket, inventory('two', {
        optionalFields: { field: ['Size'] },
        OSSBucketDestination: { format: 'CSV', accountId: '1817184078010220', rolename: 'AliyunOSSRole', bucket: dest, encryption: { 'SSE-KMS': { keyId: 'test-kms-id' } } },
      }));
      const got = await client.getBucketInventory(bucket, 'one');
      expect(got.status).toBe(200);
      expect(got.inventory).toMatchObject({
        id: 'one', isEnabled: false, prefix: 'ttt', frequency: 'Daily', includedObjectVersions: 'All',
        OSSBucketDestination: { format: 'CSV', accountId: '1817184078010220', rolename: 'AliyunOSSRole', bucket: dest, prefix: 'test' },
        optionalFields: { field: ['Size', 'LastModifiedDate'] },
      });
      const listed = await client.listBucketInventory(bucket);
      expect(listed.isTruncated).toBe(false);
      expect(listed.inventoryList.map((i: any) => i.id)).toEqual(['one', 'two']);
      expect(listed.inventoryList[1].optionalFields.field).toEqual(['Size']);
      expect(listed.inventoryList[1].OSSBucketDestination.encryption['SSE-KMS']).toEqual({ keyId: 'test-kms-id' });
      expect((await client.deleteBucketInventory(bucket, 'one')).status).toBe(204);
      await expect(client.getBucketInventory(bucket, 'one')).rejects.toMatchObject({ name: 'NoSuchInventoryError', status: 404 });
    });
  });
}

// The official ali-oss client against the local server: putBucketRequestPayment,
// getBucketRequestPayment, and its `isRequestPay` option on another account's Requester-pays bucket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedServer } from '../../src/server/index.js';
import { aliOssClient } from '../helpers/ali-oss.js';
import { creds, httpServer, uniqueBucket } from '../helpers/server.js';

const OTHER = { accessKeyId: 'ali-payer-key', accessKeySecret: 'ali-payer-secret', ownerId: '2000000000000002' };

for (const authorizationV4 of [false, true]) {
  describe(`ali-oss 6.23 request payment (${authorizationV4 ? 'V4' : 'V1'})`, () => {
    let server: StartedServer;
    const bucket = uniqueBucket('alipay');
    const make = (keys: { accessKeyId: string; accessKeySecret: string }, options: Record<string, unknown> = {}) =>
      aliOssClient(server, { ...keys, authorizationV4, bucket, ...options });

    beforeAll(async () => {
      server = await httpServer({ credentials: [creds, OTHER] });
    });
    afterAll(async () => server.close());

    it('put/getBucketRequestPayment; isRequestPay lets another account in, its absence is AccessDenied', async () => {
      const owner = make(creds);
      await owner.putBucket(bucket, { acl: 'public-read' });
      await owner.put('a.txt', Buffer.from('A'));
      expect((await owner.getBucketRequestPayment(bucket)).payer).toBe('BucketOwner');
      const put = await owner.putBucketRequestPayment(bucket, 'Requester');
      expect(put.status).toBe(200);
      const got = await owner.getBucketRequestPayment(bucket);
      expect(got).toMatchObject({ status: 200, payer: 'Requester' });

      await expect(make(OTHER).get('a.txt')).rejects.toMatchObject({ name: 'AccessDeniedError', status: 403, message: 'Access denied for requester pay bucket' });
      const paid = await make(OTHER, { isRequestPay: true }).get('a.txt');
      expect(paid.content.toString()).toBe('A');
    });
  });
}

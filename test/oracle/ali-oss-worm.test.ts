// The official ali-oss client against the local server: initiate/abort/complete/extend/getBucketWorm
// and the retention refusing a delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedServer } from '../../src/server/index.js';
import { aliOssClient } from '../helpers/ali-oss.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';

for (const authorizationV4 of [false, true]) {
  describe(`ali-oss 6.23 bucket WORM (${authorizationV4 ? 'V4' : 'V1'})`, () => {
    let server: StartedServer;
    let client: any;
    const bucket = uniqueBucket('aliworm');

    beforeAll(async () => {
      server = await httpServer();
      client = aliOssClient(server, { authorizationV4, bucket });
      await client.putBucket(bucket);
    });
    afterAll(async () => server.close());

    it('the policy life cycle, with ali-oss result shapes', async () => {
      await client.put('a.txt', Buffer.from('A'));
      await expect(client.getBucketWorm(bucket)).rejects.toMatchObject({ name: 'NoSuchWORMConfigurationError', status: 404 });
      const first = await client.initiateBucketWorm(bucket, 1);
      expect(first.status).toBe(200);
      expect(first.wormId).toBeTruthy();
      expect(await client.getBucketWorm(bucket)).toMatchObject({ wormId: first.wormId, state: 'InProgress', days: '1', status: 200 });
      await expect(client.delete('a.txt')).rejects.toMatchObject({ name: 'FileImmutableError', status: 409 });
      // ali-oss resolves abort and complete whatever the status.
      expect((await client.abortBucketWorm(bucket)).status).toBe(204);
      const { wormId } = await client.initiateBucketWorm(bucket, 1);
      expect((await client.completeBucketWorm(bucket, wormId)).status).toBe(200);
      expect((await client.abortBucketWorm(bucket)).status).toBe(403);
      expect((await client.extendBucketWorm(bucket, wormId, 5)).status).toBe(200);
      const got = await client.getBucketWorm(bucket);
      expect(got).toMatchObject({ wormId, state: 'Locked', days: '5' });
      expect(got.creationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    });
  });
}

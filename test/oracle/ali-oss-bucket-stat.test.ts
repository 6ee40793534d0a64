// The official ali-oss client against the local server: getBucketStat's result shape and figures, and
// listBuckets with a tag filter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedServer } from '../../src/server/index.js';
import { aliOssClient } from '../helpers/ali-oss.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';

for (const authorizationV4 of [false, true]) {
  describe(`ali-oss 6.23 getBucketStat (${authorizationV4 ? 'V4' : 'V1'})`, () => {
    let server: StartedServer;
    let client: any;
    const bucket = uniqueBucket('alistat');

    beforeAll(async () => {
      server = await httpServer();
      client = aliOssClient(server, { authorizationV4, bucket });
      await client.putBucket(bucket);
    });
    afterAll(async () => server.close());

    it('getBucketStat returns { res, stat } with string figures', async () => {
      await client.put('a.txt', Buffer.from('abcd'));
      await client.put('b.txt', Buffer.from('xy'), { headers: { 'x-oss-storage-class': 'Archive' } });
      const result = await client.getBucketStat();
      expect(result.res.status).toBe(200);
      expect(Object.keys(result).sort()).toEqual(['res', 'stat']);
      expect(result.stat).toMatchObject({
        Storage: String(4 + 65536), ObjectCount: '2', MultipartUploadCount: '0', StandardStorage: '4', StandardObjectCount: '1',
        ArchiveStorage: '65536', ArchiveRealStorage: '2', ArchiveObjectCount: '1',
      });
    });
  });
}

describe('ali-oss 6.23 listBuckets with a tag filter', () => {
  let server: StartedServer;
  beforeAll(async () => {
    server = await httpServer();
  });
  afterAll(async () => server.close());

  it('passes tag-key / tag-value and sees only the tagged buckets', async () => {
    const client = aliOssClient(server);
    const [a, b] = [uniqueBucket('alitga'), uniqueBucket('alitgb')];
    await client.putBucket(a);
    await client.putBucket(b);
    await client.putBucketTags(a, { team: 'red' });
    await client.putBucketTags(b, { team: 'blue' });
    const byKey = await client.listBuckets({ 'tag-key': 'team' });
    expect(byKey.buckets.map((x: any) => x.name).sort()).toEqual([a, b].sort());
    const byValue = await client.listBuckets({ 'tag-key': 'team', 'tag-value': 'red' });
    expect(byValue.buckets.map((x: any) => x.name)).toEqual([a]);
  });
});

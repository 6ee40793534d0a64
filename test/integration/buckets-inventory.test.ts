// Bucket inventory configurations over HTTP: stored, returned, listed in pages, deleted, and
// validated as OSS does. (The server keeps configurations only; it writes no reports.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient, type BucketInventory } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';

describe('bucket inventory over HTTP', () => {
  let server: StartedServer;
  let client: OSSClient;
  const bucket = uniqueBucket('inv');
  const dest = uniqueBucket('invdest');
  const config = (id: string): BucketInventory => ({
    id,
    isEnabled: true,
    prefix: 'logs/',
    OSSBucketDestination: { format: 'CSV', accountId: '1000000000000000', rolename: 'AliyunOSSRole', bucket: dest, prefix: 'reports/', encryption: { 'SSE-KMS': { keyId: 'k1' } } },
    frequency: 'Weekly',
    includedObjectVersions: 'Current',
    optionalFields: { field: ['Size', 'ETag'] },
  });

  beforeAll(async () => {
    server = await httpServer();
    client = new OSSClient(server.clientOptions);
    await client.putBucket(bucket);
    await client.putBucket(dest);
  });
  afterAll(async () => server.close());

  it('put, get, list, delete; NoSuchInventory and InventoryAlreadyExist', async () => {
    await expect(client.listBucketInventory(bucket)).rejects.toMatchObject({ code: 'NoSuchInventory', status: 404 });
    expect((await client.putBucketInventory(bucket, config('one'))).status).toBe(200);
    const { inventory } = await client.getBucketInventory(bucket, 'one');
    expect(inventory).toEqual(config('one'));
    await expect(client.putBucketInventory(bucket, config('one'))).rejects.toMatchObject({ code: 'InventoryAlreadyExist', status: 409 });
    await client.putBucketInventory(bucket, { ...config('two'), prefix: undefined, optionalFields: undefined, OSSBucketDestination: { ...config('two').OSSBucketDestination, encryption: { 'SSE-OSS': '' } } });
    const listed = await client.listBucketInventory(bucket);
    expect(listed.isTruncated).toBe(false);
    expect(listed.inventoryList.map((i) => i.id)).toEqual(['one', 'two']);
    expect(listed.inventoryList[1]).toMatchObject({ prefix: '', optionalFields: { field: [] }, OSSBucketDestination: { encryption: { 'SSE-OSS': '' } } });
    expect((await client.deleteBucketInventory(bucket, 'one')).status).toBe(204);
    await expect(client.getBucketInventory(bucket, 'one')).rejects.toMatchObject({ code: 'NoSuchInventory' });
    await expect(client.deleteBucketInventory(bucket, 'one')).rejects.toMatchObject({ code: 'NoSuchInventory' });
    await client.deleteBucketInventory(bucket, 'two');
  });

  it('lists 100 per page with a continuation token', async () => {
    const b = uniqueBucket('invpage');
    await client.putBucket(b);
    const ids = Array.from({ length: 102 }, (_, i) => `id${String(i).padStart(3, '0')}`);
    for (const id of ids) await client.putBucketInventory(b, config(id));
    const first = await client.listBucketInventory(b);
    expect(first.inventoryList).toHaveLength(100);
    expect(first.isTruncated).toBe(true);
    const second = await client.listBucketInventory(b, { continuationToken: first.nextContinuationToken });
    expect(second.inventoryList.map((i) => i.id)).toEqual(ids.slice(100));
    expect(second.isTruncated).toBe(false);
  });

  it('the server refuses what OSS refuses', async () => {
    await expect(client.putBucketInventory(bucket, { ...config('gone'), OSSBucketDestination: { ...config('gone').OSSBucketDestination, bucket: 'no-such-bucket-here' } }))
      .rejects.toMatchObject({ code: 'InvalidArgument', status: 400 });
    await expect(client.putBucketInventory(bucket, { ...config('f'), optionalFields: { field: ['Colour'] } }))
      .rejects.toMatchObject({ code: 'InvalidArgument' });
  });

  it('bad input is OSSArgumentError', async () => {
    const bad: Array<() => Promise<unknown>> = [
      () => client.putBucketInventory(bucket, { ...config('a'), id: '' }),
      () => client.putBucketInventory(bucket, { ...config('a'), frequency: 'Hourly' as never }),
      () => client.putBucketInventory(bucket, { ...config('a'), OSSBucketDestination: { ...config('a').OSSBucketDestination, format: 'ORC' as never } }),
      () => client.putBucketInventory(bucket, null as never),
      () => client.getBucketInventory(bucket, ''),
      () => client.deleteBucketInventory(bucket, 5 as never),
    ];
    for (const call of bad) await expect(call()).rejects.toBeInstanceOf(OSSArgumentError);
  });
});

// GetBucketStat over HTTP: storage and counts computed from what the bucket holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';

describe('getBucketStat over HTTP', () => {
  let server: StartedServer;
  let client: OSSClient;

  beforeAll(async () => {
    server = await httpServer();
    client = new OSSClient(server.clientOptions);
  });
  afterAll(async () => server.close());

  it('counts objects per storage class, billed and real sizes, uploads and parts', async () => {
    const bucket = uniqueBucket('stat');
    await client.putBucket(bucket);
    client.useBucket(bucket);
    const empty = await client.getBucketStat();
    expect(empty.stat).toMatchObject({ Storage: '0', ObjectCount: '0', MultipartUploadCount: '0', LiveChannelCount: '0' });
    expect(empty.res.status).toBe(200);

    await client.put('a.txt', 'abc');
    await client.put('b.txt', 'hello');
    await client.put('cold.txt', '0123456789', { storageClass: 'IA' });
    const { uploadId } = await client.initMultipartUpload('big.bin');
    await client.uploadPart('big.bin', uploadId, 1, new Uint8Array(100));
    await client.uploadPart('big.bin', uploadId, 2, new Uint8Array(50));
    const before = Math.floor(Date.now() / 1000);
    const { stat } = await client.getBucketStat(bucket);
    expect(stat).toMatchObject({
      Storage: String(3 + 5 + 65536 + 150),
      ObjectCount: '3',
      MultipartUploadCount: '1',
      MultipartPartCount: '2',
      DeleteMarkerCount: '0',
      StandardStorage: '8',
      StandardObjectCount: '2',
      InfrequentAccessStorage: '65536',
      InfrequentAccessRealStorage: '10',
      InfrequentAccessObjectCount: '1',
      ArchiveObjectCount: '0',
      ColdArchiveStorage: '0',
      DeepColdArchiveObjectCount: '0',
    });
    expect(Math.abs(Number(stat.LastModifiedTime) - before)).toBeLessThan(120);
  });

  it('counts every version and the delete markers of a versioned bucket', async () => {
    const bucket = uniqueBucket('statv');
    await client.putBucket(bucket);
    await client.putBucketVersioning(bucket, 'Enabled');
    await client.put('k', 'one', { bucket });
    await client.put('k', 'three', { bucket });
    await client.delete('k', { bucket });
    const { stat } = await client.getBucketStat(bucket);
    expect(stat).toMatchObject({ ObjectCount: '2', DeleteMarkerCount: '1', Storage: '8' });
  });

  it('bad input is OSSArgumentError', async () => {
    await expect(client.getBucketStat('Bad_Name')).rejects.toBeInstanceOf(OSSArgumentError);
    await expect(new OSSClient(server.clientOptions).getBucketStat()).rejects.toBeInstanceOf(OSSArgumentError);
  });
});

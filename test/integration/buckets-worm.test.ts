// WORM retention over HTTP: the policy's life (initiate, abort, complete, extend, lapse) and its
// enforcement: objects within the retention period can be read but not overwritten or deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';

const DAY = 24 * 3600 * 1000;
const immutable = { code: 'FileImmutable', status: 409 };

describe('WORM retention over HTTP', () => {
  let server: StartedServer;
  let client: OSSClient;
  let shift = 0;

  beforeAll(async () => {
    server = await httpServer({ now: () => Date.now() + shift });
    client = new OSSClient(server.clientOptions);
  });
  afterAll(async () => server.close());

  it('initiate → InProgress protects at once; abort drops it; complete locks; extend lengthens', async () => {
    const bucket = uniqueBucket('worm');
    await client.putBucket(bucket);
    client.useBucket(bucket);
    await client.put('a.txt', 'A');
    await expect(client.getBucketWorm(bucket)).rejects.toMatchObject({ code: 'NoSuchWORMConfiguration', status: 404 });

    const first = await client.initiateBucketWorm(bucket, 1);
    expect(first.status).toBe(200);
    expect(first.wormId).toMatch(/^[0-9A-F]+$/);
    const got = await client.getBucketWorm(bucket);
    expect(got).toMatchObject({ wormId: first.wormId, state: 'InProgress', days: '1' });
    expect(got.creationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);

    await expect(client.delete('a.txt')).rejects.toMatchObject(immutable);
    await expect(client.put('a.txt', 'B')).rejects.toMatchObject(immutable);
    await expect(client.copy('a.txt', 'a.txt', { meta: { x: '1' } })).rejects.toMatchObject(immutable);
    await expect(client.deleteMulti(['a.txt'])).rejects.toMatchObject(immutable);
    expect(new TextDecoder().decode((await client.get('a.txt')).content)).toBe('A');
    expect((await client.put('new.txt', 'N')).res.status).toBe(200);
    await expect(client.extendBucketWorm(bucket, first.wormId, 2)).rejects.toMatchObject({ code: 'InvalidWORMConfiguration', status: 400 });

    expect((await client.abortBucketWorm(bucket)).status).toBe(204);
    await expect(client.completeBucketWorm(bucket, first.wormId)).rejects.toMatchObject({ code: 'NoSuchWORMConfiguration', status: 404 });
    expect((await client.put('a.txt', 'B')).res.status).toBe(200);

    const { wormId } = await client.initiateBucketWorm(bucket, 1);
    await expect(client.completeBucketWorm(bucket, 'not-the-id')).rejects.toMatchObject({ code: 'NoSuchWORMConfiguration' });
    expect((await client.completeBucketWorm(bucket, wormId)).status).toBe(200);
    expect((await client.getBucketWorm(bucket)).state).toBe('Locked');
    await expect(client.abortBucketWorm(bucket)).rejects.toMatchObject({ code: 'WORMConfigurationLocked', status: 403 });
    expect((await client.extendBucketWorm(bucket, wormId, 2)).status).toBe(200);
    expect((await client.getBucketWorm(bucket)).days).toBe('2');
    await expect(client.extendBucketWorm(bucket, wormId, 1)).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(client.multipartUpload('a.txt', new Uint8Array(10))).rejects.toMatchObject(immutable);

    shift = 3 * DAY; // past the retention of every object: they may go
    try {
      expect((await client.delete('a.txt')).res.status).toBe(204);
      expect((await client.put('new.txt', 'M')).res.status).toBe(200);
      // ...but the one just written is protected again.
      await expect(client.delete('new.txt')).rejects.toMatchObject(immutable);
      expect((await client.getBucketWorm(bucket)).state).toBe('Locked');
    } finally {
      shift = 0;
    }
  });

  it('a policy not completed within 24 hours lapses', async () => {
    const bucket = uniqueBucket('wormlapse');
    await client.putBucket(bucket);
    await client.put('a.txt', 'A', { bucket });
    await client.initiateBucketWorm(bucket, 30);
    shift = 25 * 3600 * 1000;
    try {
      await expect(client.getBucketWorm(bucket)).rejects.toMatchObject({ code: 'NoSuchWORMConfiguration' });
      expect((await client.delete('a.txt', { bucket })).res.status).toBe(204);
    } finally {
      shift = 0;
    }
  });

  it('bad input is OSSArgumentError', async () => {
    const bucket = uniqueBucket('wormarg');
    const bad: Array<() => Promise<unknown>> = [
      () => client.initiateBucketWorm(bucket, 0),
      () => client.initiateBucketWorm(bucket, 25551),
      () => client.initiateBucketWorm(bucket, '1' as never),
      () => client.completeBucketWorm(bucket, ''),
      () => client.extendBucketWorm(bucket, 'id', 1.5),
      () => client.getBucketWorm('Bad_Name'),
    ];
    for (const call of bad) await expect(call()).rejects.toBeInstanceOf(OSSArgumentError);
  });
});

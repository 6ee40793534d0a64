// How a restore shows, through our client and ali-oss over HTTP: the tier in
// x-oss-object-restore-priority for cold archives, MalformedXML for JobParameters on Archive, and
// RestoreInfo in ListObjects, ListObjectsV2 and ListObjectVersions.
//   RestoreObject: https://help.aliyun.com/en/oss/developer-reference/restoreobject ("x-oss-object-restore-priority:
//     displayed only for Cold Archive or Deep Cold Archive objects"; ali-oss's live tests expect
//     'Standard' for a ColdArchive restore without JobParameters); JobParameters on an Archive
//     object: MalformedXML (aliyun-oss-python-sdk's live test_restore_archive_object_with_job_parameters).
//   RestoreInfo: https://www.alibabacloud.com/help/en/oss/user-guide/how-do-i-check-whether-the-oss-file-is-unfrozen
//     (absent unless a restore runs or ran; `ongoing-request="true"`, or `ongoing-request="false"` with
//     `expiry-date`), placed after StorageClass as in the ListObjects doc's sample.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSClient } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { aliOssClient } from '../helpers/ali-oss.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';

const RESTORE_DELAY = 5_000;
const DAY = 86_400_000;

describe('restore state (HTTP, our client and ali-oss)', () => {
  let server: StartedServer;
  let client: OSSClient;
  let ali: any;
  let offset = 0;
  const bucket = uniqueBucket('restore');
  const moveClock = (ms: number) => {
    offset = ms;
    client.clockOffset = ms;
  };
  const put = (name: string, storageClass: string) => client.put(name, `bytes of ${name}`, { headers: { 'x-oss-storage-class': storageClass } });

  beforeAll(async () => {
    server = await httpServer({ now: () => Date.now() + offset, restoreDelayMs: RESTORE_DELAY });
    client = new OSSClient({ ...server.clientOptions, bucket });
    await client.putBucket(bucket);
    await client.putBucketVersioning(bucket, 'Enabled');
    ali = aliOssClient(server, { bucket });
  });
  afterAll(async () => server.close());

  it('cold archives echo the tier in x-oss-object-restore-priority: on RestoreObject, HEAD and GET', async () => {
    await put('tier/cold-default', 'ColdArchive');
    await put('tier/cold-expedited', 'ColdArchive');
    await put('tier/deep', 'DeepColdArchive');
    await put('tier/archive', 'Archive');
    const first = await client.restore('tier/cold-default');
    expect(first.res.headers['x-oss-object-restore-priority']).toBe('Standard');
    expect((await client.restore('tier/cold-expedited', { tier: 'Expedited' })).res.headers['x-oss-object-restore-priority']).toBe('Expedited');
    expect((await client.restore('tier/deep', { days: 30, tier: 'Standard' })).res.headers['x-oss-object-restore-priority']).toBe('Standard');
    const archive = await client.restore('tier/archive', { days: 2 });
    expect(archive.res.headers['x-oss-object-restore-priority']).toBeUndefined();
    const head = await client.head('tier/cold-expedited');
    expect(head.res.headers['x-oss-restore']).toBe('ongoing-request="true"');
    expect(head.res.headers['x-oss-object-restore-priority']).toBe('Expedited');
    expect((await client.head('tier/deep')).res.headers['x-oss-object-restore-priority']).toBe('Standard');
    expect((await client.head('tier/archive')).res.headers['x-oss-object-restore-priority']).toBeUndefined();
    moveClock(RESTORE_DELAY + 1000);
    try {
      const got = await client.get('tier/cold-expedited');
      expect(got.res.headers['x-oss-object-restore-priority']).toBe('Expedited');
      expect(got.res.headers['x-oss-restore']).toMatch(/^ongoing-request="false", expiry-date="[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT"$/);
      // A restored copy extended: 200, still at the tier it was restored at.
      expect((await client.restore('tier/cold-expedited', { days: 3 })).res.headers['x-oss-object-restore-priority']).toBe('Expedited');
    } finally {
      moveClock(0);
    }
    // ali-oss sends JobParameters/Tier for type ColdArchive and reads the header from the response.
    await put('tier/ali-cold', 'ColdArchive');
    const viaAli = await ali.restore('tier/ali-cold', { type: 'ColdArchive', JobParameters: 'Bulk' });
    expect(viaAli.res.headers['x-oss-object-restore-priority']).toBe('Bulk');
    expect((await ali.head('tier/ali-cold')).res.headers['x-oss-object-restore-priority']).toBe('Bulk');
  });

  it('JobParameters on an Archive object is MalformedXML; a cold archive takes it', async () => {
    await put('job/archive', 'Archive');
    await expect(client.restore('job/archive', { tier: 'Standard' })).rejects.toMatchObject({ code: 'MalformedXML', status: 400 });
    // ali-oss adds JobParameters only for cold archives: its Archive restore still works.
    expect((await ali.restore('job/archive', { type: 'Archive', Days: 2 })).res.status).toBe(202);
    await put('job/cold', 'ColdArchive');
    expect((await client.restore('job/cold', { tier: 'Bulk' })).status).toBe(202);
  });

  it('RestoreInfo in ListObjects, ListObjectsV2 and ListObjectVersions: ongoing, then restored, absent for others', async () => {
    await put('list/restoring', 'ColdArchive');
    await put('list/frozen', 'Archive');
    await client.put('list/plain', 'p');
    await client.restore('list/restoring', { days: 2 });
    const prefix = 'list/';
    const byName = <T extends { name: string }>(objects: T[]) => Object.fromEntries(objects.map((o) => [o.name, o]));

    const v1 = byName((await client.list({ prefix })).objects);
    const v2 = byName((await client.listV2({ prefix })).objects);
    const versions = byName((await client.listObjectVersions({ prefix })).objects);
    for (const listing of [v1, v2, versions]) {
      expect(listing['list/restoring']!.restoreInfo).toEqual({ ongoingRequest: true });
      expect(listing['list/frozen']!.restoreInfo).toBeUndefined();
      expect(listing['list/plain']!.restoreInfo).toBeUndefined();
    }
    // The wire form, where OSS's samples put it (quotes may travel as &quot;: the same XML).
    for (const query of [{ prefix }, { prefix, 'list-type': '2' }, { prefix, versions: null }]) {
      const raw = await client.request({ method: 'GET', bucket, query });
      const xml = await raw.response.text();
      raw.done();
      expect(xml).toMatch(/<Key>list\/restoring<\/Key>(?:(?!<\/(?:Contents|Version)>).)*<StorageClass>ColdArchive<\/StorageClass><RestoreInfo>ongoing-request=(?:"|&quot;)true(?:"|&quot;)<\/RestoreInfo>/s);
      expect(xml.match(/<RestoreInfo>/g)).toHaveLength(1);
    }

    moveClock(RESTORE_DELAY + 1000);
    try {
      const now = Date.now() + RESTORE_DELAY + 1000;
      const restored = [
        (await client.list({ prefix })).objects,
        (await client.listV2({ prefix })).objects,
        (await client.listObjectVersions({ prefix })).objects,
      ].map((objects) => byName(objects)['list/restoring']!.restoreInfo!);
      // The wire form once readable: ongoing-request="false", expiry-date="<RFC 1123 date>".
      const raw = await client.request({ method: 'GET', bucket, query: { prefix } });
      const wire = await raw.response.text();
      raw.done();
      const m = /<RestoreInfo>ongoing-request=(?:"|&quot;)false(?:"|&quot;), expiry-date=(?:"|&quot;)([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)(?:"|&quot;)<\/RestoreInfo>/.exec(wire);
      expect(m, wire).not.toBeNull();
      // Expires two days after the copy became readable (whole seconds on the wire).
      expect(Math.abs(Date.parse(m![1]!) - (now + 2 * DAY))).toBeLessThan(10_000);
      // Read as ali-oss reads the same element: { ongoingRequest, expiryDate }.
      const expected = { ongoingRequest: false, expiryDate: new Date(m![1]!) };
      for (const info of restored) expect(info).toEqual(expected);
      const aliList = byName((await ali.list({ prefix })).objects as Array<{ name: string; restoreInfo?: unknown }>);
      const aliV2 = byName((await ali.listV2({ prefix })).objects as Array<{ name: string; restoreInfo?: unknown }>);
      const aliVersions = byName((await ali.getBucketVersions({ prefix })).objects as Array<{ name: string; restoreInfo?: unknown }>);
      for (const listing of [aliList, aliV2, aliVersions]) {
        expect(listing['list/restoring']!.restoreInfo).toEqual(expected);
        expect(listing['list/frozen']!.restoreInfo).toBeUndefined();
      }
    } finally {
      moveClock(0);
    }
    // After the copy expires, RestoreInfo is gone again.
    moveClock(RESTORE_DELAY + 3 * DAY);
    try {
      expect((await client.list({ prefix })).objects.find((o) => o.name === 'list/restoring')!.restoreInfo).toBeUndefined();
    } finally {
      moveClock(0);
    }
  });
});

// Lifecycle rules: the server checks rule XML as OSS does (raw bodies, so the client's own checks
// do not hide the server's), and applyLifecycle carries the rules out on a clock the test moves.
import { beforeAll, describe, expect, it } from 'vitest';
import { OSSClient, OSSError } from '../../src/index.js';
import { createHandler, type OSSHandler } from '../../src/server/index.js';
import { applyLifecycle } from '../../src/server/ops/bucket/lifecycle.js';
import { versionStore } from '../../src/server/ops/object/versions.js';
import type { ObjectRecord } from '../../src/server/storage/types.js';
import { creds } from '../helpers/server.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 10, 12); // objects are written at noon, 10 Jan 2024

function setup(): { handler: OSSHandler; client: OSSClient; clock: { now: number } } {
  const clock = { now: T0 };
  const handler = createHandler({ now: () => clock.now });
  const client = new OSSClient({ ...creds, endpoint: 'http://127.0.0.1:1', fetch: (i, init) => handler(new Request(i, init)) });
  return { handler, client, clock };
}

describe('PutBucketLifecycle validation', () => {
  const { client } = setup();
  beforeAll(async () => {
    await client.putBucket('lc-bucket');
  });

  const putRaw = async (xml: string, headers: Record<string, string> = {}) => {
    const raw = await client.request({
      method: 'PUT', bucket: 'lc-bucket', query: { lifecycle: null }, headers: { 'content-type': 'application/xml', ...headers }, body: xml,
    });
    raw.done();
    return raw.response.status;
  };
  const rule = (inner: string, id = 'r', prefix = 'p/') => `<Rule><ID>${id}</ID><Prefix>${prefix}</Prefix><Status>Enabled</Status>${inner}</Rule>`;
  const config = (...rules: string[]) => `<?xml version="1.0" encoding="UTF-8"?><LifecycleConfiguration>${rules.join('')}</LifecycleConfiguration>`;
  const expire = (days: number) => `<Expiration><Days>${days}</Days></Expiration>`;

  it.each([
    ['not XML', 'lifecycle please', 'MalformedXML'],
    ['another root', '<CORSConfiguration><CORSRule/></CORSConfiguration>', 'MalformedXML'],
    ['no rules', config(), 'MalformedXML'],
    ['no status', config('<Rule><ID>a</ID><Prefix>p/</Prefix><Expiration><Days>1</Days></Expiration></Rule>'), 'MalformedXML'],
    ['status neither Enabled nor Disabled', config('<Rule><Prefix>p/</Prefix><Status>On</Status><Expiration><Days>1</Days></Expiration></Rule>'), 'MalformedXML'],
    ['a rule that does nothing', config(rule('')), 'MalformedXML'],
    ['Days and CreatedBeforeDate together', config(rule('<Expiration><Days>1</Days><CreatedBeforeDate>2024-01-01T00:00:00.000Z</CreatedBeforeDate></Expiration>')), 'MalformedXML'],
    ['an empty Expiration', config(rule('<Expiration></Expiration>')), 'MalformedXML'],
    ['zero days', config(rule(expire(0))), 'InvalidArgument'],
    ['negative days', config(rule('<Expiration><Days>-3</Days></Expiration>')), 'InvalidArgument'],
    ['days that are not a number', config(rule('<Expiration><Days>ten</Days></Expiration>')), 'InvalidArgument'],
    ['a date not at midnight', config(rule('<Expiration><CreatedBeforeDate>2024-01-01T08:00:00.000Z</CreatedBeforeDate></Expiration>')), 'InvalidArgument'],
    ['an impossible date', config(rule('<Expiration><CreatedBeforeDate>2024-02-30T00:00:00.000Z</CreatedBeforeDate></Expiration>')), 'InvalidArgument'],
    ['duplicate rule IDs', config(rule(expire(1), 'same', 'a/'), rule(expire(1), 'same', 'b/')), 'InvalidArgument'],
    ['an ID over 255 bytes', config(rule(expire(1), 'x'.repeat(256))), 'InvalidArgument'],
    ['overlapping prefixes with the same action', config(rule(expire(1), 'a', 'logs/'), rule(expire(5), 'b', 'logs/2024/')), 'InvalidArgument'],
    ['two rules for the whole bucket', config(rule(expire(1), 'a', ''), rule(expire(5), 'b', '')), 'InvalidArgument'],
    ['a transition no earlier than the expiration', config(rule(`${expire(30)}<Transition><Days>30</Days><StorageClass>IA</StorageClass></Transition>`)), 'InvalidArgument'],
    ['a transition to Standard', config(rule('<Transition><Days>3</Days><StorageClass>Standard</StorageClass></Transition>')), 'InvalidArgument'],
    ['Archive before IA', config(rule('<Transition><Days>30</Days><StorageClass>IA</StorageClass></Transition><Transition><Days>10</Days><StorageClass>Archive</StorageClass></Transition>')), 'InvalidArgument'],
    ['tags with AbortMultipartUpload', config(rule('<Tag><Key>k</Key><Value>v</Value></Tag><AbortMultipartUpload><Days>1</Days></AbortMultipartUpload>')), 'InvalidArgument'],
    ['ExpiredObjectDeleteMarker with Days', config(rule('<Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>')), 'InvalidArgument'],
    ['NoncurrentDays of zero', config(rule('<NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration>')), 'InvalidArgument'],
    ['a DTD', `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]>${config(rule(expire(1)))}`, 'MalformedXML'],
  ])('refuses %s (%s)', async (_what, xml, code) => {
    const err = await putRaw(xml).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OSSError);
    expect(err).toMatchObject({ code, status: 400 });
    if (code === 'InvalidArgument') expect((err as OSSError).details.ArgumentName).toBeTruthy();
  });

  it('a refused PUT leaves the stored rules alone', async () => {
    expect(await putRaw(config(rule(expire(7), 'keep')))).toBe(200);
    await expect(putRaw(config(rule(expire(0))))).rejects.toMatchObject({ code: 'InvalidArgument' });
    expect((await client.getBucketLifecycle('lc-bucket')).rules.map((r) => r.id)).toEqual(['keep']);
  });

  it('accepts overlaps that OSS accepts: different actions, tagged rules, or the overlap header', async () => {
    const abort = '<AbortMultipartUpload><Days>2</Days></AbortMultipartUpload>';
    expect(await putRaw(config(rule(expire(1), 'a', 'logs/'), rule(abort, 'b', 'logs/2024/')))).toBe(200);
    expect(await putRaw(config(rule(expire(1), 'a', 'logs/'), rule(`<Tag><Key>t</Key><Value>1</Value></Tag>${expire(2)}`, 'b', 'logs/')))).toBe(200);
    const overlapping = config(rule(expire(1), 'a', 'logs/'), rule(expire(5), 'b', 'logs/2024/'));
    expect(await putRaw(overlapping, { 'x-oss-allow-same-action-overlap': 'true' })).toBe(200);
  });

  it('names rules that come without an ID', async () => {
    expect(await putRaw(config('<Rule><Prefix>x/</Prefix><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>'))).toBe(200);
    expect((await client.getBucketLifecycle('lc-bucket')).rules[0]!.id).toBeTruthy();
  });
});

describe('applyLifecycle', () => {
  it('expires by days (at the midnight after) and by date, honouring prefix, tags, size filter and status', async () => {
    const { handler, client, clock } = setup();
    await client.putBucket('exp');
    client.useBucket('exp');
    for (const key of ['logs/a', 'logs/b', 'tmp/t', 'keep/k', 'off/o', 'big/small', 'big/large']) {
      await client.put(key, key.endsWith('large') ? 'x'.repeat(2000) : 'x');
    }
    await client.put('tagged/yes', 'x', { headers: { 'x-oss-tagging': 'purge=1' } });
    await client.put('tagged/no', 'x');
    await client.putBucketLifecycle('exp', [
      { id: 'logs', prefix: 'logs/', status: 'Enabled', expiration: { days: 1 } },
      { id: 'tmp', prefix: 'tmp/', status: 'Enabled', expiration: { createdBeforeDate: '2024-01-11T00:00:00.000Z' } },
      { id: 'off', prefix: 'off/', status: 'Disabled', expiration: { days: 1 } },
      { id: 'tagged', prefix: 'tagged/', status: 'Enabled', tag: { key: 'purge', value: '1' }, expiration: { days: 1 } },
      { id: 'big', prefix: 'big/', status: 'Enabled', filter: { objectSizeGreaterThan: 1000 }, expiration: { days: 1 } },
    ]);
    const names = async () => (await client.list()).objects.map((o) => o.name);

    const early = await applyLifecycle(handler.state, T0 + 6 * 3600_000);
    expect(early.expired.map((e) => e.key)).toEqual(['tmp/t']);
    expect(await names()).toContain('logs/a');

    clock.now = Date.UTC(2024, 0, 11, 23, 59);
    expect((await applyLifecycle(handler.state)).expired).toEqual([]);

    const report = await applyLifecycle(handler.state, Date.UTC(2024, 0, 12));
    expect(report.expired.map((e) => e.key).sort()).toEqual(['big/large', 'logs/a', 'logs/b', 'tagged/yes']);
    expect(await names()).toEqual(['big/small', 'keep/k', 'off/o', 'tagged/no']);
  });

  it('moves objects through their transitions, the latest due one deciding', async () => {
    const { handler, client } = setup();
    await client.putBucket('cold');
    client.useBucket('cold');
    await client.put('data/1', 'x');
    await client.putBucketLifecycle('cold', [{
      id: 'tiers', prefix: 'data/', status: 'Enabled',
      transition: [{ days: 1, storageClass: 'IA' }, { days: 3, storageClass: 'Archive' }], expiration: { days: 30 },
    }]);
    const cls = async () => (await client.head('data/1')).res.headers['x-oss-storage-class'];
    expect(await cls()).toBe('Standard');
    const first = await applyLifecycle(handler.state, Date.UTC(2024, 0, 12));
    expect(first.transitioned).toEqual([{ bucket: 'cold', key: 'data/1', storageClass: 'IA' }]);
    expect(await cls()).toBe('IA');
    expect((await applyLifecycle(handler.state, Date.UTC(2024, 0, 13))).transitioned).toEqual([]);
    await applyLifecycle(handler.state, Date.UTC(2024, 0, 14));
    expect(await cls()).toBe('Archive');
  });

  it('aborts multipart uploads left behind', async () => {
    const { handler, client, clock } = setup();
    await client.putBucket('mpu-bucket');
    client.useBucket('mpu-bucket');
    await client.initMultipartUpload('up/old.bin');
    clock.now = T0 + 3 * DAY;
    await client.initMultipartUpload('up/new.bin');
    await client.initMultipartUpload('other/old.bin');
    await client.putBucketLifecycle('mpu-bucket', [{ id: 'abort', prefix: 'up/', status: 'Enabled', abortMultipartUpload: { days: 2 } }]);
    const report = await applyLifecycle(handler.state, T0 + 3 * DAY + 3600_000);
    expect(report.abortedUploads.map((u) => u.key)).toEqual(['up/old.bin']);
    expect((await client.listUploads()).uploads.map((u) => u.name).sort()).toEqual(['other/old.bin', 'up/new.bin']);
  });

  it('in a versioned bucket: expiring adds a delete marker, old versions and lone markers go', async () => {
    const { handler, client } = setup();
    await client.putBucket('vlc');
    await client.putBucketVersioning('vlc', 'Enabled');
    const store = versionStore(handler.state);
    const write = (key: string, versionId: string, at: number) => store.putObjectVersioned('vlc', key, new TextEncoder().encode(versionId), (d): ObjectRecord => ({
      key, versionId, size: d.size, etag: '"E"', lastModified: at, crc64: d.crc64, contentType: 'text/plain', headers: {}, meta: {},
      objectType: 'Normal', storageClass: 'Standard', acl: 'default', tags: {},
    }), { versioning: 'enabled' });
    await write('doc', 'v1', T0);
    await write('doc', 'v2', T0 + 10 * DAY);
    await write('fresh', 'f1', T0 + 10 * DAY);
    await client.putBucketLifecycle('vlc', [
      { id: 'current', prefix: 'doc', status: 'Enabled', expiration: { days: 8 } },
      { id: 'old', prefix: '', status: 'Enabled', noncurrentVersionExpiration: { noncurrentDays: 5 } },
      { id: 'markers', prefix: 'd', status: 'Enabled', expiration: { expiredObjectDeleteMarker: true } },
    ], { allowSameActionOverlap: true });

    // v1 became noncurrent at noon on 20 Jan; five days later, at the next midnight, it goes.
    expect((await applyLifecycle(handler.state, Date.UTC(2024, 0, 25))).removedVersions).toEqual([]);
    const mid = await applyLifecycle(handler.state, Date.UTC(2024, 0, 26));
    expect(mid.removedVersions.map((v) => v.versionId)).toEqual(['v1']);
    expect(mid.expired).toEqual([]);
    // v2 (20 Jan) expires after 8 days: a delete marker hides it, and v2 is noncurrent from then on.
    const expiry = await applyLifecycle(handler.state, Date.UTC(2024, 0, 29));
    expect(expiry.expired.map((e) => e.key)).toEqual(['doc']);
    const versions = await client.listObjectVersions({ prefix: 'doc' }, { bucket: 'vlc' });
    expect(versions.deleteMarker).toHaveLength(1);
    expect(versions.objects.map((o) => o.versionId)).toEqual(['v2']);
    await expect(client.get('doc', { bucket: 'vlc' })).rejects.toMatchObject({ name: 'NoSuchKeyError' });
    // Five days later v2 goes, which leaves the marker alone: it goes too.
    expect((await applyLifecycle(handler.state, Date.UTC(2024, 1, 2))).removedVersions).toEqual([]);
    const end = await applyLifecycle(handler.state, Date.UTC(2024, 1, 3));
    expect(end.removedVersions.map((v) => v.versionId)).toEqual(['v2', versions.deleteMarker[0]!.versionId]);
    expect((await client.listObjectVersions({}, { bucket: 'vlc' })).objects.map((o) => o.name)).toEqual(['fresh']);
  });
});

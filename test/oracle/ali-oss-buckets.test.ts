// The official ali-oss client drives the bucket API against the local server (V1 and V4): the
// same calls a user makes against OSS, the same results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedServer } from '../../src/server/index.js';
import { aliOssClient } from '../helpers/ali-oss.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';

for (const authorizationV4 of [false, true]) {
  describe(`ali-oss 6.23 bucket API against the local server (${authorizationV4 ? 'V4' : 'V1'})`, () => {
    let server: StartedServer;
    let client: any;
    const bucket = uniqueBucket('alib');
    const make = (options: Record<string, unknown> = {}) => aliOssClient(server, { authorizationV4, ...options });

    beforeAll(async () => {
      server = await httpServer();
      client = make();
      const created = await client.putBucket(bucket, { StorageClass: 'IA', acl: 'public-read' });
      expect(created.res.status).toBe(200);
      expect(created.bucket).toBe(bucket);
      client.useBucket(bucket);
    });
    afterAll(async () => server.close());

    it('getBucketInfo, getBucketLocation, listBuckets paging', async () => {
      const info = await client.getBucketInfo(bucket);
      expect(info.bucket).toMatchObject({ Name: bucket, Location: 'oss-cn-hangzhou', StorageClass: 'IA', AccessControlList: { Grant: 'public-read' } });
      expect(info.bucket.Owner.ID).toBeTruthy();
      expect((await client.getBucketLocation(bucket)).location).toBe('oss-cn-hangzhou');
      const prefix = uniqueBucket('alipg');
      for (const s of ['a', 'b', 'c']) await client.putBucket(`${prefix}-${s}`);
      const page = await client.listBuckets({ prefix, 'max-keys': 2 });
      expect(page.buckets.map((b: any) => b.name)).toEqual([`${prefix}-a`, `${prefix}-b`]);
      expect(page.isTruncated).toBe(true);
      expect(page.nextMarker).toBe(`${prefix}-b`);
      const rest = await client.listBuckets({ prefix, marker: page.nextMarker });
      expect(rest.buckets.map((b: any) => b.name)).toEqual([`${prefix}-c`]);
      expect(rest.buckets[0].region).toBe('oss-cn-hangzhou');
      for (const s of ['a', 'b', 'c']) expect((await client.deleteBucket(`${prefix}-${s}`)).res.status).toBe(204);
    });

    it('deleteBucket errors: NoSuchBucket and BucketNotEmpty', async () => {
      await expect(client.deleteBucket(uniqueBucket('alinone'))).rejects.toMatchObject({ name: 'NoSuchBucketError', status: 404 });
      await client.put('keep.txt', Buffer.from('x'));
      await expect(client.deleteBucket(bucket)).rejects.toMatchObject({ name: 'BucketNotEmptyError', status: 409 });
    });

    it('ACL', async () => {
      const put = await client.putBucketACL(bucket, 'public-read-write');
      expect(put.res.status).toBe(200);
      const got = await client.getBucketACL(bucket);
      expect(got.acl).toBe('public-read-write');
      expect(got.owner.id).toBeTruthy();
      await client.putBucketACL(bucket, 'public-read');
    });

    it('logging', async () => {
      await client.putBucketLogging(bucket, 'logs/');
      expect(await client.getBucketLogging(bucket)).toMatchObject({ enable: true, prefix: 'logs/' });
      expect((await client.deleteBucketLogging(bucket)).res.status).toBe(204);
      expect(await client.getBucketLogging(bucket)).toMatchObject({ enable: false, prefix: null });
    });

    it('website', async () => {
      await expect(client.getBucketWebsite(bucket)).rejects.toMatchObject({ name: 'NoSuchWebsiteConfigurationError', status: 404 });
      await client.putBucketWebsite(bucket, { index: 'index.html', error: 'error.html', supportSubDir: 'true', type: 0 });
      const site = await client.getBucketWebsite(bucket);
      expect(site).toMatchObject({ index: 'index.html', error: 'error.html', supportSubDir: 'true' });
      expect((await client.deleteBucketWebsite(bucket)).res.status).toBe(204);
    });

    it('referer', async () => {
      await client.putBucketReferer(bucket, false, ['https://*.example.com', 'https://a?.test']);
      expect(await client.getBucketReferer(bucket)).toMatchObject({ allowEmpty: false, referers: ['https://*.example.com', 'https://a?.test'] });
      await client.deleteBucketReferer(bucket);
      expect(await client.getBucketReferer(bucket)).toMatchObject({ allowEmpty: true, referers: null });
    });

    it('lifecycle: rules round-trip, bad rules are refused by the server', async () => {
      await expect(client.getBucketLifecycle(bucket)).rejects.toMatchObject({ name: 'NoSuchLifecycleError', status: 404 });
      await client.putBucketLifecycle(bucket, [
        { id: 'expire', prefix: 'logs/', status: 'Enabled', expiration: { days: 30 }, transition: { days: 10, storageClass: 'IA' } },
        { id: 'abort', prefix: 'uploads/', status: 'Enabled', abortMultipartUpload: { days: 2 } },
        { id: 'tagged', prefix: 'tagged/', status: 'Disabled', expiration: { createdBeforeDate: '2024-01-01T00:00:00.000Z' }, tag: [{ key: 'k', value: 'v' }] },
      ]);
      const { rules } = await client.getBucketLifecycle(bucket);
      expect(rules.map((r: any) => r.id)).toEqual(['expire', 'abort', 'tagged']);
      expect(rules[0]).toMatchObject({ prefix: 'logs/', status: 'Enabled', expiration: { days: '30' }, transition: { days: '10', storageClass: 'IA' } });
      expect(rules[1].abortMultipartUpload).toEqual({ days: '2' });
      expect(rules[2].tag).toEqual([{ key: 'k', value: 'v' }]);
      await expect(client.putBucketLifecycle(bucket, [
        { id: 'same', prefix: 'a/', status: 'Enabled', expiration: { days: 1 } },
        { id: 'same', prefix: 'b/', status: 'Enabled', expiration: { days: 1 } },
      ])).rejects.toMatchObject({ name: 'InvalidArgumentError', status: 400 });
      await expect(client.putBucketLifecycle(bucket, [
        { id: 'a', prefix: 'logs/', status: 'Enabled', expiration: { days: 1 } },
        { id: 'b', prefix: 'logs/old/', status: 'Enabled', expiration: { days: 2 } },
      ])).rejects.toMatchObject({ name: 'InvalidArgumentError' });
      expect((await client.deleteBucketLifecycle(bucket)).res.status).toBe(204);
    });

    it('CORS: rules round-trip; preflights follow them', async () => {
      await expect(client.getBucketCORS(bucket)).rejects.toMatchObject({ name: 'NoSuchCORSConfigurationError', status: 404 });
      await client.putBucketCORS(bucket, [
        { allowedOrigin: 'https://app.example.com', allowedMethod: ['GET', 'PUT'], allowedHeader: '*', exposeHeader: ['ETag', 'x-oss-request-id'], maxAgeSeconds: '60' },
      ]);
      const { rules } = await client.getBucketCORS(bucket);
      expect(rules).toEqual([{
        allowedOrigin: 'https://app.example.com', allowedMethod: ['GET', 'PUT'], allowedHeader: '*', exposeHeader: ['ETag', 'x-oss-request-id'], maxAgeSeconds: '60',
      }]);
      const ok = await fetch(`${server.url}/${bucket}/a.txt`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PUT' } });
      expect(ok.status).toBe(200);
      const no = await fetch(`${server.url}/${bucket}/a.txt`, { method: 'OPTIONS', headers: { origin: 'https://other.example.com', 'access-control-request-method': 'PUT' } });
      expect(no.status).toBe(403);
      expect((await client.deleteBucketCORS(bucket)).res.status).toBe(204);
    });

    it('tags', async () => {
      await client.putBucketTags(bucket, { team: 'web', env: 'test' });
      expect((await client.getBucketTags(bucket)).tag).toEqual({ team: 'web', env: 'test' });
      expect((await client.deleteBucketTags(bucket)).status).toBe(204);
      expect((await client.getBucketTags(bucket)).tag).toEqual({});
    });

    it('policy: stored, enforced for anonymous readers, deleted', async () => {
      const policy = {
        Version: '1',
        Statement: [{ Effect: 'Deny', Action: ['oss:GetObject'], Principal: ['*'], Resource: [`acs:oss:*:*:${bucket}/keep.txt`] }],
      };
      const absent = await client.getBucketPolicy(bucket).catch((e: any) => e);
      expect(absent.status).toBe(404);
      expect((await fetch(`${server.url}/${bucket}/keep.txt`)).status).toBe(200);
      expect((await client.putBucketPolicy(bucket, policy)).status).toBe(200);
      expect((await client.getBucketPolicy(bucket)).policy).toEqual(policy);
      expect((await fetch(`${server.url}/${bucket}/keep.txt`)).status).toBe(403);
      expect((await client.deleteBucketPolicy(bucket)).status).toBe(204);
      expect((await fetch(`${server.url}/${bucket}/keep.txt`)).status).toBe(200);
    });

    it('versioning state', async () => {
      const name = uniqueBucket('aliver');
      await client.putBucket(name);
      expect((await client.getBucketVersioning(name)).versionStatus).toBeUndefined();
      await client.putBucketVersioning(name, 'Enabled');
      expect((await client.getBucketVersioning(name)).versionStatus).toBe('Enabled');
      await client.putBucketVersioning(name, 'Suspended');
      expect((await client.getBucketVersioning(name)).versionStatus).toBe('Suspended');
    });

    it('versions: get and delete by versionId, delete markers, getBucketVersions', async () => {
      const name = uniqueBucket('aliv');
      await client.putBucket(name);
      await client.putBucketVersioning(name, 'Enabled');
      const c = make({ bucket: name });
      const v1 = (await c.put('doc.txt', Buffer.from('one'))).res.headers['x-oss-version-id'];
      await c.put('doc.txt', Buffer.from('two'));
      expect((await c.get('doc.txt', { versionId: v1 })).content.toString()).toBe('one');
      const del = await c.delete('doc.txt');
      expect(del.res.headers['x-oss-delete-marker']).toBe('true');
      await expect(c.get('doc.txt')).rejects.toMatchObject({ name: 'NoSuchKeyError', status: 404 });
      const listed = await c.getBucketVersions({ prefix: 'doc' });
      expect(listed.objects.map((o: any) => o.versionId)).toContain(v1);
      expect(listed.deleteMarker).toHaveLength(1);
      await c.delete('doc.txt', { versionId: listed.deleteMarker[0].versionId });
      expect((await c.get('doc.txt')).content.toString()).toBe('two');
      await c.delete('doc.txt', { versionId: v1 });
      expect((await c.getBucketVersions({ prefix: 'doc' })).objects).toHaveLength(1);
    });
  });
}

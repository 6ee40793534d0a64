// The bucket API, every method through OSSClient against the local server, in-process and over
// HTTP: what is stored comes back, missing configurations are the right errors, and the seed's
// `(name, region, …)` shapes do the same as the modern ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient, OSSError } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { creds, httpServer, inProcessClient, uniqueBucket } from '../helpers/server.js';

for (const mode of ['in-process', 'http'] as const) {
  describe(`bucket API (${mode})`, () => {
    let server: StartedServer | undefined;
    let client: OSSClient;
    const bucket = uniqueBucket('bk');

    beforeAll(async () => {
      if (mode === 'http') {
        server = await httpServer();
        client = new OSSClient(server.clientOptions);
      } else {
        client = inProcessClient().client;
      }
      const put = await client.putBucket(bucket, { acl: 'public-read', storageClass: 'IA', dataRedundancyType: 'ZRS' });
      expect(put.bucket).toBe(bucket);
    });
    afterAll(async () => server?.close());

    it('putBucket stores ACL, storage class and redundancy; getBucketInfo and getBucketLocation report them', async () => {
      const { bucket: info, res } = await client.getBucketInfo(bucket);
      expect(res.status).toBe(200);
      expect(info).toMatchObject({
        Name: bucket, Location: 'oss-cn-hangzhou', StorageClass: 'IA', DataRedundancyType: 'ZRS',
        ExtranetEndpoint: 'oss-cn-hangzhou.aliyuncs.com', AccessControlList: { Grant: 'public-read' },
      });
      expect(info.Owner.ID).toBeTruthy();
      expect(Date.parse(info.CreationDate)).toBeGreaterThan(0);
      expect((await client.getBucketLocation(bucket)).location).toBe('oss-cn-hangzhou');
      // Seed shapes: a region after the name.
      expect((await client.getBucketLocation(bucket, 'oss-cn-hangzhou')).location).toBe('oss-cn-hangzhou');
      expect((await client.getBucketInfo(bucket, 'cn-hangzhou')).bucket.Name).toBe(bucket);
    });

    it('putBucket on a name the account already owns succeeds; another account gets BucketAlreadyExists', async () => {
      expect((await client.putBucket(bucket)).res.status).toBe(200);
      const { handler } = inProcessClient({ credentials: [creds, { accessKeyId: 'k2', accessKeySecret: 's2', ownerId: '2' }] });
      const a = new OSSClient({ ...creds, endpoint: 'http://127.0.0.1:1', fetch: (i, init) => handler(new Request(i, init)) });
      const b = new OSSClient({ accessKeyId: 'k2', accessKeySecret: 's2', endpoint: 'http://127.0.0.1:1', fetch: (i, init) => handler(new Request(i, init)) });
      await a.putBucket('taken-name');
      await expect(b.putBucket('taken-name')).rejects.toMatchObject({ name: 'BucketAlreadyExistsError', status: 409 });
    });

    it('putBucket refuses a LocationConstraint of another region (seed form) and accepts its own', async () => {
      const name = uniqueBucket('seedput');
      expect((await client.putBucket(name, 'oss-cn-hangzhou')).bucket).toBe(name);
      await expect(client.putBucket(uniqueBucket('far'), 'oss-us-west-1')).rejects.toMatchObject({ code: 'InvalidLocationConstraint', status: 400 });
      expect((await client.deleteBucket(name, 'oss-cn-hangzhou')).res.status).toBe(204);
    });

    it('listBuckets pages with prefix, marker and max-keys; listAllBuckets walks every page', async () => {
      const prefix = uniqueBucket('pg');
      const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
      for (const n of names) await client.putBucket(n);
      const first = await client.listBuckets({ prefix, 'max-keys': 2 });
      expect(first.buckets.map((b) => b.name)).toEqual(names.slice(0, 2));
      expect(first.isTruncated).toBe(true);
      expect(first.nextMarker).toBe(names[1]);
      expect(first.owner?.id).toBeTruthy();
      const second = await client.listBuckets({ prefix, marker: first.nextMarker!, 'max-keys': 2 });
      expect(second.buckets.map((b) => b.name)).toEqual([names[2]]);
      expect(second.isTruncated).toBe(false);
      expect(second.nextMarker).toBeNull();
      const all: string[] = [];
      for await (const b of client.listAllBuckets({ prefix, pageSize: 1 })) all.push(b.name);
      expect(all).toEqual(names);
      const early: string[] = [];
      for await (const b of client.listAllBuckets({ prefix, pageSize: 1 })) {
        early.push(b.name);
        break;
      }
      expect(early).toEqual([names[0]]);
      for (const n of names) await client.deleteBucket(n);
    });

    it('deleteBucket: NoSuchBucket for a missing one, BucketNotEmpty while objects remain', async () => {
      await expect(client.deleteBucket(uniqueBucket('missing'))).rejects.toMatchObject({ name: 'NoSuchBucketError', status: 404 });
      const name = uniqueBucket('full');
      await client.putBucket(name);
      await client.put('x', 'x', { bucket: name });
      await expect(client.deleteBucket(name)).rejects.toMatchObject({ name: 'BucketNotEmptyError', status: 409 });
      await client.delete('x', { bucket: name });
      expect((await client.deleteBucket(name)).res.status).toBe(204);
    });

    it('ACL: put and get, modern and seed shapes', async () => {
      const name = uniqueBucket('acl');
      await client.putBucket(name);
      expect((await client.getBucketACL(name)).acl).toBe('private');
      const put = await client.putBucketACL(name, 'public-read-write');
      expect(put.res.status).toBe(200);
      expect(put.bucket).toBe(name);
      const got = await client.getBucketACL(name);
      expect(got.acl).toBe('public-read-write');
      expect(got.owner.id).toBeTruthy();
      await client.putBucketACL(name, 'oss-cn-hangzhou', 'public-read');
      expect((await client.getBucketACL(name, 'cn-hangzhou')).acl).toBe('public-read');
    });

    it('logging: on, read back, seed shape, off', async () => {
      const name = uniqueBucket('log');
      await client.putBucket(name);
      expect((await client.getBucketLogging(name)).enable).toBe(false);
      await client.putBucketLogging(name, 'access/');
      expect(await client.getBucketLogging(name)).toMatchObject({ enable: true, prefix: 'access/', targetBucket: name });
      await client.putBucketLogging(name, 'oss-cn-hangzhou', 'seed/');
      expect((await client.getBucketLogging(name)).prefix).toBe('seed/');
      await client.putBucketLogging(name, 'to-other/', { targetBucket: bucket });
      expect((await client.getBucketLogging(name)).targetBucket).toBe(bucket);
      await expect(client.putBucketLogging(name, 'x/', { targetBucket: uniqueBucket('nolog') }))
        .rejects.toMatchObject({ name: 'InvalidTargetBucketForLoggingError', status: 400 });
      expect((await client.deleteBucketLogging(name)).res.status).toBe(204);
      expect(await client.getBucketLogging(name)).toMatchObject({ enable: false, prefix: null });
    });

    it('website: put, get, seed shape, delete, NoSuchWebsiteConfiguration', async () => {
      const name = uniqueBucket('web');
      await client.putBucket(name);
      await expect(client.getBucketWebsite(name)).rejects.toMatchObject({ name: 'NoSuchWebsiteConfigurationError', status: 404 });
      await client.putBucketWebsite(name, { index: 'home.html', error: 'oops.html', errorHttpStatus: 404, supportSubDir: true, type: 2 });
      expect(await client.getBucketWebsite(name)).toMatchObject({
        index: 'home.html', error: 'oops.html', errorHttpStatus: 404, supportSubDir: true, type: 2, routingRules: [],
      });
      await client.putBucketWebsite(name, 'oss-cn-hangzhou', { index: 'index.htm' });
      expect(await client.getBucketWebsite(name)).toMatchObject({ index: 'index.htm', error: null, supportSubDir: false });
      expect((await client.deleteBucketWebsite(name)).res.status).toBe(204);
      await expect(client.getBucketWebsite(name)).rejects.toMatchObject({ code: 'NoSuchWebsiteConfiguration' });
    });

    it('referer: white list, black list, flags; delete turns it off', async () => {
      const name = uniqueBucket('ref');
      await client.putBucket(name);
      expect(await client.getBucketReferer(name)).toMatchObject({ allowEmpty: true, referers: null, blacklist: [] });
      await client.putBucketReferer(name, false, ['https://*.example.com/*', 'https://a?.test'], {
        blacklist: ['https://evil.example.com/*'], truncatePath: true, allowTruncateQueryString: false,
      });
      expect(await client.getBucketReferer(name)).toMatchObject({
        allowEmpty: false, referers: ['https://*.example.com/*', 'https://a?.test'], blacklist: ['https://evil.example.com/*'],
        truncatePath: true, allowTruncateQueryString: false,
      });
      await client.putBucketReferer(name, 'oss-cn-hangzhou', true, ['https://seed.test']);
      expect(await client.getBucketReferer(name)).toMatchObject({ allowEmpty: true, referers: ['https://seed.test'] });
      await client.deleteBucketReferer(name);
      expect(await client.getBucketReferer(name)).toMatchObject({ allowEmpty: true, referers: null });
    });

    it('lifecycle: rules of every kind round-trip; seed rules become expirations', async () => {
      const name = uniqueBucket('lc');
      await client.putBucket(name);
      await expect(client.getBucketLifecycle(name)).rejects.toMatchObject({ name: 'NoSuchLifecycleError', status: 404 });
      await client.putBucketLifecycle(name, [
        { id: 'logs', prefix: 'logs/', status: 'Enabled', expiration: { days: 90 }, transition: [{ days: 30, storageClass: 'IA' }, { days: 60, storageClass: 'Archive' }] },
        { id: 'old', prefix: 'old/', status: 'Disabled', expiration: { createdBeforeDate: '2024-01-01T00:00:00.000Z' }, tag: { key: 'k', value: 'v' } },
        { id: 'uploads', prefix: 'up/', status: 'Enabled', abortMultipartUpload: { days: 7 } },
        { id: 'versions', prefix: 'v/', status: 'Enabled', noncurrentVersionExpiration: { noncurrentDays: 5 }, expiration: { expiredObjectDeleteMarker: true } },
      ]);
      const { rules } = await client.getBucketLifecycle(name);
      expect(rules).toEqual([
        {
          id: 'logs', prefix: 'logs/', status: 'Enabled', tag: [], expiration: { days: 90 },
          transition: [{ days: 30, storageClass: 'IA' }, { days: 60, storageClass: 'Archive' }], noncurrentVersionTransition: [],
        },
        {
          id: 'old', prefix: 'old/', status: 'Disabled', tag: [{ key: 'k', value: 'v' }],
          expiration: { createdBeforeDate: '2024-01-01T00:00:00.000Z' }, transition: [], noncurrentVersionTransition: [],
        },
        { id: 'uploads', prefix: 'up/', status: 'Enabled', tag: [], abortMultipartUpload: { days: 7 }, transition: [], noncurrentVersionTransition: [] },
        {
          id: 'versions', prefix: 'v/', status: 'Enabled', tag: [], noncurrentVersionExpiration: { noncurrentDays: 5 },
          expiration: { expiredObjectDeleteMarker: true }, transition: [], noncurrentVersionTransition: [],
        },
      ]);
      await client.putBucketLifecycle(name, 'oss-cn-hangzhou', [
        { id: 'seed-days', prefix: 'a/', status: 'Enabled', days: 3 },
        { id: 'seed-date', prefix: 'b/', status: 'Enabled', date: '2023-05-01T00:00:00.000Z' },
      ]);
      expect((await client.getBucketLifecycle(name)).rules.map((r) => r.expiration)).toEqual([
        { days: 3 }, { createdBeforeDate: '2023-05-01T00:00:00.000Z' },
      ]);
      expect((await client.deleteBucketLifecycle(name)).res.status).toBe(204);
      await expect(client.getBucketLifecycle(name)).rejects.toMatchObject({ code: 'NoSuchLifecycle' });
    });

    it('CORS: rules round-trip with ResponseVary; delete; NoSuchCORSConfiguration', async () => {
      const name = uniqueBucket('cors');
      await client.putBucket(name);
      await expect(client.getBucketCORS(name)).rejects.toMatchObject({ name: 'NoSuchCORSConfigurationError', status: 404 });
      await client.putBucketCORS(name, [
        { allowedOrigin: 'https://app.example.com', allowedMethod: ['GET', 'PUT'], allowedHeader: '*', exposeHeader: ['ETag', 'x-oss-request-id'], maxAgeSeconds: 600 },
        { allowedOrigin: ['https://*.test', 'http://localhost:3000'], allowedMethod: 'GET' },
      ], { responseVary: true });
      const got = await client.getBucketCORS(name);
      expect(got.responseVary).toBe(true);
      expect(got.rules).toEqual([
        { allowedOrigin: ['https://app.example.com'], allowedMethod: ['GET', 'PUT'], allowedHeader: ['*'], exposeHeader: ['ETag', 'x-oss-request-id'], maxAgeSeconds: 600 },
        { allowedOrigin: ['https://*.test', 'http://localhost:3000'], allowedMethod: ['GET'], allowedHeader: [], exposeHeader: [] },
      ]);
      await client.putBucketCORS(name, 'oss-cn-hangzhou', [{ allowedOrigin: '*', allowedMethod: 'HEAD' }]);
      expect((await client.getBucketCORS(name, 'oss-cn-hangzhou')).rules).toHaveLength(1);
      expect((await client.deleteBucketCORS(name)).res.status).toBe(204);
      await expect(client.getBucketCORS(name)).rejects.toMatchObject({ code: 'NoSuchCORSConfiguration' });
    });

    it('versioning: never enabled, enabled, suspended', async () => {
      const name = uniqueBucket('ver');
      await client.putBucket(name);
      expect((await client.getBucketVersioning(name)).versionStatus).toBeUndefined();
      expect((await client.putBucketVersioning(name, 'Enabled')).status).toBe(200);
      expect((await client.getBucketVersioning(name)).versionStatus).toBe('Enabled');
      expect((await client.getBucketInfo(name)).bucket.Versioning).toBe('Enabled');
      await client.putBucketVersioning(name, 'Suspended');
      expect((await client.getBucketVersioning(name)).versionStatus).toBe('Suspended');
    });

    it('tags: put, get, delete some, delete all', async () => {
      const name = uniqueBucket('tag');
      await client.putBucket(name);
      expect((await client.getBucketTags(name)).tag).toEqual({});
      await client.putBucketTags(name, { team: 'web', env: 'prod', 'cost center': 'a b' });
      expect((await client.getBucketTags(name)).tag).toEqual({ team: 'web', env: 'prod', 'cost center': 'a b' });
      await client.deleteBucketTags(name, { keys: ['env', 'cost center'] });
      expect((await client.getBucketTags(name)).tag).toEqual({ team: 'web' });
      expect((await client.deleteBucketTags(name)).status).toBe(204);
      expect((await client.getBucketTags(name)).tag).toEqual({});
    });

    it('policy: put (object or JSON text), get, delete, NoSuchBucketPolicy, InvalidPolicyDocument', async () => {
      const name = uniqueBucket('pol');
      await client.putBucket(name);
      await expect(client.getBucketPolicy(name)).rejects.toMatchObject({ name: 'NoSuchBucketPolicyError', status: 404 });
      const policy = {
        Version: '1',
        Statement: [{ Effect: 'Allow' as const, Action: ['oss:GetObject'], Principal: ['*'], Resource: [`acs:oss:*:*:${name}/public/*`] }],
      };
      await client.putBucketPolicy(name, policy);
      expect((await client.getBucketPolicy(name)).policy).toEqual(policy);
      await client.putBucketPolicy(name, JSON.stringify({ ...policy, Statement: [{ ...policy.Statement[0], Effect: 'Deny' }] }));
      expect((await client.getBucketPolicy(name)).policy.Statement[0]!.Effect).toBe('Deny');
      await expect(client.putBucketPolicy(name, { Version: '2', Statement: [] } as never)).rejects.toMatchObject({ code: 'InvalidPolicyDocument', status: 400 });
      await expect(client.putBucketPolicy(name, { Version: '1', Statement: [{ Effect: 'Maybe', Action: 'oss:*', Principal: '*', Resource: '*' }] } as never))
        .rejects.toMatchObject({ code: 'InvalidPolicyDocument' });
      expect((await client.deleteBucketPolicy(name)).status).toBe(204);
      await expect(client.getBucketPolicy(name)).rejects.toMatchObject({ code: 'NoSuchBucketPolicy' });
    });

    it('configuration calls on a missing bucket are NoSuchBucket', async () => {
      const missing = uniqueBucket('gone');
      for (const call of [
        () => client.getBucketACL(missing), () => client.getBucketInfo(missing), () => client.putBucketCORS(missing, [{ allowedOrigin: '*', allowedMethod: 'GET' }]),
        () => client.getBucketLifecycle(missing), () => client.putBucketVersioning(missing, 'Enabled'), () => client.getBucketTags(missing),
      ]) {
        await expect(call()).rejects.toMatchObject({ name: 'NoSuchBucketError', status: 404 });
      }
    });

    it('only the owner manages a bucket: another account gets AccessDenied', async () => {
      if (mode === 'http') {
        const intruder = new OSSClient({ ...server!.clientOptions, accessKeyId: 'nobody', accessKeySecret: 'x' });
        await expect(intruder.getBucketACL(bucket)).rejects.toMatchObject({ name: 'InvalidAccessKeyIdError' });
        return;
      }
      const { handler } = inProcessClient({ credentials: [creds, { accessKeyId: 'k2', accessKeySecret: 's2', ownerId: '2' }] });
      const fetchIt = (i: RequestInfo | URL, init?: RequestInit) => handler(new Request(i, init));
      const owner = new OSSClient({ ...creds, endpoint: 'http://127.0.0.1:1', fetch: fetchIt });
      const other = new OSSClient({ accessKeyId: 'k2', accessKeySecret: 's2', endpoint: 'http://127.0.0.1:1', fetch: fetchIt });
      await owner.putBucket('owned-bucket');
      for (const call of [
        () => other.getBucketACL('owned-bucket'), () => other.putBucketACL('owned-bucket', 'public-read'),
        () => other.putBucketCORS('owned-bucket', [{ allowedOrigin: '*', allowedMethod: 'GET' }]), () => other.deleteBucket('owned-bucket'),
        () => other.getBucketPolicy('owned-bucket'),
      ]) {
        await expect(call()).rejects.toMatchObject({ name: 'AccessDeniedError', status: 403 });
      }
    });
  });
}

describe('bucket arguments are checked before anything is sent', () => {
  let sent = 0;
  const client = new OSSClient({
    ...creds, endpoint: 'http://127.0.0.1:1',
    fetch: async () => {
      sent += 1;
      return new Response(null, { status: 500 });
    },
  });

  it.each([
    ['bad bucket name', () => client.getBucketACL('Bad_Name'), 'name'],
    ['unknown ACL', () => client.putBucketACL('good-name', 'public' as never), 'acl'],
    ['seed region that is no region', () => client.putBucketACL('good-name', 'Hang Zhou', 'private'), 'region'],
    ['bad storage class', () => client.putBucket('good-name', { storageClass: 'Cold' as never }), 'options.storageClass'],
    ['listBuckets max-keys', () => client.listBuckets({ 'max-keys': 0 }), 'query.max-keys'],
    ['CORS without rules', () => client.putBucketCORS('good-name', []), 'rules'],
    ['CORS bad method', () => client.putBucketCORS('good-name', [{ allowedOrigin: '*', allowedMethod: 'PATCH' as never }]), 'rules[0].allowedMethod'],
    ['CORS exposing *', () => client.putBucketCORS('good-name', [{ allowedOrigin: '*', allowedMethod: 'GET', exposeHeader: '*' }]), 'rules[0].exposeHeader'],
    ['CORS without origin', () => client.putBucketCORS('good-name', [{ allowedMethod: 'GET' } as never]), 'rules[0].allowedOrigin'],
    ['lifecycle without actions', () => client.putBucketLifecycle('good-name', [{ prefix: '', status: 'Enabled' }]), 'rules[0]'],
    ['lifecycle bad status', () => client.putBucketLifecycle('good-name', [{ prefix: '', status: 'On' as never, days: 1 }]), 'rules[0].status'],
    ['lifecycle days and date', () => client.putBucketLifecycle('good-name', [{ prefix: '', status: 'Enabled', expiration: { days: 1, createdBeforeDate: '2024-01-01T00:00:00.000Z' } }]), 'rules[0].expiration'],
    ['lifecycle date not at midnight', () => client.putBucketLifecycle('good-name', [{ prefix: '', status: 'Enabled', expiration: { createdBeforeDate: '2024-01-01T10:00:00.000Z' } }]), 'rules[0].expiration.createdBeforeDate'],
    ['lifecycle zero days', () => client.putBucketLifecycle('good-name', [{ prefix: '', status: 'Enabled', expiration: { days: 0 } }]), 'rules[0].expiration.days'],
    ['lifecycle transition class', () => client.putBucketLifecycle('good-name', [{ prefix: '', status: 'Enabled', transition: { days: 1, storageClass: 'Standard' as never } }]), 'rules[0].transition[0].storageClass'],
    ['lifecycle tag with abort', () => client.putBucketLifecycle('good-name', [{ prefix: '', status: 'Enabled', tag: { key: 'a', value: 'b' }, abortMultipartUpload: { days: 1 } }]), 'rules[0].tag'],
    ['referer allowEmpty not boolean', () => client.putBucketReferer('good-name', 'yes' as never, []), 'allowEmpty'],
    ['referer list not array', () => client.putBucketReferer('good-name', true, 'https://a' as never), 'referers'],
    ['website index with slash', () => client.putBucketWebsite('good-name', { index: '/index.html' }), 'config.index'],
    ['website error status', () => client.putBucketWebsite('good-name', { error: 'e.html', errorHttpStatus: 500 as never }), 'config.errorHttpStatus'],
    ['versioning status', () => client.putBucketVersioning('good-name', 'On' as never), 'status'],
    ['too many tags', () => client.putBucketTags('good-name', Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']))), 'tag'],
    ['tag key prefix', () => client.putBucketTags('good-name', { 'Aliyun-x': 'v' }), 'tag.Aliyun-x'],
    ['policy not JSON', () => client.putBucketPolicy('good-name', '{oops'), 'policy'],
    ['logging target', () => client.putBucketLogging('good-name', 'p/', { targetBucket: 'X' }), 'options.targetBucket'],
    ['versions marker without key marker', () => client.listObjectVersions({ versionIdMarker: 'v1' }, { bucket: 'good-name' }), 'query.versionIdMarker'],
  ])('%s', async (_name, call, argument) => {
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OSSArgumentError);
    expect((err as OSSArgumentError).argument).toBe(argument);
    expect(sent).toBe(0);
  });

  it('errors from the server are OSSErrors with the bucket named', async () => {
    const { client: c } = inProcessClient();
    const err = await c.getBucketCORS('no-such-one').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OSSError);
    expect((err as OSSError).bucket).toBe('no-such-one');
  });
});

// The official ali-oss client drives append, symlinks, object ACL, tagging, restore and its own
// presigned URLs against the local server: the server speaks OSS, not our client's dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error ali-oss ships no types
import OSS from 'ali-oss';
import { crc64 } from '../../src/core/crc64.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';
import type { StartedServer } from '../../src/server/index.js';

const AWKWARD = ['sp ace.txt', 'plus+sign', 'per%cent', 'ques?tion', 'hash#tag', 'ünïcödé/中文', 'emoji 😀', 'a//b', 'trailing/'];
const RESTORE_DELAY = 60_000;
const codeOf = async (r: Response) => /<Code>([^<]*)<\/Code>/.exec(await r.text())?.[1];

for (const authorizationV4 of [false, true]) {
  describe(`ali-oss 6.23: more object operations (${authorizationV4 ? 'V4' : 'V1'})`, () => {
    let server: StartedServer;
    let client: any;
    /** ali-oss refuses to presign for an IP endpoint: this one says localhost, path-style. */
    let presigner: any;
    let offset = 0;
    /** A URL presigned for 60 s, used once the server's clock is 61 s on: AccessDenied. */
    const expectExpired = async (url: string) => {
      offset = 61_000;
      try {
        const expired = await fetch(url);
        expect(expired.status).toBe(403);
        expect(await codeOf(expired)).toBe('AccessDenied');
      } finally {
        offset = 0;
      }
    };
    const bucket = uniqueBucket('alix');
    const objectUrl = (key: string) => `${server.url}/${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;

    beforeAll(async () => {
      server = await httpServer({ now: () => Date.now() + offset, restoreDelayMs: RESTORE_DELAY });
      const options = {
        accessKeyId: server.clientOptions.accessKeyId,
        accessKeySecret: server.clientOptions.accessKeySecret,
        region: 'oss-cn-hangzhou',
        authorizationV4,
      };
      client = new OSS({ ...options, endpoint: server.url });
      await client.putBucket(bucket);
      client.useBucket(bucket);
      presigner = new OSS({ ...options, endpoint: `http://localhost:${server.port}`, sldEnable: true, bucket });
    });
    afterAll(async () => server.close());

    it('append: positions, whole-object CRC, PositionNotEqualToLength, ObjectNotAppendable', async () => {
      for (const key of AWKWARD) {
        const name = `append/${key}`;
        const first = await client.append(name, Buffer.from('ab'));
        expect(first.nextAppendPosition).toBe('2');
        const second = await client.append(name, Buffer.from('cde'), { position: first.nextAppendPosition });
        expect(second.nextAppendPosition).toBe('5');
        expect(second.res.headers['x-oss-hash-crc64ecma']).toBe(crc64('abcde'));
        await expect(client.append(name, Buffer.from('x'), { position: '3' })).rejects.toMatchObject({
          name: 'PositionNotEqualToLengthError', code: 'PositionNotEqualToLength', status: 409,
        });
        const got = await client.get(name);
        expect(got.content.toString()).toBe('abcde');
        expect((await client.head(name)).res.headers['x-oss-object-type']).toBe('Appendable');
      }
      await client.put('append/normal', Buffer.from('n'));
      await expect(client.append('append/normal', Buffer.from('x'), { position: '1' })).rejects.toMatchObject({
        name: 'ObjectNotAppendableError', status: 409,
      });
    });

    it('putSymlink / getSymlink', async () => {
      for (const key of AWKWARD) {
        expect((await client.putSymlink(`link/${key}`, `target/${key}`, { meta: { who: 'ann' } })).res.status).toBe(200);
        const link = await client.getSymlink(`link/${key}`);
        expect(link.targetName).toBe(`target/${key}`);
        expect(link.res.headers['x-oss-meta-who']).toBe('ann');
      }
      await expect(client.getSymlink('link/missing')).rejects.toMatchObject({ name: 'NoSuchKeyError', status: 404 });
      await client.put('link/plain', Buffer.from('p'));
      await expect(client.getSymlink('link/plain')).rejects.toMatchObject({ name: 'NotSymlinkError', status: 400 });
    });

    it('putACL / getACL, honoured for anonymous reads', async () => {
      for (const key of AWKWARD) {
        const name = `acl/${key}`;
        await client.put(name, Buffer.from('open'));
        expect((await client.getACL(name)).acl).toBe('default');
        expect((await fetch(objectUrl(name))).status).toBe(403);
        await client.putACL(name, 'public-read');
        const acl = await client.getACL(name);
        expect(acl.acl).toBe('public-read');
        expect(acl.owner.id).toMatch(/^\d+$/);
        const anonymous = await fetch(objectUrl(name));
        expect(anonymous.status).toBe(200);
        expect(await anonymous.text()).toBe('open');
        await client.putACL(name, 'private');
        const denied = await fetch(objectUrl(name));
        expect(denied.status).toBe(403);
        expect(await codeOf(denied)).toBe('AccessDenied');
      }
    });

    it('putObjectTagging / getObjectTagging / deleteObjectTagging', async () => {
      const tag = { project: 'apollo', 'with space': 'a+b=c', path: 'x/y:z' };
      for (const key of AWKWARD) {
        const name = `tag/${key}`;
        await client.put(name, Buffer.from('t'));
        expect((await client.getObjectTagging(name)).tag).toEqual({});
        expect((await client.putObjectTagging(name, tag)).status).toBe(200);
        expect((await client.getObjectTagging(name)).tag).toEqual(tag);
        expect((await client.putObjectTagging(name, { one: '1' })).status).toBe(200);
        expect((await client.getObjectTagging(name)).tag).toEqual({ one: '1' });
        expect((await client.deleteObjectTagging(name)).status).toBe(204);
        expect((await client.getObjectTagging(name)).tag).toEqual({});
      }
      // ali-oss lets `,` through (its character class has a range); OSS's rules do not
      await client.put('tag/comma', Buffer.from('t'));
      await expect(client.putObjectTagging('tag/comma', { a: 'x,y' })).rejects.toMatchObject({ name: 'InvalidTagError', status: 400 });
    });

    it('restore: 202, RestoreAlreadyInProgress, OperationNotSupported', async () => {
      for (const key of AWKWARD) {
        const name = `archive/${key}`;
        await client.put(name, Buffer.from(`cold ${key}`), { headers: { 'x-oss-storage-class': 'Archive' } });
        expect((await client.restore(name)).res.status).toBe(202);
        await expect(client.restore(name)).rejects.toMatchObject({ name: 'RestoreAlreadyInProgressError', status: 409 });
      }
      await client.put('archive/cold', Buffer.from('c'), { headers: { 'x-oss-storage-class': 'ColdArchive' } });
      expect((await client.restore('archive/cold', { type: 'ColdArchive', JobParameters: 'Bulk' })).res.status).toBe(202);
      await client.put('archive/standard', Buffer.from('s'));
      await expect(client.restore('archive/standard')).rejects.toMatchObject({ name: 'OperationNotSupportedError', status: 400 });
    });

    it('signatureUrl (V1): GET with response overrides, PUT with Content-Type, expiry, tampering', async () => {
      for (const key of AWKWARD) {
        const name = `presign/${key}`;
        await client.put(name, Buffer.from(`signed ${key}`));
        const url = presigner.signatureUrl(name, { expires: 60, response: { 'content-type': 'text/x-signed' } });
        const res = await fetch(url);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('text/x-signed');
        expect(await res.text()).toBe(`signed ${key}`);
        const putUrl = await presigner.asyncSignatureUrl(`${name}.up`, { method: 'PUT', 'Content-Type': 'text/plain' });
        const put = await fetch(putUrl, { method: 'PUT', body: new TextEncoder().encode('up'), headers: { 'Content-Type': 'text/plain' } });
        expect(put.status).toBe(200);
        const up = await client.get(`${name}.up`);
        expect(up.content.toString()).toBe('up');
        expect(up.res.headers['content-type']).toBe('text/plain');
        const tampered = await fetch(url.replace('Signature=', 'Signature=x'));
        expect(await codeOf(tampered)).toBe('SignatureDoesNotMatch');
      }
      await expectExpired(presigner.signatureUrl('presign/sp ace.txt', { expires: 60 }));
    });

    it('signatureUrlV4: GET and PUT, expiry, tampering', async () => {
      for (const key of AWKWARD) {
        const name = `presign4/${key}`;
        await client.put(name, Buffer.from(`v4 ${key}`));
        const url = await presigner.signatureUrlV4('GET', 60, { headers: {} }, name);
        const res = await fetch(url);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe(`v4 ${key}`);
        const putUrl = await presigner.signatureUrlV4('PUT', 60, { headers: { 'Content-Type': 'text/plain' } }, `${name}.up`);
        const put = await fetch(putUrl, { method: 'PUT', body: new TextEncoder().encode('up4'), headers: { 'Content-Type': 'text/plain' } });
        expect(put.status).toBe(200);
        expect((await client.get(`${name}.up`)).content.toString()).toBe('up4');
        const tampered = await fetch(url.replace('x-oss-expires=60', 'x-oss-expires=61'));
        expect(await codeOf(tampered)).toBe('SignatureDoesNotMatch');
      }
      await expectExpired(await presigner.signatureUrlV4('GET', 60, { headers: {} }, 'presign4/sp ace.txt'));
    });

    // These go through GetObject/HeadObject and need the hooks object-extra.ts exports.
    describe('through the hooks in GetObject and HeadObject', () => {
      it('head shows the next append position', async () => {
        for (const key of AWKWARD) {
          await client.append(`hook-append/${key}`, Buffer.from('abcd'));
          expect((await client.head(`hook-append/${key}`)).res.headers['x-oss-next-append-position']).toBe('4');
        }
      });

      it('get follows a symlink; a dangling one is NoSuchKey', async () => {
        for (const key of AWKWARD) {
          await client.put(`hook-target/${key}`, Buffer.from(`target ${key}`));
          await client.putSymlink(`hook-link/${key}`, `hook-target/${key}`);
          expect((await client.get(`hook-link/${key}`)).content.toString()).toBe(`target ${key}`);
        }
        await client.putSymlink('hook-link/dangling', 'nowhere');
        await expect(client.get('hook-link/dangling')).rejects.toMatchObject({ name: 'NoSuchKeyError', status: 404 });
      });

      it('archived objects: InvalidObjectState until restored, x-oss-restore on head', async () => {
        for (const key of AWKWARD) {
          const name = `hook-archive/${key}`;
          await client.put(name, Buffer.from(`cold ${key}`), { headers: { 'x-oss-storage-class': 'Archive' } });
          await expect(client.get(name)).rejects.toMatchObject({ name: 'InvalidObjectStateError', status: 403 });
          await client.restore(name);
          expect((await client.head(name)).res.headers['x-oss-restore']).toBe('ongoing-request="true"');
        }
        offset = RESTORE_DELAY + 1000; // well within the 15-minute skew ali-oss's signatures allow
        try {
          for (const key of AWKWARD) {
            expect((await client.get(`hook-archive/${key}`)).content.toString()).toBe(`cold ${key}`);
            expect((await client.head(`hook-archive/${key}`)).res.headers['x-oss-restore']).toMatch(/^ongoing-request="false", expiry-date=".+ GMT"$/);
          }
        } finally {
          offset = 0;
        }
      });
    });
  });
}

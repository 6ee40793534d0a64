// Every ali-oss 6.23 call that takes `versionId`, against the local server (V1 and V4): the server
// acts on the version named, and oss-fetch's same call (same option) gives the same result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error ali-oss ships no types
import OSS from 'ali-oss';
import { OSSClient } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { aliOssClient } from '../helpers/ali-oss.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const RESTORE_DELAY = 60_000;

for (const authorizationV4 of [false, true]) {
  describe(`ali-oss 6.23 versionId calls against the local server (${authorizationV4 ? 'V4' : 'V1'})`, () => {
    let server: StartedServer;
    let ali: any;
    let ours: OSSClient;
    let offset = 0;
    const bucket = uniqueBucket('aliv');

    /** Two versions of `key` written by ali-oss (bodies `one`, `two`), newest current. */
    async function twoVersions(key: string, options: Record<string, unknown> = {}): Promise<[string, string]> {
      const v1 = (await ali.put(key, Buffer.from('one'), options)).res.headers['x-oss-version-id'];
      const v2 = (await ali.put(key, Buffer.from('two'), options)).res.headers['x-oss-version-id'];
      expect(v1).toMatch(/^CAEQ/);
      expect(v2).not.toBe(v1);
      return [v1, v2];
    }

    beforeAll(async () => {
      server = await httpServer({ now: () => Date.now() + offset, restoreDelayMs: RESTORE_DELAY });
      ali = aliOssClient(server, { authorizationV4 });
      await ali.putBucket(bucket);
      await ali.putBucketVersioning(bucket, 'Enabled');
      ali.useBucket(bucket);
      ours = new OSSClient({ ...server.clientOptions, bucket, signatureVersion: authorizationV4 ? 'v4' : 'v1' });
    });
    afterAll(async () => server.close());

    it('get, head, getObjectMeta: the version named, same as oss-fetch', async () => {
      const [v1] = await twoVersions('read.txt');
      const theirs = await ali.get('read.txt', { versionId: v1 });
      const mine = await ours.get('read.txt', { versionId: v1 });
      expect(theirs.content.toString()).toBe('one');
      expect(text(mine.content)).toBe('one');
      expect(theirs.res.headers['x-oss-version-id']).toBe(v1);
      const head = await ali.head('read.txt', { versionId: v1 });
      const myHead = await ours.head('read.txt', { versionId: v1 });
      expect(head.res.headers['content-length']).toBe('3');
      expect(head.res.headers.etag).toBe(myHead.res.headers.etag);
      expect(head.meta).toEqual(myHead.meta);
      const meta = await ali.getObjectMeta('read.txt', { versionId: v1 });
      expect(meta.res.headers.etag).toBe((await ours.getObjectMeta('read.txt', { versionId: v1 })).etag);
      expect(meta.res.headers['x-oss-version-id']).toBe(v1);
      await expect(ali.get('read.txt', { versionId: 'CAEQnosuch' })).rejects.toMatchObject({ name: 'NoSuchVersionError', status: 404 });
    });

    it('delete by versionId, and the delete marker as ali-oss sees it', async () => {
      const [v1, v2] = await twoVersions('gone.txt');
      const removed = await ali.delete('gone.txt', { versionId: v1 });
      expect(removed.res.status).toBe(204);
      expect(removed.res.headers['x-oss-version-id']).toBe(v1);
      const marker = (await ali.delete('gone.txt')).res.headers['x-oss-version-id'];
      await expect(ali.get('gone.txt')).rejects.toMatchObject({ name: 'NoSuchKeyError', status: 404 });
      await expect(ali.get('gone.txt', { versionId: marker })).rejects.toMatchObject({ name: 'MethodNotAllowedError', status: 405 });
      await expect(ali.head('gone.txt', { versionId: marker })).rejects.toMatchObject({ status: 405 });
      // Older versions stay reachable by id, through sub-resources too.
      expect((await ali.get('gone.txt', { versionId: v2 })).content.toString()).toBe('two');
      expect((await ali.getObjectTagging('gone.txt', { versionId: v2 })).tag).toEqual({});
      expect((await ali.getACL('gone.txt', { versionId: v2 })).acl).toBe('default');
      // Presigned URLs name the version in subResource, signed by either client.
      const presigner = new OSS({
        accessKeyId: server.clientOptions.accessKeyId,
        accessKeySecret: server.clientOptions.accessKeySecret,
        endpoint: `http://localhost:${server.port}`, // ali-oss refuses to presign for an IP endpoint
        region: 'oss-cn-hangzhou',
        authorizationV4,
        sldEnable: true,
        bucket,
      });
      for (const url of [
        await presigner.asyncSignatureUrl('gone.txt', { subResource: { versionId: v2 } }),
        await ours.signatureUrl('gone.txt', { subResource: { versionId: v2 } }),
      ]) expect(await (await fetch(url)).text()).toBe('two');
      await ours.delete('gone.txt', { versionId: marker });
      expect((await ali.get('gone.txt')).content.toString()).toBe('two');
    });

    it('putACL / getACL on an older version leave the current one alone', async () => {
      const [v1] = await twoVersions('acl.txt');
      await ali.putACL('acl.txt', 'public-read', { versionId: v1 });
      expect((await ali.getACL('acl.txt', { versionId: v1 })).acl).toBe('public-read');
      expect((await ali.getACL('acl.txt')).acl).toBe('default');
      expect((await ours.getACL('acl.txt', { versionId: v1 })).acl).toBe('public-read');
      await ours.putACL('acl.txt', 'private', { versionId: v1 });
      expect((await ali.getACL('acl.txt', { versionId: v1 })).acl).toBe('private');
    });

    it('put / get / deleteObjectTagging on an older version', async () => {
      const [v1] = await twoVersions('tags.txt');
      await ali.putObjectTagging('tags.txt', { era: 'old' }, { versionId: v1 });
      expect((await ali.getObjectTagging('tags.txt', { versionId: v1 })).tag).toEqual({ era: 'old' });
      expect((await ours.getObjectTagging('tags.txt', { versionId: v1 })).tag).toEqual({ era: 'old' });
      expect((await ali.getObjectTagging('tags.txt')).tag).toEqual({});
      await ali.putObjectTagging('tags.txt', { era: 'new' });
      await ali.deleteObjectTagging('tags.txt', { versionId: v1 });
      expect((await ours.getObjectTagging('tags.txt', { versionId: v1 })).tag).toEqual({});
      expect((await ali.getObjectTagging('tags.txt')).tag).toEqual({ era: 'new' });
    });

    it('restore restores the version named', async () => {
      const [v1] = await twoVersions('cold.bin', { headers: { 'x-oss-storage-class': 'Archive' } });
      const started = await ali.restore('cold.bin', { versionId: v1 });
      expect(started.res.status).toBe(202);
      expect((await ours.head('cold.bin', { versionId: v1 })).res.headers['x-oss-restore']).toBe('ongoing-request="true"');
      expect((await ours.head('cold.bin')).res.headers['x-oss-restore']).toBeUndefined();
      offset += RESTORE_DELAY + 1000;
      expect((await ali.get('cold.bin', { versionId: v1 })).content.toString()).toBe('one');
      await expect(ali.get('cold.bin')).rejects.toMatchObject({ name: 'InvalidObjectStateError' });
    });

    it('putSymlink keeps older links; getSymlink reads the version named', async () => {
      const v1 = (await ali.putSymlink('link', 'target/a')).res.headers['x-oss-version-id'];
      expect(v1).toMatch(/^CAEQ/);
      await ali.putSymlink('link', 'target/b');
      expect((await ali.getSymlink('link', { versionId: v1 })).targetName).toBe('target/a');
      expect((await ours.getSymlink('link', { versionId: v1 })).targetName).toBe('target/a');
      expect((await ali.getSymlink('link')).targetName).toBe('target/b');
    });

    it('copy with versionId copies that version of the source, as oss-fetch does', async () => {
      const [v1, v2] = await twoVersions('src.txt');
      const theirs = await ali.copy('dst-ali.txt', 'src.txt', { versionId: v1 });
      expect(theirs.res.status).toBe(200);
      expect(theirs.res.headers['x-oss-copy-source-version-id']).toBe(v1);
      const mine = await ours.copy('dst-ours.txt', 'src.txt', { versionId: v1 });
      expect(mine.data!.etag).toBe(theirs.data.etag);
      expect((await ali.get('dst-ali.txt')).content.toString()).toBe('one');
      // Copying an older version onto its own key makes it current again, keeping the others.
      await ali.copy('src.txt', 'src.txt', { versionId: v1 });
      expect((await ali.get('src.txt')).content.toString()).toBe('one');
      const versions = await ali.getBucketVersions({ prefix: 'src.txt' });
      expect(versions.objects.map((o: any) => o.versionId).slice(1)).toEqual([v2, v1]);
      await expect(ali.copy('dst-ali.txt', 'src.txt', { versionId: 'CAEQnosuch' })).rejects.toMatchObject({ name: 'NoSuchVersionError', status: 404 });
    });

    it('uploadPartCopy with versionId copies from that version', async () => {
      const big = (c: string) => Buffer.from(c.repeat(100 * 1024));
      const v1 = (await ali.put('part-src', big('a'))).res.headers['x-oss-version-id'];
      await ali.put('part-src', big('b'));
      const { uploadId } = await ali.initMultipartUpload('assembled');
      const part = await ali.uploadPartCopy('assembled', uploadId, 1, '0-102399', { sourceKey: 'part-src', sourceBucketName: bucket }, { versionId: v1 });
      await ali.completeMultipartUpload('assembled', uploadId, [{ number: 1, etag: part.etag }]);
      const got = await ours.get('assembled');
      expect(got.content.length).toBe(100 * 1024);
      expect(got.content.every((b) => b === 0x61)).toBe(true);
    });
  });
}

describe('putMeta: the Content-Type ali-oss sends', () => {
  let server: StartedServer;
  let ali: any;
  let ours: OSSClient;
  const bucket = uniqueBucket('alim');

  beforeAll(async () => {
    server = await httpServer();
    ali = aliOssClient(server, { bucket });
    await ali.putBucket(bucket);
    ours = new OSSClient({ ...server.clientOptions, bucket });
  });
  afterAll(async () => server.close());

  it('replaces the source\'s Content-Type with the same one from both clients', async () => {
    for (const name of ['page.txt', 'data.json', 'noext']) {
      for (const [who, putMeta] of [['ali', (n: string) => ali.putMeta(n, { a: '1' })], ['ours', (n: string) => ours.putMeta(n, { a: '1' })]] as const) {
        const key = `${who}/${name}`;
        await ali.put(key, Buffer.from('x'), { mime: 'image/png' });
        await putMeta(key);
      }
      const theirs = (await ali.head(`ali/${name}`)).res.headers['content-type'];
      const mine = (await ali.head(`ours/${name}`)).res.headers['content-type'];
      expect(theirs).not.toBe('image/png');
      expect(mine).toBe(theirs);
    }
  });
});

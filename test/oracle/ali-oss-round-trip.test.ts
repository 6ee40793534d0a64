// The official ali-oss client against the local server: proof that it speaks OSS, not our dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
// @ts-expect-error ali-oss ships no types
import OSS from 'ali-oss';
import { aliOssClient } from '../helpers/ali-oss.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';
import type { StartedServer } from '../../src/server/index.js';

for (const authorizationV4 of [false, true]) {
  describe(`ali-oss 6.23 against the local server (${authorizationV4 ? 'V4' : 'V1'})`, () => {
    let server: StartedServer;
    let client: any;
    const bucket = uniqueBucket('ali');

    beforeAll(async () => {
      server = await httpServer();
      client = aliOssClient(server, { authorizationV4 });
      await client.putBucket(bucket);
      client.useBucket(bucket);
    });
    afterAll(async () => server.close());

    it('listBuckets sees the bucket', async () => {
      const result = await client.listBuckets();
      expect(result.res.status).toBe(200);
      expect(result.buckets.map((b: any) => b.name)).toContain(bucket);
    });

    it('put / get / head / delete round trip with meta', async () => {
      const put = await client.put('dir/hello world+x.txt', Buffer.from('hello ali-oss'), { meta: { owner: 'ann' }, mime: 'text/plain' });
      expect(put.res.status).toBe(200);
      expect(put.name).toBe('dir/hello world+x.txt');
      const got = await client.get('dir/hello world+x.txt');
      expect(got.content.toString()).toBe('hello ali-oss');
      const head = await client.head('dir/hello world+x.txt');
      expect(head.status).toBe(200);
      expect(head.meta).toEqual({ owner: 'ann' });
      expect(head.res.headers['content-type']).toBe('text/plain');
      await client.delete('dir/hello world+x.txt');
      await expect(client.head('dir/hello world+x.txt')).rejects.toMatchObject({ name: 'NoSuchKeyError', status: 404 });
    });

    it('unicode keys and getStream', async () => {
      const key = 'unicode/中文 ✓ 😀.bin';
      const body = Buffer.alloc(200_000, 7);
      await client.put(key, body);
      const { stream } = await client.getStream(key);
      const chunks: Buffer[] = [];
      for await (const c of stream as Readable) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).equals(body)).toBe(true);
    });

    it('list with prefix, delimiter, marker, max-keys', async () => {
      for (const k of ['l/a', 'l/b', 'l/c/1', 'l/c/2', 'l/d']) await client.put(k, Buffer.from(k));
      const first = await client.list({ prefix: 'l/', delimiter: '/', 'max-keys': 2 });
      expect(first.objects.map((o: any) => o.name)).toEqual(['l/a', 'l/b']);
      expect(first.isTruncated).toBe(true);
      const second = await client.list({ prefix: 'l/', delimiter: '/', marker: first.nextMarker });
      expect(second.prefixes).toEqual(['l/c/']);
      expect(second.objects.map((o: any) => o.name)).toEqual(['l/d']);
    });

    it('errors: NoSuchKey on get, NoSuchBucket, BucketNotEmpty', async () => {
      await expect(client.get('missing/key')).rejects.toMatchObject({ name: 'NoSuchKeyError', status: 404 });
      await expect(client.list({}, {}).then(() => client.deleteBucket(bucket))).rejects.toMatchObject({ name: 'BucketNotEmptyError', status: 409 });
      const other = new OSS({ accessKeyId: server.clientOptions.accessKeyId, accessKeySecret: server.clientOptions.accessKeySecret, bucket: 'no-such-bucket-x', endpoint: server.url, authorizationV4 });
      await expect(other.get('k')).rejects.toMatchObject({ name: 'NoSuchBucketError', status: 404 });
    });

    it('rejects a tampered signature', async () => {
      const bad = new OSS({ accessKeyId: server.clientOptions.accessKeyId, accessKeySecret: 'tampered-secret', endpoint: server.url, bucket, authorizationV4 });
      await expect(bad.get('l/a')).rejects.toMatchObject({ name: 'SignatureDoesNotMatchError', status: 403 });
    });

    it('putBucket + deleteBucket of an empty bucket', async () => {
      const name = uniqueBucket('alitmp');
      expect((await client.putBucket(name)).res.status).toBe(200);
      expect((await client.deleteBucket(name)).res.status).toBe(204);
    });
  });
}

// versionId on every object call that OSS versions, over HTTP: the client sends it and the server
// acts on that version (not the current one), past a delete marker that is current; copy sources
// take a version; REPLACE copies reset Content-Type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient, type OSSError } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const RESTORE_DELAY = 60_000;

async function thrown(p: Promise<unknown>): Promise<OSSError> {
  try {
    await p;
  } catch (err) {
    return err as OSSError;
  }
  throw new Error('expected the call to fail');
}

describe('object calls with versionId', () => {
  let server: StartedServer;
  let client: OSSClient;
  let offset = 0;
  const bucket = uniqueBucket('over');

  /** Two versions of `key` (bodies `one`, `two`), newest current. */
  async function twoVersions(key: string, options: { headers?: Record<string, string> } = {}): Promise<[string, string]> {
    const v1 = (await client.put(key, 'one', options)).res.headers['x-oss-version-id']!;
    const v2 = (await client.put(key, 'two', options)).res.headers['x-oss-version-id']!;
    expect(v1).not.toBe(v2);
    return [v1, v2];
  }

  beforeAll(async () => {
    server = await httpServer({ now: () => Date.now() + offset, restoreDelayMs: RESTORE_DELAY });
    client = new OSSClient({ ...server.clientOptions, bucket });
    await client.putBucket(bucket);
    await client.putBucketVersioning(bucket, 'Enabled');
  });
  afterAll(async () => server.close());

  it('get, getStream, head and getObjectMeta read the version named', async () => {
    const [v1] = await twoVersions('read.txt');
    const got = await client.get('read.txt', { versionId: v1 });
    expect(text(got.content)).toBe('one');
    expect(got.res.headers['x-oss-version-id']).toBe(v1);
    const { stream } = await client.getStream('read.txt', { versionId: v1 });
    expect(await new Response(stream).text()).toBe('one');
    const head = await client.head('read.txt', { versionId: v1 });
    expect(head.res.headers['content-length']).toBe('3');
    expect(head.res.headers['x-oss-version-id']).toBe(v1);
    const meta = await client.getObjectMeta('read.txt', { versionId: v1 });
    expect(meta.etag).toBe(head.res.headers.etag);
    expect(meta.res.headers['x-oss-version-id']).toBe(v1);
    expect(text((await client.get('read.txt')).content)).toBe('two');
    await expect(client.get('read.txt', { versionId: 'CAEQnosuch' })).rejects.toMatchObject({ code: 'NoSuchVersion', status: 404 });
    await expect(client.head('read.txt', { versionId: 'CAEQnosuch' })).rejects.toMatchObject({ code: 'NoSuchVersion', status: 404 });
  });

  it('a delete marker: current → 404 with x-oss-delete-marker; by id → 405; older versions stay reachable', async () => {
    const [v1] = await twoVersions('gone.txt');
    await client.putObjectTagging('gone.txt', { era: 'old' }, { versionId: v1 });
    const marker = (await client.delete('gone.txt')).res.headers['x-oss-version-id']!;
    const current = await thrown(client.get('gone.txt'));
    expect(current).toMatchObject({ code: 'NoSuchKey', status: 404 });
    expect(current.headers?.['x-oss-delete-marker']).toBe('true');
    expect(current.headers?.['x-oss-version-id']).toBe(marker);
    for (const call of [client.get('gone.txt', { versionId: marker }), client.head('gone.txt', { versionId: marker })]) {
      const err = await thrown(call);
      expect(err).toMatchObject({ code: 'MethodNotAllowed', status: 405 });
      expect(err.headers?.['x-oss-delete-marker']).toBe('true');
      expect(err.headers?.['x-oss-version-id']).toBe(marker);
    }
    await expect(client.getACL('gone.txt', { versionId: marker })).rejects.toMatchObject({ code: 'MethodNotAllowed', status: 405, ec: '0017-00000002' });
    // The marker hides the key, not its versions.
    expect(text((await client.get('gone.txt', { versionId: v1 })).content)).toBe('one');
    expect((await client.getObjectMeta('gone.txt', { versionId: v1 })).size).toBe(3);
    expect((await client.getObjectTagging('gone.txt', { versionId: v1 })).tag).toEqual({ era: 'old' });
    expect((await client.getACL('gone.txt', { versionId: v1 })).acl).toBe('default');
    // A presigned URL names the version as ali-oss's does: subResource, signed into the query.
    const url = await client.signatureUrl('gone.txt', { subResource: { versionId: v1 } });
    expect(new URL(url).searchParams.get('versionId')).toBe(v1);
    expect(await (await fetch(url)).text()).toBe('one');
  });

  it('delete with versionId removes only that version; deleting the marker brings the object back', async () => {
    const [v1, v2] = await twoVersions('del.txt');
    const del = await client.delete('del.txt', { versionId: v1 });
    expect(del.res.status).toBe(204);
    expect(del.res.headers['x-oss-version-id']).toBe(v1);
    expect((await client.listObjectVersions({ prefix: 'del.txt' })).objects.map((o) => o.versionId)).toEqual([v2]);
    const marker = (await client.delete('del.txt')).res.headers['x-oss-version-id']!;
    const undo = await client.delete('del.txt', { versionId: marker });
    expect(undo.res.headers['x-oss-delete-marker']).toBe('true');
    expect(text((await client.get('del.txt')).content)).toBe('two');
  });

  it('putACL / getACL act on the version named, not the current one', async () => {
    const [v1, v2] = await twoVersions('acl.txt');
    const put = await client.putACL('acl.txt', 'public-read', { versionId: v1 });
    expect(put.res.headers['x-oss-version-id']).toBe(v1);
    const old = await client.getACL('acl.txt', { versionId: v1 });
    expect(old.acl).toBe('public-read');
    expect(old.res.headers['x-oss-version-id']).toBe(v1);
    expect((await client.getACL('acl.txt')).acl).toBe('default');
    expect((await client.getACL('acl.txt', { versionId: v2 })).acl).toBe('default');
    // Anonymous readers see exactly the version made public.
    const anonymous = await fetch(`${server.url}/${bucket}/acl.txt?versionId=${encodeURIComponent(v1)}`);
    expect(await anonymous.text()).toBe('one');
    expect((await fetch(`${server.url}/${bucket}/acl.txt`)).status).toBe(403);
  });

  it('put / get / deleteObjectTagging act on the version named', async () => {
    const [v1] = await twoVersions('tags.txt');
    const put = await client.putObjectTagging('tags.txt', { v: '1' }, { versionId: v1 });
    expect(put.res.headers['x-oss-version-id']).toBe(v1);
    expect((await client.getObjectTagging('tags.txt', { versionId: v1 })).tag).toEqual({ v: '1' });
    expect((await client.getObjectTagging('tags.txt')).tag).toEqual({});
    await client.putObjectTagging('tags.txt', { v: '2' });
    await client.deleteObjectTagging('tags.txt', { versionId: v1 });
    expect((await client.getObjectTagging('tags.txt', { versionId: v1 })).tag).toEqual({});
    expect((await client.getObjectTagging('tags.txt')).tag).toEqual({ v: '2' });
  });

  it('restore restores the version named', async () => {
    const [v1] = await twoVersions('cold.bin', { headers: { 'x-oss-storage-class': 'Archive' } });
    const started = await client.restore('cold.bin', { versionId: v1 });
    expect(started.status).toBe(202);
    expect(started.res.headers['x-oss-version-id']).toBe(v1);
    expect((await client.head('cold.bin', { versionId: v1 })).res.headers['x-oss-restore']).toBe('ongoing-request="true"');
    expect((await client.head('cold.bin')).res.headers['x-oss-restore']).toBeUndefined();
    offset += RESTORE_DELAY + 1000;
    expect(text((await client.get('cold.bin', { versionId: v1 })).content)).toBe('one');
    await expect(client.get('cold.bin')).rejects.toMatchObject({ code: 'InvalidObjectState' });
  });

  it('putSymlink writes a new version; getSymlink reads the version named', async () => {
    const first = await client.putSymlink('link', 'target/a');
    const v1 = first.res.headers['x-oss-version-id']!;
    expect(v1).toMatch(/^CAEQ/);
    await client.putSymlink('link', 'target/b');
    expect((await client.getSymlink('link', { versionId: v1 })).targetName).toBe('target/a');
    expect((await client.getSymlink('link')).targetName).toBe('target/b');
    expect((await client.listObjectVersions({ prefix: 'link' })).objects).toHaveLength(2);
    await expect(client.putSymlink('link', 'x', { versionId: v1 } as never)).rejects.toBeInstanceOf(OSSArgumentError);
  });

  it('copy takes the source version from versionId; copying an old version onto its key restores it', async () => {
    const [v1, v2] = await twoVersions('src.txt');
    const copied = await client.copy('dst.txt', 'src.txt', { versionId: v1 });
    expect(copied.res.headers['x-oss-copy-source-version-id']).toBe(v1);
    expect(copied.res.headers['x-oss-version-id']).toMatch(/^CAEQ/);
    expect(text((await client.get('dst.txt')).content)).toBe('one');

    const restored = await client.copy('src.txt', 'src.txt', { versionId: v1 });
    const v3 = restored.res.headers['x-oss-version-id']!;
    expect(text((await client.get('src.txt')).content)).toBe('one');
    const versions = (await client.listObjectVersions({ prefix: 'src.txt' })).objects;
    expect(versions.map((o) => o.versionId)).toEqual([v3, v2, v1]);

    const other = uniqueBucket('oth');
    await client.putBucket(other);
    await client.copy('from-other.txt', `/${bucket}/src.txt`, { bucket: other, versionId: v2 });
    expect(text((await client.get('from-other.txt', { bucket: other })).content)).toBe('two');

    const unknown = await thrown(client.copy('dst.txt', 'src.txt', { versionId: 'CAEQnosuch' }));
    expect(unknown).toMatchObject({ code: 'NoSuchVersion', status: 404 });
    expect(unknown.details).toMatchObject({ Key: 'src.txt', VersionId: 'CAEQnosuch' });
    const marker = (await client.delete('src.txt')).res.headers['x-oss-version-id']!;
    const onMarker = await thrown(client.copy('dst.txt', 'src.txt', { versionId: marker }));
    expect(onMarker).toMatchObject({ code: 'NoSuchKey', status: 404, ec: '0016-00000307' });
    expect(onMarker.details.Key).toBe('src.txt');
    // The missing source is named, not the target.
    const missing = await thrown(client.copy('dst.txt', 'src.txt'));
    expect(missing).toMatchObject({ code: 'NoSuchKey', status: 404 });
    expect(missing.details.Key).toBe('src.txt');
  });

  it('uploadPartCopy copies from the source version named', async () => {
    const big = (c: string) => c.repeat(100 * 1024);
    const v1 = (await client.put('part-src', big('a'))).res.headers['x-oss-version-id']!;
    await client.put('part-src', big('b'));
    const { uploadId } = await client.initMultipartUpload('assembled');
    const part = await client.uploadPartCopy('assembled', uploadId, 1, undefined, { sourceKey: 'part-src' }, { versionId: v1 });
    expect(part.res.headers['x-oss-copy-source-version-id']).toBe(v1);
    await client.completeMultipartUpload('assembled', uploadId, [{ number: 1, etag: part.etag }]);
    const got = await client.get('assembled');
    expect(got.content.length).toBe(100 * 1024);
    expect(got.content.every((b) => b === 0x61)).toBe(true);
  });

  it('a bad versionId is refused before anything is sent', async () => {
    const calls: Array<() => Promise<unknown>> = [
      () => client.get('k', { versionId: '' }),
      () => client.head('k', { versionId: 5 as never }),
      () => client.delete('k', { versionId: '' }),
      () => client.copy('k', 'src.txt', { versionId: '' }),
      () => client.putACL('k', 'private', { versionId: '' }),
    ];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ name: 'OSSArgumentError', argument: 'options.versionId' });
  });
});

describe('REPLACE copies replace every attribute', () => {
  let server: StartedServer;
  let client: OSSClient;
  const bucket = uniqueBucket('repl');

  beforeAll(async () => {
    server = await httpServer();
    client = new OSSClient({ ...server.clientOptions, bucket });
    await client.putBucket(bucket);
  });
  afterAll(async () => server.close());

  it('putMeta: Content-Type from the name (as ali-oss sends it), never the source\'s; other headers dropped', async () => {
    await client.put('page.txt', 'hi', { mime: 'image/png', headers: { 'Cache-Control': 'no-cache' } });
    await client.putMeta('page.txt', { owner: 'ann' });
    const head = await client.head('page.txt');
    expect(head.res.headers['content-type']).toBe('text/plain');
    expect(head.res.headers['cache-control']).toBeUndefined();
    expect(head.meta).toEqual({ owner: 'ann' });

    await client.put('blob', 'hi', { mime: 'image/png' });
    await client.putMeta('blob', { owner: 'bob' });
    expect((await client.head('blob')).res.headers['content-type']).toBe('application/octet-stream');
  });

  it('the server gives a REPLACE copy without Content-Type the default type', async () => {
    await client.put('src.png', 'x', { mime: 'image/png' });
    const raw = await client.request({
      method: 'PUT', bucket, key: 'copy.png',
      headers: { 'x-oss-copy-source': `/${bucket}/src.png`, 'x-oss-metadata-directive': 'REPLACE' },
    });
    await raw.response.arrayBuffer();
    raw.done();
    expect((await client.head('copy.png')).res.headers['content-type']).toBe('application/octet-stream');
  });
});

// Versioning end to end over HTTP: versions kept on overwrite, GET/HEAD/DELETE by versionId,
// delete markers, ListObjectVersions paging, suspended buckets writing the `null` version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSClient } from '../../src/index.js';
import { type StartedServer } from '../../src/server/index.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('versioning over HTTP', () => {
  let server: StartedServer;
  let client: OSSClient;
  const bucket = uniqueBucket('ver');

  const getVersion = (key: string, versionId: string, method = 'GET') =>
    client.request({ method, bucket, key, query: { versionId } });
  const deleteVersion = async (key: string, versionId: string) => {
    const raw = await client.request({ method: 'DELETE', bucket, key, query: { versionId } });
    await raw.response.arrayBuffer();
    raw.done();
    return raw.response;
  };

  beforeAll(async () => {
    server = await httpServer();
    client = new OSSClient({ ...server.clientOptions, bucket });
    await client.putBucket(bucket);
    await client.putBucketVersioning(bucket, 'Enabled');
  });
  afterAll(async () => server.close());

  it('keeps every version; GET and HEAD reach each one by versionId', async () => {
    const v1 = (await client.put('doc.txt', 'first')).res.headers['x-oss-version-id']!;
    const v2 = (await client.put('doc.txt', 'second')).res.headers['x-oss-version-id']!;
    expect(v1).toMatch(/^CAEQ\w+$/);
    expect(v2).not.toBe(v1);
    const current = await client.get('doc.txt');
    expect(text(current.content)).toBe('second');
    expect(current.res.headers['x-oss-version-id']).toBe(v2);
    const old = await getVersion('doc.txt', v1);
    expect(await old.response.text()).toBe('first');
    old.done();
    expect(old.response.headers.get('x-oss-version-id')).toBe(v1);
    const head = await getVersion('doc.txt', v1, 'HEAD');
    expect(head.response.headers.get('content-length')).toBe('5');
    head.done();
    await expect(getVersion('doc.txt', 'CAEQnosuchversion')).rejects.toMatchObject({ code: 'NoSuchVersion', status: 404 });
  });

  it('DELETE adds a delete marker; deleting the marker brings the object back', async () => {
    await client.put('gone.txt', 'one');
    const v2 = (await client.put('gone.txt', 'two')).res.headers['x-oss-version-id']!;
    const del = await client.delete('gone.txt');
    expect(del.res.status).toBe(204);
    expect(del.res.headers['x-oss-delete-marker']).toBe('true');
    const marker = del.res.headers['x-oss-version-id']!;
    expect(marker).toBeTruthy();
    await expect(client.get('gone.txt')).rejects.toMatchObject({ name: 'NoSuchKeyError', status: 404 });
    expect((await client.list({ prefix: 'gone' })).objects).toEqual([]);
    const old = await getVersion('gone.txt', v2);
    expect(await old.response.text()).toBe('two');
    old.done();
    await expect(getVersion('gone.txt', marker)).rejects.toMatchObject({ status: 405, code: 'MethodNotAllowed' });

    const undo = await deleteVersion('gone.txt', marker);
    expect(undo.status).toBe(204);
    expect(undo.headers.get('x-oss-delete-marker')).toBe('true');
    expect(undo.headers.get('x-oss-version-id')).toBe(marker);
    expect(text((await client.get('gone.txt')).content)).toBe('two');
  });

  it('DELETE with a versionId removes that version for good', async () => {
    const v1 = (await client.put('perm.txt', 'a')).res.headers['x-oss-version-id']!;
    const v2 = (await client.put('perm.txt', 'b')).res.headers['x-oss-version-id']!;
    await deleteVersion('perm.txt', v2);
    expect(text((await client.get('perm.txt')).content)).toBe('a');
    const { objects } = await client.listObjectVersions({ prefix: 'perm.txt' });
    expect(objects.map((o) => [o.versionId, o.isLatest])).toEqual([[v1, true]]);
  });

  it('listObjectVersions: versions newest first, delete markers, latest flags, paging by key and version markers', async () => {
    const name = uniqueBucket('list');
    await client.putBucket(name);
    await client.putBucketVersioning(name, 'Enabled');
    const ids: string[] = [];
    for (const body of ['1', '22']) ids.push((await client.put('a/x', body, { bucket: name })).res.headers['x-oss-version-id']!);
    const marker = (await client.delete('a/x', { bucket: name })).res.headers['x-oss-version-id']!;
    ids.push((await client.put('b', 'b', { bucket: name })).res.headers['x-oss-version-id']!);
    await client.put('c/deep/1', 'c', { bucket: name });

    const all = await client.listObjectVersions({}, { bucket: name });
    expect(all.objects.map((o) => [o.name, o.versionId, o.isLatest, o.size])).toEqual([
      ['a/x', ids[1], false, 2], ['a/x', ids[0], false, 1], ['b', ids[2], true, 1], ['c/deep/1', expect.any(String), true, 1],
    ]);
    expect(all.deleteMarker.map((m) => [m.name, m.versionId, m.isLatest])).toEqual([['a/x', marker, true]]);
    expect(all.objects[0]!.owner.id).toBeTruthy();
    expect(all.isTruncated).toBe(false);

    const seen: string[] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await client.listObjectVersions({ maxKeys: 2, keyMarker, versionIdMarker }, { bucket: name });
      for (const e of [...r.objects, ...r.deleteMarker]) seen.push(`${e.name}@${e.versionId}`);
      if (!r.isTruncated) break;
      keyMarker = r.nextKeyMarker!;
      versionIdMarker = r.nextVersionIdMarker!;
    }
    expect(seen.sort()).toEqual([...all.objects, ...all.deleteMarker].map((e) => `${e.name}@${e.versionId}`).sort());
    expect(new Set(seen).size).toBe(5);

    const folders = await client.listObjectVersions({ delimiter: '/' }, { bucket: name });
    expect(folders.prefixes).toEqual(['a/', 'c/']);
    expect(folders.objects.map((o) => o.name)).toEqual(['b']);
  });

  it('a suspended bucket writes the null version and keeps the older ones', async () => {
    const name = uniqueBucket('susp');
    await client.putBucket(name);
    await client.putBucketVersioning(name, 'Enabled');
    const kept = (await client.put('k', 'versioned', { bucket: name })).res.headers['x-oss-version-id']!;
    await client.putBucketVersioning(name, 'Suspended');
    expect((await client.put('k', 'null one', { bucket: name })).res.headers['x-oss-version-id']).toBe('null');
    expect((await client.put('k', 'null two', { bucket: name })).res.headers['x-oss-version-id']).toBe('null');
    const { objects } = await client.listObjectVersions({}, { bucket: name });
    expect(objects.map((o) => o.versionId)).toEqual(['null', kept]);
    expect(text((await client.get('k', { bucket: name })).content)).toBe('null two');
    const del = await client.delete('k', { bucket: name });
    expect(del.res.headers['x-oss-version-id']).toBe('null');
    expect(del.res.headers['x-oss-delete-marker']).toBe('true');
    const after = await client.listObjectVersions({}, { bucket: name });
    expect(after.objects.map((o) => o.versionId)).toEqual([kept]);
    expect(after.deleteMarker.map((m) => m.versionId)).toEqual(['null']);
  });

  it('a bucket with only old versions or delete markers is not empty', async () => {
    const name = uniqueBucket('busy');
    await client.putBucket(name);
    await client.putBucketVersioning(name, 'Enabled');
    const v = (await client.put('k', 'x', { bucket: name })).res.headers['x-oss-version-id']!;
    const m = (await client.delete('k', { bucket: name })).res.headers['x-oss-version-id']!;
    await expect(client.deleteBucket(name)).rejects.toMatchObject({ name: 'BucketNotEmptyError' });
    for (const id of [v, m]) {
      const raw = await client.request({ method: 'DELETE', bucket: name, key: 'k', query: { versionId: id } });
      raw.done();
    }
    expect((await client.deleteBucket(name)).res.status).toBe(204);
  });
});

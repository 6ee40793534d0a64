// The ExtendedStorage contract (versions, appends, multipart uploads) for every store, plus the
// fs store's reopen, zero-copy completion and crash safety.
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FsStorage } from '../../src/server/storage/fs.js';
import {
  MemoryStorage,
  type BodySource,
  type BucketRecord,
  type ExtendedStorage,
  type ObjectRecord,
  type PartRecord,
  type UploadRecord,
  type VersioningMode,
  type WriteDigest,
} from '../../src/server/storage/index.js';
import { readAll } from '../helpers/streams.js';
import { expectBytes } from '../helpers/bytes.js';
import { crashPrelude, runUntilKilled } from '../helpers/crash.js';
import { between, seededRandom } from '../helpers/seed.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUCKET = 'test-bucket';

// ---------------------------------------------------------------- helpers

function bucketRecord(): BucketRecord {
  return { name: BUCKET, creationDate: 1, location: 'oss-cn-hangzhou', storageClass: 'Standard', acl: 'private', config: {} };
}

function recordFor(key: string, digest: WriteDigest, extra: Partial<ObjectRecord> = {}): ObjectRecord {
  return {
    key,
    size: digest.size,
    etag: `"${toHex(digest.md5).toUpperCase()}"`,
    lastModified: 1_700_000_000_000,
    crc64: digest.crc64,
    contentType: 'application/octet-stream',
    headers: {},
    meta: {},
    objectType: 'Normal',
    storageClass: 'Standard',
    acl: 'default',
    tags: {},
    ...extra,
  };
}

function markerFor(key: string, versionId: string): ObjectRecord {
  return { ...recordFor(key, { size: 0, md5: new Uint8Array(16), crc64: '0' }), etag: '', versionId, deleteMarker: true };
}

function partFor(partNumber: number, digest: WriteDigest): PartRecord {
  return {
    partNumber,
    size: digest.size,
    etag: `"${toHex(digest.md5).toUpperCase()}"`,
    md5: digest.md5,
    crc64: digest.crc64,
    lastModified: 1_700_000_000_000,
  };
}

function uploadFor(uploadId: string, key: string, initiated = 1): UploadRecord {
  return {
    uploadId,
    key,
    initiated,
    template: { contentType: 'text/plain', headers: {}, meta: { m: '1' }, acl: 'default', storageClass: 'Standard', tags: {} },
  };
}

/** Deterministic pseudo-random bytes. */
function pattern(seed: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = (seed * 2654435761 + 1) >>> 0;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
}

function streamOf(bytes: Uint8Array, piece = 4096, failAfter?: number): ReadableStream<Uint8Array> {
  let at = 0;
  let pulls = 0;
  return new ReadableStream({
    async pull(controller) {
      await new Promise((r) => setTimeout(r, 0));
      if (pulls++ === failAfter) return controller.error(new Error('client went away'));
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, (at += piece)));
    },
  });
}


async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const md5Hex = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');


function putV(storage: ExtendedStorage, key: string, body: BodySource, versionId: string | undefined, mode: VersioningMode) {
  return storage.putObjectVersioned(BUCKET, key, body, (d) => recordFor(key, d, { versionId }), { versioning: mode });
}

async function readV(storage: ExtendedStorage, key: string, versionId?: string, range?: { start: number; end: number }) {
  return readAll(await storage.readObjectVersion(BUCKET, key, versionId, range));
}

/** Appends `body`, building the whole-object record the way the op layer does. */
function append(storage: ExtendedStorage, key: string, body: BodySource, extra: Partial<ObjectRecord> = {}) {
  return storage.appendObject(BUCKET, key, body, (d, previous) =>
    recordFor(key, d, { ...extra, size: (previous?.size ?? 0) + d.size, objectType: 'Appendable' }),
  );
}

function putPart(storage: ExtendedStorage, uploadId: string, n: number, body: BodySource) {
  return storage.putPart(BUCKET, uploadId, n, body, (d) => partFor(n, d));
}

function complete(
  storage: ExtendedStorage,
  uploadId: string,
  parts: number[],
  { key = 'mp', mode = 'off', versionId }: { key?: string; mode?: VersioningMode; versionId?: string } = {},
) {
  return storage.completeUpload(
    BUCKET,
    uploadId,
    parts,
    (chosen) => ({
      ...recordFor(key, { size: chosen.reduce((n, p) => n + p.size, 0), md5: new Uint8Array(16), crc64: '0' }),
      etag: `"${chosen.map((p) => p.partNumber).join('-')}"`,
      objectType: 'Multipart',
      versionId,
    }),
    { versioning: mode },
  );
}

const versionIds = async (storage: ExtendedStorage, prefix?: string, after?: string) =>
  (await collect(storage.listObjectVersions(BUCKET, { prefix, after }))).map((r) => `${r.key}@${r.versionId ?? '-'}`);

// ---------------------------------------------------------------- harness

interface Harness {
  storage: ExtendedStorage;
  /** fs only: the bucket's data files, and those the committed JSON files refer to. */
  files?: () => Promise<{ data: string[]; referenced: string[]; uploads: string[] }>;
}

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'oss-fetch-storage-ext-'));
  disposers.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const bucketDir = (dir: string) => join(dir, 'buckets', BUCKET);

async function dirOrEmpty(path: string): Promise<string[]> {
  return readdir(path).catch(() => []);
}

/** What is on disk, read straight from the files rather than through the store. */
async function diskState(dir: string) {
  const base = bucketDir(dir);
  const referenced: string[] = [];
  for (const name of await readdir(join(base, 'objects'))) {
    const { versions } = JSON.parse(await readFile(join(base, 'objects', name), 'utf8'));
    for (const v of versions) for (const s of v.segments) referenced.push(s.id);
  }
  const uploads = await dirOrEmpty(join(base, 'uploads'));
  for (const id of uploads) {
    for (const name of await readdir(join(base, 'uploads', id))) {
      if (name.startsWith('part-')) referenced.push(JSON.parse(await readFile(join(base, 'uploads', id, name), 'utf8')).data);
    }
  }
  return { data: (await readdir(join(base, 'data'))).sort(), referenced: [...new Set(referenced)].sort(), uploads: uploads.sort() };
}

const stores: { name: string; make: () => Promise<Harness> }[] = [
  { name: 'memory', make: async () => ({ storage: new MemoryStorage() }) },
  {
    name: 'fs',
    make: async () => {
      const dir = await tempDir();
      return { storage: await FsStorage.open(dir), files: () => diskState(dir) };
    },
  },
];

/** On fs: every data file is referenced and every reference has its file. */
async function expectNoOrphans(harness: Harness): Promise<void> {
  if (!harness.files) return;
  const { data, referenced } = await harness.files();
  expect(data).toEqual(referenced);
}

// ---------------------------------------------------------------- the contract

describe.each(stores)('$name extended storage: versions', ({ make }) => {
  async function setup(): Promise<Harness> {
    const harness = await make();
    await harness.storage.putBucket(bucketRecord());
    return harness;
  }

  it('keeps every version when versioning is enabled, newest first', async () => {
    const { storage } = await setup();
    for (const v of [1, 2, 3]) await putV(storage, 'k', pattern(v, 100 * v), `v${v}`, 'enabled');
    expect((await storage.getObject(BUCKET, 'k'))?.versionId).toBe('v3');
    expect((await storage.getObjectVersion(BUCKET, 'k'))?.versionId).toBe('v3');
    expect((await storage.getObjectVersion(BUCKET, 'k', 'v1'))?.size).toBe(100);
    expect(await storage.getObjectVersion(BUCKET, 'k', 'v9')).toBeUndefined();
    for (const v of [1, 2, 3]) expectBytes(await readV(storage, 'k', `v${v}`), pattern(v, 100 * v));
    expectBytes(await readAll(await storage.readObject(BUCKET, 'k')), pattern(3, 300));
    await expect(storage.readObjectVersion(BUCKET, 'k', 'v9')).rejects.toMatchObject({ code: 'NoSuchVersion' });
    expect(await versionIds(storage)).toEqual(['k@v3', 'k@v2', 'k@v1']);
    expect((await collect(storage.listObjects(BUCKET))).map((r) => r.versionId)).toEqual(['v3']);
    expect(await storage.countObjects(BUCKET)).toBe(1);
  });

  it('replaces every version with versioning off', async () => {
    const harness = await setup();
    const { storage } = harness;
    for (const v of [1, 2]) await putV(storage, 'k', pattern(v, 10), `v${v}`, 'enabled');
    await storage.putObject(BUCKET, 'k', pattern(3, 10), (d) => recordFor('k', d));
    expect(await versionIds(storage)).toEqual(['k@-']);
    expectBytes(await readV(storage, 'k'), pattern(3, 10));
    await expectNoOrphans(harness);
  });

  it('replaces only the null version when suspended', async () => {
    const harness = await setup();
    const { storage } = harness;
    await putV(storage, 'k', pattern(1, 10), undefined, 'off'); // written before versioning: the null version
    await putV(storage, 'k', pattern(2, 20), 'a', 'enabled');
    await putV(storage, 'k', pattern(3, 30), 'null', 'suspended');
    expect(await versionIds(storage)).toEqual(['k@null', 'k@a']);
    await putV(storage, 'k', pattern(4, 40), 'null', 'suspended');
    expect(await versionIds(storage)).toEqual(['k@null', 'k@a']);
    expectBytes(await readV(storage, 'k', 'null'), pattern(4, 40));
    expectBytes(await readV(storage, 'k', 'a'), pattern(2, 20));
    await putV(storage, 'k', pattern(5, 50), 'b', 'enabled');
    await putV(storage, 'k', pattern(6, 60), 'null', 'suspended'); // the null version moves to the top
    expect(await versionIds(storage)).toEqual(['k@null', 'k@b', 'k@a']);
    await expectNoOrphans(harness);
  });

  it('finds the version written without an id as version null', async () => {
    const { storage } = await setup();
    await putV(storage, 'k', pattern(1, 10), undefined, 'off');
    await putV(storage, 'k', pattern(2, 20), 'a', 'enabled');
    expect((await storage.getObjectVersion(BUCKET, 'k', 'null'))?.size).toBe(10);
    expectBytes(await readV(storage, 'k', 'null'), pattern(1, 10));
    expect(await storage.deleteObjectVersion(BUCKET, 'k', 'null')).toBe(true);
    expect(await versionIds(storage)).toEqual(['k@a']);
  });

  it('hides an object behind a delete marker and keeps its versions', async () => {
    const { storage } = await setup();
    await putV(storage, 'k', pattern(1, 10), 'v1', 'enabled');
    await storage.putDeleteMarker(BUCKET, markerFor('k', 'm1'), { versioning: 'enabled' });
    expect(await storage.getObject(BUCKET, 'k')).toBeUndefined();
    expect(await storage.getObjectVersion(BUCKET, 'k')).toMatchObject({ versionId: 'm1', deleteMarker: true });
    await expect(storage.readObject(BUCKET, 'k')).rejects.toMatchObject({ code: 'NoSuchKey' });
    await expect(storage.readObjectVersion(BUCKET, 'k', 'm1')).rejects.toMatchObject({ code: 'NoSuchKey' });
    expectBytes(await readV(storage, 'k', 'v1'), pattern(1, 10));
    expect(await collect(storage.listObjects(BUCKET))).toEqual([]);
    expect(await versionIds(storage)).toEqual(['k@m1', 'k@v1']);
    expect(await storage.countObjects(BUCKET)).toBe(1); // old versions keep the bucket non-empty
    await expect(storage.putDeleteMarker(BUCKET, { ...markerFor('k', 'm2'), deleteMarker: false }, {})).rejects.toThrow(
      'deleteMarker',
    );
    await expect(storage.putDeleteMarker('no-such-bucket', markerFor('k', 'm3'), {})).rejects.toMatchObject({
      code: 'NoSuchBucket',
    });
  });

  it('lets a suspended delete marker replace the null version', async () => {
    const { storage } = await setup();
    await putV(storage, 'k', pattern(1, 10), 'a', 'enabled');
    await putV(storage, 'k', pattern(2, 10), 'null', 'suspended');
    await storage.putDeleteMarker(BUCKET, markerFor('k', 'null'), { versioning: 'suspended' });
    expect(await versionIds(storage)).toEqual(['k@null', 'k@a']);
    expect((await storage.getObjectVersion(BUCKET, 'k', 'null'))?.deleteMarker).toBe(true);
  });

  it('promotes the next version when the current one is deleted', async () => {
    const harness = await setup();
    const { storage } = harness;
    await putV(storage, 'k', pattern(1, 10), 'v1', 'enabled');
    await putV(storage, 'k', pattern(2, 20), 'v2', 'enabled');
    await storage.putDeleteMarker(BUCKET, markerFor('k', 'm'), { versioning: 'enabled' });
    expect(await storage.deleteObjectVersion(BUCKET, 'k', 'm')).toBe(true);
    expect((await storage.getObject(BUCKET, 'k'))?.versionId).toBe('v2');
    expect(await storage.deleteObjectVersion(BUCKET, 'k', 'v2')).toBe(true);
    expect((await storage.getObject(BUCKET, 'k'))?.versionId).toBe('v1');
    expectBytes(await readAll(await storage.readObject(BUCKET, 'k')), pattern(1, 10));
    expect(await storage.deleteObjectVersion(BUCKET, 'k', 'nope')).toBe(false);
    expect(await storage.deleteObjectVersion(BUCKET, 'other', 'v1')).toBe(false);
    expect(await storage.deleteObjectVersion('no-such-bucket', 'k', 'v1')).toBe(false);
    await expectNoOrphans(harness);
    expect(await storage.deleteObjectVersion(BUCKET, 'k', 'v1')).toBe(true);
    expect(await storage.getObjectVersion(BUCKET, 'k')).toBeUndefined();
    expect(await storage.countObjects(BUCKET)).toBe(0);
    if (harness.files) expect((await harness.files()).data).toEqual([]);
  });

  it('removes every version and marker on deleteObject', async () => {
    const harness = await setup();
    const { storage } = harness;
    await putV(storage, 'k', pattern(1, 10), 'v1', 'enabled');
    await storage.putDeleteMarker(BUCKET, markerFor('k', 'm'), { versioning: 'enabled' });
    await putV(storage, 'k', pattern(2, 10), 'v2', 'enabled');
    expect(await storage.deleteObject(BUCKET, 'k')).toBe(true);
    expect(await versionIds(storage)).toEqual([]);
    expect(await storage.countObjects(BUCKET)).toBe(0);
    expect(await storage.deleteObject(BUCKET, 'k')).toBe(false);
    if (harness.files) expect((await harness.files()).data).toEqual([]);
  });

  it('lists versions in UTF-8 key order with prefix and after', async () => {
    const { storage } = await setup();
    const keys = ['b', 'a/2', '\uFFFF', 'a/1', '😀', 'a'];
    for (const key of keys) {
      await putV(storage, key, pattern(1, 5), '1', 'enabled');
      await putV(storage, key, pattern(2, 5), '2', 'enabled');
    }
    await storage.putDeleteMarker(BUCKET, markerFor('gone', 'm'), { versioning: 'enabled' });
    const order = ['a', 'a/1', 'a/2', 'b', 'gone', '\uFFFF', '😀']; // U+FFFF < U+1F600 in UTF-8
    const expected = order.flatMap((k) => (k === 'gone' ? ['gone@m'] : [`${k}@2`, `${k}@1`]));
    expect(await versionIds(storage)).toEqual(expected);
    expect(await versionIds(storage, 'a/')).toEqual(['a/1@2', 'a/1@1', 'a/2@2', 'a/2@1']);
    expect(await versionIds(storage, 'a', 'a/1')).toEqual(['a/2@2', 'a/2@1']);
    expect(await versionIds(storage, undefined, '\uFFFF')).toEqual(['😀@2', '😀@1']);
    expect((await collect(storage.listObjects(BUCKET))).map((r) => r.key)).toEqual(order.filter((k) => k !== 'gone'));
  });

  it('updates the record of the version the record names', async () => {
    const { storage } = await setup();
    const v1 = await putV(storage, 'k', pattern(1, 10), 'v1', 'enabled');
    const v2 = await putV(storage, 'k', pattern(2, 20), 'v2', 'enabled');
    await storage.updateObjectRecord(BUCKET, { ...v1, tags: { t: '1' } });
    expect(await storage.getObjectVersion(BUCKET, 'k', 'v1')).toEqual({ ...v1, tags: { t: '1' } });
    expect(await storage.getObject(BUCKET, 'k')).toEqual(v2);
    expectBytes(await readV(storage, 'k', 'v1'), pattern(1, 10));
    await expect(storage.updateObjectRecord(BUCKET, { ...v1, versionId: 'v9' })).rejects.toMatchObject({
      code: 'NoSuchVersion',
    });
    await expect(storage.updateObjectRecord(BUCKET, { ...v1, size: 11 })).rejects.toThrow('size');
    await expect(storage.updateObjectRecord(BUCKET, { ...v1, deleteMarker: true })).rejects.toThrow('delete-marker');
    expect((await storage.getObjectVersion(BUCKET, 'k', 'v1'))?.size).toBe(10);
  });

  it('refuses a record whose size differs from the bytes', async () => {
    const { storage } = await setup();
    const old = await putV(storage, 'k', pattern(1, 10), 'v1', 'enabled');
    const bad = storage.putObjectVersioned(BUCKET, 'k', pattern(2, 10), (d) => recordFor('k', d, { size: 9 }), {
      versioning: 'enabled',
    });
    await expect(bad).rejects.toThrow('9 bytes');
    expect(await versionIds(storage)).toEqual(['k@v1']);
    expect(await storage.getObject(BUCKET, 'k')).toEqual(old);
  });
});

describe.each(stores)('$name extended storage: appends', ({ make }) => {
  async function setup(): Promise<Harness> {
    const harness = await make();
    await harness.storage.putBucket(bucketRecord());
    return harness;
  }

  it('appends many small pieces and reads ranges across their boundaries', async () => {
    const harness = await setup();
    const { storage } = harness;
    const pieces = Array.from({ length: 50 }, (_, i) => pattern(i, 1 + ((i * 37) % 300)));
    const ends = pieces.map((_, i) => pieces.slice(0, i + 1).reduce((n, p) => n + p.length, 0));
    const seen: (number | undefined)[] = [];
    for (const [i, piece] of pieces.entries()) {
      await storage.appendObject(BUCKET, 'log', i % 2 ? streamOf(piece, 64) : piece, (d, previous) => {
        seen.push(previous?.size);
        return recordFor('log', d, { size: (previous?.size ?? 0) + d.size, objectType: 'Appendable' });
      });
    }
    const whole = concat(...pieces);
    expect(seen).toEqual([undefined, ...ends.slice(0, -1)]);
    expect((await storage.getObject(BUCKET, 'log'))?.size).toBe(whole.length);
    expectBytes(await readV(storage, 'log'), whole);
    const last = whole.length - 1;
    const ranges = [[0, 0], [0, last], [last, last]];
    for (const end of ends.slice(0, -1).filter((_, i) => i % 5 === 0)) {
      ranges.push([end - 1, end], [end, end], [end - 1, Math.min(end + 400, last)]);
    }
    for (const [start, end] of ranges) {
      expectBytes(await readV(storage, 'log', undefined, { start: start!, end: end! }), whole.slice(start, end! + 1));
    }
    await expectNoOrphans(harness);
  });

  it('leaves the object unchanged when finish throws or the body fails', async () => {
    const harness = await setup();
    const { storage } = harness;
    const first = await append(storage, 'log', pattern(1, 100));
    await expect(
      storage.appendObject(BUCKET, 'log', streamOf(pattern(2, 5000), 1000), () => {
        throw new Error('PositionNotEqualToLength');
      }),
    ).rejects.toThrow('PositionNotEqualToLength');
    await expect(append(storage, 'log', streamOf(pattern(3, 5000), 1000, 2))).rejects.toThrow('client went away');
    await expect(append(storage, 'log', pattern(4, 10), { key: 'other' })).rejects.toThrow('record for');
    expect(await storage.getObject(BUCKET, 'log')).toEqual(first);
    expectBytes(await readV(storage, 'log'), pattern(1, 100));
    await expectNoOrphans(harness);
    if (harness.files) expect((await harness.files()).data).toHaveLength(1);
    await append(storage, 'log', pattern(5, 10)); // lands where the object ends, not after the failures
    expectBytes(await readV(storage, 'log'), concat(pattern(1, 100), pattern(5, 10)));
  });

  it('serialises concurrent appends and puts on one key', async () => {
    const harness = await setup();
    const { storage } = harness;
    // Every finish runs at its commit: the log is the commit order.
    const log: { body: Uint8Array; put: boolean; previous?: number; size: number }[] = [];
    const appendOne = (body: Uint8Array) =>
      storage.appendObject(BUCKET, 'k', streamOf(body, 512), async (d, previous) => {
        await new Promise((r) => setTimeout(r, 1)); // a slow finish must still hold the key
        log.push({ body, put: false, previous: previous?.size, size: (previous?.size ?? 0) + d.size });
        return recordFor('k', d, { size: (previous?.size ?? 0) + d.size, objectType: 'Appendable' });
      });
    const putOne = (body: Uint8Array) =>
      storage.putObject(BUCKET, 'k', streamOf(body, 512), (d) => {
        log.push({ body, put: true, size: d.size });
        return recordFor('k', d, { objectType: 'Appendable' });
      });
    await Promise.all([
      ...Array.from({ length: 12 }, (_, i) => appendOne(pattern(10 + i, 1000 + i * 10))),
      putOne(pattern(99, 3000)),
      ...Array.from({ length: 12 }, (_, i) => appendOne(pattern(50 + i, 700 + i))),
    ]);
    let expected: Uint8Array = new Uint8Array(0);
    for (const entry of log) {
      if (!entry.put) expect(entry.previous ?? 0).toBe(expected.length); // saw the commit before it
      expected = entry.put ? entry.body : concat(expected, entry.body);
      expect(entry.size).toBe(expected.length);
    }
    expect(log).toHaveLength(25);
    expectBytes(await readV(storage, 'k'), expected);
    await expectNoOrphans(harness);
  });

  it('starts a fresh appendable version over a delete marker and appends in place after', async () => {
    const { storage } = await setup();
    await putV(storage, 'k', pattern(1, 10), 'v1', 'enabled');
    await storage.putDeleteMarker(BUCKET, markerFor('k', 'm'), { versioning: 'enabled' });
    const previous: (ObjectRecord | undefined)[] = [];
    for (const seed of [2, 3]) {
      await storage.appendObject(BUCKET, 'k', pattern(seed, 10), (d, prev) => {
        previous.push(prev);
        return recordFor('k', d, { size: (prev?.size ?? 0) + d.size, versionId: 'ap', objectType: 'Appendable' });
      });
    }
    expect(previous[0]).toBeUndefined(); // a delete marker is nothing to append to
    expect(previous[1]).toMatchObject({ versionId: 'ap', size: 10 });
    expect(await versionIds(storage)).toEqual(['k@ap', 'k@m', 'k@v1']);
    expectBytes(await readV(storage, 'k', 'ap'), concat(pattern(2, 10), pattern(3, 10)));
    expectBytes(await readV(storage, 'k', 'v1'), pattern(1, 10));
  });

  it('reports a missing bucket', async () => {
    const { storage } = await setup();
    await expect(
      storage.appendObject('no-such-bucket', 'k', pattern(1, 1), (d) => recordFor('k', d)),
    ).rejects.toMatchObject({ code: 'NoSuchBucket' });
  });
});

describe.each(stores)('$name extended storage: multipart uploads', ({ make }) => {
  async function setup(): Promise<Harness> {
    const harness = await make();
    await harness.storage.putBucket(bucketRecord());
    return harness;
  }

  const part = (n: number) => pattern(100 + n, 3000 + n * 1111);

  it('assembles parts uploaded out of order in the listed order', async () => {
    const harness = await setup();
    const { storage } = harness;
    await storage.createUpload(BUCKET, uploadFor('u1', 'mp'));
    for (const n of [3, 1, 2]) await putPart(storage, 'u1', n, n === 2 ? streamOf(part(n), 1000) : part(n));
    const listed = await storage.listParts(BUCKET, 'u1');
    expect(listed.map((p) => [p.partNumber, p.size, p.etag])).toEqual(
      [1, 2, 3].map((n) => [n, part(n).length, `"${md5Hex(part(n)).toUpperCase()}"`]),
    );
    expect(toHex(listed[0]!.md5)).toBe(md5Hex(part(1)));
    let given: number[] = [];
    const record = await storage.completeUpload(
      BUCKET,
      'u1',
      [1, 2, 3],
      (parts) => {
        given = parts.map((p) => p.partNumber);
        return { ...recordFor('mp', { size: 0, md5: new Uint8Array(16), crc64: '0' }), size: parts.reduce((n, p) => n + p.size, 0) };
      },
      {},
    );
    const whole = concat(part(1), part(2), part(3));
    expect(given).toEqual([1, 2, 3]);
    expect(record.size).toBe(whole.length);
    expectBytes(await readV(storage, 'mp'), whole);
    const cut = part(1).length;
    expectBytes(await readV(storage, 'mp', undefined, { start: cut - 3, end: cut + 3 }), whole.slice(cut - 3, cut + 4));
    expect(await storage.getUpload(BUCKET, 'u1')).toBeUndefined();
    expect(await storage.listUploads(BUCKET)).toEqual([]);
    await expect(storage.listParts(BUCKET, 'u1')).rejects.toMatchObject({ code: 'NoSuchUpload' });
    await expectNoOrphans(harness);
    if (harness.files) expect((await harness.files()).uploads).toEqual([]);
  });

  it('replaces a part put again under the same number', async () => {
    const harness = await setup();
    const { storage } = harness;
    await storage.createUpload(BUCKET, uploadFor('u1', 'mp'));
    await putPart(storage, 'u1', 1, pattern(1, 500));
    await putPart(storage, 'u1', 1, pattern(2, 700));
    expect((await storage.listParts(BUCKET, 'u1')).map((p) => p.size)).toEqual([700]);
    await expectNoOrphans(harness);
    if (harness.files) expect((await harness.files()).data).toHaveLength(1);
    await complete(storage, 'u1', [1]);
    expectBytes(await readV(storage, 'mp'), pattern(2, 700));
  });

  it('completes with a subset of the parts and drops the rest', async () => {
    const harness = await setup();
    const { storage } = harness;
    await storage.createUpload(BUCKET, uploadFor('u1', 'mp'));
    for (const n of [1, 2, 3, 4]) await putPart(storage, 'u1', n, part(n));
    const record = await complete(storage, 'u1', [1, 3, 4]);
    expect(record.etag).toBe('"1-3-4"');
    expectBytes(await readV(storage, 'mp'), concat(part(1), part(3), part(4)));
    await expectNoOrphans(harness);
    if (harness.files) expect((await harness.files()).data).toHaveLength(3);
  });

  it('keeps older versions when completing into a versioned key', async () => {
    const { storage } = await setup();
    await putV(storage, 'mp', pattern(1, 10), 'v1', 'enabled');
    await storage.createUpload(BUCKET, uploadFor('u1', 'mp'));
    await putPart(storage, 'u1', 1, part(1));
    await complete(storage, 'u1', [1], { mode: 'enabled', versionId: 'v2' });
    expect(await versionIds(storage)).toEqual(['mp@v2', 'mp@v1']);
    expectBytes(await readV(storage, 'mp', 'v1'), pattern(1, 10));
    expectBytes(await readV(storage, 'mp', 'v2'), part(1));
  });

  it('leaves the upload and the object untouched when completion fails', async () => {
    const harness = await setup();
    const { storage } = harness;
    const old = await putV(storage, 'mp', pattern(1, 10), undefined, 'off');
    await storage.createUpload(BUCKET, uploadFor('u1', 'mp'));
    for (const n of [1, 2]) await putPart(storage, 'u1', n, part(n));
    await expect(complete(storage, 'u1', [1, 5])).rejects.toMatchObject({ code: 'InvalidPart' });
    await expect(
      storage.completeUpload(BUCKET, 'u1', [1, 2], () => Promise.reject(new Error('InvalidPartOrder')), {}),
    ).rejects.toThrow('InvalidPartOrder');
    await expect(
      storage.completeUpload(BUCKET, 'u1', [1, 2], () => ({ ...old, size: 1 }), {}),
    ).rejects.toThrow('bytes');
    expect(await storage.getObject(BUCKET, 'mp')).toEqual(old);
    expect((await storage.listParts(BUCKET, 'u1')).map((p) => p.partNumber)).toEqual([1, 2]);
    await expectNoOrphans(harness);
    await complete(storage, 'u1', [1, 2]);
    expectBytes(await readV(storage, 'mp'), concat(part(1), part(2)));
  });

  it('aborts an upload with its parts', async () => {
    const harness = await setup();
    const { storage } = harness;
    await storage.createUpload(BUCKET, uploadFor('u1', 'mp'));
    for (const n of [1, 2]) await putPart(storage, 'u1', n, part(n));
    expect(await storage.abortUpload(BUCKET, 'u1')).toBe(true);
    expect(await storage.abortUpload(BUCKET, 'u1')).toBe(false);
    expect(await storage.abortUpload('no-such-bucket', 'u1')).toBe(false);
    expect(await storage.getUpload(BUCKET, 'u1')).toBeUndefined();
    await expect(putPart(storage, 'u1', 3, part(3))).rejects.toMatchObject({ code: 'NoSuchUpload' });
    expect(await storage.getObject(BUCKET, 'mp')).toBeUndefined();
    if (harness.files) expect(await harness.files()).toEqual({ data: [], referenced: [], uploads: [] });
  });

  it('reports a missing upload', async () => {
    const { storage } = await setup();
    await expect(complete(storage, 'nope', [1])).rejects.toMatchObject({ code: 'NoSuchUpload' });
    await expect(putPart(storage, 'nope', 1, part(1))).rejects.toMatchObject({ code: 'NoSuchUpload' });
    await expect(storage.listParts(BUCKET, 'nope')).rejects.toMatchObject({ code: 'NoSuchUpload' });
    expect(await storage.getUpload(BUCKET, 'nope')).toBeUndefined();
    await expect(storage.createUpload('no-such-bucket', uploadFor('u1', 'k'))).rejects.toMatchObject({
      code: 'NoSuchBucket',
    });
  });

  it('fails a part racing an abort, keeping nothing', async () => {
    const harness = await setup();
    const { storage } = harness;
    await storage.createUpload(BUCKET, uploadFor('u1', 'mp'));
    const racing = putPart(storage, 'u1', 1, streamOf(part(1), 500));
    await storage.abortUpload(BUCKET, 'u1');
    await expect(racing).rejects.toMatchObject({ code: 'NoSuchUpload' });
    if (harness.files) expect(await harness.files()).toEqual({ data: [], referenced: [], uploads: [] });
  });

  it('lists uploads by key in UTF-8 order, then by initiation', async () => {
    const { storage } = await setup();
    const uploads = [
      uploadFor('u1', 'b', 5),
      uploadFor('u2', '😀', 1),
      uploadFor('u3', 'a', 9),
      uploadFor('u4', '\uFFFF', 1),
      uploadFor('u5', 'a', 2),
    ];
    for (const u of uploads) await storage.createUpload(BUCKET, u);
    expect((await storage.listUploads(BUCKET)).map((u) => u.uploadId)).toEqual(['u5', 'u3', 'u1', 'u4', 'u2']);
    expect(await storage.getUpload(BUCKET, 'u3')).toEqual(uploads[2]);
    await expect(storage.createUpload(BUCKET, uploadFor('u3', 'x'))).rejects.toThrow('exists');
  });

  it('refuses upload ids that are not safe path components, and bad part numbers', async () => {
    const { storage } = await setup();
    for (const id of ['', '..', '../x', 'a/b', 'a\\b', 'a.b', 'a b', 'x'.repeat(129)]) {
      await expect(storage.createUpload(BUCKET, uploadFor(id, 'k'))).rejects.toThrow('invalid upload id');
    }
    await storage.createUpload(BUCKET, uploadFor('0A1b2C', 'k'));
    for (const n of [0, -1, 1.5, Number.NaN]) {
      await expect(putPart(storage, '0A1b2C', n, part(1))).rejects.toThrow(RangeError);
    }
    await expect(
      storage.putPart(BUCKET, '0A1b2C', 1, part(1), (d) => partFor(2, d)),
    ).rejects.toThrow('part 2');
  });
});

// ---------------------------------------------------------------- fs only

describe('fs extended storage durability', () => {
  it('finds versions, appends, uploads and parts again after reopening', async () => {
    const dir = await tempDir();
    const first = await FsStorage.open(dir);
    await first.putBucket(bucketRecord());
    await putV(first, 'v', pattern(1, 100), 'v1', 'enabled');
    await first.putDeleteMarker(BUCKET, markerFor('v', 'm'), { versioning: 'enabled' });
    await putV(first, 'v', pattern(2, 200), 'v2', 'enabled');
    await putV(first, 'v', pattern(3, 50), 'null', 'suspended');
    const pieces = Array.from({ length: 30 }, (_, i) => pattern(i, 50 + i));
    for (const piece of pieces) await append(first, 'log', piece);
    await first.createUpload(BUCKET, uploadFor('done', 'mp'));
    for (const n of [2, 1]) await putPart(first, 'done', n, pattern(n, 1000 * n));
    await complete(first, 'done', [1, 2]);
    await first.createUpload(BUCKET, uploadFor('open1', 'later', 7));
    await putPart(first, 'open1', 1, pattern(7, 300));
    await putPart(first, 'open1', 1, pattern(8, 400));
    await putPart(first, 'open1', 4, pattern(9, 500));
    await first.createUpload(BUCKET, uploadFor('open2', 'later', 3));
    await first.close();

    const again = await FsStorage.open(dir);
    expect(await collect(again.listObjectVersions(BUCKET))).toEqual(await collect(first.listObjectVersions(BUCKET)));
    expect(await versionIds(again, 'v')).toEqual(['v@null', 'v@v2', 'v@m', 'v@v1']);
    for (const [id, bytes] of [['v1', pattern(1, 100)], ['v2', pattern(2, 200)], ['null', pattern(3, 50)]] as const) {
      expectBytes(await readV(again, 'v', id), bytes);
    }
    expectBytes(await readV(again, 'log'), concat(...pieces));
    expectBytes(await readV(again, 'mp'), concat(pattern(1, 1000), pattern(2, 2000)));
    expect(await again.listUploads(BUCKET)).toEqual(await first.listUploads(BUCKET));
    expect((await again.listUploads(BUCKET)).map((u) => u.uploadId)).toEqual(['open2', 'open1']);
    expect(await again.listParts(BUCKET, 'open1')).toEqual(await first.listParts(BUCKET, 'open1'));
    const state = await diskState(dir);
    expect(state.data).toEqual(state.referenced);
    await append(again, 'log', pattern(99, 10));
    await complete(again, 'open1', [1, 4], { key: 'later' });
    expectBytes(await readV(again, 'later'), concat(pattern(8, 400), pattern(9, 500)));
    expectBytes(await readV(again, 'log'), concat(...pieces, pattern(99, 10)));
  });

  it('completes by adopting the part files, copying no bytes', async () => {
    const dir = await tempDir();
    const storage = await FsStorage.open(dir);
    await storage.putBucket(bucketRecord());
    await storage.createUpload(BUCKET, uploadFor('u1', 'mp'));
    for (const n of [1, 2, 3]) await putPart(storage, 'u1', n, pattern(n, 200_000));
    const dataDir = join(bucketDir(dir), 'data');
    const inodes = async () =>
      new Map(await Promise.all((await readdir(dataDir)).map(async (id) => [id, (await stat(join(dataDir, id))).ino] as const)));
    const before = await inodes();
    await complete(storage, 'u1', [1, 2, 3]);
    const [record] = await readdir(join(bucketDir(dir), 'objects'));
    const { versions } = JSON.parse(await readFile(join(bucketDir(dir), 'objects', record!), 'utf8'));
    const segments: string[] = versions[0].segments.map((s: { id: string }) => s.id);
    expect(await inodes()).toEqual(before); // the same files, the same inodes: nothing written
    expect(segments.sort()).toEqual([...before.keys()].sort());
    expectBytes(await readV(storage, 'mp'), concat(pattern(1, 200_000), pattern(2, 200_000), pattern(3, 200_000)));
  });

  it('lets a read in progress finish across an overwrite and a delete', async () => {
    const dir = await tempDir();
    const storage = await FsStorage.open(dir);
    await storage.putBucket(bucketRecord());
    const pieces = Array.from({ length: 5 }, (_, i) => pattern(i, 300_000));
    for (const piece of pieces) await append(storage, 'k', piece);
    const reader = (await storage.readObject(BUCKET, 'k')).getReader();
    const chunks = [(await reader.read()).value!];
    await storage.putObject(BUCKET, 'k', pattern(9, 10), (d) => recordFor('k', d));
    await storage.deleteObject(BUCKET, 'k');
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    expectBytes(concat(...chunks), concat(...pieces));
    expect(await readdir(join(bucketDir(dir), 'data'))).toEqual([]); // deleted once the reader was done
  });

  it('finishes a completion cut short between its commit and the upload removal', async () => {
    const dir = await tempDir();
    const storage = await FsStorage.open(dir);
    await storage.putBucket(bucketRecord());
    await storage.createUpload(BUCKET, uploadFor('u1', 'mp'));
    for (const n of [1, 2]) await putPart(storage, 'u1', n, pattern(n, 1000));
    const uploadPath = join(bucketDir(dir), 'uploads', 'u1');
    const saved = `${dir}/saved-upload`;
    await cp(uploadPath, saved, { recursive: true });
    await complete(storage, 'u1', [2]);
    // As if the process died right after the commit: the upload is still on disk, part 1 too.
    await cp(saved, uploadPath, { recursive: true });
    const partOne = JSON.parse(await readFile(join(uploadPath, 'part-1.json'), 'utf8')).data;
    await writeFile(join(bucketDir(dir), 'data', partOne), pattern(1, 1000));

    const again = await FsStorage.open(dir);
    expect(await again.listUploads(BUCKET)).toEqual([]);
    expectBytes(await readV(again, 'mp'), pattern(2, 1000));
    const state = await diskState(dir);
    expect(state.uploads).toEqual([]);
    expect(state.data).toEqual(state.referenced);
  });

  it('cleans upload leftovers on open', async () => {
    const dir = await tempDir();
    const storage = await FsStorage.open(dir);
    await storage.putBucket(bucketRecord());
    await storage.createUpload(BUCKET, uploadFor('keep', 'k'));
    await putPart(storage, 'keep', 1, pattern(1, 100));
    await putPart(storage, 'keep', 2, pattern(2, 100));
    await storage.createUpload(BUCKET, uploadFor('half', 'k'));
    await putPart(storage, 'half', 1, pattern(3, 100));
    const uploads = join(bucketDir(dir), 'uploads');
    await rm(join(uploads, 'half', 'upload.json')); // a removal cut short
    const lost = JSON.parse(await readFile(join(uploads, 'keep', 'part-2.json'), 'utf8')).data;
    await rm(join(bucketDir(dir), 'data', lost));
    await writeFile(join(uploads, 'keep', 'part-3.json.0123.tmp'), '{');

    const again = await FsStorage.open(dir);
    expect((await again.listUploads(BUCKET)).map((u) => u.uploadId)).toEqual(['keep']);
    expect((await again.listParts(BUCKET, 'keep')).map((p) => p.partNumber)).toEqual([1]);
    expect(await readdir(uploads)).toEqual(['keep']);
    expect((await readdir(join(uploads, 'keep'))).sort()).toEqual(['part-1.json', 'upload.json']);
    const state = await diskState(dir);
    expect(state.data).toEqual(state.referenced);
    expect(state.data).toHaveLength(1);
  });

  it('refuses to open over corrupt upload and part records', async () => {
    const dir = await tempDir();
    const storage = await FsStorage.open(dir);
    await storage.putBucket(bucketRecord());
    await storage.createUpload(BUCKET, uploadFor('u1', 'k'));
    await putPart(storage, 'u1', 1, pattern(1, 10));
    const partPath = join(bucketDir(dir), 'uploads', 'u1', 'part-1.json');
    const good = await readFile(partPath, 'utf8');
    await writeFile(partPath, JSON.stringify({ ...JSON.parse(good), data: '../../x' }));
    await expect(FsStorage.open(dir)).rejects.toThrow('corrupt part record');
    await writeFile(partPath, good);
    await writeFile(join(bucketDir(dir), 'uploads', 'u1', 'upload.json'), JSON.stringify(uploadFor('u2', 'k')));
    await expect(FsStorage.open(dir)).rejects.toThrow('corrupt upload record');
  });

  it('opens records written before versions existed', async () => {
    const dir = await tempDir();
    const storage = await FsStorage.open(dir);
    await storage.putBucket(bucketRecord());
    const record = await storage.putObject(BUCKET, 'k', pattern(1, 64), (d) => recordFor('k', d));
    const objects = join(bucketDir(dir), 'objects');
    const [name] = await readdir(objects);
    const { versions } = JSON.parse(await readFile(join(objects, name!), 'utf8'));
    await writeFile(join(objects, name!), JSON.stringify({ data: versions[0].segments[0].id, record }));

    const again = await FsStorage.open(dir);
    expect(await again.getObject(BUCKET, 'k')).toEqual(record);
    expectBytes(await readV(again, 'k'), pattern(1, 64));
  });

  it('keeps appends whole through kill -9', async () => {
    const dir = await tempDir();
    await (await FsStorage.open(dir)).putBucket(bucketRecord());
    const { random } = seededRandom(0xa99e7d);
    const acked = await runAndKill(dir, appendChildSource, between(random, 1, 40));
    expect(acked.length).toBeGreaterThanOrEqual(25);
    const lastAck = Math.max(...acked.map(Number));

    const storage = await FsStorage.open(dir);
    const record = (await storage.getObject(BUCKET, 'log'))!;
    const bytes = await readV(storage, 'log');
    let n = 0;
    let size = 0;
    while (size < bytes.length) size += appendPiece(++n).length;
    expect(size).toBe(bytes.length); // whole appends only
    expect(n).toBeGreaterThanOrEqual(lastAck); // nothing acknowledged is lost
    expectBytes(bytes, concat(...Array.from({ length: n }, (_, i) => appendPiece(i + 1))));
    expect(record.size).toBe(bytes.length);
    const state = await diskState(dir);
    expect(state.data).toEqual(state.referenced);
    expect(state.data).toHaveLength(1); // appends extend the object's one file
    // Whatever the kill left past the end is overwritten, not kept.
    await append(storage, 'log', appendPiece(n + 1));
    expectBytes(await readV(storage, 'log'), concat(bytes, appendPiece(n + 1)));
  });

  it('leaves either the upload or the completed object through kill -9, never a mix', async () => {
    const dir = await tempDir();
    await (await FsStorage.open(dir)).putBucket(bucketRecord());
    let first = 1;
    const { random } = seededRandom(0xc0e1e7e);
    for (let round = 0; round < 3; round++) {
      const lines = await runAndKill(dir, (d) => completeChildSource(d, first), between(random, 1, 16));
      const done = lines.filter((l) => l.startsWith('done')).map((l) => Number(l.split(' ')[1]));
      const started = Math.max(first, ...lines.map((l) => Number(l.split(' ')[1])));
      expect(done).toContain(first); // the round's first upload completed before the crash was armed

      const storage = await FsStorage.open(dir);
      const record = await storage.getObject(BUCKET, 'mp');
      expect(record).toBeDefined();
      const completedSeed = Number(/seed-(\d+)/.exec(record!.etag)![1]);
      expectBytes(await readV(storage, 'mp'), completeBody(completedSeed));
      expect(completedSeed).toBeGreaterThanOrEqual(Math.max(...done));
      const uploads = await storage.listUploads(BUCKET);
      // The last upload whose parts were all in: completed, or still there whole, never lost or half.
      const ready = Math.max(...lines.filter((l) => l.startsWith('parts')).map((l) => Number(l.split(' ')[1])));
      const pending = uploads.some((u) => u.uploadId === `u${ready}`)
        ? `pending with parts ${(await storage.listParts(BUCKET, `u${ready}`)).map((p) => p.partNumber).join(',')}`
        : 'not pending';
      const outcome = `${completedSeed >= ready ? 'completed' : 'not completed'}, ${pending}`;
      expect(['completed, not pending', 'not completed, pending with parts 1,2,3']).toContain(outcome);
      for (const upload of uploads) {
        const seed = Number(upload.uploadId.slice(1));
        expect(seed).toBeGreaterThan(completedSeed); // a completed upload never survives
        for (const p of await storage.listParts(BUCKET, upload.uploadId)) {
          expect(p.etag).toBe(`"${md5Hex(completePart(seed, p.partNumber)).toUpperCase()}"`);
        }
      }
      const state = await diskState(dir);
      expect(state.data).toEqual(state.referenced);
      expect(state.uploads).toEqual(uploads.map((u) => u.uploadId).sort());
      for (const upload of uploads) await storage.abortUpload(BUCKET, upload.uploadId);
      first = started + 1;
    }
  });
});

// ---------------------------------------------------------------- crash children

/** Append n: its number in the first 4 bytes, then up to ~200 KB of pattern. */
function appendPiece(n: number): Uint8Array {
  const bytes = pattern(n, 4 + ((n * 7919) % 200_000));
  new DataView(bytes.buffer).setUint32(0, n);
  return bytes;
}

function completePart(seed: number, n: number): Uint8Array {
  return pattern(seed * 10 + n, 50_000 + ((seed * 31 + n * 7) % 100_000));
}

function completeBody(seed: number): Uint8Array {
  return concat(...[1, 2, 3].map((n) => completePart(seed, n)));
}

function childPrelude(dir: string): string {
  const module = pathToFileURL(join(REPO, 'src/server/storage/fs.ts')).href;
  return `
    ${pattern}
    ${concat}
    const { FsStorage } = await import(${JSON.stringify(module)});
    const storage = await FsStorage.open(${JSON.stringify(dir)});
    const B = ${JSON.stringify(BUCKET)};
    const record = (key, size, etag, objectType) => ({
      key, size, etag, crc64: '0', lastModified: Date.now(), contentType: 'application/octet-stream',
      headers: {}, meta: {}, objectType, storageClass: 'Standard', acl: 'default', tags: {},
    });
    const hex = (md5) => Buffer.from(md5).toString('hex').toUpperCase();
  `;
}

function appendChildSource(dir: string): string {
  return `
    ${childPrelude(dir)}
    ${appendPiece}
    for (let n = 1; ; n++) {
      await storage.appendObject(B, 'log', appendPiece(n), (d, prev) =>
        record('log', (prev?.size ?? 0) + d.size, '"' + hex(d.md5) + '"', 'Appendable'));
      process.stdout.write(n + '\\n');
      if (n === 25) armCrash();
    }
  `;
}

function completeChildSource(dir: string, first: number): string {
  // The crash is armed once the round's second upload has all its parts in: the kill lands in
  // its completion or soon after.
  return `
    ${childPrelude(dir)}
    ${completePart}
    for (let seed = ${first}; ; seed++) {
      const uploadId = 'u' + seed;
      await storage.createUpload(B, { uploadId, key: 'mp', initiated: seed, template: {} });
      for (const n of [3, 1, 2]) {
        await storage.putPart(B, uploadId, n, completePart(seed, n), (d) => ({
          partNumber: n, size: d.size, etag: '"' + hex(d.md5) + '"', md5: d.md5, crc64: d.crc64, lastModified: 0,
        }));
      }
      process.stdout.write('parts ' + seed + '\\n');
      if (seed === ${first} + 1) armCrash();
      await storage.completeUpload(B, uploadId, [1, 2, 3], (parts) =>
        record('mp', parts.reduce((n, p) => n + p.size, 0), '"seed-' + seed + '"', 'Multipart'), {});
      process.stdout.write('done ' + seed + '\\n');
    }
  `;
}

/**
 * Runs a child writing in a loop and printing a line per acknowledged step; the child arms the
 * crash where its source calls armCrash() and dies just before its `killAt`-th file write from
 * there. Returns the lines it printed.
 */
function runAndKill(dir: string, source: (dir: string) => string, killAt: number): Promise<string[]> {
  return runUntilKilled(crashPrelude(killAt) + source(dir), REPO, (kill) => disposers.push(async () => kill()));
}

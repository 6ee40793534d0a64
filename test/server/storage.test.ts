// One contract suite for every Storage, plus the fs store's durability and recovery.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FsStorage } from '../../src/server/storage/fs.js';
import {
  MemoryStorage,
  SinkStorage,
  openStorage,
  type BodySource,
  type BucketRecord,
  type ObjectRecord,
  type Storage,
  type WriteDigest,
} from '../../src/server/storage/index.js';
import { readAll } from '../helpers/streams.js';
import { expectBytes } from '../helpers/bytes.js';
import { crashPrelude, runUntilKilled } from '../helpers/crash.js';
import { between, seededRandom } from '../helpers/seed.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUCKET = 'test-bucket';

// ---------------------------------------------------------------- helpers

function bucketRecord(name = BUCKET): BucketRecord {
  return {
    name,
    creationDate: 1_700_000_000_000,
    location: 'oss-cn-hangzhou',
    storageClass: 'Standard',
    acl: 'private',
    config: { cors: [{ allowedOrigin: ['*'] }] },
  };
}

function recordFor(key: string, digest: WriteDigest): ObjectRecord {
  return {
    key,
    size: digest.size,
    etag: `"${Buffer.from(digest.md5).toString('hex').toUpperCase()}"`,
    lastModified: 1_700_000_000_000,
    crc64: digest.crc64,
    contentType: 'application/octet-stream',
    headers: { 'cache-control': 'no-cache' },
    meta: { owner: 'me' },
    objectType: 'Normal',
    storageClass: 'Standard',
    acl: 'default',
    tags: { a: '1' },
  };
}

/** Deterministic pseudo-random bytes; self-contained so the crash child can reuse its source. */
function pattern(seed: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = (seed * 2654435761 + 1) >>> 0;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function streamOf(chunks: Uint8Array[], failAfter?: number): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    async pull(controller) {
      await new Promise((r) => setTimeout(r, 0));
      if (i === failAfter) return controller.error(new Error('client went away'));
      if (i === chunks.length) return controller.close();
      controller.enqueue(chunks[i++]!);
    },
  });
}

function split(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
  return out;
}


async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}


const md5Hex = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

async function put(storage: Storage, key: string, body: BodySource): Promise<ObjectRecord> {
  return storage.putObject(BUCKET, key, body, (digest) => recordFor(key, digest));
}

async function read(storage: Storage, key: string, range?: { start: number; end: number }) {
  return readAll(await storage.readObject(BUCKET, key, range));
}

/** Keys the op layer may reject but storage must keep apart and never turn into paths. */
const ODD_KEYS = [
  'a',
  'a/',
  'a/b',
  'a//b',
  'a/b/c',
  '../x',
  '../../../../etc/passwd',
  '/abs',
  '.',
  '..',
  'nul\0byte',
  'back\\slash',
  'C:\\windows',
  'CON',
  ' space',
  'Z',
  '~',
  'é',
  'e\u0301',
  '中文/键',
  '\uE000',
  '\uFFFF',
  '😀',
  '😀/x',
  'a😀',
  'a\uFFFF',
  'x'.repeat(1023),
  '😀'.repeat(255) + 'abc', // 1023 bytes of surrogate pairs
];

// ---------------------------------------------------------------- the contract

interface Harness {
  storage: Storage;
  /** Files in the bucket's objects/ and data/ directories (fs only). */
  files?: () => Promise<{ objects: string[]; data: string[] }>;
}

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'oss-fetch-storage-'));
  disposers.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function bucketFiles(dir: string) {
  const base = join(dir, 'buckets', BUCKET);
  return { objects: await readdir(join(base, 'objects')), data: await readdir(join(base, 'data')) };
}

const stores: { name: string; make: () => Promise<Harness> }[] = [
  { name: 'memory', make: async () => ({ storage: new MemoryStorage() }) },
  {
    name: 'fs',
    make: async () => {
      const dir = await tempDir();
      return { storage: await FsStorage.open(dir), files: () => bucketFiles(dir) };
    },
  },
];

describe.each(stores)('$name storage contract', ({ make }) => {
  async function setup(): Promise<Harness> {
    const harness = await make();
    await harness.storage.putBucket(bucketRecord());
    return harness;
  }

  it('creates, replaces, lists and deletes buckets', async () => {
    const { storage } = await setup();
    await storage.putBucket(bucketRecord('other-bucket'));
    await storage.putBucket({ ...bucketRecord(), acl: 'public-read' });
    expect((await storage.listBuckets()).map((b) => b.name)).toEqual(['other-bucket', BUCKET]);
    expect(await storage.getBucket(BUCKET)).toEqual({ ...bucketRecord(), acl: 'public-read' });
    await storage.deleteBucket('other-bucket');
    expect(await storage.getBucket('other-bucket')).toBeUndefined();
    expect((await storage.listBuckets()).map((b) => b.name)).toEqual([BUCKET]);
  });

  it('keeps objects when a bucket record is replaced', async () => {
    const { storage } = await setup();
    await put(storage, 'k', pattern(1, 10));
    await storage.putBucket({ ...bucketRecord(), config: { website: { index: 'index.html' } } });
    expect(await storage.countObjects(BUCKET)).toBe(1);
  });

  it('measures size, MD5 and CRC-64 and hands the digest to finish', async () => {
    const { storage } = await setup();
    const seen: WriteDigest[] = [];
    const record = await storage.putObject(BUCKET, 'check', new TextEncoder().encode('123456789'), (d) => {
      seen.push(d);
      return recordFor('check', d);
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.size).toBe(9);
    expect(Buffer.from(seen[0]!.md5).toString('hex')).toBe('25f9e794323b453885f5181f1b624d0b');
    expect(seen[0]!.crc64).toBe('11051210869376104954'); // CRC-64/XZ check value
    expect(record).toEqual(recordFor('check', seen[0]!));
    expect(await storage.getObject(BUCKET, 'check')).toEqual(record);
  });

  it('stores a streamed body and reads it back whole', async () => {
    const { storage } = await setup();
    const bytes = pattern(2, 300_000);
    const record = await put(storage, 'big', streamOf(split(bytes, 65_536)));
    expect(record.size).toBe(bytes.length);
    expect(record.etag).toBe(`"${md5Hex(bytes).toUpperCase()}"`);
    expectBytes(await read(storage, 'big'), bytes);
  });

  it('stores an empty object', async () => {
    const { storage } = await setup();
    expect((await put(storage, 'empty', new Uint8Array(0))).size).toBe(0);
    expect((await put(storage, 'empty-stream', streamOf([]))).size).toBe(0);
    expectBytes(await read(storage, 'empty'), new Uint8Array(0));
  });

  it('reads inclusive byte ranges across chunk boundaries', async () => {
    const { storage } = await setup();
    const bytes = pattern(3, 1000);
    await put(storage, 'r', streamOf(split(bytes, 7)));
    for (const [start, end] of [[0, 0], [0, 999], [5, 20], [6, 7], [7, 7], [993, 999], [999, 999], [100, 600]]) {
      expectBytes(await read(storage, 'r', { start: start!, end: end! }), bytes.slice(start, end! + 1));
    }
  });

  it('rejects ranges outside the object', async () => {
    const { storage } = await setup();
    await put(storage, 'r', pattern(4, 10));
    for (const range of [{ start: 0, end: 10 }, { start: 5, end: 4 }, { start: -1, end: 3 }]) {
      await expect(storage.readObject(BUCKET, 'r', range)).rejects.toThrow(RangeError);
    }
  });

  it('streams large objects in bounded pieces', async () => {
    const { storage } = await setup();
    await put(storage, 'one-chunk', pattern(5, 3_000_000));
    const reader = (await storage.readObject(BUCKET, 'one-chunk')).getReader();
    const first = await reader.read();
    expect(first.value!.byteLength).toBeLessThanOrEqual(1 << 20);
    await reader.cancel();
  });

  it('does not let readers or writers change stored bytes', async () => {
    const { storage } = await setup();
    const bytes = pattern(6, 100);
    const original = bytes.slice();
    await put(storage, 'k', bytes);
    bytes.fill(0); // the caller reuses its buffer
    const chunk = (await (await storage.readObject(BUCKET, 'k')).getReader().read()).value!;
    chunk.fill(0); // a reader scribbles on what it got
    expectBytes(await read(storage, 'k'), original);
  });

  it('overwrites an object with new bytes and record', async () => {
    const { storage, files } = await setup();
    await put(storage, 'k', pattern(7, 500));
    const second = pattern(8, 200);
    const record = await put(storage, 'k', second);
    expect(await storage.getObject(BUCKET, 'k')).toEqual(record);
    expectBytes(await read(storage, 'k'), second);
    expect(await storage.countObjects(BUCKET)).toBe(1);
    if (files) expect((await files()).data).toHaveLength(1); // old bytes are gone
  });

  it('deletes objects', async () => {
    const { storage, files } = await setup();
    await put(storage, 'k', pattern(9, 50));
    expect(await storage.deleteObject(BUCKET, 'k')).toBe(true);
    expect(await storage.deleteObject(BUCKET, 'k')).toBe(false);
    expect(await storage.deleteObject('no-such-bucket', 'k')).toBe(false);
    expect(await storage.getObject(BUCKET, 'k')).toBeUndefined();
    await expect(storage.readObject(BUCKET, 'k')).rejects.toMatchObject({ code: 'NoSuchKey' });
    expect(await storage.countObjects(BUCKET)).toBe(0);
    if (files) expect(await files()).toEqual({ objects: [], data: [] });
  });

  it('reports a missing bucket', async () => {
    const { storage } = await setup();
    await expect(
      storage.putObject('no-such-bucket', 'k', pattern(1, 1), (d) => recordFor('k', d)),
    ).rejects.toMatchObject({ code: 'NoSuchBucket' });
    expect(await storage.getObject('no-such-bucket', 'k')).toBeUndefined();
    expect(await collect(storage.listObjects('no-such-bucket'))).toEqual([]);
    expect(await storage.countObjects('no-such-bucket')).toBe(0);
  });

  it('keeps odd keys apart, including 1023-byte ones', async () => {
    const { storage } = await setup();
    expect(Buffer.byteLength(ODD_KEYS.at(-1)!)).toBe(1023);
    for (const [i, key] of ODD_KEYS.entries()) await put(storage, key, pattern(100 + i, 10 + i));
    expect(await storage.countObjects(BUCKET)).toBe(ODD_KEYS.length);
    for (const [i, key] of ODD_KEYS.entries()) {
      expect((await storage.getObject(BUCKET, key))!.key).toBe(key);
      expectBytes(await read(storage, key), pattern(100 + i, 10 + i));
    }
  });

  it('lists in UTF-8 byte order with prefix and after', async () => {
    const { storage } = await setup();
    for (const key of [...ODD_KEYS].reverse()) await put(storage, key, pattern(1, 1));
    const sorted = [...ODD_KEYS].sort(byteOrder);
    const listed = async (prefix?: string, after?: string) =>
      (await collect(storage.listObjects(BUCKET, { prefix, after }))).map((r) => r.key);
    expect(await listed()).toEqual(sorted);
    for (const prefix of [undefined, '', 'a', 'a/', 'a//', '.', '😀', '\uFFFF', 'é', 'zzz', 'x'.repeat(1023)]) {
      for (const after of [undefined, '', 'a', 'a/b', '😀', '\uE000', '\uFFFF', '\u{10FFFF}']) {
        const expected = sorted.filter(
          (k) => k.startsWith(prefix ?? '') && (after === undefined || byteOrder(k, after) > 0),
        );
        expect(await listed(prefix, after), `prefix ${prefix} after ${after}`).toEqual(expected);
      }
    }
  });

  it('lists lazily, seeing writes made during the listing', async () => {
    const { storage } = await setup();
    for (const key of ['b', 'd', 'f']) await put(storage, key, pattern(1, 1));
    const seen: string[] = [];
    for await (const record of storage.listObjects(BUCKET)) {
      seen.push(record.key);
      if (record.key === 'b') {
        await put(storage, 'a', pattern(1, 1)); // behind the cursor: not seen
        await put(storage, 'e', pattern(1, 1)); // ahead: seen
        await storage.deleteObject(BUCKET, 'f'); // ahead: not seen
      }
    }
    expect(seen).toEqual(['b', 'd', 'e']);
  });

  it('leaves the old object intact when finish throws', async () => {
    const { storage, files } = await setup();
    const old = await put(storage, 'k', pattern(10, 100));
    const bad = storage.putObject(BUCKET, 'k', streamOf(split(pattern(11, 1000), 100)), () => {
      throw new Error('Content-MD5 mismatch');
    });
    await expect(bad).rejects.toThrow('Content-MD5 mismatch');
    await expect(
      storage.putObject(BUCKET, 'new', pattern(12, 10), async () => Promise.reject(new Error('too big'))),
    ).rejects.toThrow('too big');
    await expect(
      storage.putObject(BUCKET, 'k', pattern(12, 10), (d) => recordFor('other', d)),
    ).rejects.toThrow('record for');
    expect(await storage.getObject(BUCKET, 'k')).toEqual(old);
    expect(await storage.getObject(BUCKET, 'new')).toBeUndefined();
    expectBytes(await read(storage, 'k'), pattern(10, 100));
    if (files) expect((await files()).data).toHaveLength(1);
  });

  it('commits nothing when the body stream errors', async () => {
    const { storage, files } = await setup();
    const old = await put(storage, 'k', pattern(13, 100));
    let finished = false;
    const failing = storage.putObject(BUCKET, 'k', streamOf(split(pattern(14, 1000), 100), 3), (d) => {
      finished = true;
      return recordFor('k', d);
    });
    await expect(failing).rejects.toThrow('client went away');
    await expect(put(storage, 'fresh', streamOf([pattern(15, 10)], 1))).rejects.toThrow();
    expect(finished).toBe(false);
    expect(await storage.getObject(BUCKET, 'k')).toEqual(old);
    expect(await storage.getObject(BUCKET, 'fresh')).toBeUndefined();
    if (files) expect((await files()).data).toHaveLength(1);
  });

  it('ends concurrent puts to one key with one complete object', async () => {
    const { storage, files } = await setup();
    const bodies = [1, 2, 3, 4, 5].map((seed) => pattern(seed, 20_000 * seed));
    await Promise.all(bodies.map((bytes) => put(storage, 'k', streamOf(split(bytes, 4096)))));
    const record = (await storage.getObject(BUCKET, 'k'))!;
    const bytes = await read(storage, 'k');
    expect(bodies.map(md5Hex)).toContain(md5Hex(bytes));
    expect(record.etag).toBe(`"${md5Hex(bytes).toUpperCase()}"`);
    expect(record.size).toBe(bytes.length);
    if (files) expect((await files()).data).toHaveLength(1);
  });

  it('updates a record and keeps its bytes', async () => {
    const { storage } = await setup();
    const record = await put(storage, 'k', pattern(16, 64));
    await storage.updateObjectRecord(BUCKET, { ...record, meta: { x: 'y' }, acl: 'public-read' });
    expect(await storage.getObject(BUCKET, 'k')).toEqual({ ...record, meta: { x: 'y' }, acl: 'public-read' });
    expectBytes(await read(storage, 'k'), pattern(16, 64));
    await expect(storage.updateObjectRecord(BUCKET, { ...record, key: 'missing' })).rejects.toMatchObject({
      code: 'NoSuchKey',
    });
  });

  it('keeps its records from callers: writes copy what they are given, reads hand out frozen records', async () => {
    const { storage } = await setup();
    let fromFinish: ObjectRecord | undefined;
    const returned = await storage.putObject(BUCKET, 'k', pattern(17, 8), (d) => (fromFinish = recordFor('k', d)));
    const snapshot = structuredClone(returned);
    fromFinish!.meta.evil = '1';
    returned.tags.evil = '1';
    const read = (await storage.getObject(BUCKET, 'k'))!;
    expect(() => (read.headers.evil = '1')).toThrow(TypeError);
    expect(() => ((read as { size: number }).size = 0)).toThrow(TypeError);
    const listed = (await collect(storage.listObjects(BUCKET)))[0]!;
    expect(() => (listed.size = 0)).toThrow(TypeError);
    const update = structuredClone(snapshot);
    await storage.updateObjectRecord(BUCKET, update);
    update.acl = 'evil';
    expect(await storage.getObject(BUCKET, 'k')).toEqual(snapshot);

    const bucket = bucketRecord();
    await storage.putBucket(bucket);
    bucket.acl = 'evil';
    const got = (await storage.getBucket(BUCKET))!;
    expect(() => (got.config.evil = true)).toThrow(TypeError);
    const all = await storage.listBuckets();
    expect(() => (all[0]!.location = 'evil')).toThrow(TypeError);
    expect(await storage.getBucket(BUCKET)).toEqual(bucketRecord());
  });
});

// ---------------------------------------------------------------- fs only

describe('fs storage durability', () => {
  async function populated(dir: string): Promise<FsStorage> {
    const storage = await FsStorage.open(dir);
    await storage.putBucket(bucketRecord());
    for (const [i, key] of ODD_KEYS.entries()) await put(storage, key, pattern(i, 1000 + i));
    return storage;
  }

  it('finds everything again after reopening', async () => {
    const dir = await tempDir();
    const first = await populated(dir);
    await put(first, 'a', pattern(99, 7)); // overwrite
    await first.deleteObject(BUCKET, 'b'); // absent anyway
    await first.deleteObject(BUCKET, 'a/b');
    const updated = { ...(await first.getObject(BUCKET, 'a//b'))!, meta: { n: '2' } };
    await first.updateObjectRecord(BUCKET, updated);
    await first.putBucket(bucketRecord('second-bucket'));
    await first.close();

    const again = await FsStorage.open(dir);
    expect(await again.listBuckets()).toEqual(await first.listBuckets());
    expect(await collect(again.listObjects(BUCKET))).toEqual(await collect(first.listObjects(BUCKET)));
    expect(await again.getObject(BUCKET, 'a//b')).toEqual(updated);
    expectBytes(await read(again, 'a'), pattern(99, 7));
    for (const [i, key] of ODD_KEYS.entries()) {
      if (key !== 'a' && key !== 'a/b') expectBytes(await read(again, key), pattern(i, 1000 + i));
    }
  });

  it('never turns key names into paths', async () => {
    const dir = await tempDir();
    await populated(dir);
    const { objects, data } = await bucketFiles(dir);
    expect(objects.every((name) => /^[0-9a-f]{64}\.json$/.test(name))).toBe(true);
    expect(data.every((name) => /^[0-9a-f]{32}$/.test(name))).toBe(true);
    expect(await readdir(dir)).toEqual(['buckets']);
    expect(await readdir(join(dir, 'buckets'))).toEqual([BUCKET]);
  });

  it('refuses bucket names that are not safe path components', async () => {
    const storage = await FsStorage.open(await tempDir());
    for (const name of ['..', '../x', 'a', 'ab/c', 'Upper', '-ab', 'ab-', 'a\\b', 'x'.repeat(64), '']) {
      await expect(storage.putBucket(bucketRecord(name))).rejects.toThrow('invalid bucket name');
    }
  });

  it('cleans temp files and orphan data on open, and drops records without data', async () => {
    const dir = await tempDir();
    const storage = await populated(dir);
    const base = join(dir, 'buckets', BUCKET);
    const before = await bucketFiles(dir);
    const lost = before.objects[0]!;
    const [{ segments: [{ id: lostData }], record: lostRecord }] = JSON.parse(
      await readFile(join(base, 'objects', lost), 'utf8'),
    ).versions;
    await rm(join(base, 'data', lostData));
    await writeFile(join(base, 'data', 'f'.repeat(32)), 'orphan');
    await writeFile(join(base, 'data', `${'e'.repeat(32)}.tmp`), 'half an upload');
    await writeFile(join(base, 'objects', `${lost}.0123.tmp`), '{"data":');
    await writeFile(join(base, 'bucket.json.0123.tmp'), '{');
    await mkdir(join(dir, 'buckets', 'half-created', 'objects'), { recursive: true });

    const again = await FsStorage.open(dir);
    const after = await bucketFiles(dir);
    expect(after.objects.sort()).toEqual(before.objects.filter((n) => n !== lost).sort());
    expect(after.data.sort()).toEqual(before.data.filter((n) => n !== lostData).sort());
    expect((await readdir(base)).sort()).toEqual(['bucket.json', 'data', 'objects']);
    expect(await readdir(join(dir, 'buckets'))).toEqual([BUCKET]);
    expect(await again.getObject(BUCKET, lostRecord.key)).toBeUndefined();
    expect(await again.countObjects(BUCKET)).toBe((await storage.countObjects(BUCKET)) - 1);
  });

  it('refuses to open over a corrupt record rather than discard its data', async () => {
    const dir = await tempDir();
    await populated(dir);
    const objectsDir = join(dir, 'buckets', BUCKET, 'objects');
    const [name] = await readdir(objectsDir);
    await writeFile(join(objectsDir, name!), JSON.stringify({ data: '../../../x', record: { key: 'k' } }));
    await expect(FsStorage.open(dir)).rejects.toThrow('corrupt object record');
  });

  it('serves reads that race an overwrite', async () => {
    const storage = await FsStorage.open(await tempDir());
    await storage.putBucket(bucketRecord());
    await put(storage, 'k', pattern(1, 1000));
    const writes = Array.from({ length: 20 }, (_, i) => put(storage, 'k', pattern(2 + i, 1000)));
    const reads = Array.from({ length: 20 }, () => read(storage, 'k'));
    await Promise.all(writes);
    for (const bytes of await Promise.all(reads)) expect(bytes).toHaveLength(1000);
  });

  it('keeps every acknowledged object after kill -9 mid-upload', async () => {
    const dir = await tempDir();
    await (await FsStorage.open(dir)).putBucket(bucketRecord());
    // Killed at a seeded file write within the next few uploads after the 30th.
    const { random } = seededRandom(0x6b1119);
    const acked = await runAndKill(dir, 30, between(random, 1, 60));
    expect(Math.max(...acked.values())).toBeGreaterThanOrEqual(30);

    const storage = await FsStorage.open(dir);
    const { objects, data } = await bucketFiles(dir);
    expect(objects.length).toBe(await storage.countObjects(BUCKET));
    expect(data.length).toBe(objects.length); // no temp or orphan data left
    for (const record of await collect(storage.listObjects(BUCKET))) {
      const bytes = await read(storage, record.key);
      const seed = new DataView(bytes.buffer).getUint32(0);
      expect(record.key).toBe(crashKey(seed));
      expectBytes(bytes, crashBody(seed)); // complete, never partial
      expect(record.etag).toBe(`"${md5Hex(bytes).toUpperCase()}"`);
      expect(seed).toBeGreaterThanOrEqual(acked.get(record.key) ?? 0); // no older than acknowledged
    }
    for (const key of acked.keys()) expect(await storage.getObject(BUCKET, key)).toBeDefined();
  });
});

// ---------------------------------------------------------------- the crash child

function crashKey(seed: number): string {
  return `k${seed % 17}/😀`;
}

/** Seed in the first 4 bytes, then a pattern; up to ~1 MB so kills land mid-write. */
function crashBody(seed: number): Uint8Array {
  const bytes = pattern(seed, 4 + (seed % 9) * 120_000);
  new DataView(bytes.buffer).setUint32(0, seed);
  return bytes;
}

/**
 * Runs a child that writes objects in a loop and prints `<seed>` after each putObject
 * resolves; after the `commits`-th it arms the crash, dying just before its `killAt`-th file
 * write from then on. Returns, per key, the newest acknowledged seed.
 */
async function runAndKill(dir: string, commits: number, killAt: number): Promise<Map<string, number>> {
  const module = pathToFileURL(join(REPO, 'src/server/storage/fs.ts')).href;
  const lines = await runUntilKilled(crashPrelude(killAt) + crashChildSource(module, dir, commits), REPO, (kill) => disposers.push(async () => kill()));
  const acked = new Map<string, number>();
  for (const seed of lines.map(Number)) acked.set(crashKey(seed), seed);
  return acked;
}

function crashChildSource(module: string, dir: string, commits: number): string {
  return `
    ${pattern}
    ${crashKey}
    ${crashBody}
    const { FsStorage } = await import(${JSON.stringify(module)});
    const storage = await FsStorage.open(${JSON.stringify(dir)});
    for (let seed = 1; ; seed++) {
      const bytes = crashBody(seed);
      let at = 0;
      const body = new ReadableStream({
        pull(c) { at < bytes.length ? c.enqueue(bytes.slice(at, at += 65536)) : c.close(); },
      });
      await storage.putObject(${JSON.stringify(BUCKET)}, crashKey(seed), body, (d) => ({
        key: crashKey(seed), size: d.size, crc64: d.crc64, lastModified: Date.now(),
        etag: '"' + Buffer.from(d.md5).toString('hex').toUpperCase() + '"',
        contentType: 'application/octet-stream', headers: {}, meta: {}, objectType: 'Normal',
        storageClass: 'Standard', acl: 'default', tags: {},
      }));
      process.stdout.write(seed + '\\n');
      if (seed === ${commits}) armCrash();
    }
  `;
}

// ---------------------------------------------------------------- entry points

describe('openStorage', () => {
  it('opens memory by default and fs for a directory', async () => {
    expect(await openStorage()).toBeInstanceOf(MemoryStorage);
    expect(await openStorage({ memory: true })).toBeInstanceOf(MemoryStorage);
    expect(await openStorage({ dir: await tempDir() })).toBeInstanceOf(FsStorage);
    await expect(openStorage({ dir: 'x', memory: true })).rejects.toThrow('either');
    expect(await openStorage({ sink: true })).toBeInstanceOf(SinkStorage);
    // The memory and sink stores hash with the MD5 they are given (startServer: node:crypto's).
    for (const options of [{ memory: true }, { sink: true }]) {
      let made = 0;
      const storage = await openStorage({ ...options, md5: () => (made++, createHash('md5')) });
      await storage.putBucket(bucketRecord());
      const record = await put(storage, 'k', new TextEncoder().encode('123456789'));
      expect(made).toBe(1);
      expect(record.etag).toBe('"25F9E794323B453885F5181F1B624D0B"');
    }
    await expect(openStorage({ sink: true, memory: true })).rejects.toThrow('either');
  });

  it('keeps node:* out of the memory store and its imports', async () => {
    const seen = new Set<string>();
    const visit = async (file: string): Promise<void> => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = await readFile(file, 'utf8');
      for (const [, spec] of source.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        expect(spec, `${file} imports ${spec}`).not.toMatch(/^node:|^(fs|path|crypto|os)$/);
        if (spec!.startsWith('.') && !spec!.endsWith('/fs.js')) {
          await visit(resolve(dirname(file), spec!.replace(/\.js$/, '.ts')));
        }
      }
    };
    await visit(join(REPO, 'src/server/storage/index.ts'));
    expect(seen.size).toBeGreaterThanOrEqual(5);
  });
});

// Durable store on a local directory (Node only). Layout under the root:
//   buckets/<bucket>/bucket.json               the BucketRecord
//   buckets/<bucket>/objects/<sha256>.json     { data, record } for one key (name hashes the key)
//   buckets/<bucket>/data/<id>                 the bytes
// Every change is write-temp, fsync, rename; the rename of a JSON file is the commit point.
// Files no committed JSON refers to are garbage and are removed on open.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { digestBody } from './digest.js';
import { checkRange, KeyIndex, ownRecord, storageError } from './memory.js';
import {
  compareUtf8,
  type BodySource,
  type BucketRecord,
  type ByteRange,
  type ListOptions,
  type ObjectRecord,
  type Storage,
  type WriteDigest,
} from './types.js';

const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const DATA_ID = /^[0-9a-f]{32}$/;
/** Bytes read from disk per stream chunk. */
const READ_PIECE = 256 * 1024;
/** Record files read at once while opening. */
const LOAD_BATCH = 64;

/** What `objects/<sha256>.json` holds. */
interface StoredRecord {
  data: string;
  record: ObjectRecord;
}

interface FsBucket {
  record: BucketRecord;
  dir: string;
  objects: KeyIndex<StoredRecord>;
  /** Tail of each key's write chain: writes to one key run one after another. */
  locks: Map<string, Promise<void>>;
}

export class FsStorage implements Storage {
  private readonly buckets = new Map<string, FsBucket>();

  private constructor(readonly root: string) {}

  /** Opens (creating if needed) a store, rebuilding its index and removing crash leftovers. */
  static async open(root: string): Promise<FsStorage> {
    const storage = new FsStorage(root);
    await storage.load();
    return storage;
  }

  async listBuckets(): Promise<BucketRecord[]> {
    return [...this.buckets.values()]
      .map((b) => structuredClone(b.record))
      .sort((a, b) => compareUtf8(a.name, b.name));
  }

  async getBucket(name: string): Promise<BucketRecord | undefined> {
    const bucket = this.buckets.get(name);
    return bucket && structuredClone(bucket.record);
  }

  async putBucket(bucket: BucketRecord): Promise<void> {
    if (!BUCKET_NAME.test(bucket.name)) throw new Error(`invalid bucket name ${JSON.stringify(bucket.name)}`);
    const dir = join(this.bucketsDir, bucket.name);
    const record = structuredClone(bucket);
    await mkdir(join(dir, 'objects'), { recursive: true });
    await mkdir(join(dir, 'data'), { recursive: true });
    await replaceFile(join(dir, 'bucket.json'), JSON.stringify(record));
    await syncDir(dir);
    await syncDir(this.bucketsDir);
    const existing = this.buckets.get(bucket.name);
    if (existing) existing.record = record;
    else this.buckets.set(bucket.name, { record, dir, objects: KeyIndex.empty(), locks: new Map() });
  }

  async deleteBucket(name: string): Promise<void> {
    const bucket = this.buckets.get(name);
    if (!bucket) return;
    // Removing bucket.json commits; a directory without one is cleared on the next open.
    await rm(join(bucket.dir, 'bucket.json'));
    this.buckets.delete(name);
    await rm(bucket.dir, { recursive: true, force: true });
    await syncDir(this.bucketsDir);
  }

  async getObject(bucket: string, key: string): Promise<ObjectRecord | undefined> {
    const stored = this.buckets.get(bucket)?.objects.get(key);
    return stored && structuredClone(stored.record);
  }

  async putObject(
    bucket: string,
    key: string,
    body: BodySource,
    finish: (digest: WriteDigest) => ObjectRecord | Promise<ObjectRecord>,
  ): Promise<ObjectRecord> {
    const b = this.bucket(bucket);
    // Bytes stream in parallel with other writers; only the commit waits for the key.
    const { data, digest } = await writeData(join(b.dir, 'data'), body);
    return this.withLock(b, key, () => this.commitPut(b, key, data, () => finish(digest)));
  }

  async updateObjectRecord(bucket: string, record: ObjectRecord): Promise<void> {
    const b = this.bucket(bucket);
    await this.withLock(b, record.key, async () => {
      const { data } = this.stored(b, record.key);
      await this.writeRecord(b, { data, record: structuredClone(record) });
    });
  }

  async deleteObject(bucket: string, key: string): Promise<boolean> {
    const b = this.buckets.get(bucket);
    if (!b) return false;
    return this.withLock(b, key, async () => {
      const stored = b.objects.get(key);
      if (!stored) return false;
      await rm(recordFile(b.dir, key)); // the commit
      b.objects.delete(key);
      await syncDir(join(b.dir, 'objects'));
      await discard(dataFile(b.dir, stored.data));
      return true;
    });
  }

  async readObject(bucket: string, key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    const b = this.bucket(bucket);
    for (;;) {
      const stored = this.stored(b, key);
      const size = stored.record.size;
      if (range) checkRange(range, size);
      try {
        const file = await open(dataFile(b.dir, stored.data), 'r');
        return streamFile(file, range?.start ?? 0, range ? range.end + 1 : size);
      } catch (err) {
        // Overwritten or deleted between the lookup and the open: look again.
        if (errorCode(err) !== 'ENOENT' || b.objects.get(key) === stored) throw err;
      }
    }
  }

  async *listObjects(bucket: string, options?: ListOptions): AsyncIterable<ObjectRecord> {
    const objects = this.buckets.get(bucket)?.objects;
    if (!objects) return;
    for (const [, stored] of objects.range(options)) yield structuredClone(stored.record);
  }

  async countObjects(bucket: string): Promise<number> {
    return this.buckets.get(bucket)?.objects.size ?? 0;
  }

  /** Waits for writes in flight. */
  async close(): Promise<void> {
    await Promise.all([...this.buckets.values()].flatMap((b) => [...b.locks.values()]));
  }

  private get bucketsDir(): string {
    return join(this.root, 'buckets');
  }

  private bucket(name: string): FsBucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw storageError('NoSuchBucket', name);
    return bucket;
  }

  private stored(b: FsBucket, key: string): StoredRecord {
    const stored = b.objects.get(key);
    if (!stored) throw storageError('NoSuchKey', `${b.record.name}/${key}`);
    return stored;
  }

  /** Asks for the record, commits it and retires the old bytes; on refusal drops the new bytes. */
  private async commitPut(
    b: FsBucket,
    key: string,
    data: string,
    finish: () => ObjectRecord | Promise<ObjectRecord>,
  ): Promise<ObjectRecord> {
    const old = b.objects.get(key);
    try {
      const record = ownRecord(key, await finish());
      await this.writeRecord(b, { data, record });
      if (old) await discard(dataFile(b.dir, old.data));
      return structuredClone(record);
    } catch (err) {
      if (b.objects.get(key)?.data !== data) await discard(dataFile(b.dir, data));
      throw err;
    }
  }

  /** Atomically replaces the key's record file, then the index entry. */
  private async writeRecord(b: FsBucket, stored: StoredRecord): Promise<void> {
    await replaceFile(recordFile(b.dir, stored.record.key), JSON.stringify(stored));
    b.objects.set(stored.record.key, stored);
    await syncDir(join(b.dir, 'objects'));
  }

  /** Runs `fn` after every earlier write to the same key has settled. */
  private async withLock<T>(b: FsBucket, key: string, fn: () => Promise<T>): Promise<T> {
    const run = (b.locks.get(key) ?? Promise.resolve()).then(fn);
    const tail = run.then(
      () => {},
      () => {},
    );
    b.locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (b.locks.get(key) === tail) b.locks.delete(key);
    }
  }

  private async load(): Promise<void> {
    await mkdir(this.bucketsDir, { recursive: true });
    for (const entry of await readdir(this.bucketsDir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !BUCKET_NAME.test(entry.name)) continue;
      const bucket = await loadBucket(join(this.bucketsDir, entry.name));
      if (bucket) this.buckets.set(entry.name, bucket);
    }
  }
}

/** Rebuilds one bucket, or removes its directory if its creation or deletion never committed. */
async function loadBucket(dir: string): Promise<FsBucket | undefined> {
  const record = await readJson<BucketRecord>(join(dir, 'bucket.json'));
  if (!record) {
    await rm(dir, { recursive: true, force: true });
    return undefined;
  }
  await removeTemps(dir);
  await removeTemps(join(dir, 'objects'));
  const dataIds = new Set(await readdir(join(dir, 'data')));
  const live = await loadRecords(dir, dataIds);
  for (const stored of live) dataIds.delete(stored.data);
  // What is left in data/ is unreferenced: uploads cut short, or bytes an overwrite replaced.
  await Promise.all([...dataIds].map((id) => rm(join(dir, 'data', id), { force: true })));
  return { record, dir, objects: KeyIndex.from(live.map((s) => [s.record.key, s])), locks: new Map() };
}

/** Reads every record file; drops (and deletes) records whose data file is missing. */
async function loadRecords(dir: string, dataIds: ReadonlySet<string>): Promise<StoredRecord[]> {
  const names = (await readdir(join(dir, 'objects'))).filter((n) => n.endsWith('.json'));
  const live: StoredRecord[] = [];
  for (let i = 0; i < names.length; i += LOAD_BATCH) {
    const batch = names.slice(i, i + LOAD_BATCH);
    const loaded = await Promise.all(batch.map((name) => loadRecord(join(dir, 'objects'), name)));
    for (const [j, stored] of loaded.entries()) {
      if (dataIds.has(stored.data)) live.push(stored);
      else await rm(join(dir, 'objects', batch[j]!));
    }
  }
  return live;
}

async function loadRecord(objectsDir: string, name: string): Promise<StoredRecord> {
  const path = join(objectsDir, name);
  const stored = JSON.parse(await readFile(path, 'utf8')) as Partial<StoredRecord> | null;
  // A record naming a path outside data/, or filed under another key's name, is not ours.
  const key = stored?.record?.key;
  if (!DATA_ID.test(String(stored?.data)) || typeof key !== 'string' || `${hashKey(key)}.json` !== name) {
    throw new Error(`corrupt object record ${path}`);
  }
  return stored as StoredRecord;
}

/** Streams `body` into data/<id>.tmp, makes it durable, then names it data/<id>. */
async function writeData(dataDir: string, body: BodySource): Promise<{ data: string; digest: WriteDigest }> {
  const data = randomBytes(16).toString('hex');
  const final = join(dataDir, data);
  const temp = `${final}.tmp`;
  try {
    const file = await open(temp, 'wx');
    let digest: WriteDigest;
    try {
      // node:crypto's native MD5 makes streamed 256 MiB writes ~1.8x faster than the JS one.
      digest = await digestBody(body, (chunk) => writeAll(file, chunk), createHash('md5'));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, final);
    await syncDir(dataDir); // the record about to name this file must never outlive it
    return { data, digest };
  } catch (err) {
    await Promise.all([rm(temp, { force: true }), rm(final, { force: true })]);
    throw err;
  }
}

async function writeAll(file: FileHandle, chunk: Uint8Array): Promise<void> {
  for (let done = 0; done < chunk.byteLength; ) {
    done += (await file.write(chunk, done, chunk.byteLength - done)).bytesWritten;
  }
}

/** Streams bytes [from, to) of an open file, closing it when done, failed or cancelled. */
function streamFile(file: FileHandle, from: number, to: number): ReadableStream<Uint8Array> {
  let position = from;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (position < to) {
          const buffer = new Uint8Array(Math.min(READ_PIECE, to - position));
          const { bytesRead } = await file.read(buffer, 0, buffer.byteLength, position);
          if (bytesRead === 0) throw new Error('data file is shorter than its record');
          position += bytesRead;
          controller.enqueue(buffer.subarray(0, bytesRead));
        }
        if (position >= to) {
          await file.close();
          controller.close();
        }
      } catch (err) {
        await file.close().catch(() => {});
        throw err;
      }
    },
    cancel: () => file.close(),
  });
}

/** Writes `text` to a temp file, fsyncs it and renames it over `path` (atomic replace). */
async function replaceFile(path: string, text: string): Promise<void> {
  const temp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  try {
    const file = await open(temp, 'wx');
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Makes renames and unlinks in `dir` durable. Windows cannot fsync a directory (nor needs to). */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes a file no record refers to any more; if that fails, the next open retries. */
async function discard(path: string): Promise<void> {
  await rm(path, { force: true }).catch(() => {});
}

async function removeTemps(dir: string): Promise<void> {
  const temps = (await readdir(dir)).filter((name) => name.endsWith('.tmp'));
  await Promise.all(temps.map((name) => rm(join(dir, name), { force: true })));
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/** File name for a key. Hashing UTF-16 code units, not UTF-8, keeps keys with lone surrogates apart. */
function hashKey(key: string): string {
  return createHash('sha256').update(Buffer.from(key, 'utf16le')).digest('hex');
}

function recordFile(bucketDir: string, key: string): string {
  return join(bucketDir, 'objects', `${hashKey(key)}.json`);
}

function dataFile(bucketDir: string, data: string): string {
  return join(bucketDir, 'data', data);
}

function errorCode(err: unknown): unknown {
  return (err as { code?: unknown } | null)?.code;
}

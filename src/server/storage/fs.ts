// Durable store on a local directory (Node only). Layout under the root:
//   buckets/<bucket>/bucket.json                        the BucketRecord
//   buckets/<bucket>/objects/<sha256>.json              { versions } of one key (name hashes the key)
//   buckets/<bucket>/data/<id>                          bytes: one segment of an object, or one part
//   buckets/<bucket>/uploads/<uploadId>/upload.json     an upload in progress (the UploadRecord)
//   buckets/<bucket>/uploads/<uploadId>/part-<n>.json   { data, part } for its part n
// An object version's bytes are the concatenation of its segments (data files, each read only
// up to the size its record gives): a multipart completion adopts the part files as they are,
// and an append writes past the end of the object's last file. No byte is written twice.
// Data is made durable (fsync) before the JSON that names it; every JSON change is write-temp,
// fsync, rename, and that rename (or removal) is the commit point. Files no committed JSON
// refers to are garbage and are removed on open.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DataFiles,
  readdirIfAny,
  readJson,
  removeTemps,
  replaceFile,
  streamSegments,
  syncDir,
  writeAt,
  writeData,
  type Segment,
} from './fs-files.js';
import { IndexedStorage, type IndexedBucket } from './indexed.js';
import { KeyIndex } from './key-index.js';
import {
  checkPartNumber,
  checkRange,
  checkUploadId,
  currentObject,
  isUploadId,
  KeyedQueue,
  missingPart,
  ownMarker,
  ownPart,
  ownRecord,
  placeVersion,
  readableVersion,
  recordTarget,
  withoutVersion,
} from './semantics.js';
import {
  type BodySource,
  type BucketRecord,
  type ByteRange,
  type ExtendedStorage,
  type ObjectRecord,
  type PartRecord,
  type UploadRecord,
  type WriteDigest,
  type WriteOptions,
} from './types.js';

const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const DATA_ID = /^[0-9a-f]{32}$/;
const PART_FILE = /^part-([1-9][0-9]{0,15})\.json$/;
/** Record files read at once while opening. */
const LOAD_BATCH = 64;

/** One version of a key as `objects/<sha256>.json` holds it. */
interface FsVersion {
  record: ObjectRecord;
  /** Empty for a delete marker. */
  segments: Segment[];
  /** The upload this version completed: opening after a crash finishes that upload's removal. */
  upload?: string;
}

interface FsPart {
  part: PartRecord;
  data: string;
}

interface FsUpload {
  record: UploadRecord;
  parts: Map<number, FsPart>;
}

interface FsBucket extends IndexedBucket<FsVersion, FsUpload> {
  dir: string;
}

export class FsStorage extends IndexedStorage<FsVersion, FsUpload, FsBucket> implements ExtendedStorage {
  private readonly dataFiles = new DataFiles();

  private constructor(readonly root: string) {
    super();
  }

  /** Opens (creating if needed) a store, rebuilding its index and removing crash leftovers. */
  static async open(root: string): Promise<FsStorage> {
    const storage = new FsStorage(root);
    await storage.load();
    return storage;
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
    else this.buckets.set(bucket.name, newBucket(record, dir, KeyIndex.empty(), new Map()));
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

  // -- objects and versions --

  async putObjectVersioned(
    bucket: string,
    key: string,
    body: BodySource,
    finish: (digest: WriteDigest) => ObjectRecord | Promise<ObjectRecord>,
    options: WriteOptions,
  ): Promise<ObjectRecord> {
    const b = this.bucket(bucket);
    // Bytes stream in parallel with other writers; only the commit waits for the key.
    const { segment, digest } = await writeData(join(b.dir, 'data'), body);
    const commit = async (): Promise<ObjectRecord> => {
      const record = ownRecord(key, await finish(digest), digest.size);
      const versions = b.objects.get(key) ?? [];
      await this.commitKey(b, key, versions, placeVersion(versions, { record, segments: [segment] }, options.versioning));
      return structuredClone(record);
    };
    return this.orDiscard(b, segment.id, () => b.keyQueue.run(key, commit), () => keyUses(b, key, segment.id));
  }

  async putDeleteMarker(bucket: string, marker: ObjectRecord, options: WriteOptions): Promise<void> {
    const b = this.bucket(bucket);
    const record = ownMarker(marker);
    await b.keyQueue.run(record.key, async () => {
      const versions = b.objects.get(record.key) ?? [];
      await this.commitKey(b, record.key, versions, placeVersion(versions, { record, segments: [] }, options.versioning));
    });
  }

  async updateObjectRecord(bucket: string, record: ObjectRecord): Promise<void> {
    const b = this.bucket(bucket);
    const next = structuredClone(record);
    await b.keyQueue.run(record.key, async () => {
      const versions = b.objects.get(record.key) ?? [];
      const target = recordTarget(versions, next, `${bucket}/${record.key}`);
      const updated = versions.map((v) => (v === target ? { ...v, record: next } : v));
      await this.commitKey(b, record.key, versions, updated);
    });
  }

  async deleteObject(bucket: string, key: string): Promise<boolean> {
    const b = this.buckets.get(bucket);
    if (!b) return false;
    return b.keyQueue.run(key, async () => {
      const versions = b.objects.get(key);
      if (!versions) return false;
      await this.commitKey(b, key, versions, []);
      return true;
    });
  }

  async deleteObjectVersion(bucket: string, key: string, versionId: string): Promise<boolean> {
    const b = this.buckets.get(bucket);
    if (!b) return false;
    return b.keyQueue.run(key, async () => {
      const versions = b.objects.get(key) ?? [];
      const rest = withoutVersion(versions, versionId);
      if (rest.length === versions.length) return false;
      await this.commitKey(b, key, versions, rest);
      return true;
    });
  }

  async readObjectVersion(
    bucket: string,
    key: string,
    versionId: string | undefined,
    range?: ByteRange,
  ): Promise<ReadableStream<Uint8Array>> {
    const b = this.bucket(bucket);
    const { record, segments } = readableVersion(b.objects.get(key), versionId, `${bucket}/${key}`);
    if (range) checkRange(range, record.size);
    const files = segments.map((s) => ({ path: dataFile(b.dir, s.id), size: s.size }));
    // Held from the lookup on, so an overwrite committed meanwhile cannot delete them under us.
    const release = this.dataFiles.hold(files.map((f) => f.path));
    return streamSegments(files, range?.start ?? 0, range ? range.end + 1 : record.size, release);
  }

  // -- appendable objects --

  async appendObject(
    bucket: string,
    key: string,
    body: BodySource,
    finish: (digest: WriteDigest, previous: ObjectRecord | undefined) => ObjectRecord | Promise<ObjectRecord>,
  ): Promise<ObjectRecord> {
    const b = this.bucket(bucket);
    // The bytes go where the object ends, so they are written holding the key.
    return b.keyQueue.run(key, async () => {
      const versions = b.objects.get(key) ?? [];
      const previous = currentObject(versions);
      const tail = previous && ownTail(versions, previous);
      const commit = async (digest: WriteDigest, segments: Segment[]): Promise<ObjectRecord> => {
        const size = (previous?.record.size ?? 0) + digest.size;
        const record = ownRecord(key, await finish(digest, previous && structuredClone(previous.record)), size);
        // Appending extends the current version in place; OSS keeps no version per append.
        const entry = { record, segments };
        await this.commitKey(b, key, versions, placeVersion(previous ? versions.slice(1) : versions, entry, 'enabled'));
        return structuredClone(record);
      };
      if (!tail) {
        const { segment, digest } = await writeData(join(b.dir, 'data'), body);
        const segments = [...(previous?.segments ?? []), segment];
        return this.orDiscard(b, segment.id, () => commit(digest, segments), () => keyUses(b, key, segment.id));
      }
      // Past the committed end of its last file, which no other version reads: the record
      // still says where the object ends, so bytes there are invisible until the commit.
      const path = dataFile(b.dir, tail.id);
      try {
        const digest = await writeAt(path, tail.size, body);
        return await commit(digest, [...previous.segments.slice(0, -1), { id: tail.id, size: tail.size + digest.size }]);
      } catch (err) {
        if (b.objects.get(key) === versions) await truncate(path, tail.size).catch(() => {});
        throw err;
      }
    });
  }

  // -- multipart uploads --

  async createUpload(bucket: string, upload: UploadRecord): Promise<void> {
    checkUploadId(upload.uploadId);
    const b = this.bucket(bucket);
    const record = structuredClone(upload);
    await b.uploadQueue.run(upload.uploadId, async () => {
      if (b.uploads.has(upload.uploadId)) throw new Error(`upload ${upload.uploadId} exists`);
      const dir = uploadDir(b, upload.uploadId);
      // Whatever sits under an id nobody holds is a leftover of a failed removal.
      await rm(dir, { recursive: true, force: true });
      const created = await mkdir(dir, { recursive: true });
      await replaceFile(join(dir, 'upload.json'), JSON.stringify(record));
      await syncDir(dir);
      await syncDir(join(b.dir, 'uploads'));
      if (created !== dir) await syncDir(b.dir); // uploads/ itself is new
      b.uploads.set(upload.uploadId, { record, parts: new Map() });
    });
  }

  async putPart(
    bucket: string,
    uploadId: string,
    partNumber: number,
    body: BodySource,
    finish: (digest: WriteDigest) => PartRecord | Promise<PartRecord>,
  ): Promise<PartRecord> {
    checkPartNumber(partNumber);
    const b = this.bucket(bucket);
    this.upload(b, uploadId); // fail before taking the body
    const { segment, digest } = await writeData(join(b.dir, 'data'), body);
    const commit = async (): Promise<PartRecord> => {
      const upload = this.upload(b, uploadId);
      const part = ownPart(partNumber, await finish(digest), digest.size);
      const stored = { data: segment.id, part: { ...part, md5: Buffer.from(part.md5).toString('hex') } };
      await replaceFile(partFile(b, uploadId, partNumber), JSON.stringify(stored));
      const old = upload.parts.get(partNumber);
      upload.parts.set(partNumber, { part, data: segment.id });
      await syncDir(uploadDir(b, uploadId));
      if (old) await this.dataFiles.discard(dataFile(b.dir, old.data));
      return structuredClone(part);
    };
    const kept = () => b.uploads.get(uploadId)?.parts.get(partNumber)?.data === segment.id;
    return this.orDiscard(b, segment.id, () => b.uploadQueue.run(uploadId, commit), kept);
  }

  async completeUpload(
    bucket: string,
    uploadId: string,
    partNumbers: number[],
    finish: (parts: PartRecord[]) => ObjectRecord | Promise<ObjectRecord>,
    options: WriteOptions,
  ): Promise<ObjectRecord> {
    const b = this.bucket(bucket);
    return b.uploadQueue.run(uploadId, async () => {
      const upload = this.upload(b, uploadId);
      const key = upload.record.key;
      const chosen = partNumbers.map((n) => upload.parts.get(n) ?? missingPart(uploadId, n));
      return b.keyQueue.run(key, async () => {
        const size = chosen.reduce((sum, p) => sum + p.part.size, 0);
        const record = ownRecord(key, await finish(chosen.map((p) => structuredClone(p.part))), size);
        const segments = chosen.map((p) => ({ id: p.data, size: p.part.size }));
        const versions = b.objects.get(key) ?? [];
        // The part files become the object's segments as they are; this commit is the switch.
        await this.commitKey(b, key, versions, placeVersion(versions, { record, segments, upload: uploadId }, options.versioning));
        await this.dropUpload(b, upload, new Set(segments.map((s) => s.id)));
        return structuredClone(record);
      });
    });
  }

  async abortUpload(bucket: string, uploadId: string): Promise<boolean> {
    const b = this.buckets.get(bucket);
    if (!b) return false;
    return b.uploadQueue.run(uploadId, async () => {
      const upload = b.uploads.get(uploadId);
      if (!upload) return false;
      await this.dropUpload(b, upload, new Set());
      return true;
    });
  }

  /** Waits for writes in flight. */
  async close(): Promise<void> {
    await Promise.all([...this.buckets.values()].flatMap((b) => [b.keyQueue.idle(), b.uploadQueue.idle()]));
  }

  private get bucketsDir(): string {
    return join(this.root, 'buckets');
  }

  /**
   * Commits the key's new version list (its file replaced, or removed when empty), then
   * retires the data files only the old list used.
   */
  private async commitKey(b: FsBucket, key: string, before: FsVersion[], after: FsVersion[]): Promise<void> {
    const file = recordFile(b.dir, key);
    if (after.length) {
      await replaceFile(file, JSON.stringify({ versions: after }));
      b.objects.set(key, after);
    } else {
      await rm(file);
      b.objects.delete(key);
    }
    await syncDir(join(b.dir, 'objects'));
    const kept = new Set(segmentIds(after));
    const retired = new Set(segmentIds(before).filter((id) => !kept.has(id)));
    await Promise.all([...retired].map((id) => this.dataFiles.discard(dataFile(b.dir, id))));
  }

  /** Removes an upload (its upload.json first: from then on it is gone) and the part files not in `keep`. */
  private async dropUpload(b: FsBucket, upload: FsUpload, keep: ReadonlySet<string>): Promise<void> {
    const dir = uploadDir(b, upload.record.uploadId);
    b.uploads.delete(upload.record.uploadId);
    await rm(join(dir, 'upload.json'));
    await syncDir(dir);
    await rm(dir, { recursive: true, force: true });
    const dropped = [...upload.parts.values()].map((p) => p.data).filter((id) => !keep.has(id));
    await Promise.all(dropped.map((id) => this.dataFiles.discard(dataFile(b.dir, id))));
  }

  /** Runs a commit of freshly written data; if the commit fails without adopting it, deletes it. */
  private async orDiscard<T>(b: FsBucket, id: string, commit: () => Promise<T>, adopted: () => boolean): Promise<T> {
    try {
      return await commit();
    } catch (err) {
      if (!adopted()) await this.dataFiles.discard(dataFile(b.dir, id));
      throw err;
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

function newBucket(record: BucketRecord, dir: string, objects: KeyIndex<FsVersion[]>, uploads: Map<string, FsUpload>): FsBucket {
  return { record, dir, objects, uploads, keyQueue: new KeyedQueue(), uploadQueue: new KeyedQueue() };
}

/** The last data file of `current` when no other version of the key reads it: appends may extend it. */
function ownTail(versions: readonly FsVersion[], current: FsVersion): Segment | undefined {
  const tail = current.segments.at(-1);
  const shared = tail && versions.some((v) => v !== current && v.segments.some((s) => s.id === tail.id));
  return shared ? undefined : tail;
}

function keyUses(b: FsBucket, key: string, id: string): boolean {
  return segmentIds(b.objects.get(key) ?? []).includes(id);
}

function segmentIds(versions: readonly FsVersion[]): string[] {
  return versions.flatMap((v) => v.segments.map((s) => s.id));
}

// -- opening --

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
  const objects = await loadObjects(dir, dataIds);
  const completed = new Set(objects.flatMap(([, versions]) => versions.flatMap((v) => (v.upload ? [v.upload] : []))));
  const uploads = await loadUploads(dir, dataIds, completed);
  // What is left in data/ is unreferenced: writes cut short, bytes an overwrite replaced,
  // parts of uploads that were aborted or completed without them.
  for (const [, versions] of objects) for (const id of segmentIds(versions)) dataIds.delete(id);
  for (const upload of uploads.values()) for (const part of upload.parts.values()) dataIds.delete(part.data);
  await Promise.all([...dataIds].map((id) => rm(join(dir, 'data', id), { force: true })));
  return newBucket(record, dir, KeyIndex.from(objects), uploads);
}

/** Reads every record file; drops versions whose data files are missing (and keys left with none). */
async function loadObjects(dir: string, dataIds: ReadonlySet<string>): Promise<[string, FsVersion[]][]> {
  const objectsDir = join(dir, 'objects');
  const names = (await readdir(objectsDir)).filter((n) => n.endsWith('.json'));
  const live: [string, FsVersion[]][] = [];
  for (let i = 0; i < names.length; i += LOAD_BATCH) {
    const batch = names.slice(i, i + LOAD_BATCH);
    const loaded = await Promise.all(batch.map((name) => loadVersions(objectsDir, name)));
    for (const [j, versions] of loaded.entries()) {
      const path = join(objectsDir, batch[j]!);
      const whole = versions.filter((v) => v.segments.every((s) => dataIds.has(s.id)));
      if (whole.length === 0) await rm(path);
      else if (whole.length < versions.length) await replaceFile(path, JSON.stringify({ versions: whole }));
      if (whole.length) live.push([whole[0]!.record.key, whole]);
    }
  }
  return live;
}

async function loadVersions(objectsDir: string, name: string): Promise<FsVersion[]> {
  const path = join(objectsDir, name);
  const stored = Object(JSON.parse(await readFile(path, 'utf8'))) as { versions?: unknown; data?: unknown; record?: ObjectRecord };
  // Stores written before versions held `{ data, record }`: one version of one segment.
  const versions =
    'data' in stored ? [{ record: stored.record, segments: [{ id: stored.data, size: stored.record?.size }] }] : stored.versions;
  // A record naming a path outside data/, or filed under another key's name, is not ours.
  if (!isVersionList(versions, name)) throw new Error(`corrupt object record ${path}`);
  return versions;
}

function isVersionList(versions: unknown, name: string): versions is FsVersion[] {
  return Array.isArray(versions) && versions.length > 0 && versions.every((v) => isVersion(v, name));
}

function isVersion(version: unknown, name: string): version is FsVersion {
  const { record, segments, upload } = Object(version) as Partial<FsVersion>;
  if (typeof record?.key !== 'string' || `${hashKey(record.key)}.json` !== name) return false;
  if (!Array.isArray(segments) || !segments.every(isSegment)) return false;
  if (upload !== undefined && !isUploadId(upload)) return false;
  const size = segments.reduce((sum, s) => sum + s.size, 0);
  return record.deleteMarker ? segments.length === 0 : size === record.size;
}

function isSegment(segment: unknown): segment is Segment {
  const { id, size } = Object(segment) as Partial<Segment>;
  return DATA_ID.test(String(id)) && Number.isSafeInteger(size) && size! >= 0;
}

/**
 * Rebuilds the uploads in progress. Directories without upload.json (creation or removal cut
 * short) and uploads a committed version says it completed are removed; so are parts whose
 * data file is missing.
 */
async function loadUploads(dir: string, dataIds: ReadonlySet<string>, completed: ReadonlySet<string>): Promise<Map<string, FsUpload>> {
  const uploadsDir = join(dir, 'uploads');
  const uploads = new Map<string, FsUpload>();
  for (const uploadId of await readdirIfAny(uploadsDir)) {
    if (!isUploadId(uploadId)) continue; // not ours to judge
    const path = join(uploadsDir, uploadId);
    const record = await readJson<UploadRecord>(join(path, 'upload.json'));
    if (!record || completed.has(uploadId)) {
      await rm(path, { recursive: true, force: true });
      continue;
    }
    if (record.uploadId !== uploadId) throw new Error(`corrupt upload record ${path}`);
    await removeTemps(path);
    const parts = new Map<number, FsPart>();
    for (const name of await readdir(path)) {
      const partNumber = Number(PART_FILE.exec(name)?.[1]);
      if (!partNumber) continue;
      const part = await loadPart(join(path, name), partNumber);
      if (dataIds.has(part.data)) parts.set(partNumber, part);
      else await rm(join(path, name));
    }
    uploads.set(uploadId, { record, parts });
  }
  return uploads;
}

async function loadPart(path: string, partNumber: number): Promise<FsPart> {
  const { data, part } = Object(JSON.parse(await readFile(path, 'utf8'))) as { data?: unknown; part?: PartRecord & { md5: unknown } };
  if (!DATA_ID.test(String(data)) || part?.partNumber !== partNumber || !/^[0-9a-f]{32}$/.test(String(part.md5))) {
    throw new Error(`corrupt part record ${path}`);
  }
  return { data: String(data), part: { ...part, md5: new Uint8Array(Buffer.from(String(part.md5), 'hex')) } };
}

/** File name for a key. Hashing UTF-16 code units, not UTF-8, keeps keys with lone surrogates apart. */
function hashKey(key: string): string {
  return createHash('sha256').update(Buffer.from(key, 'utf16le')).digest('hex');
}

function recordFile(bucketDir: string, key: string): string {
  return join(bucketDir, 'objects', `${hashKey(key)}.json`);
}

function dataFile(bucketDir: string, id: string): string {
  return join(bucketDir, 'data', id);
}

function uploadDir(b: FsBucket, uploadId: string): string {
  return join(b.dir, 'uploads', uploadId);
}

function partFile(b: FsBucket, uploadId: string, partNumber: number): string {
  return join(uploadDir(b, uploadId), `part-${partNumber}.json`);
}

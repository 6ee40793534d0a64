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
import { IndexedStorage, type IndexedBucket, type IndexedPart, type IndexedUpload, type Owner, type Stored } from './indexed.js';
import { KeyIndex } from './key-index.js';
import { currentObject, isUploadId, KeyedQueue } from './semantics.js';
import type { BodySource, BucketRecord, ExtendedStorage, ObjectRecord, PartRecord, UploadRecord, WriteDigest } from './types.js';

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

type FsPart = IndexedPart<Segment>;
type FsUpload = IndexedUpload<Segment>;

interface FsBucket extends IndexedBucket<FsVersion, Segment> {
  dir: string;
}

/** A commit is a JSON file replaced (write-temp, fsync, rename); bytes go to data files first. */
export class FsStorage extends IndexedStorage<Segment, FsVersion, FsBucket> implements ExtendedStorage {
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

  async deleteBucket(name: string): Promise<void> {
    const bucket = this.buckets.get(name);
    if (!bucket) return;
    // Removing bucket.json commits; a directory without one is cleared on the next open.
    await rm(join(bucket.dir, 'bucket.json'));
    this.buckets.delete(name);
    await rm(bucket.dir, { recursive: true, force: true });
    await syncDir(this.bucketsDir);
  }

  /** Waits for writes in flight. */
  async close(): Promise<void> {
    await Promise.all([...this.buckets.values()].flatMap((b) => [b.keyQueue.idle(), b.uploadQueue.idle()]));
  }

  // -- the primitives of IndexedStorage --

  protected async saveBucket(record: BucketRecord): Promise<void> {
    if (!BUCKET_NAME.test(record.name)) throw new Error(`invalid bucket name ${JSON.stringify(record.name)}`);
    const dir = join(this.bucketsDir, record.name);
    await mkdir(join(dir, 'objects'), { recursive: true });
    await mkdir(join(dir, 'data'), { recursive: true });
    await replaceFile(join(dir, 'bucket.json'), JSON.stringify(record));
    await syncDir(dir);
    await syncDir(this.bucketsDir);
  }

  protected emptyBucket(record: BucketRecord): FsBucket {
    return newBucket(record, join(this.bucketsDir, record.name), KeyIndex.empty(), new Map());
  }

  protected async store(b: FsBucket, body: BodySource): Promise<Stored<Segment>> {
    const { segment, digest } = await writeData(join(b.dir, 'data'), body);
    return { data: segment, digest };
  }

  protected async discard(b: FsBucket, segment: Segment, owner: Owner): Promise<void> {
    const adopted =
      'key' in owner
        ? keyUses(b, owner.key, segment.id)
        : b.uploads.get(owner.uploadId)?.parts.get(owner.partNumber)?.data.id === segment.id;
    if (!adopted) await this.dataFiles.discard(dataFile(b.dir, segment.id));
  }

  protected version(record: ObjectRecord, segments: readonly Segment[], upload?: string): FsVersion {
    return upload === undefined ? { record, segments: [...segments] } : { record, segments: [...segments], upload };
  }

  /**
   * Commits the key's new version list (its file replaced, or removed when empty), then
   * retires the data files only the old list used.
   */
  protected async commit(b: FsBucket, key: string, before: FsVersion[], after: FsVersion[]): Promise<void> {
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

  protected read(b: FsBucket, version: FsVersion, from: number, to: number): ReadableStream<Uint8Array> {
    const files = version.segments.map((s) => ({ path: dataFile(b.dir, s.id), size: s.size }));
    // Held from the lookup on, so an overwrite committed meanwhile cannot delete them under us.
    const release = this.dataFiles.hold(files.map((f) => f.path));
    return streamSegments(files, from, to, release);
  }

  /** The bytes go where the object ends, so they are written holding the key. */
  protected async append(
    b: FsBucket, key: string, body: BodySource,
    commit: (versions: FsVersion[], previous: FsVersion | undefined, digest: WriteDigest, data: readonly Segment[]) => Promise<ObjectRecord>,
  ): Promise<ObjectRecord> {
    return b.keyQueue.run(key, async () => {
      const versions = b.objects.get(key) ?? [];
      const previous = currentObject(versions);
      const tail = previous && ownTail(versions, previous);
      if (!tail) {
        const { data, digest } = await this.store(b, body);
        return this.orDiscard(b, data, { key }, () => commit(versions, previous, digest, [...(previous?.segments ?? []), data]));
      }
      // Past the committed end of its last file, which no other version reads: the record
      // still says where the object ends, so bytes there are invisible until the commit.
      const path = dataFile(b.dir, tail.id);
      try {
        const digest = await writeAt(path, tail.size, body);
        return await commit(versions, previous, digest, [...previous.segments.slice(0, -1), { id: tail.id, size: tail.size + digest.size }]);
      } catch (err) {
        if (b.objects.get(key) === versions) await truncate(path, tail.size).catch(() => {});
        throw err;
      }
    });
  }

  protected async openUpload(b: FsBucket, record: UploadRecord): Promise<void> {
    const dir = uploadDir(b, record.uploadId);
    // Whatever sits under an id nobody holds is a leftover of a failed removal.
    await rm(dir, { recursive: true, force: true });
    const created = await mkdir(dir, { recursive: true });
    await replaceFile(join(dir, 'upload.json'), JSON.stringify(record));
    await syncDir(dir);
    await syncDir(join(b.dir, 'uploads'));
    if (created !== dir) await syncDir(b.dir); // uploads/ itself is new
  }

  protected async commitPart(b: FsBucket, upload: FsUpload, entry: FsPart): Promise<void> {
    const { uploadId } = upload.record;
    const { part, data } = entry;
    const stored = { data: data.id, part: { ...part, md5: Buffer.from(part.md5).toString('hex') } };
    await replaceFile(partFile(b, uploadId, part.partNumber), JSON.stringify(stored));
    const old = upload.parts.get(part.partNumber);
    upload.parts.set(part.partNumber, entry);
    await syncDir(uploadDir(b, uploadId));
    if (old) await this.dataFiles.discard(dataFile(b.dir, old.data.id));
  }

  /** Removes an upload (its upload.json first: from then on it is gone) and the part files not adopted. */
  protected async dropUpload(b: FsBucket, upload: FsUpload, adopted: readonly FsPart[]): Promise<void> {
    const dir = uploadDir(b, upload.record.uploadId);
    b.uploads.delete(upload.record.uploadId);
    await rm(join(dir, 'upload.json'));
    await syncDir(dir);
    await rm(dir, { recursive: true, force: true });
    const keep = new Set(adopted.map((p) => p.data.id));
    const dropped = [...upload.parts.values()].map((p) => p.data.id).filter((id) => !keep.has(id));
    await Promise.all(dropped.map((id) => this.dataFiles.discard(dataFile(b.dir, id))));
  }

  private get bucketsDir(): string {
    return join(this.root, 'buckets');
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
  for (const upload of uploads.values()) for (const part of upload.parts.values()) dataIds.delete(part.data.id);
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
      if (dataIds.has(part.data.id)) parts.set(partNumber, part);
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
  return { data: { id: String(data), size: part.size }, part: { ...part, md5: new Uint8Array(Buffer.from(String(part.md5), 'hex')) } };
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

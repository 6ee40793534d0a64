// What both stores share: an in-memory index of buckets, key versions and uploads, every read
// that only consults it, and every write as a template over a few primitives. A store says how
// it keeps bytes (`store`, `discard`, `read`, `append`) and how a change of the index becomes
// durable (`commit`, `commitPart`, `openUpload`, `dropUpload`, `saveBucket`); the order of
// steps, the checks and the locking are here, once.
import type { KeyIndex } from './key-index.js';
import {
  checkPartNumber,
  checkRange,
  checkUploadId,
  compareUploads,
  currentObject,
  findVersion,
  frozen,
  missingPart,
  ownMarker,
  ownPart,
  ownRecord,
  placeVersion,
  readableVersion,
  recordTarget,
  storageError,
  withoutVersion,
  type KeyedQueue,
} from './semantics.js';
import {
  compareUtf8,
  type BodySource,
  type BucketRecord,
  type ByteRange,
  type ListOptions,
  type ObjectRecord,
  type PartRecord,
  type UploadRecord,
  type WriteDigest,
  type WriteOptions,
} from './types.js';

export interface IndexedVersion {
  record: ObjectRecord;
}

/** A stored part: its record and the bytes one `store` kept for it. */
export interface IndexedPart<D> {
  part: PartRecord;
  data: D;
}

export interface IndexedUpload<D> {
  record: UploadRecord;
  parts: Map<number, IndexedPart<D>>;
}

export interface IndexedBucket<V extends IndexedVersion, D> {
  record: BucketRecord;
  /** Per key its versions, newest first; a key has at least one. */
  objects: KeyIndex<V[]>;
  uploads: Map<string, IndexedUpload<D>>;
  /** Commits to one key run one after another; so do those to one upload. */
  keyQueue: KeyedQueue;
  uploadQueue: KeyedQueue;
}

/** Bytes a store has kept for one write (not yet referenced by the index), and what they measured. */
export interface Stored<D> {
  data: D;
  digest: WriteDigest;
}

/** Which index entry a write's bytes were for: a key, or one part of an upload. */
export type Owner = { key: string } | { uploadId: string; partNumber: number };

/**
 * The store template. `D` is what one `store` keeps (memory: chunks; fs: a data file), `V` a
 * version of a key (its record and its bytes), `B` a bucket. Records handed out are copies or frozen.
 */
export abstract class IndexedStorage<D, V extends IndexedVersion, B extends IndexedBucket<V, D>> {
  protected readonly buckets = new Map<string, B>();

  // -- the primitives each store provides --

  /** Makes a bucket record durable (it may be new). */
  protected abstract saveBucket(record: BucketRecord): Promise<void>;
  /** The index entry of a bucket just created. */
  protected abstract emptyBucket(record: BucketRecord): B;
  /** Takes a body's bytes, measuring them; nothing refers to them yet. */
  protected abstract store(b: B, body: BodySource): Promise<Stored<D>>;
  /** Drops the bytes of a write that failed, unless the index came to refer to them for `owner` anyway. */
  protected abstract discard(b: B, data: D, owner: Owner): Promise<void>;
  /** A version whose bytes are the concatenation of `data` (the upload it completed, if any). */
  protected abstract version(record: ObjectRecord, data: readonly D[], upload?: string): V;
  /** Makes `after` the key's versions (none: the key is gone), then lets go of bytes only `before` used. */
  protected abstract commit(b: B, key: string, before: V[], after: V[]): Promise<void>;
  /** Bytes [from, to) of a version. */
  protected abstract read(b: B, version: V, from: number, to: number): ReadableStream<Uint8Array>;
  /**
   * Places an append's bytes after the current version's and hands them to `commit` (which
   * builds and commits the new version) while holding the key.
   */
  protected abstract append(
    b: B, key: string, body: BodySource,
    commit: (versions: V[], previous: V | undefined, digest: WriteDigest, data: readonly D[]) => Promise<ObjectRecord>,
  ): Promise<ObjectRecord>;
  /** Makes a new upload durable. */
  protected abstract openUpload(b: B, record: UploadRecord): Promise<void>;
  /** Stores (or replaces) a part of an upload, and lets go of the bytes of the part it replaces. */
  protected abstract commitPart(b: B, upload: IndexedUpload<D>, part: IndexedPart<D>): Promise<void>;
  /** Removes an upload from the index and lets go of its parts but those in `adopted`. */
  protected abstract dropUpload(b: B, upload: IndexedUpload<D>, adopted: readonly IndexedPart<D>[]): Promise<void>;

  // -- buckets --

  /** Create or replace a bucket record. */
  async putBucket(bucket: BucketRecord): Promise<void> {
    const record = structuredClone(bucket);
    await this.saveBucket(record);
    const existing = this.buckets.get(record.name);
    if (existing) existing.record = record;
    else this.buckets.set(record.name, this.emptyBucket(record));
  }

  /** Every bucket record, by name. */
  async listBuckets(): Promise<BucketRecord[]> {
    return [...this.buckets.values()].map((b) => frozen(b.record)).sort((a, b) => compareUtf8(a.name, b.name));
  }

  /** One bucket record, or undefined. */
  async getBucket(name: string): Promise<BucketRecord | undefined> {
    const bucket = this.buckets.get(name);
    return bucket && frozen(bucket.record);
  }

  /** The current version of a key unless it is a delete marker. */
  async getObject(bucket: string, key: string): Promise<ObjectRecord | undefined> {
    const current = currentObject(this.buckets.get(bucket)?.objects.get(key));
    return current && frozen(current.record);
  }

  /** The current version (delete markers included) or the given one. */
  async getObjectVersion(bucket: string, key: string, versionId?: string): Promise<ObjectRecord | undefined> {
    const versions = this.buckets.get(bucket)?.objects.get(key);
    const version = versions && findVersion(versions, versionId);
    return version && frozen(version.record);
  }

  /** Write an object in an unversioned bucket. */
  putObject(
    bucket: string, key: string, body: BodySource,
    finish: (digest: WriteDigest) => ObjectRecord | Promise<ObjectRecord>,
  ): Promise<ObjectRecord> {
    return this.putObjectVersioned(bucket, key, body, finish, { versioning: 'off' });
  }

  /** Bytes of the current version. */
  readObject(bucket: string, key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    return this.readObjectVersion(bucket, key, undefined, range);
  }

  /** Current versions that are not delete markers, in key order. */
  async *listObjects(bucket: string, options?: ListOptions): AsyncIterable<ObjectRecord> {
    const objects = this.buckets.get(bucket)?.objects;
    if (!objects) return;
    for (const [, versions] of objects.range(options)) {
      const current = currentObject(versions);
      if (current) yield frozen(current.record);
    }
  }

  /** Every version and delete marker, in key order, newest first per key. */
  async *listObjectVersions(bucket: string, options?: ListOptions): AsyncIterable<ObjectRecord> {
    const objects = this.buckets.get(bucket)?.objects;
    if (!objects) return;
    for (const [, versions] of objects.range(options)) {
      for (const version of versions) yield frozen(version.record);
    }
  }

  /** Keys with any version or marker. */
  async countObjects(bucket: string): Promise<number> {
    return this.buckets.get(bucket)?.objects.size ?? 0;
  }

  /** A multipart upload in progress, or undefined. */
  async getUpload(bucket: string, uploadId: string): Promise<UploadRecord | undefined> {
    const upload = this.buckets.get(bucket)?.uploads.get(uploadId);
    return upload && structuredClone(upload.record);
  }

  /** Uploads in progress, by key then initiation time. */
  async listUploads(bucket: string): Promise<UploadRecord[]> {
    const uploads = this.buckets.get(bucket)?.uploads.values() ?? [];
    return [...uploads].map((u) => structuredClone(u.record)).sort(compareUploads);
  }

  /** Parts stored so far, by part number. */
  async listParts(bucket: string, uploadId: string): Promise<PartRecord[]> {
    const upload = this.upload(this.bucket(bucket), uploadId);
    return [...upload.parts.values()].map((p) => structuredClone(p.part)).sort((x, y) => x.partNumber - y.partNumber);
  }

  // -- object writes --

  /** putObject with a versioning mode. */
  async putObjectVersioned(
    bucket: string,
    key: string,
    body: BodySource,
    finish: (digest: WriteDigest) => ObjectRecord | Promise<ObjectRecord>,
    options: WriteOptions,
  ): Promise<ObjectRecord> {
    const b = this.bucket(bucket);
    // Bytes stream in parallel with other writers; only the commit waits for the key.
    const { data, digest } = await this.store(b, body);
    const commit = async (): Promise<ObjectRecord> => {
      const record = ownRecord(key, await finish(digest), digest.size);
      const versions = b.objects.get(key) ?? [];
      await this.commit(b, key, versions, placeVersion(versions, this.version(record, [data]), options.versioning));
      return structuredClone(record);
    };
    return this.orDiscard(b, data, { key }, () => b.keyQueue.run(key, commit));
  }

  /** Add a delete marker as the current version. */
  async putDeleteMarker(bucket: string, marker: ObjectRecord, options: WriteOptions): Promise<void> {
    const b = this.bucket(bucket);
    const record = ownMarker(marker);
    await b.keyQueue.run(record.key, async () => {
      const versions = b.objects.get(record.key) ?? [];
      await this.commit(b, record.key, versions, placeVersion(versions, this.version(record, []), options.versioning));
    });
  }

  /** Replace the record of one version, keeping its bytes. */
  async updateObjectRecord(bucket: string, record: ObjectRecord): Promise<void> {
    const b = this.bucket(bucket);
    const next = structuredClone(record);
    await b.keyQueue.run(record.key, async () => {
      const versions = b.objects.get(record.key) ?? [];
      const target = recordTarget(versions, next, `${bucket}/${record.key}`);
      const updated = versions.map((v) => (v === target ? { ...v, record: next } : v));
      await this.commit(b, record.key, versions, updated);
    });
  }

  /** Every version of a key; false when there was none. */
  async deleteObject(bucket: string, key: string): Promise<boolean> {
    const b = this.buckets.get(bucket);
    if (!b) return false;
    return b.keyQueue.run(key, async () => {
      const versions = b.objects.get(key);
      if (!versions) return false;
      await this.commit(b, key, versions, []);
      return true;
    });
  }

  /** One version for good; the next newest becomes current. */
  async deleteObjectVersion(bucket: string, key: string, versionId: string): Promise<boolean> {
    const b = this.buckets.get(bucket);
    if (!b) return false;
    return b.keyQueue.run(key, async () => {
      const versions = b.objects.get(key) ?? [];
      const rest = withoutVersion(versions, versionId);
      if (rest.length === versions.length) return false;
      await this.commit(b, key, versions, rest);
      return true;
    });
  }

  /** Bytes of a version (current when versionId is undefined), whole or a range. */
  async readObjectVersion(
    bucket: string,
    key: string,
    versionId: string | undefined,
    range?: ByteRange,
  ): Promise<ReadableStream<Uint8Array>> {
    const b = this.bucket(bucket);
    const version = readableVersion(b.objects.get(key), versionId, `${bucket}/${key}`);
    if (range) checkRange(range, version.record.size);
    return this.read(b, version, range?.start ?? 0, range ? range.end + 1 : version.record.size);
  }

  /** Append to the current version's bytes (creating the object when absent). */
  async appendObject(
    bucket: string,
    key: string,
    body: BodySource,
    finish: (digest: WriteDigest, previous: ObjectRecord | undefined) => ObjectRecord | Promise<ObjectRecord>,
  ): Promise<ObjectRecord> {
    const b = this.bucket(bucket);
    return this.append(b, key, body, async (versions, previous, digest, data) => {
      const size = (previous?.record.size ?? 0) + digest.size;
      const record = ownRecord(key, await finish(digest, previous && structuredClone(previous.record)), size);
      // Appending extends the current version in place; OSS keeps no version per append.
      const entry = this.version(record, data);
      await this.commit(b, key, versions, placeVersion(previous ? versions.slice(1) : versions, entry, 'enabled'));
      return structuredClone(record);
    });
  }

  // -- multipart uploads --

  /** Register a multipart upload. */
  async createUpload(bucket: string, upload: UploadRecord): Promise<void> {
    checkUploadId(upload.uploadId);
    const b = this.bucket(bucket);
    const record = structuredClone(upload);
    await b.uploadQueue.run(upload.uploadId, async () => {
      if (b.uploads.has(upload.uploadId)) throw new Error(`upload ${upload.uploadId} exists`);
      await this.openUpload(b, record);
      b.uploads.set(upload.uploadId, { record, parts: new Map() });
    });
  }

  /** Store (or replace) one part. */
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
    const { data, digest } = await this.store(b, body);
    const commit = async (): Promise<PartRecord> => {
      const upload = this.upload(b, uploadId);
      const part = ownPart(partNumber, await finish(digest), digest.size);
      await this.commitPart(b, upload, { part, data });
      return structuredClone(part);
    };
    return this.orDiscard(b, data, { uploadId, partNumber }, () => b.uploadQueue.run(uploadId, commit));
  }

  /** Turn the listed parts (in this order) into the object and drop the upload. */
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
        const versions = b.objects.get(key) ?? [];
        // The parts' bytes become the object's as they are; this commit is the switch.
        const entry = this.version(record, chosen.map((p) => p.data), uploadId);
        await this.commit(b, key, versions, placeVersion(versions, entry, options.versioning));
        await this.dropUpload(b, upload, chosen);
        return structuredClone(record);
      });
    });
  }

  /** Drop an upload and its parts; false when absent. */
  async abortUpload(bucket: string, uploadId: string): Promise<boolean> {
    const b = this.buckets.get(bucket);
    if (!b) return false;
    return b.uploadQueue.run(uploadId, async () => {
      const upload = b.uploads.get(uploadId);
      if (!upload) return false;
      await this.dropUpload(b, upload, []);
      return true;
    });
  }

  /** Runs a commit of freshly stored bytes; if it fails, they go unless the index adopted them. */
  protected async orDiscard<T>(b: B, data: D, owner: Owner, commit: () => Promise<T>): Promise<T> {
    try {
      return await commit();
    } catch (err) {
      await this.discard(b, data, owner);
      throw err;
    }
  }

  protected bucket(name: string): B {
    const bucket = this.buckets.get(name);
    if (!bucket) throw storageError('NoSuchBucket', name);
    return bucket;
  }

  protected upload(b: B, uploadId: string): IndexedUpload<D> {
    const upload = b.uploads.get(uploadId);
    if (!upload) throw storageError('NoSuchUpload', `${b.record.name} upload ${uploadId}`);
    return upload;
  }
}

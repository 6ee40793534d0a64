// What both stores share: an in-memory index of buckets, key versions and uploads, and every
// read that only consults it. The stores differ in where bytes live and how writes commit.
import type { KeyIndex } from './key-index.js';
import { compareUploads, currentObject, findVersion, frozen, storageError, type KeyedQueue } from './semantics.js';
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

export interface IndexedUpload<P extends { part: PartRecord }> {
  record: UploadRecord;
  parts: Map<number, P>;
}

export interface IndexedBucket<V extends IndexedVersion, U> {
  record: BucketRecord;
  /** Per key its versions, newest first; a key has at least one. */
  objects: KeyIndex<V[]>;
  uploads: Map<string, U>;
  /** Commits to one key run one after another; so do those to one upload. */
  keyQueue: KeyedQueue;
  uploadQueue: KeyedQueue;
}

/** The index-only half of a store; records handed out are copies. */
export abstract class IndexedStorage<
  V extends IndexedVersion,
  U extends IndexedUpload<{ part: PartRecord }>,
  B extends IndexedBucket<V, U>,
> {
  protected readonly buckets = new Map<string, B>();

  /** putObject with a versioning mode; each store commits in its own way. */
  abstract putObjectVersioned(
    bucket: string, key: string, body: BodySource,
    finish: (digest: WriteDigest) => ObjectRecord | Promise<ObjectRecord>, options: WriteOptions,
  ): Promise<ObjectRecord>;

  /** Bytes of a version (current when versionId is undefined), whole or a range. */
  abstract readObjectVersion(bucket: string, key: string, versionId: string | undefined, range?: ByteRange): Promise<ReadableStream<Uint8Array>>;

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

  protected bucket(name: string): B {
    const bucket = this.buckets.get(name);
    if (!bucket) throw storageError('NoSuchBucket', name);
    return bucket;
  }

  protected upload(b: B, uploadId: string): U {
    const upload = b.uploads.get(uploadId);
    if (!upload) throw storageError('NoSuchUpload', `${b.record.name} upload ${uploadId}`);
    return upload;
  }
}

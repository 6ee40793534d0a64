// The storage seam of the local server. Op handlers speak only this interface, so the same
// server runs on memory (tests, `--memory`) or on disk (durable `--dir`).

/** What the storage learned while it wrote an object's bytes. */
export interface WriteDigest {
  size: number;
  /** Raw 16-byte MD5 of the content. */
  md5: Uint8Array;
  /** CRC-64/XZ of the content, unsigned decimal string (OSS's x-oss-hash-crc64ecma). */
  crc64: string;
}

export type ObjectType = 'Normal' | 'Appendable' | 'Multipart' | 'Symlink';

/** Everything the server remembers about one object (one version of it). */
export interface ObjectRecord {
  key: string;
  size: number;
  /** Quoted ETag exactly as sent in headers, e.g. `"5B3C1A2E053D763E1B002CC607C5A0FE"`. */
  etag: string;
  /** Milliseconds since the epoch. */
  lastModified: number;
  crc64: string;
  contentType: string;
  /** Stored standard headers (lower-case names): cache-control, content-disposition,
   * content-encoding, content-language, expires. */
  headers: Record<string, string>;
  /** User metadata, lower-case names without the `x-oss-meta-` prefix. */
  meta: Record<string, string>;
  objectType: ObjectType;
  storageClass: string;
  /** Object ACL: `default` inherits the bucket's. */
  acl: string;
  tags: Record<string, string>;
  symlinkTarget?: string;
  versionId?: string;
  /** Room for later features (restore state, …) without changing the interface. */
  extra?: Record<string, unknown>;
}

export interface BucketRecord {
  name: string;
  /** Milliseconds since the epoch. */
  creationDate: number;
  /** Region id with the `oss-` prefix, e.g. `oss-cn-hangzhou`. */
  location: string;
  storageClass: string;
  acl: string;
  /** Bucket sub-resource configurations (cors, website, referer, …), as JSON-able values. */
  config: Record<string, unknown>;
}

export interface ListOptions {
  prefix?: string;
  /** Only keys strictly greater (UTF-8 byte order) than this. */
  after?: string;
}

export interface ByteRange {
  /** Inclusive start. */
  start: number;
  /** Inclusive end. */
  end: number;
}

export type BodySource = ReadableStream<Uint8Array> | Uint8Array;

export interface Storage {
  listBuckets(): Promise<BucketRecord[]>;
  getBucket(name: string): Promise<BucketRecord | undefined>;
  /** Create or replace a bucket record (config changes go through here too). */
  putBucket(bucket: BucketRecord): Promise<void>;
  /** Removes the bucket; the caller checked that it is empty. */
  deleteBucket(name: string): Promise<void>;

  getObject(bucket: string, key: string): Promise<ObjectRecord | undefined>;
  /**
   * Streams `body` to storage while measuring it, then asks `finish` for the record to commit.
   * If `finish` throws (bad Content-MD5, size differs from Content-Length, …) or the body
   * errors, nothing is committed and the previous object, if any, stays intact.
   * The commit is atomic: readers see the old object or the new one, never a partial one.
   */
  putObject(
    bucket: string,
    key: string,
    body: BodySource,
    finish: (digest: WriteDigest) => ObjectRecord | Promise<ObjectRecord>,
  ): Promise<ObjectRecord>;
  /** Replace only the record (meta, ACL, tags…) of an existing object, keeping its bytes. */
  updateObjectRecord(bucket: string, record: ObjectRecord): Promise<void>;
  /** Returns false when there was nothing to delete. */
  deleteObject(bucket: string, key: string): Promise<boolean>;
  /** The object's bytes, whole or a range. */
  readObject(bucket: string, key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>>;
  /** Records in UTF-8 byte order of their keys, lazily. */
  listObjects(bucket: string, options?: ListOptions): AsyncIterable<ObjectRecord>;
  /** Number of objects in a bucket (to refuse deleting a non-empty bucket). */
  countObjects(bucket: string): Promise<number>;
  close?(): Promise<void>;
}

export { compareUtf8 } from '../../core/order.js';

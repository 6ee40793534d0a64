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
  /** Set on versioned buckets (`null` for a version written while versioning was suspended). */
  versionId?: string;
  /** A delete marker of a versioned bucket: no bytes, hides older versions. */
  deleteMarker?: boolean;
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

/** How a write treats the versions already under its key (the bucket's versioning state). */
export type VersioningMode = 'off' | 'enabled' | 'suspended';

export interface WriteOptions {
  /**
   * `off` (default): the new record replaces every version of the key.
   * `enabled`: the new record (with its own versionId) becomes current; older versions are kept.
   * `suspended`: the new record (versionId `null`) replaces only the version whose versionId is
   * `null`; other versions are kept.
   */
  versioning?: VersioningMode;
}

/** A multipart upload in progress. */
export interface UploadRecord {
  uploadId: string;
  key: string;
  /** Milliseconds since the epoch. */
  initiated: number;
  /** What the completed object will carry: content type, headers, meta, ACL, storage class, tags. */
  template: Pick<ObjectRecord, 'contentType' | 'headers' | 'meta' | 'acl' | 'storageClass' | 'tags'>;
}

export interface PartRecord {
  partNumber: number;
  size: number;
  /** Quoted upper-case hex MD5 of the part. */
  etag: string;
  /** Raw MD5, for the multipart ETag (MD5 of the concatenated part MD5s). */
  md5: Uint8Array;
  crc64: string;
  lastModified: number;
}

/**
 * Records handed out by reads are frozen and shared with the store (no copy per request); write
 * methods copy the records they are given.
 */
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

/**
 * What the object API beyond plain put/get needs: versions, appends and multipart uploads.
 * Every write is atomic and serialised per key, like putObject.
 */
export interface ExtendedStorage extends Storage {
  // -- versions --
  /** putObject with a versioning mode (Storage.putObject is this with `off`). */
  putObjectVersioned(
    bucket: string, key: string, body: BodySource,
    finish: (digest: WriteDigest) => ObjectRecord | Promise<ObjectRecord>, options: WriteOptions,
  ): Promise<ObjectRecord>;
  /** Add a delete marker (a record with `deleteMarker: true`) as the current version. */
  putDeleteMarker(bucket: string, marker: ObjectRecord, options: WriteOptions): Promise<void>;
  /**
   * The current version (which may be a delete marker), or the given version. Storage.getObject
   * returns the current version only when it is not a delete marker.
   */
  getObjectVersion(bucket: string, key: string, versionId?: string): Promise<ObjectRecord | undefined>;
  /** Bytes of a given version (current when versionId is undefined). */
  readObjectVersion(bucket: string, key: string, versionId: string | undefined, range?: ByteRange): Promise<ReadableStream<Uint8Array>>;
  /** Remove one version for good; the next newest becomes current. False when absent. */
  deleteObjectVersion(bucket: string, key: string, versionId: string): Promise<boolean>;
  /** Every version and delete marker, keys in UTF-8 byte order, newest version first per key. */
  listObjectVersions(bucket: string, options?: ListOptions): AsyncIterable<ObjectRecord>;

  // -- appendable objects --
  /**
   * Append `body` to the object's bytes (creating it when absent). `finish` sees the appended
   * part's digest and the previous record, validates (position, type) and returns the new record
   * for the whole object; throwing leaves the object unchanged.
   */
  appendObject(
    bucket: string, key: string, body: BodySource,
    finish: (digest: WriteDigest, previous: ObjectRecord | undefined) => ObjectRecord | Promise<ObjectRecord>,
  ): Promise<ObjectRecord>;

  // -- multipart uploads --
  createUpload(bucket: string, upload: UploadRecord): Promise<void>;
  getUpload(bucket: string, uploadId: string): Promise<UploadRecord | undefined>;
  /** Uploads in progress: by key (UTF-8 order), then by initiation time. */
  listUploads(bucket: string): Promise<UploadRecord[]>;
  /** Store (or replace) one part; `finish` builds its record from the digest. */
  putPart(
    bucket: string, uploadId: string, partNumber: number, body: BodySource,
    finish: (digest: WriteDigest) => PartRecord | Promise<PartRecord>,
  ): Promise<PartRecord>;
  /** Parts stored so far, by part number. */
  listParts(bucket: string, uploadId: string): Promise<PartRecord[]>;
  /**
   * Atomically turn the listed parts (in this order) into the object `upload.key` and drop the
   * upload and its other parts. `finish` sees the chosen parts and returns the object record
   * (size, multipart ETag, combined CRC64). Must not copy part bytes more than once.
   */
  completeUpload(
    bucket: string, uploadId: string, partNumbers: number[],
    finish: (parts: PartRecord[]) => ObjectRecord | Promise<ObjectRecord>, options: WriteOptions,
  ): Promise<ObjectRecord>;
  /** Drop an upload and its parts. False when absent. */
  abortUpload(bucket: string, uploadId: string): Promise<boolean>;
}

export { compareUtf8 } from '../../core/order.js';

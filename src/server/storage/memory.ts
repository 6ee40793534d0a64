// In-memory store: tests, `--memory`, and in-process use. Web-standard only (no `node:*`),
// so the handler can run anywhere fetch runs. An object's bytes are a list of chunks that are
// never changed once stored, so an append or a multipart completion only builds a new list and
// a reader keeps the list it started with.
import { digestBody, type Md5Hash } from './digest.js';
import { IndexedStorage, type IndexedBucket } from './indexed.js';
import { KeyIndex } from './key-index.js';
import {
  checkPartNumber,
  checkRange,
  checkUploadId,
  currentObject,
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

type Chunks = readonly Uint8Array[];

interface MemoryVersion {
  record: ObjectRecord;
  chunks: Chunks;
}

interface MemoryUpload {
  record: UploadRecord;
  parts: Map<number, { part: PartRecord; chunks: Chunks }>;
}

type MemoryBucket = IndexedBucket<MemoryVersion, MemoryUpload>;

/** Largest piece handed to a reader at once, so a huge stored chunk still streams. */
const READ_PIECE = 256 * 1024;

/** Storage that keeps everything in memory (tests and `--memory`): versions, appends and multipart uploads included. */
export class MemoryStorage extends IndexedStorage<MemoryVersion, MemoryUpload, MemoryBucket> implements ExtendedStorage {
  /**
   * @param options.md5 a faster MD5 where the runtime has one (Node: `() => createHash('md5')`;
   *   `startServer` passes it); default the portable one of core/md5.ts.
   */
  constructor(protected readonly options: { md5?: () => Md5Hash } = {}) {
    super();
  }

  /** Read a body into the chunks that will hold the object's bytes, measuring it (SinkStorage keeps none). */
  protected take(body: BodySource): Promise<{ chunks: Uint8Array[]; digest: WriteDigest }> {
    return keepAll(body, this.options.md5?.());
  }

  async putBucket(bucket: BucketRecord): Promise<void> {
    const existing = this.buckets.get(bucket.name);
    const record = structuredClone(bucket);
    if (existing) existing.record = record;
    else {
      this.buckets.set(bucket.name, {
        record,
        objects: KeyIndex.empty(),
        uploads: new Map(),
        keyQueue: new KeyedQueue(),
        uploadQueue: new KeyedQueue(),
      });
    }
  }

  async deleteBucket(name: string): Promise<void> {
    this.buckets.delete(name);
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
    const { chunks, digest } = await this.take(body);
    return b.keyQueue.run(key, async () => {
      const record = ownRecord(key, await finish(digest), digest.size);
      this.setVersions(b, key, placeVersion(b.objects.get(key) ?? [], { record, chunks }, options.versioning));
      return structuredClone(record);
    });
  }

  async putDeleteMarker(bucket: string, marker: ObjectRecord, options: WriteOptions): Promise<void> {
    const b = this.bucket(bucket);
    const record = ownMarker(marker);
    await b.keyQueue.run(record.key, async () => {
      const versions = b.objects.get(record.key) ?? [];
      this.setVersions(b, record.key, placeVersion(versions, { record, chunks: [] }, options.versioning));
    });
  }

  async updateObjectRecord(bucket: string, record: ObjectRecord): Promise<void> {
    const b = this.bucket(bucket);
    const next = structuredClone(record);
    await b.keyQueue.run(record.key, async () => {
      const versions = b.objects.get(record.key) ?? [];
      const target = recordTarget(versions, next, `${bucket}/${record.key}`);
      this.setVersions(b, record.key, versions.map((v) => (v === target ? { ...v, record: next } : v)));
    });
  }

  async deleteObject(bucket: string, key: string): Promise<boolean> {
    const b = this.buckets.get(bucket);
    if (!b) return false;
    return b.keyQueue.run(key, async () => b.objects.delete(key));
  }

  async deleteObjectVersion(bucket: string, key: string, versionId: string): Promise<boolean> {
    const b = this.buckets.get(bucket);
    if (!b) return false;
    return b.keyQueue.run(key, async () => {
      const versions = b.objects.get(key) ?? [];
      const rest = withoutVersion(versions, versionId);
      if (rest.length === versions.length) return false;
      this.setVersions(b, key, rest);
      return true;
    });
  }

  async readObjectVersion(
    bucket: string,
    key: string,
    versionId: string | undefined,
    range?: ByteRange,
  ): Promise<ReadableStream<Uint8Array>> {
    const versions = this.bucket(bucket).objects.get(key);
    const { record, chunks } = readableVersion(versions, versionId, `${bucket}/${key}`);
    if (range) checkRange(range, record.size);
    return streamChunks(chunks, range?.start ?? 0, range ? range.end + 1 : record.size);
  }

  // -- appendable objects --

  async appendObject(
    bucket: string,
    key: string,
    body: BodySource,
    finish: (digest: WriteDigest, previous: ObjectRecord | undefined) => ObjectRecord | Promise<ObjectRecord>,
  ): Promise<ObjectRecord> {
    const b = this.bucket(bucket);
    const { chunks, digest } = await this.take(body);
    return b.keyQueue.run(key, async () => {
      const versions = b.objects.get(key) ?? [];
      const previous = currentObject(versions);
      const size = (previous?.record.size ?? 0) + digest.size;
      const record = ownRecord(key, await finish(digest, previous && structuredClone(previous.record)), size);
      // Appending extends the current version in place; OSS keeps no version per append.
      const entry = { record, chunks: [...(previous?.chunks ?? []), ...chunks] };
      this.setVersions(b, key, placeVersion(previous ? versions.slice(1) : versions, entry, 'enabled'));
      return structuredClone(record);
    });
  }

  // -- multipart uploads --

  /** Register a multipart upload. */
  async createUpload(bucket: string, upload: UploadRecord): Promise<void> {
    checkUploadId(upload.uploadId);
    const b = this.bucket(bucket);
    if (b.uploads.has(upload.uploadId)) throw new Error(`upload ${upload.uploadId} exists`);
    b.uploads.set(upload.uploadId, { record: structuredClone(upload), parts: new Map() });
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
    const { chunks, digest } = await this.take(body);
    return b.uploadQueue.run(uploadId, async () => {
      const upload = this.upload(b, uploadId);
      const part = ownPart(partNumber, await finish(digest), digest.size);
      upload.parts.set(partNumber, { part, chunks });
      return structuredClone(part);
    });
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
        const entry = { record, chunks: chosen.flatMap((p) => p.chunks) };
        this.setVersions(b, key, placeVersion(b.objects.get(key) ?? [], entry, options.versioning));
        b.uploads.delete(uploadId);
        return structuredClone(record);
      });
    });
  }

  async abortUpload(bucket: string, uploadId: string): Promise<boolean> {
    const b = this.buckets.get(bucket);
    if (!b) return false;
    return b.uploadQueue.run(uploadId, async () => b.uploads.delete(uploadId));
  }

  private setVersions(b: MemoryBucket, key: string, versions: MemoryVersion[]): void {
    if (versions.length) b.objects.set(key, versions);
    else b.objects.delete(key);
  }
}

/** Reads a body into chunks while measuring it. */
async function keepAll(body: BodySource, md5: Md5Hash | undefined): Promise<{ chunks: Uint8Array[]; digest: WriteDigest }> {
  const chunks: Uint8Array[] = [];
  // A Uint8Array body stays owned by the caller, who may reuse it: keep a copy.
  const source = body instanceof Uint8Array ? body.slice() : body;
  const digest = await digestBody(source, (chunk) => void chunks.push(chunk), md5);
  return { chunks, digest };
}

/** Streams bytes [from, to) of the concatenation of `chunks`, without concatenating them. */
function streamChunks(chunks: Chunks, from: number, to: number): ReadableStream<Uint8Array> {
  let index = 0;
  let offset = from; // offset within chunks[index]
  while (index < chunks.length && offset >= chunks[index]!.byteLength) offset -= chunks[index++]!.byteLength;
  let left = to - from;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left === 0) return controller.close();
      const chunk = chunks[index]!;
      const n = Math.min(chunk.byteLength - offset, left, READ_PIECE);
      // A copy: readers may transfer or mutate what they receive, and the store must not change.
      controller.enqueue(chunk.slice(offset, offset + n));
      left -= n;
      offset += n;
      if (offset === chunk.byteLength) {
        index++;
        offset = 0;
      }
    },
  });
}

// In-memory store: tests, `--memory`, and in-process use. Web-standard only (no `node:*`),
// so the handler can run anywhere fetch runs. An object's bytes are a list of chunks that are
// never changed once stored, so an append or a multipart completion only builds a new list and
// a reader keeps the list it started with.
import { digestBody, type Md5Hash } from './digest.js';
import { IndexedStorage, type IndexedBucket, type IndexedPart, type IndexedUpload, type Stored } from './indexed.js';
import { KeyIndex } from './key-index.js';
import { currentObject, KeyedQueue } from './semantics.js';
import type { BodySource, BucketRecord, ExtendedStorage, ObjectRecord, UploadRecord, WriteDigest } from './types.js';

type Chunks = readonly Uint8Array[];

interface MemoryVersion {
  record: ObjectRecord;
  chunks: Chunks;
}

type MemoryBucket = IndexedBucket<MemoryVersion, Chunks>;

/** Largest piece handed to a reader at once, so a huge stored chunk still streams. */
const READ_PIECE = 256 * 1024;

/**
 * Storage that keeps everything in memory (tests and `--memory`): versions, appends and
 * multipart uploads included. A commit is a change of the index; there is nothing to make
 * durable, and bytes nothing refers to are the garbage collector's.
 */
export class MemoryStorage extends IndexedStorage<Chunks, MemoryVersion, MemoryBucket> implements ExtendedStorage {
  /**
   * @param options.md5 a faster MD5 where the runtime has one (Node: `() => createHash('md5')`;
   *   `startServer` passes it); default the portable one of core/md5.ts.
   */
  constructor(protected readonly options: { md5?: () => Md5Hash } = {}) {
    super();
  }

  async deleteBucket(name: string): Promise<void> {
    this.buckets.delete(name);
  }

  /** Reads a body into the chunks that will hold the object's bytes, measuring it (SinkStorage keeps none). */
  protected store(_b: MemoryBucket, body: BodySource): Promise<Stored<Chunks>> {
    return keepAll(body, this.options.md5?.());
  }

  protected async saveBucket(): Promise<void> {}

  protected emptyBucket(record: BucketRecord): MemoryBucket {
    return { record, objects: KeyIndex.empty(), uploads: new Map(), keyQueue: new KeyedQueue(), uploadQueue: new KeyedQueue() };
  }

  protected async discard(): Promise<void> {}

  protected version(record: ObjectRecord, data: readonly Chunks[]): MemoryVersion {
    return { record, chunks: data.flat() };
  }

  protected async commit(b: MemoryBucket, key: string, _before: MemoryVersion[], after: MemoryVersion[]): Promise<void> {
    if (after.length) b.objects.set(key, after);
    else b.objects.delete(key);
  }

  protected read(_b: MemoryBucket, version: MemoryVersion, from: number, to: number): ReadableStream<Uint8Array> {
    return streamChunks(version.chunks, from, to);
  }

  /** The body is taken before the key is: appends to one key read their bodies concurrently. */
  protected async append(
    b: MemoryBucket, key: string, body: BodySource,
    commit: (versions: MemoryVersion[], previous: MemoryVersion | undefined, digest: WriteDigest, data: readonly Chunks[]) => Promise<ObjectRecord>,
  ): Promise<ObjectRecord> {
    const { data, digest } = await this.store(b, body);
    return b.keyQueue.run(key, () => {
      const versions = b.objects.get(key) ?? [];
      const previous = currentObject(versions);
      return commit(versions, previous, digest, previous ? [previous.chunks, data] : [data]);
    });
  }

  protected async openUpload(_b: MemoryBucket, _record: UploadRecord): Promise<void> {}

  protected async commitPart(_b: MemoryBucket, upload: IndexedUpload<Chunks>, part: IndexedPart<Chunks>): Promise<void> {
    upload.parts.set(part.part.partNumber, part);
  }

  protected async dropUpload(b: MemoryBucket, upload: IndexedUpload<Chunks>): Promise<void> {
    b.uploads.delete(upload.record.uploadId);
  }
}

/** Reads a body into chunks while measuring it. */
async function keepAll(body: BodySource, md5: Md5Hash | undefined): Promise<Stored<Chunks>> {
  const chunks: Uint8Array[] = [];
  // A Uint8Array body stays owned by the caller, who may reuse it: keep a copy.
  const source = body instanceof Uint8Array ? body.slice() : body;
  const digest = await digestBody(source, (chunk) => void chunks.push(chunk), md5);
  return { data: chunks, digest };
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

// In-memory store: tests, `--memory`, and in-process use. Web-standard only (no `node:*`),
// so the handler can run anywhere fetch runs.
import { digestBody } from './digest.js';
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

/** Keys kept sorted in UTF-8 byte order next to a map of their values. Shared with the fs store. */
export class KeyIndex<T> {
  private constructor(
    private readonly keys: string[],
    private readonly values: Map<string, T>,
  ) {}

  static empty<T>(): KeyIndex<T> {
    return new KeyIndex<T>([], new Map());
  }

  /** Builds an index from unordered entries with one sort. */
  static from<T>(entries: Iterable<[string, T]>): KeyIndex<T> {
    const values = new Map(entries);
    return new KeyIndex([...values.keys()].sort(compareUtf8), values);
  }

  get size(): number {
    return this.keys.length;
  }

  get(key: string): T | undefined {
    return this.values.get(key);
  }

  set(key: string, value: T): void {
    if (!this.values.has(key)) this.keys.splice(this.lowerBound(key), 0, key);
    this.values.set(key, value);
  }

  delete(key: string): boolean {
    if (!this.values.delete(key)) return false;
    this.keys.splice(this.lowerBound(key), 1);
    return true;
  }

  /**
   * Entries in key order, starting at the first key that has `prefix` and is greater than
   * `after`, stopping once keys leave the prefix. Each step re-searches from the last key
   * yielded, so writes between steps neither skip nor repeat keys.
   */
  *range({ prefix = '', after }: ListOptions = {}): Generator<[string, T]> {
    let i = this.startOf(prefix, after);
    while (i < this.keys.length) {
      const key = this.keys[i]!;
      if (!key.startsWith(prefix)) return;
      yield [key, this.values.get(key)!];
      i = this.upperBound(key);
    }
  }

  private startOf(prefix: string, after: string | undefined): number {
    const atPrefix = this.lowerBound(prefix);
    return after === undefined ? atPrefix : Math.max(atPrefix, this.upperBound(after));
  }

  /** First position whose key is >= `key`. */
  private lowerBound(key: string): number {
    return this.search((k) => compareUtf8(k, key) < 0);
  }

  /** First position whose key is > `key`. */
  private upperBound(key: string): number {
    return this.search((k) => compareUtf8(k, key) <= 0);
  }

  /** First position where `before` turns false (it is true for a prefix of the keys). */
  private search(before: (k: string) => boolean): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.keys[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** An error carrying an OSS-style code, for the op layer to map (e.g. after a race). */
export function storageError(code: 'NoSuchBucket' | 'NoSuchKey', what: string): Error {
  return Object.assign(new Error(`${code}: ${what}`), { code });
}

/** Rejects ranges outside `size` bytes; the op layer resolves HTTP ranges before calling. */
export function checkRange(range: ByteRange, size: number): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start > end || end >= size) {
    throw new RangeError(`range ${start}-${end} outside object of ${size} bytes`);
  }
}

/** The store's own copy of the record `finish` produced, which must be for `key`. */
export function ownRecord(key: string, record: ObjectRecord): ObjectRecord {
  if (record.key !== key) throw new Error(`finish returned a record for ${JSON.stringify(record.key)}`);
  return structuredClone(record);
}

interface StoredObject {
  record: ObjectRecord;
  chunks: Uint8Array[];
}

interface MemoryBucket {
  record: BucketRecord;
  objects: KeyIndex<StoredObject>;
}

/** Largest piece handed to a reader at once, so a huge stored chunk still streams. */
const READ_PIECE = 256 * 1024;

export class MemoryStorage implements Storage {
  private readonly buckets = new Map<string, MemoryBucket>();

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
    const existing = this.buckets.get(bucket.name);
    const record = structuredClone(bucket);
    if (existing) existing.record = record;
    else this.buckets.set(bucket.name, { record, objects: KeyIndex.empty() });
  }

  async deleteBucket(name: string): Promise<void> {
    this.buckets.delete(name);
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
    const objects = this.bucket(bucket).objects;
    const chunks: Uint8Array[] = [];
    // A Uint8Array body stays owned by the caller, who may reuse it: keep a copy.
    const source = body instanceof Uint8Array ? body.slice() : body;
    const digest = await digestBody(source, (chunk) => void chunks.push(chunk));
    const record = ownRecord(key, await finish(digest));
    objects.set(key, { record, chunks });
    return structuredClone(record);
  }

  async updateObjectRecord(bucket: string, record: ObjectRecord): Promise<void> {
    this.stored(bucket, record.key).record = structuredClone(record);
  }

  async deleteObject(bucket: string, key: string): Promise<boolean> {
    return this.buckets.get(bucket)?.objects.delete(key) ?? false;
  }

  async readObject(bucket: string, key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    const { record, chunks } = this.stored(bucket, key);
    if (range) checkRange(range, record.size);
    return streamChunks(chunks, range?.start ?? 0, range ? range.end + 1 : record.size);
  }

  async *listObjects(bucket: string, options?: ListOptions): AsyncIterable<ObjectRecord> {
    const objects = this.buckets.get(bucket)?.objects;
    if (!objects) return;
    for (const [, stored] of objects.range(options)) yield structuredClone(stored.record);
  }

  async countObjects(bucket: string): Promise<number> {
    return this.buckets.get(bucket)?.objects.size ?? 0;
  }

  private bucket(name: string): MemoryBucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw storageError('NoSuchBucket', name);
    return bucket;
  }

  private stored(bucket: string, key: string): StoredObject {
    const stored = this.bucket(bucket).objects.get(key);
    if (!stored) throw storageError('NoSuchKey', `${bucket}/${key}`);
    return stored;
  }
}

/** Streams bytes [from, to) of the concatenation of `chunks`, without concatenating them. */
function streamChunks(chunks: readonly Uint8Array[], from: number, to: number): ReadableStream<Uint8Array> {
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

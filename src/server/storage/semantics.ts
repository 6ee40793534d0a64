// What every store must agree on, whatever holds the bytes: error codes, which version is
// current, where a new version goes, which ids are acceptable, and one writer per key at a time.
// Web-standard only: the memory store imports it.
import {
  compareUtf8,
  type ByteRange,
  type ObjectRecord,
  type PartRecord,
  type UploadRecord,
  type VersioningMode,
} from './types.js';

export type StorageErrorCode = 'NoSuchBucket' | 'NoSuchKey' | 'NoSuchVersion' | 'NoSuchUpload' | 'InvalidPart';

/** An error carrying an OSS-style code, for the op layer to map (e.g. after a race). */
export function storageError(code: StorageErrorCode, what: string): Error {
  return Object.assign(new Error(`${code}: ${what}`), { code });
}

/** Rejects ranges outside `size` bytes; the op layer resolves HTTP ranges before calling. */
export function checkRange(range: ByteRange, size: number): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start > end || end >= size) {
    throw new RangeError(`range ${start}-${end} outside object of ${size} bytes`);
  }
}

/**
 * Freeze a stored record and everything it holds, in place, so that readers share it instead of
 * copying it on every request. Stores replace records, never edit them; a reader that tried
 * would throw (modules are strict) instead of silently changing the store.
 */
export function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
    for (const inner of Object.values(value)) frozen(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * The store's own copy of the record `finish` produced for `size` stored bytes. It must be for
 * `key` and say that size (readers trust `size` to frame the bytes), and not be a delete marker.
 */
export function ownRecord(key: string, record: ObjectRecord, size: number): ObjectRecord {
  if (record.key !== key) throw new Error(`finish returned a record for ${JSON.stringify(record.key)}`);
  if (record.size !== size) throw new Error(`finish returned a record of ${record.size} bytes for ${size} stored bytes`);
  if (record.deleteMarker) throw new Error('finish returned a delete marker');
  return structuredClone(record);
}

/** A delete marker as stored: the caller's record, which must say it is one. */
export function ownMarker(marker: ObjectRecord): ObjectRecord {
  if (marker.deleteMarker !== true) throw new Error('putDeleteMarker needs a record with deleteMarker: true');
  return structuredClone(marker);
}

// -- versions: per key, newest first --

interface Versioned {
  readonly record: ObjectRecord;
}

/** A record written without a version id is the `null` version, as OSS reports it. */
function versionSlot(record: ObjectRecord): string {
  return record.versionId ?? 'null';
}

/**
 * The key's versions once `entry` is written: `off` keeps only the entry; `enabled` and
 * `suspended` put it on top and drop the version it replaces (same id: in `suspended` mode
 * the `null` one).
 */
export function placeVersion<V extends Versioned>(versions: readonly V[], entry: V, mode: VersioningMode = 'off'): V[] {
  if (mode === 'off') return [entry];
  const slot = versionSlot(entry.record);
  return [entry, ...versions.filter((v) => versionSlot(v.record) !== slot)];
}

/** The version `versionId` names (`'null'` also finds one written without an id); current when undefined. */
export function findVersion<V extends Versioned>(versions: readonly V[], versionId: string | undefined): V | undefined {
  return versionId === undefined ? versions[0] : versions.find((v) => versionSlot(v.record) === versionId);
}

/** The versions without `versionId`'s. */
export function withoutVersion<V extends Versioned>(versions: readonly V[], versionId: string): V[] {
  return versions.filter((v) => versionSlot(v.record) !== versionId);
}

/** The current version when it is an object, not a delete marker. */
export function currentObject<V extends Versioned>(versions: readonly V[] | undefined): V | undefined {
  const current = versions?.[0];
  return current && !current.record.deleteMarker ? current : undefined;
}

/** The version whose bytes a read wants, or the error that says why there are none. */
export function readableVersion<V extends Versioned>(
  versions: readonly V[] | undefined,
  versionId: string | undefined,
  what: string,
): V {
  if (!versions) throw storageError('NoSuchKey', what);
  const version = findVersion(versions, versionId);
  if (!version) throw storageError('NoSuchVersion', `${what}?versionId=${versionId}`);
  if (version.record.deleteMarker) throw storageError('NoSuchKey', `${what} (delete marker)`);
  return version;
}

/**
 * The version updateObjectRecord replaces: the one with the record's version id (none: the
 * unversioned one). The new record must keep describing the same bytes.
 */
export function recordTarget<V extends Versioned>(versions: readonly V[], next: ObjectRecord, what: string): V {
  if (!versions.length) throw storageError('NoSuchKey', what);
  const target = findVersion(versions, versionSlot(next));
  if (!target) throw storageError('NoSuchVersion', `${what}?versionId=${versionSlot(next)}`);
  if (target.record.size !== next.size || Boolean(target.record.deleteMarker) !== Boolean(next.deleteMarker)) {
    throw new Error('updateObjectRecord cannot change size or delete-marker state');
  }
  return target;
}

// -- multipart uploads --

/** Upload ids become directory names in the fs store, so only letters and digits pass. */
const UPLOAD_ID = /^[0-9A-Za-z]{1,128}$/;

export function isUploadId(uploadId: unknown): uploadId is string {
  return typeof uploadId === 'string' && UPLOAD_ID.test(uploadId);
}

export function checkUploadId(uploadId: string): void {
  if (!isUploadId(uploadId)) throw new Error(`invalid upload id ${JSON.stringify(uploadId)}`);
}

export function checkPartNumber(partNumber: number): void {
  if (!Number.isSafeInteger(partNumber) || partNumber < 1) throw new RangeError(`invalid part number ${partNumber}`);
}

/** The store's copy of the part record `finish` built for `partNumber` from `size` bytes. */
export function ownPart(partNumber: number, part: PartRecord, size: number): PartRecord {
  if (part.partNumber !== partNumber || part.size !== size) {
    throw new Error(`finish returned part ${part.partNumber} of ${part.size} bytes for part ${partNumber} of ${size}`);
  }
  return structuredClone(part);
}

export function missingPart(uploadId: string, partNumber: number): never {
  throw storageError('InvalidPart', `upload ${uploadId} has no part ${partNumber}`);
}

/** ListMultipartUploads order: key (UTF-8), then initiation time, then id. */
export function compareUploads(a: UploadRecord, b: UploadRecord): number {
  return compareUtf8(a.key, b.key) || a.initiated - b.initiated || compareUtf8(a.uploadId, b.uploadId);
}

// -- serialised writes --

/** Runs tasks one after another per name; different names run concurrently. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(name: string, task: () => Promise<T>): Promise<T> {
    const run = (this.tails.get(name) ?? Promise.resolve()).then(task);
    const tail = run.then(
      () => {},
      () => {},
    );
    this.tails.set(name, tail);
    try {
      return await run;
    } finally {
      if (this.tails.get(name) === tail) this.tails.delete(name);
    }
  }

  /** Settles once every task queued so far has. */
  async idle(): Promise<void> {
    await Promise.all(this.tails.values());
  }
}

// Checkpoints: what a managed upload needs to resume, as plain JSON (a page keeps it in
// localStorage and resumes after a reload when the user picks the same file again). A checkpoint
// is never trusted alone: it must describe this object and body, and each part it lists must
// still be on the server with the same ETag and size.

import { OSSArgumentError, OSSError } from '../../core/errors.js';
import { assertInteger, typeName } from '../../core/validate.js';
import type { OSSCore } from '../core.js';
import { listAllParts, type PartSummary } from './list.js';
import { MAX_PART_SIZE, MAX_PARTS, MIN_PART_SIZE } from './primitives.js';
import type { Part } from './source.js';

export interface CheckpointPart {
  number: number;
  /** The quoted ETag UploadPart returned. */
  etag: string;
  size: number;
  /** CRC-64 of the part (from the server), when known. */
  crc64?: string;
}

export interface MultipartCheckpoint {
  uploadId: string;
  name: string;
  bucket: string;
  partSize: number;
  /** Bytes of the body; null for a stream until its end was read. */
  fileSize: number | null;
  /** A File's `lastModified` and `name`, to refuse resuming with another file. */
  fileLastModified?: number;
  fileName?: string;
  /** multipartUploadCopy: the source the parts are copied from, to refuse resuming from another. */
  copySource?: CopySourceIdentity;
  doneParts: CheckpointPart[];
}

/** Which bytes a managed copy copies: the object (and version), where the range starts, its ETag. */
export interface CopySourceIdentity {
  bucket: string;
  key: string;
  versionId?: string;
  /** First byte copied. */
  startOffset: number;
  /** The source's ETag when the copy started (every part is copied on that condition). */
  etag?: string;
}

const ARG = 'options.checkpoint';

export function assertCheckpoint(value: unknown): asserts value is MultipartCheckpoint {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new OSSArgumentError(ARG, `expected a checkpoint object, got ${typeName(value)}`);
  const cp = value as Partial<MultipartCheckpoint>;
  for (const field of ['uploadId', 'name', 'bucket'] as const) {
    if (typeof cp[field] !== 'string' || !cp[field]) throw new OSSArgumentError(`${ARG}.${field}`, 'expected a non-empty string');
  }
  assertInteger(cp.partSize, `${ARG}.partSize`, MIN_PART_SIZE, MAX_PART_SIZE);
  if (cp.fileSize !== null) assertInteger(cp.fileSize, `${ARG}.fileSize`, 0, Number.MAX_SAFE_INTEGER);
  if (!Array.isArray(cp.doneParts)) throw new OSSArgumentError(`${ARG}.doneParts`, 'expected an array');
  cp.doneParts.forEach((p: Partial<CheckpointPart>, i) => {
    const at = `${ARG}.doneParts[${i}]`;
    if (!p || typeof p !== 'object') throw new OSSArgumentError(at, 'expected { number, etag, size, crc64 }');
    assertInteger(p.number, `${at}.number`, 1, MAX_PARTS);
    assertInteger(p.size, `${at}.size`, 0, MAX_PART_SIZE);
    if (typeof p.etag !== 'string' || !p.etag) throw new OSSArgumentError(`${at}.etag`, 'expected a string');
  });
}

export interface ResumeTarget {
  name: string;
  bucket: string;
  /** Body size when known up front. */
  size: number | undefined;
  /** partSize as the caller asked for it, if they did. */
  partSize: number | undefined;
  file: { name: string; lastModified: number } | undefined;
  /** multipartUploadCopy (which checks the source itself). */
  copy?: boolean;
}

/** The error for a checkpoint that cannot resume this call, and why. */
export function refuseCheckpoint(why: string): never {
  throw new OSSArgumentError(ARG, `${why}; start a new upload without it (or with the body it was made for)`);
}

/**
 * Refuse, with the reason, a checkpoint made for another object or another body (a copy's
 * source is checked by multipartUploadCopy).
 */
export function checkResumable(cp: MultipartCheckpoint, target: ResumeTarget): void {
  const refuse = refuseCheckpoint;
  if (cp.name !== target.name) refuse(`it is for object "${cp.name}", not "${target.name}"`);
  if (cp.bucket !== target.bucket) refuse(`it is for bucket "${cp.bucket}", not "${target.bucket}"`);
  if (target.partSize !== undefined && target.partSize !== cp.partSize) {
    refuse(`it was made with partSize ${cp.partSize}, not ${target.partSize} (leave partSize out to use the checkpoint's)`);
  }
  if (cp.fileSize !== null && target.size !== undefined && cp.fileSize !== target.size) {
    refuse(`it is for a body of ${cp.fileSize} bytes; this one has ${target.size}`);
  }
  if (target.file && cp.fileName !== undefined && cp.fileName !== target.file.name) refuse(`it is for file "${cp.fileName}", not "${target.file.name}"`);
  if (target.file && cp.fileLastModified !== undefined && cp.fileLastModified !== target.file.lastModified) {
    refuse(`file "${target.file.name}" changed since the checkpoint was made`);
  }
  if (cp.copySource && !target.copy) refuse('it is for a copy, not an upload');
}

const bare = (etag: string) => etag.replace(/"/g, '').toUpperCase();

/**
 * The checkpoint's parts that the server still holds unchanged, by number; null when the upload
 * itself is gone (completed or aborted), so there is nothing to resume.
 */
export async function partsOnServer(
  core: OSSCore, cp: MultipartCheckpoint, signal: AbortSignal | undefined,
): Promise<Map<number, CheckpointPart> | null> {
  const server = new Map<number, PartSummary>();
  try {
    for await (const part of listAllParts(core, cp.name, cp.uploadId, { bucket: cp.bucket, signal })) server.set(part.number, part);
  } catch (err) {
    if (err instanceof OSSError && err.code === 'NoSuchUpload') return null;
    throw err;
  }
  const kept = new Map<number, CheckpointPart>();
  for (const done of cp.doneParts) {
    const held = server.get(done.number);
    const same = held && bare(held.etag) === bare(done.etag) && held.size === done.size &&
      (held.crc64 === undefined || done.crc64 === undefined || held.crc64 === done.crc64);
    if (same) kept.set(done.number, { ...done, crc64: done.crc64 ?? held.crc64 });
  }
  return kept;
}

/**
 * Whether a part's bytes are those the server holds: slices of the same file are trusted, bytes
 * in memory (a stream's) are checked by the crc64Checks feature. Without it they cannot be
 * checked, so the part is sent again: never a part of other bytes in the object.
 */
export function sameBytes(core: OSSCore, part: Part, held: CheckpointPart): boolean {
  if (!(part.body instanceof Uint8Array)) return true;
  return core.feature('crc64')?.samePart(part.body, held) ?? false;
}

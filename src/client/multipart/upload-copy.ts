// multipartUploadCopy: a copy of an object (or a byte range of it) of any size, made on the
// server by UploadPartCopy in parallel parts. It is a managed upload whose parts are copied
// instead of sent (ManagedUpload in upload.ts), so progress, abort, resume and abortOnFailure
// are multipartUpload's.

import { OSSArgumentError, OSSError } from '../../core/errors.js';
import { assertBucketName, assertInteger, assertObjectKey, assertOptionalString, assertPlainObject, typeName } from '../../core/validate.js';
import type { OSSCore } from '../core.js';
import { head } from '../object/head.js';
import { SOURCE_CONDITIONS } from '../object/copy.js';
import { encryptionOf } from '../object/put.js';
import type { AliOssCopyNames } from '../ali-oss-names.js';
import { checkOptions } from '../call-options.js';
import { checkResumable, refuseCheckpoint, type CopySourceIdentity } from './checkpoint.js';
import { uploadPartCopy } from './primitives.js';
import { rangeSource } from './source.js';
import { abortError, checkManaged, choosePartSize, ManagedUpload, type MultipartUploadOptions, type MultipartUploadResult } from './upload.js';

/** What multipartUploadCopy copies: an object, or the bytes `[startOffset, endOffset)` of it. */
export interface MultipartCopySource {
  sourceKey: string;
  /** Default: the bucket of the call. ali-oss's `sourceBucketName` is accepted too. */
  sourceBucket?: string;
  sourceBucketName?: string;
  /** First byte to copy (default 0). */
  startOffset?: number;
  /**
   * The byte after the last one to copy (exclusive, as ali-oss takes it; default the source's
   * size). Given, the source is not HEADed first.
   */
  endOffset?: number;
}

/** Options of multipartUploadCopy: multipartUpload's, less the callback, plus the source's version and conditions. */
export interface MultipartUploadCopyOptions extends Omit<MultipartUploadOptions, 'callback' | 'progress' | 'disabledMD5'>, AliOssCopyNames {
  /** The version of the source to copy (default its current one). */
  versionId?: string;
  /**
   * Conditions on the source, checked for every part: `If-Match`, `If-None-Match`,
   * `If-Modified-Since`, `If-Unmodified-Since` (or their `x-oss-copy-source-if-*` names).
   * Without an `If-Match`, every part is copied on the ETag the source had when the copy began.
   */
  copyHeaders?: Record<string, string>;
}

const SOURCE_FIELDS = ['sourceKey', 'sourceBucket', 'sourceBucketName', 'startOffset', 'endOffset'];
const PREFIX = 'x-oss-copy-source-';

function checkSource(source: unknown): MultipartCopySource {
  if (!source || typeof source !== 'object' || Array.isArray(source)) {
    throw new OSSArgumentError('source', `expected { sourceKey, sourceBucket?, startOffset?, endOffset? }, got ${typeName(source)}`);
  }
  const s = source as MultipartCopySource;
  for (const key of Object.keys(s)) {
    if (!SOURCE_FIELDS.includes(key)) throw new OSSArgumentError(`source.${key}`, `not a field of the source (it takes ${SOURCE_FIELDS.join(' ')})`);
  }
  assertObjectKey(s.sourceKey, 'source.sourceKey');
  if (s.sourceBucket !== undefined) assertBucketName(s.sourceBucket, 'source.sourceBucket');
  if (s.sourceBucketName !== undefined) assertBucketName(s.sourceBucketName, 'source.sourceBucketName');
  if (s.startOffset !== undefined) assertInteger(s.startOffset, 'source.startOffset', 0, Number.MAX_SAFE_INTEGER);
  if (s.endOffset !== undefined) {
    assertInteger(s.endOffset, 'source.endOffset', 0, Number.MAX_SAFE_INTEGER);
    if (s.endOffset <= (s.startOffset ?? 0)) throw new OSSArgumentError('source.endOffset', `must be greater than startOffset (${s.startOffset ?? 0}): the range is empty`);
  }
  return s;
}

/** Refuse a checkpoint made for a copy from another source, or before the source changed. */
function checkSameSource(was: CopySourceIdentity, now: CopySourceIdentity): void {
  const at = (s: CopySourceIdentity) => `/${s.bucket}/${s.key}${s.versionId ? `?versionId=${s.versionId}` : ''} from byte ${s.startOffset}`;
  if (at(was) !== at(now)) refuseCheckpoint(`it copies ${at(was)}, not ${at(now)}`);
  if (was.etag && now.etag && was.etag !== now.etag) refuseCheckpoint(`the source /${now.bucket}/${now.key} changed since the checkpoint was made`);
}

/** `copyHeaders` as `x-oss-copy-source-if-*` headers; anything but a condition is refused. */
function copyConditions(given: unknown): Record<string, string> {
  assertPlainObject(given, 'options.copyHeaders');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(given ?? {})) {
    const bare = name.toLowerCase().replace(PREFIX, '');
    if (!SOURCE_CONDITIONS.includes(bare)) {
      throw new OSSArgumentError(`options.copyHeaders.${name}`, 'expected a condition on the source: If-Match, If-None-Match, If-Modified-Since or If-Unmodified-Since (object headers go in headers)');
    }
    if (typeof value !== 'string') throw new OSSArgumentError(`options.copyHeaders.${name}`, `expected a string, got ${typeName(value)}`);
    headers[PREFIX + bare] = value;
  }
  return headers;
}

/**
 * Copy an object of any size (up to 48.8 TB), or the bytes `[startOffset, endOffset)` of it, into
 * a new object without downloading it: the source is HEADed for its size (unless `endOffset` is
 * given), then copied by UploadPartCopy in parts of `partSize`, `parallel` at a time, and every
 * part on the source's ETag of that moment, so an overwrite of the source mid-copy fails the copy
 * rather than mixing two versions. A source smaller than a part is copied as one part (ali-oss
 * refuses sources under 100 KB). The new object takes `mime`, `meta` and `headers` (not the
 * source's metadata); its Content-Type defaults to the key's extension, then the source's type.
 * `onProgress` moves as parts complete; `signal` stops the copy, which `checkpoint` resumes.
 * @example
 * const result = await multipartUploadCopy(core, 'backup/video.mp4', { sourceKey: 'video.mp4' }, {
 *   onProgress: ({ percent }) => console.log(percent),
 *   onCheckpoint: (cp) => (saved = cp),
 * })
 */
export async function multipartUploadCopy(
  core: OSSCore, name: string, source: MultipartCopySource, options: MultipartUploadCopyOptions = {},
): Promise<MultipartUploadResult> {
  assertObjectKey(name);
  const { sourceKey, sourceBucket: given, sourceBucketName, startOffset: start = 0, endOffset } = checkSource(source);
  // ali-oss's name, refused here rather than in checkOptions' table, which every call loads.
  if ((options as { copyheaders?: unknown })?.copyheaders !== undefined) throw new OSSArgumentError('options.copyheaders', "ali-oss's option; oss-fetch uses copyHeaders");
  checkOptions(options, 'bucket partSize parallel onProgress checkpoint onCheckpoint mime meta headers copyHeaders versionId abortOnFailure serverSideEncryption serverSideEncryptionKeyId serverSideDataEncryption');
  const parallel = checkManaged(options);
  const { versionId, signal, timeout, checkpoint } = options;
  const conditions = copyConditions(options.copyHeaders);
  assertOptionalString(options.versionId, 'options.versionId');
  if (checkpoint) {
    const made = checkpoint.copySource;
    if (!made) refuseCheckpoint('it is for an upload, not a copy');
    if (typeof made !== 'object' || typeof made.bucket !== 'string' || typeof made.key !== 'string' || !Number.isSafeInteger(made.startOffset)) {
      refuseCheckpoint('its copySource is not { bucket, key, startOffset }');
    }
  }
  const bucket = core.requireBucket(options.bucket);
  const sourceBucket = core.requireBucket(given ?? sourceBucketName ?? bucket);
  if (signal?.aborted) throw abortError(name, signal.reason);

  try {
    let end = endOffset;
    let object: { size: number; etag?: string; crc64?: string; type?: string } | undefined;
    if (end === undefined) {
      const { res } = await head(core, sourceKey, { bucket: sourceBucket, versionId, signal, timeout });
      const h = res.headers;
      object = { size: Number(h['content-length']), etag: h.etag, crc64: h['x-oss-hash-crc64ecma'], type: h['content-type'] };
      end = object.size;
      if (start >= end) {
        throw new OSSArgumentError('source', end === 0 ? `"${sourceKey}" is empty: copy() copies an empty object` : `startOffset ${start} is not within "${sourceKey}" (${end} bytes)`);
      }
    }
    const size = end - start;
    const partSize = choosePartSize(size, options.partSize ?? checkpoint?.partSize);
    const etag = object?.etag ?? checkpoint?.copySource?.etag;
    const copySource: CopySourceIdentity = { bucket: sourceBucket, key: sourceKey, ...(versionId ? { versionId } : {}), startOffset: start, ...(etag ? { etag } : {}) };
    if (checkpoint) {
      checkResumable(checkpoint, { name, bucket, size, partSize: options.partSize, file: undefined, copy: true });
      checkSameSource(checkpoint.copySource!, copySource);
    }
    const headers = { ...(etag ? { [`${PREFIX}if-match`]: etag } : {}), ...conditions };

    const parts = rangeSource(size, partSize, (first, last, number) => ({ number, body: NO_BYTES, size: last - first, release() {} }));
    const sendPart = async (part: { number: number; size: number }, uploadId: string, partSignal: AbortSignal) => {
      const first = start + (part.number - 1) * partSize;
      const result = await uploadPartCopy(core, name, uploadId, part.number, `${first}-${first + part.size - 1}`, { sourceKey, sourceBucket }, {
        bucket, versionId, headers, signal: partSignal, timeout,
      });
      return { etag: result.etag, crc64: result.res.headers['x-oss-hash-crc64ecma'] };
    };
    const { onProgress, onCheckpoint, mime, meta, headers: objectHeaders, abortOnFailure } = options;
    const result = await new ManagedUpload(core, name, bucket, parts, { partSize, parallel, file: undefined, blobType: object?.type, copy: { copySource }, sendPart }, {
      signal, timeout, onProgress, checkpoint, onCheckpoint, mime, meta, headers: objectHeaders, abortOnFailure, ...encryptionOf(options),
    }).run(undefined);
    // A whole copy must have the source's CRC-64 (the parts' own CRCs are checked by the Complete).
    const whole = object !== undefined && start === 0 && end === object.size;
    const checks = core.crc();
    if (checks && whole && object!.crc64 && result.crc64 && object!.crc64 !== result.crc64) {
      throw checks.mismatch('upload', object!.crc64, result.crc64, { bucket, key: name }, `the copy "${name}" of "${sourceKey}"`);
    }
    return result;
  } catch (err) {
    if (signal?.aborted && !(err instanceof OSSError && err.name === 'AbortError')) throw abortError(name, signal.reason);
    throw err;
  }
}

/** A copied part's bytes never pass through the client. */
const NO_BYTES = new Uint8Array(0);

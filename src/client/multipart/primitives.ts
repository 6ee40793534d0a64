// Multipart primitives, one request each: initiate, upload a part (or copy one), complete, abort.
// multipartUpload (upload.ts) drives them; they are public for callers who schedule parts
// themselves (e.g. across page reloads or workers).

import { OSSArgumentError, OSSError } from '../../core/errors.js';
import { assertInteger, assertMeta, assertObjectKey, assertOptionalString, assertPlainObject, typeName } from '../../core/validate.js';
import { buildXml, child, text, type XmlValue } from '../../core/xml.js';
import { normalizeBody, type BodyInput } from '../body.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { discard, readXml } from '../read.js';
import { copySourceHeader, headerRecord, keyDecoder, metaHeaders, type CallOptions } from '../object/common.js';
import type { UploadCallback } from '../callback.js';
import type { ServerSideEncryptionOptions } from '../object/encryption.js';
import { encryptionRequestHeaders } from '../object/encryption.js';
import { assertProgressCallback, progressEmitter, type OnUploadProgress } from '../progress.js';
import { checkOptions } from '../call-options.js';
import type { AliOssUploadNames } from '../ali-oss-names.js';

export const MIN_PART_SIZE = 100 * 1024;
export const MAX_PART_SIZE = 5 * 1024 ** 3;
export const MAX_PARTS = 10_000;

export interface InitMultipartOptions extends CallOptions, ServerSideEncryptionOptions {
  /** Content-Type of the object; default from the key's extension, else octet-stream. */
  mime?: string;
  /** User metadata, sent as `x-oss-meta-*`. */
  meta?: Record<string, string | number>;
  /** Extra headers the object keeps: Cache-Control, Content-Disposition, x-oss-object-acl, x-oss-tagging… */
  headers?: Record<string, string>;
}

export interface InitMultipartResult {
  uploadId: string;
  bucket: string;
  name: string;
  res: ResponseInfo;
}

export function assertUploadId(uploadId: unknown, argument = 'uploadId'): asserts uploadId is string {
  if (typeof uploadId !== 'string' || !uploadId) throw new OSSArgumentError(argument, `expected the upload id string, got ${typeName(uploadId)}`);
}

export function assertPartNumber(partNumber: unknown, argument = 'partNumber'): asserts partNumber is number {
  assertInteger(partNumber, argument, 1, MAX_PARTS);
}

/**
 * Start a multipart upload; the object takes its Content-Type, metadata and headers from here.
 * Sent again after a transient failure: a lost reply at worst leaves an empty upload behind.
 * @example const { uploadId } = await initMultipartUpload(core, 'videos/a.mp4', { meta: { owner: 'ann' } })
 */
export async function initMultipartUpload(core: OSSCore, name: string, options: InitMultipartOptions = {}): Promise<InitMultipartResult> {
  assertObjectKey(name);
  checkOptions(options, 'bucket mime meta headers serverSideEncryption serverSideEncryptionKeyId serverSideDataEncryption');
  assertMeta(options.meta, 'options.meta');
  assertOptionalString(options.mime, 'options.mime');
  const extra = headerRecord(options.headers, 'options.headers');
  const bucket = core.requireBucket(options.bucket);
  const headers = {
    ...extra,
    'content-type': options.mime ?? extra['content-type'] ?? core.feature('mime')?.fromKey(name) ?? 'application/octet-stream',
    ...metaHeaders(options.meta),
    ...encryptionRequestHeaders(options),
  };
  const raw = await core.request({
    method: 'POST', bucket, key: name, query: { uploads: null, 'encoding-type': 'url' }, headers,
    signal: options.signal, timeout: options.timeout, idempotent: true,
  });
  const { doc, res } = await readXml(raw);
  const result = doc.InitiateMultipartUploadResult;
  const uploadId = text(child(result, 'UploadId')) ?? '';
  if (!uploadId) throw new OSSError({ code: 'InvalidResponse', message: `InitiateMultipartUpload answered without an UploadId (key "${name}")`, status: res.status, bucket, key: name });
  return { uploadId, bucket, name, res };
}

export interface UploadPartOptions extends CallOptions, AliOssUploadNames {
  /** Progress of this part's bytes (`total` is the part's size). */
  onProgress?: OnUploadProgress;
  /** Extra headers, e.g. Content-MD5. */
  headers?: Record<string, string>;
}

export interface UploadPartResult {
  name: string;
  /** The part's quoted ETag, to list in completeMultipartUpload. */
  etag: string;
  /** CRC-64 of the part as the server computed it (undefined when CORS hides the header). */
  crc64: string | undefined;
  res: ResponseInfo;
}

/**
 * Upload one part (1-10000; every part but the last at least 100 KB). Uploading a number
 * again replaces that part. Slice a File for the body: `file.slice(start, end)` reads nothing.
 * @example const { etag } = await uploadPart(core, 'videos/a.mp4', uploadId, 1, file.slice(0, 8 << 20))
 */
export async function uploadPart(
  core: OSSCore, name: string, uploadId: string, partNumber: number, body: BodyInput, options: UploadPartOptions = {},
): Promise<UploadPartResult> {
  assertObjectKey(name);
  assertUploadId(uploadId);
  assertPartNumber(partNumber);
  checkOptions(options, 'bucket onProgress headers');
  assertProgressCallback(options.onProgress, 'options.onProgress');
  const headers = headerRecord(options.headers, 'options.headers');
  const bucket = core.requireBucket(options.bucket);
  const normalized = normalizeBody(body);
  // Signed explicitly, or fetch/XHR would add a typed Blob's type unsigned.
  headers['content-type'] ??= normalized.type ?? 'application/octet-stream';
  const feature = options.onProgress && core.need('progress', 'options.onProgress');
  const progress = options.onProgress && progressEmitter(options.onProgress);
  const raw = await core.request({
    method: 'PUT', bucket, key: name, query: { partNumber, uploadId }, headers, body: normalized.body,
    signal: options.signal, timeout: options.timeout,
    transport: progress && feature?.transport(core, (sent) => progress.update(sent, normalized.size, partNumber)),
  });
  const res = await discard(raw);
  const etag = res.headers.etag;
  if (!etag) {
    throw new OSSError({
      code: 'InvalidResponse', status: res.status, bucket, key: name,
      message: 'UploadPart answered without a readable ETag header: in a browser, add ETag to ExposeHeader in the bucket\'s CORS rules',
    });
  }
  progress?.finish(normalized.size, partNumber);
  return { name, etag, crc64: res.headers['x-oss-hash-crc64ecma'], res };
}

export interface CompletedPart {
  number: number;
  etag: string;
}

export interface CompleteMultipartOptions extends CallOptions {
  /** `x-oss-forbid-overwrite`, `x-oss-object-acl`, callback headers… */
  headers?: Record<string, string>;
  /** Let the server take every uploaded part in order (`x-oss-complete-all: yes`); `parts` is then ignored. */
  completeAll?: boolean;
  /** Have OSS call your app once the object exists; the result's `data` is the app's answer (see put). */
  callback?: UploadCallback;
}

export interface CompleteMultipartResult {
  bucket: string;
  name: string;
  /** The object's ETag: `"<hex>-<part count>"`. */
  etag: string;
  /** CRC-64 of the whole object (undefined when CORS hides the header). */
  crc64: string | undefined;
  res: ResponseInfo;
  /** The app's answer to `callback` (parsed JSON, else text). */
  data?: unknown;
}

/** Parts in ascending order with duplicates of the same ETag merged, as ali-oss sends them. */
function orderedParts(parts: unknown): CompletedPart[] {
  if (!Array.isArray(parts) || parts.length === 0) throw new OSSArgumentError('parts', 'expected a non-empty array of { number, etag }');
  const byNumber = new Map<number, string>();
  parts.forEach((part: unknown, i) => {
    const p = part as Partial<CompletedPart> | null;
    if (!p || typeof p !== 'object') throw new OSSArgumentError(`parts[${i}]`, `expected { number, etag }, got ${typeName(part)}`);
    assertPartNumber(p.number, `parts[${i}].number`);
    if (typeof p.etag !== 'string' || !p.etag) throw new OSSArgumentError(`parts[${i}].etag`, 'expected the ETag uploadPart returned');
    const seen = byNumber.get(p.number);
    if (seen !== undefined && seen !== p.etag) throw new OSSArgumentError(`parts[${i}]`, `part ${p.number} is listed twice with different ETags`);
    byNumber.set(p.number, p.etag);
  });
  return [...byNumber].sort((a, b) => a[0] - b[0]).map(([number, etag]) => ({ number, etag }));
}

/** @internal completeMultipartUpload, optionally re-sent by the core after a transient failure. */
export async function sendComplete(
  core: OSSCore, name: string, uploadId: string, parts: CompletedPart[] | null, options: CompleteMultipartOptions, idempotent: boolean,
): Promise<CompleteMultipartResult> {
  const bucket = core.requireBucket(options.bucket);
  const callback = options.callback === undefined ? undefined : core.need('callback', 'options.callback');
  const headers = { ...headerRecord(options.headers, 'options.headers'), ...callback?.headers(options.callback) };
  const body = parts === null
    ? undefined
    : buildXml('CompleteMultipartUpload', { Part: parts.map((p) => ({ PartNumber: p.number, ETag: p.etag })) });
  if (parts === null) headers['x-oss-complete-all'] = 'yes';
  else headers['content-type'] = 'application/xml';
  const raw = await core.request({
    method: 'POST', bucket, key: name, query: { uploadId, 'encoding-type': 'url' }, headers, body,
    signal: options.signal, timeout: options.timeout, idempotent,
  });
  if (callback) {
    // The app's answer replaces OSS's XML result; the object's facts are in the headers.
    const { data, res } = await callback.readAnswer(raw, 'POST');
    return { bucket, name, etag: res.headers.etag ?? '', crc64: res.headers['x-oss-hash-crc64ecma'], res, data };
  }
  const { doc, res } = await readXml(raw);
  const result = doc.CompleteMultipartUploadResult;
  const decode = keyDecoder(result, true);
  return {
    bucket: text(child(result, 'Bucket')) || bucket,
    name: decode(text(child(result, 'Key')) ?? '') || name,
    etag: text(child(result, 'ETag')) ?? res.headers.etag ?? '',
    crc64: res.headers['x-oss-hash-crc64ecma'],
    res,
  };
}

/**
 * Turn the uploaded parts into the object. `parts` may come in any order (they are sorted);
 * the server checks each ETag and that every part but the last has at least 100 KB.
 * @example await completeMultipartUpload(core, 'videos/a.mp4', uploadId, [{ number: 1, etag }, { number: 2, etag: etag2 }])
 */
export async function completeMultipartUpload(
  core: OSSCore, name: string, uploadId: string, parts: CompletedPart[] | null, options: CompleteMultipartOptions = {},
): Promise<CompleteMultipartResult> {
  assertObjectKey(name);
  assertUploadId(uploadId);
  checkOptions(options, 'bucket headers completeAll callback');
  if (options.completeAll !== undefined && typeof options.completeAll !== 'boolean') throw new OSSArgumentError('options.completeAll', 'expected a boolean');
  return sendComplete(core, name, uploadId, options.completeAll ? null : orderedParts(parts), options, false);
}

/**
 * Cancel a multipart upload and delete its parts (NoSuchUploadError when it is gone).
 * @example await abortMultipartUpload(core, 'videos/a.mp4', uploadId)
 */
export async function abortMultipartUpload(core: OSSCore, name: string, uploadId: string, options: CallOptions = {}): Promise<{ res: ResponseInfo }> {
  assertObjectKey(name);
  assertUploadId(uploadId);
  checkOptions(options, 'bucket');
  const bucket = core.requireBucket(options.bucket);
  const raw = await core.request({ method: 'DELETE', bucket, key: name, query: { uploadId }, signal: options.signal, timeout: options.timeout });
  return { res: await discard(raw) };
}

export interface PartCopySource {
  sourceKey: string;
  /** Default: the bucket of the call. ali-oss's `sourceBucketName` is accepted too. */
  sourceBucket?: string;
  sourceBucketName?: string;
}

export interface UploadPartCopyOptions extends CallOptions {
  /** Conditions on the source: `x-oss-copy-source-if-match`… */
  headers?: Record<string, string>;
  /** The version of the source to copy from (default its current one). */
  versionId?: string;
}

export interface UploadPartCopyResult {
  name: string;
  etag: string;
  lastModified: string;
  res: ResponseInfo;
}

/** `"0-102399"` (inclusive byte offsets, as ali-oss takes them) or whole-object `undefined`. */
function copyRange(range: unknown): string | undefined {
  if (range === undefined || range === null || range === '') return undefined;
  const m = typeof range === 'string' ? /^(\d+)-(\d+)$/.exec(range) : null;
  if (!m || Number(m[1]) > Number(m[2])) throw new OSSArgumentError('range', 'expected "first-last" inclusive byte offsets, e.g. "0-102399"');
  return `bytes=${range}`;
}

/**
 * Fill a part with a byte range of an existing object, without downloading it.
 * @example await uploadPartCopy(core, 'big.bin', uploadId, 1, '0-104857599', { sourceKey: 'src.bin' })
 */
export async function uploadPartCopy(
  core: OSSCore, name: string, uploadId: string, partNumber: number, range: string | undefined, source: PartCopySource,
  options: UploadPartCopyOptions = {},
): Promise<UploadPartCopyResult> {
  assertObjectKey(name);
  assertUploadId(uploadId);
  assertPartNumber(partNumber);
  const copyRangeHeader = copyRange(range);
  assertPlainObject(source, 'source');
  if (!source) throw new OSSArgumentError('source', 'expected { sourceKey, sourceBucket }');
  assertObjectKey(source.sourceKey, 'source.sourceKey');
  checkOptions(options, 'bucket headers versionId');
  const bucket = core.requireBucket(options.bucket);
  const sourceBucket = core.requireBucket(source.sourceBucket ?? source.sourceBucketName ?? bucket);
  const headers: Record<string, string | undefined> = {
    ...headerRecord(options.headers, 'options.headers'),
    'x-oss-copy-source': copySourceHeader(sourceBucket, source.sourceKey, options),
    'x-oss-copy-source-range': copyRangeHeader,
  };
  const raw = await core.request({
    method: 'PUT', bucket, key: name, query: { partNumber, uploadId }, headers, signal: options.signal, timeout: options.timeout,
  });
  const { doc, res } = await readXml(raw);
  const result = doc.CopyPartResult;
  return { name, etag: text(child(result, 'ETag')) ?? res.headers.etag ?? '', lastModified: text(child(result, 'LastModified')) ?? '', res };
}


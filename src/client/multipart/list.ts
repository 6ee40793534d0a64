// Listing multipart uploads in progress and their parts: one page, or every page as an async
// iterator. Keys travel with encoding-type=url, so any byte survives the XML.

import { OSSArgumentError } from '../../core/errors.js';
import { assertInteger, assertObjectKey, assertOptionalString, assertPlainObject } from '../../core/validate.js';
import { asArray, child, text, type XmlValue } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { readXml } from '../read.js';
import { keyDecoder, type CallOptions } from '../object/common.js';
import { assertUploadId, MAX_PARTS } from './primitives.js';
import { checkOptions } from '../call-options.js';
import { inKeyOrder, walkPages, type ReadAheadOption } from '../pages.js';

export interface PartSummary {
  number: number;
  etag: string;
  size: number;
  lastModified: string;
  /** The part's CRC-64, when the server reports it. */
  crc64: string | undefined;
}

export interface ListPartsQuery {
  /** Parts per page, 1-1000 (default 1000). ali-oss spelling `'max-parts'` works too. */
  maxParts?: number;
  /** List parts after this part number. ali-oss spelling `'part-number-marker'` works too. */
  partNumberMarker?: number;
  'max-parts'?: number | string;
  'part-number-marker'?: number | string;
}

export interface ListPartsResult {
  uploadId: string;
  bucket: string;
  name: string;
  partNumberMarker: number;
  /** Pass as `partNumberMarker` for the next page. */
  nextPartNumberMarker: number;
  maxParts: number;
  isTruncated: boolean;
  parts: PartSummary[];
  res: ResponseInfo;
}

/** A number given in either spelling (camelCase, or ali-oss's query name), as an integer. */
function numberParam(query: Record<string, unknown>, camel: string, kebab: string, min: number, max: number): number | undefined {
  const raw = query[camel] ?? query[kebab];
  if (raw === undefined) return undefined;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  assertInteger(n, `query.${query[camel] === undefined ? kebab : camel}`, min, max);
  return n;
}


/**
 * One page of the parts uploaded so far.
 * @example const { parts, isTruncated, nextPartNumberMarker } = await listParts(core, 'big.bin', uploadId, { maxParts: 100 })
 */
export async function listParts(
  core: OSSCore, name: string, uploadId: string, query: ListPartsQuery = {}, options: CallOptions = {},
): Promise<ListPartsResult> {
  assertObjectKey(name);
  assertUploadId(uploadId);
  assertPlainObject(query, 'query');
  checkOptions(options, 'bucket');
  const maxParts = numberParam(query, 'maxParts', 'max-parts', 1, 1000);
  const marker = numberParam(query, 'partNumberMarker', 'part-number-marker', 0, MAX_PARTS);
  const bucket = core.requireBucket(options.bucket);
  const raw = await core.request({
    method: 'GET', bucket, key: name,
    query: { uploadId, 'max-parts': maxParts, 'part-number-marker': marker, 'encoding-type': 'url' },
    signal: options.signal, timeout: options.timeout,
  });
  const { doc, res } = await readXml(raw);
  const result = doc.ListPartsResult;
  const decode = keyDecoder(result, true);
  const num = (name: string) => Number(text(child(result, name)) ?? 0);
  return {
    uploadId: text(child(result, 'UploadId')) ?? uploadId,
    bucket: text(child(result, 'Bucket')) ?? bucket,
    name: decode(text(child(result, 'Key')) ?? '') || name,
    partNumberMarker: num('PartNumberMarker'),
    nextPartNumberMarker: num('NextPartNumberMarker'),
    maxParts: num('MaxParts'),
    isTruncated: text(child(result, 'IsTruncated')) === 'true',
    parts: asArray(child(result, 'Part')).map((p) => ({
      number: Number(text(child(p, 'PartNumber'))),
      etag: text(child(p, 'ETag')) ?? '',
      size: Number(text(child(p, 'Size')) ?? 0),
      lastModified: text(child(p, 'LastModified')) ?? '',
      crc64: text(child(p, 'HashCrc64ecma')) || undefined,
    })),
    res,
  };
}

export interface ListAllOptions extends CallOptions, ReadAheadOption {
  /** Items per request (1-1000, default 1000). */
  pageSize?: number;
}

/**
 * Every part of an upload, across as many pages as it takes.
 * @example for await (const part of listAllParts(core, 'big.bin', uploadId)) console.log(part.number, part.etag)
 */
export async function* listAllParts(
  core: OSSCore, name: string, uploadId: string, options: ListAllOptions = {},
): AsyncGenerator<PartSummary, void, undefined> {
  checkOptions(options, 'bucket pageSize readAhead');
  const { pageSize = 1000, bucket, timeout } = options;
  assertInteger(pageSize, 'options.pageSize', 1, 1000);
  yield* walkPages(async (marker: number = 0, signal) => {
    const page = await listParts(core, name, uploadId, { maxParts: pageSize, partNumberMarker: marker }, { bucket, signal, timeout });
    // A marker that does not move on would list the same page forever.
    return { entries: page.parts, next: page.isTruncated && page.nextPartNumberMarker > marker ? page.nextPartNumberMarker : undefined };
  }, options);
}

export interface UploadSummary {
  name: string;
  uploadId: string;
  /** ISO 8601 time the upload was initiated. */
  initiated: string;
  storageClass: string;
}

export interface ListUploadsQuery {
  prefix?: string;
  delimiter?: string;
  /** Start after this key (with `uploadIdMarker`: after that upload of this key). */
  keyMarker?: string;
  uploadIdMarker?: string;
  /** Uploads per page, 1-1000 (default 1000). */
  maxUploads?: number;
  'key-marker'?: string;
  'upload-id-marker'?: string;
  'max-uploads'?: number | string;
}

export interface ListUploadsResult {
  bucket: string;
  uploads: UploadSummary[];
  /** Common prefixes ("folders") when a delimiter was given. */
  prefixes: string[];
  isTruncated: boolean;
  /** Where the next page starts; `''` on the last page (as OSS and ali-oss give it). */
  nextKeyMarker: string;
  nextUploadIdMarker: string;
  res: ResponseInfo;
}

/**
 * One page of the multipart uploads in progress in a bucket.
 * @example const { uploads } = await listUploads(core, { prefix: 'videos/' })
 */
export async function listUploads(core: OSSCore, query: ListUploadsQuery = {}, options: CallOptions = {}): Promise<ListUploadsResult> {
  assertPlainObject(query, 'query');
  checkOptions(options, 'bucket');
  const keyMarker = query.keyMarker ?? query['key-marker'];
  const uploadIdMarker = query.uploadIdMarker ?? query['upload-id-marker'];
  for (const [value, arg] of [[query.prefix, 'prefix'], [query.delimiter, 'delimiter'], [keyMarker, 'keyMarker'], [uploadIdMarker, 'uploadIdMarker']] as const) {
    assertOptionalString(value, `query.${arg}`);
  }
  if (uploadIdMarker && !keyMarker) throw new OSSArgumentError('query.uploadIdMarker', 'only means something together with keyMarker');
  const maxUploads = numberParam(query as Record<string, unknown>, 'maxUploads', 'max-uploads', 1, 1000);
  const bucket = core.requireBucket(options.bucket);
  const raw = await core.request({
    method: 'GET', bucket,
    // Empty strings mean "absent".
    query: {
      uploads: null, prefix: query.prefix || undefined, delimiter: query.delimiter || undefined, 'key-marker': keyMarker || undefined,
      'upload-id-marker': uploadIdMarker || undefined, 'max-uploads': maxUploads, 'encoding-type': 'url',
    },
    signal: options.signal, timeout: options.timeout,
  });
  const { doc, res } = await readXml(raw);
  const result = doc.ListMultipartUploadsResult;
  const decode = keyDecoder(result, true);
  return {
    bucket: text(child(result, 'Bucket')) ?? bucket,
    uploads: asArray(child(result, 'Upload')).map((u) => ({
      name: decode(text(child(u, 'Key')) ?? ''),
      uploadId: text(child(u, 'UploadId')) ?? '',
      initiated: text(child(u, 'Initiated')) ?? '',
      storageClass: text(child(u, 'StorageClass')) ?? '',
    })),
    prefixes: asArray(child(result, 'CommonPrefixes')).map((p) => decode(text(child(p, 'Prefix')) ?? '')),
    isTruncated: text(child(result, 'IsTruncated')) === 'true',
    nextKeyMarker: decode(text(child(result, 'NextKeyMarker')) ?? ''),
    nextUploadIdMarker: text(child(result, 'NextUploadIdMarker')) ?? '',
    res,
  };
}

export interface ListAllUploadsOptions extends ListAllOptions {
  prefix?: string;
  delimiter?: string;
}

/**
 * Every upload in progress under a prefix, across pages; with a delimiter, common prefixes come
 * as `{ name, isPrefix: true }`.
 * @example for await (const u of listAllUploads(core, { prefix: 'tmp/' })) await abortMultipartUpload(core, u.name, u.uploadId)
 */
export async function* listAllUploads(
  core: OSSCore, options: ListAllUploadsOptions = {},
): AsyncGenerator<UploadSummary | { name: string; isPrefix: true }, void, undefined> {
  checkOptions(options, 'bucket prefix delimiter pageSize readAhead');
  const { pageSize = 1000, prefix, delimiter, bucket, timeout } = options;
  assertInteger(pageSize, 'options.pageSize', 1, 1000);
  yield* walkPages(async (at: { keyMarker: string; uploadIdMarker?: string } | undefined, signal) => {
    const page = await listUploads(core, { prefix, delimiter, maxUploads: pageSize, ...at }, { bucket, signal, timeout });
    const next = page.isTruncated && page.nextKeyMarker ? { keyMarker: page.nextKeyMarker, uploadIdMarker: page.nextUploadIdMarker || undefined } : undefined;
    return { entries: inKeyOrder(page.uploads, page.prefixes), next };
  }, options);
}

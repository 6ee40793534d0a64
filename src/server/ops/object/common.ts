// What PutObject, CopyObject, GetObject and HeadObject share: the key rules, the attributes a
// write takes from its headers, the headers a read returns, and conditional headers.

import { fromBase64 } from '../../../core/crypto.js';
import { serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import type { ObjectRecord } from '../../storage/types.js';
import { httpDate, setHeader } from '../common.js';

/** Standard headers an object keeps and returns on GET/HEAD. */
const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];
const STORAGE_CLASSES = new Set(['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive']);
const OBJECT_ACLS = new Set(['default', 'private', 'public-read', 'public-read-write']);
/** The largest object a single PutObject or a chain of appends may write. */
export const MAX_OBJECT_BYTES = 5 * 1024 ** 3;
const MAX_META_BYTES = 8192;
const MAX_KEY_BYTES = 1023;
const encoder = new TextEncoder();

/** OSS key rules: 1-1023 bytes of UTF-8, not starting with "/" or "\". */
export function checkKey(key: string | null): string {
  if (key === null || key === '') throw serverError('InvalidObjectName', {}, 'The object name must not be empty.');
  if (key.startsWith('/') || key.startsWith('\\')) throw serverError('InvalidObjectName', { Key: key }, 'The object name must not start with "/" or "\\".');
  if (encoder.encode(key).length > MAX_KEY_BYTES) throw serverError('InvalidObjectName', {}, `The object name is longer than ${MAX_KEY_BYTES} bytes.`);
  return key;
}

/** The request's object key, checked. */
export function requireKey(ctx: RequestContext): string {
  return checkKey(ctx.key);
}

/** `x-oss-meta-*` headers (names lower-case, without the prefix), at most 8 KB in all. */
export function userMeta(ctx: RequestContext): Record<string, string> {
  const meta: Record<string, string> = {};
  let size = 0;
  for (const [name, value] of ctx.headers) {
    if (!name.startsWith('x-oss-meta-')) continue;
    const short = name.slice(11);
    meta[short] = value;
    size += encoder.encode(short).length + encoder.encode(value).length;
  }
  if (size > MAX_META_BYTES) throw serverError('InvalidArgument', {}, `Your metadata headers exceed the maximum allowed metadata size (${MAX_META_BYTES} bytes).`);
  return meta;
}

/** Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires of the request. */
export function storedHeaders(ctx: RequestContext): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const v = ctx.headers.get(name);
    if (v !== undefined) stored[name] = v;
  }
  return stored;
}

/** `x-oss-object-acl`, checked; `default` (the bucket's) when absent. */
export function objectAcl(ctx: RequestContext): string {
  const acl = ctx.headers.get('x-oss-object-acl') ?? 'default';
  if (!OBJECT_ACLS.has(acl)) throw serverError('InvalidArgument', { ArgumentName: 'x-oss-object-acl', ArgumentValue: acl }, 'no such object access control exists');
  return acl;
}

/** `x-oss-storage-class`, checked; `fallback` when absent. */
export function storageClass(ctx: RequestContext, fallback: string): string {
  const value = ctx.headers.get('x-oss-storage-class') ?? fallback;
  if (!STORAGE_CLASSES.has(value)) throw serverError('InvalidArgument', { ArgumentName: 'x-oss-storage-class', ArgumentValue: value }, 'Unsupported storage class.');
  return value;
}

/** Refuse to replace an existing object when the request says `x-oss-forbid-overwrite: true`. */
export function checkForbidOverwrite(ctx: RequestContext, existing: ObjectRecord | undefined): void {
  if (existing && ctx.headers.get('x-oss-forbid-overwrite')?.toLowerCase() === 'true') throw serverError('FileAlreadyExists', {});
}

/** The headers GET and HEAD return for an object. */
export function objectHeaders(record: ObjectRecord): Headers {
  const headers = new Headers({
    'content-type': record.contentType,
    etag: record.etag,
    'last-modified': httpDate(record.lastModified),
    'accept-ranges': 'bytes',
    'x-oss-object-type': record.objectType,
    'x-oss-storage-class': record.storageClass,
    'x-oss-hash-crc64ecma': record.crc64,
  });
  for (const [name, value] of Object.entries(record.headers)) setHeader(headers, name, value);
  for (const [name, value] of Object.entries(record.meta)) setHeader(headers, `x-oss-meta-${name}`, value);
  return headers;
}

export type ConditionOutcome = { status: 412; condition: string } | { status: 304 } | undefined;

/**
 * RFC 7232's order: If-Match (else If-Unmodified-Since) can fail the request with 412; then
 * If-None-Match (else If-Modified-Since) can make it a 304. Unparseable dates are ignored.
 * `prefix` is `x-oss-copy-source-` for CopyObject's conditions on its source.
 */
export function evaluateConditions(ctx: RequestContext, record: ObjectRecord, prefix = ''): ConditionOutcome {
  const get = (name: string) => ctx.headers.get(prefix + name);
  // The Condition element of the 412 names the header that failed.
  const label = (name: string) => (prefix ? prefix + name.toLowerCase() : name);
  const ifMatch = get('if-match');
  const ifUnmodifiedSince = get('if-unmodified-since');
  const ifNoneMatch = get('if-none-match');
  const ifModifiedSince = get('if-modified-since');
  // HTTP dates have whole seconds.
  const modified = Math.floor(record.lastModified / 1000) * 1000;
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, record.etag)) return { status: 412, condition: label('If-Match') };
  } else if (ifUnmodifiedSince !== undefined && modified > Date.parse(ifUnmodifiedSince)) {
    return { status: 412, condition: label('If-Unmodified-Since') };
  }
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, record.etag)) return { status: 304 };
  } else if (ifModifiedSince !== undefined && modified <= Date.parse(ifModifiedSince)) {
    return { status: 304 };
  }
  return undefined;
}

/** A conditional header's ETag list (`"A", W/"B"`, `*`) against an object's ETag. */
function etagMatches(header: string, etag: string): boolean {
  const bare = etag.replace(/"/g, '').toUpperCase();
  return header.split(',').some((t) => {
    const v = t.trim().replace(/^W\//, '').replace(/"/g, '').toUpperCase();
    return v === '*' || v === bare;
  });
}

/** Whether a Content-MD5 header (base64) names these MD5 bytes; a malformed header does not. */
export function sameMd5(header: string, md5: Uint8Array): boolean {
  try {
    const given = fromBase64(header);
    return given.length === md5.length && given.every((b, i) => b === md5[i]);
  } catch {
    return false;
  }
}

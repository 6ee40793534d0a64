// Object operations: PutObject, GetObject, HeadObject, DeleteObject.

import { fromBase64, toBase64, toHex } from '../../core/crypto.js';
import { serverError } from '../errors.js';
import type { RequestContext } from '../handler.js';
import type { BucketRecord, ByteRange, ObjectRecord, WriteDigest } from '../storage/types.js';
import { authorize, emptyResponse, httpDate, loadBucket, setHeader } from './common.js';
import { route, type RouteDef } from './routes.js';

const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];
const STORAGE_CLASSES = new Set(['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive']);
const OBJECT_ACLS = new Set(['default', 'private', 'public-read', 'public-read-write']);
const MAX_META_BYTES = 8192;
const MAX_OBJECT_BYTES = 5 * 1024 ** 3;
const encoder = new TextEncoder();

/** OSS key rules: 1-1023 bytes of UTF-8, not starting with "/" or "\". */
export function requireKey(ctx: RequestContext): string {
  const key = ctx.key;
  if (key === null || key === '') throw serverError('InvalidObjectName', {}, 'The object name must not be empty.');
  if (key.startsWith('/') || key.startsWith('\\')) throw serverError('InvalidObjectName', { Key: key }, 'The object name must not start with "/" or "\\".');
  if (encoder.encode(key).length > 1023) throw serverError('InvalidObjectName', {}, 'The object name is longer than 1023 bytes.');
  return key;
}

function userMeta(ctx: RequestContext): Record<string, string> {
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

export async function putObject(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'write');
  const key = requireKey(ctx);
  const h = ctx.headers;
  const declared = h.get('content-length');
  if (declared !== undefined && Number(declared) > MAX_OBJECT_BYTES) throw serverError('EntityTooLarge', {}, 'Your proposed upload exceeds the maximum allowed object size.');
  const acl = h.get('x-oss-object-acl') ?? 'default';
  if (!OBJECT_ACLS.has(acl)) throw serverError('InvalidArgument', { ArgumentName: 'x-oss-object-acl', ArgumentValue: acl }, 'no such object access control exists');
  const storageClass = h.get('x-oss-storage-class') ?? bucket.storageClass;
  if (!STORAGE_CLASSES.has(storageClass)) throw serverError('InvalidArgument', { ArgumentName: 'x-oss-storage-class', ArgumentValue: storageClass }, 'Unsupported storage class.');
  const meta = userMeta(ctx);
  const stored: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const v = h.get(name);
    if (v !== undefined) stored[name] = v;
  }
  const contentMd5 = h.get('content-md5');
  if (h.get('x-oss-forbid-overwrite') === 'true' && (await ctx.state.storage.getObject(bucket.name, key))) {
    throw serverError('FileAlreadyExists', {});
  }
  const body = ctx.request.body ?? new Uint8Array(0);
  const now = ctx.state.now();
  const record = await ctx.state.storage.putObject(bucket.name, key, body, (digest: WriteDigest): ObjectRecord => {
    if (declared !== undefined && Number(declared) !== digest.size) {
      throw serverError('InvalidArgument', {}, `The body is ${digest.size} bytes but Content-Length said ${declared}.`);
    }
    if (digest.size > MAX_OBJECT_BYTES) throw serverError('EntityTooLarge', {});
    if (contentMd5 !== undefined && !sameMd5(contentMd5, digest.md5)) throw serverError('InvalidDigest', {}, 'The Content-MD5 you specified did not match what we received.');
    return {
      key,
      size: digest.size,
      etag: `"${toHex(digest.md5).toUpperCase()}"`,
      lastModified: now,
      crc64: digest.crc64,
      contentType: h.get('content-type') || 'application/octet-stream',
      headers: stored,
      meta,
      objectType: 'Normal',
      storageClass,
      acl,
      tags: {},
    };
  });
  const headers = new Headers({
    etag: record.etag,
    'x-oss-hash-crc64ecma': record.crc64,
    'content-md5': md5Base64(record.etag),
  });
  return emptyResponse(200, headers);
}

function sameMd5(header: string, md5: Uint8Array): boolean {
  try {
    const given = fromBase64(header);
    return given.length === md5.length && given.every((b, i) => b === md5[i]);
  } catch {
    return false;
  }
}

function md5Base64(etag: string): string {
  const hex = etag.replace(/"/g, '');
  if (!/^[0-9A-F]{32}$/.test(hex)) return '';
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return toBase64(bytes);
}

async function loadObject(ctx: RequestContext, bucket: BucketRecord, access: 'read' | 'write'): Promise<ObjectRecord> {
  const key = requireKey(ctx);
  const record = await ctx.state.storage.getObject(bucket.name, key);
  if (!record) {
    // Without read permission on the bucket, a missing key must not be distinguishable.
    authorize(ctx, bucket, access);
    throw serverError('NoSuchKey', { Key: key });
  }
  authorize(ctx, bucket, access, record);
  return record;
}

/** The headers GET and HEAD return for an object. */
function objectHeaders(record: ObjectRecord): Headers {
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

/** 304/412 per the conditional headers, or undefined to go on. */
function checkConditions(ctx: RequestContext, record: ObjectRecord): Response | undefined {
  const h = ctx.headers;
  const ifMatch = h.get('if-match');
  const ifNoneMatch = h.get('if-none-match');
  const ifModifiedSince = h.get('if-modified-since');
  const ifUnmodifiedSince = h.get('if-unmodified-since');
  const modified = Math.floor(record.lastModified / 1000) * 1000;
  if (ifMatch !== undefined && !etagMatches(ifMatch, record.etag)) throw serverError('PreconditionFailed', { Condition: 'If-Match' });
  if (ifUnmodifiedSince !== undefined && modified > Date.parse(ifUnmodifiedSince)) {
    throw serverError('PreconditionFailed', { Condition: 'If-Unmodified-Since' });
  }
  const notModified =
    (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, record.etag)) ||
    (ifNoneMatch === undefined && ifModifiedSince !== undefined && modified <= Date.parse(ifModifiedSince));
  if (notModified) {
    return new Response(null, { status: 304, headers: { etag: record.etag, 'last-modified': httpDate(record.lastModified) } });
  }
  return undefined;
}

function etagMatches(header: string, etag: string): boolean {
  const bare = etag.replace(/"/g, '').toUpperCase();
  return header.split(',').some((t) => {
    const v = t.trim().replace(/^W\//, '').replace(/"/g, '').toUpperCase();
    return v === '*' || v === bare;
  });
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`. Invalid or unsatisfiable ranges serve the whole object, as OSS does by default. */
function parseRange(header: string | undefined, size: number, standard: boolean): ByteRange | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return undefined;
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Number(m[2]);
    if (end < start) return undefined;
    if (end >= size) {
      if (!standard) return start < size && m[2] === '' ? { start, end: size - 1 } : undefined;
      end = size - 1;
    }
  }
  if (start >= size) {
    if (standard) throw serverError('InvalidRange', { RangeRequested: header, ActualObjectSize: String(size) }, 'The requested range cannot be satisfied.');
    return undefined;
  }
  return { start, end };
}

const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

export async function getObject(ctx: RequestContext, headOnly: boolean): Promise<Response> {
  const bucket = await loadBucket(ctx);
  const record = await loadObject(ctx, bucket, 'read');
  const conditional = checkConditions(ctx, record);
  if (conditional) return conditional;
  const headers = objectHeaders(record);
  for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
    const v = ctx.query.get(param);
    if (v !== null) setHeader(headers, header, v);
  }
  const range = parseRange(ctx.headers.get('range'), record.size, ctx.headers.get('x-oss-range-behavior') === 'standard');
  const status = range ? 206 : 200;
  const length = range ? range.end - range.start + 1 : record.size;
  headers.set('content-length', String(length));
  if (range) headers.set('content-range', `bytes ${range.start}-${range.end}/${record.size}`);
  if (headOnly) return new Response(null, { status, headers });
  const body = length === 0 ? null : await ctx.state.storage.readObject(bucket.name, record.key, range);
  return new Response(body, { status, headers });
}

export async function deleteObject(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'write');
  const key = requireKey(ctx);
  await ctx.state.storage.deleteObject(bucket.name, key);
  return emptyResponse(204);
}

export const objectRoutes: RouteDef[] = [
  route('object', 'PUT', '', putObject),
  route('object', 'GET', '', (ctx) => getObject(ctx, false)),
  route('object', 'HEAD', '', (ctx) => getObject(ctx, true)),
  route('object', 'DELETE', '', deleteObject),
];

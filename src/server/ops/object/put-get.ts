// Object operations: PutObject (and CopyObject, which is a PUT with x-oss-copy-source),
// GetObject, HeadObject, GetObjectMeta, DeleteObject.

import { toBase64, toHex } from '../../../core/crypto.js';
import { serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import type { BucketRecord, ByteRange, ObjectRecord, WriteDigest } from '../../storage/types.js';
import { authorize, emptyResponse, httpDate, loadBucket, setHeader } from '../common.js';
import { encryptionHeaders, requestedEncryption } from './encryption.js';
import { processImage } from '../image.js';
import { copyObject } from './copy.js';
import { checkReadable, priorityHeader } from './restore.js';
import { restoreInfo, restoreState } from './restore-state.js';
import { resolveSymlink, symlinkView } from './symlink.js';
import { parseTaggingHeader } from './tagging.js';
import {
  checkForbidOverwrite, evaluateConditions, MAX_OBJECT_BYTES, sameMd5, objectAcl, objectHeaders, requireKey, storageClass, storedHeaders, userMeta,
} from './common.js';
import { defineRoute, type RouteDef } from '../routes.js';
import { deleteVersioned, loadVersion, putVersioned, readVersion, setVersionHeader } from './versions.js';
import { websiteResponse } from '../bucket/website.js';
import { checkRetention } from '../bucket/worm.js';



export async function putObject(ctx: RequestContext): Promise<Response> {
  if (ctx.headers.has('x-oss-copy-source')) return copyObject(ctx);
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'write');
  const key = requireKey(ctx);
  const h = ctx.headers;
  const declared = h.get('content-length');
  if (declared !== undefined && Number(declared) > MAX_OBJECT_BYTES) throw serverError('EntityTooLarge', {}, 'Your proposed upload exceeds the maximum allowed object size.');
  const acl = objectAcl(ctx);
  const cls = storageClass(ctx, bucket.storageClass);
  const meta = userMeta(ctx);
  const encryption = encryptionHeaders(requestedEncryption(ctx, bucket));
  const stored = { ...storedHeaders(ctx), ...encryption };
  const tags = parseTaggingHeader(h.get('x-oss-tagging'));
  const contentMd5 = h.get('content-md5');
  await checkRetention(ctx, bucket, key);
  checkForbidOverwrite(ctx, await ctx.state.storage.getObject(bucket.name, key));
  const body = ctx.request.body ?? new Uint8Array(0);
  const now = ctx.state.now();
  const record = await putVersioned(ctx, bucket, key, body, (digest: WriteDigest): ObjectRecord => {
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
      storageClass: cls,
      acl,
      tags,
    };
  });
  const headers = new Headers({
    etag: record.etag,
    'x-oss-hash-crc64ecma': record.crc64,
    'content-md5': md5Base64(record.etag),
    ...encryption,
  });
  setVersionHeader(headers, record);
  return emptyResponse(200, headers);
}


function md5Base64(etag: string): string {
  const hex = etag.replace(/"/g, '');
  if (!/^[0-9A-F]{32}$/.test(hex)) return '';
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return toBase64(bytes);
}

/** 304 for a read whose conditions say "unchanged"; throws 412 PreconditionFailed. */
function conditionalResponse(ctx: RequestContext, record: ObjectRecord): Response | undefined {
  const outcome = evaluateConditions(ctx, record);
  if (outcome?.status === 412) throw serverError('PreconditionFailed', { Condition: outcome.condition });
  if (outcome?.status === 304) {
    return new Response(null, { status: 304, headers: { etag: record.etag, 'last-modified': httpDate(record.lastModified) } });
  }
  return undefined;
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
  const site = await websiteResponse(ctx, bucket);
  if (site) return site;
  // A symlink serves its target's bytes; its headers are partly the link's (symlinkView).
  const stored = await loadVersion(ctx, bucket, requireKey(ctx), 'read');
  const record = await resolveSymlink(ctx, bucket, stored);
  const shown = symlinkView(stored, record);
  const now = ctx.state.now();
  if (!headOnly) checkReadable(record, now);
  if (!headOnly && ctx.query.has('x-oss-process')) return processImage(ctx, bucket, record);
  const conditional = conditionalResponse(ctx, shown);
  if (conditional) return conditional;
  const headers = objectHeaders(shown);
  setVersionHeader(headers, shown);
  for (const [name, value] of Object.entries(objectStateHeaders(record, now))) headers.set(name, value);
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
  const body = length === 0 ? null : await readVersion(ctx, bucket, record, range);
  return new Response(body, { status, headers });
}

/** GetObjectMeta (`HEAD /<key>?objectMeta`): only the basic facts, no user metadata. */
export async function getObjectMeta(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  const record = await loadVersion(ctx, bucket, requireKey(ctx), 'read');
  const headers = new Headers({
    etag: record.etag,
    'content-length': String(record.size),
    'last-modified': httpDate(record.lastModified),
    'x-oss-hash-crc64ecma': record.crc64,
  });
  if (record.versionId !== undefined) headers.set('x-oss-version-id', record.versionId);
  return new Response(null, { status: 200, headers });
}

export async function deleteObject(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'write');
  const key = requireKey(ctx);
  await checkRetention(ctx, bucket, key, ctx.query.get('versionId'));
  return deleteVersioned(ctx, bucket, key);
}

/**
 * GetObject/HeadObject hook: headers that show an object's state — where the next append goes,
 * how a restore stands, how many tags it has.
 */
function objectStateHeaders(record: ObjectRecord, now: number): Record<string, string> {
  const out: Record<string, string> = {};
  if (record.objectType === 'Appendable') out['x-oss-next-append-position'] = String(record.size);
  const restore = restoreInfo(record, now);
  if (restore !== undefined) {
    out['x-oss-restore'] = restore;
    Object.assign(out, priorityHeader(restoreState(record)));
  }
  const tagCount = Object.keys(record.tags).length;
  if (tagCount) out['x-oss-tagging-count'] = String(tagCount);
  return out;
}

export const objectRoutes: RouteDef[] = [
  defineRoute('object', 'PUT', '', putObject),
  defineRoute('object', 'GET', '', (ctx) => getObject(ctx, false)),
  defineRoute('object', 'HEAD', '', (ctx) => getObject(ctx, true)),
  defineRoute('object', 'HEAD', 'objectMeta', getObjectMeta),
  defineRoute('object', 'DELETE', '', deleteObject),
  // A bucket-scoped request, but an object operation.
];

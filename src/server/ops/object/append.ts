// AppendObject: appendable objects grow in place at `?position=`, the whole object's CRC-64
// combined from the parts'.

import { crc64Combine } from '../../../core/crc64.js';
import { ServerError, errorResponse, serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import type { ExtendedStorage, ObjectRecord, Storage, WriteDigest } from '../../storage/types.js';
import { authorize, emptyResponse, loadBucket } from '../common.js';
import { defineRoute, type RouteDef } from '../routes.js';
import { MAX_OBJECT_BYTES, objectAcl, requireKey, sameMd5, storageClass, storedHeaders, userMeta } from './common.js';
import { parseTaggingHeader } from './tagging.js';

function withAppend(storage: Storage): ExtendedStorage {
  if (typeof (storage as Partial<ExtendedStorage>).appendObject !== 'function') {
    throw serverError('NotImplemented', {}, 'This server storage does not support appendable objects.');
  }
  return storage as ExtendedStorage;
}

function positionParam(ctx: RequestContext): number {
  const raw = ctx.query.get('position');
  if (raw === null || !/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw serverError('InvalidArgument', { ArgumentName: 'position', ArgumentValue: raw ?? '' }, 'position must be the current length of the object.');
  }
  return Number(raw);
}


/** Appendable objects have no content MD5; this ETag changes with every append, as OSS's does. */
function appendEtag(crc64: string, size: number): string {
  return `"${BigInt(crc64).toString(16).padStart(16, '0')}${size.toString(16).padStart(16, '0')}"`.toUpperCase();
}

export async function appendObject(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'write');
  const key = requireKey(ctx);
  const position = positionParam(ctx);
  const storage = withAppend(ctx.state.storage);
  const h = ctx.headers;
  const declared = h.get('content-length');
  const contentMd5 = h.get('content-md5');
  // What only the first append sets; later appends ignore these headers, as OSS does.
  const acl = objectAcl(ctx);
  const cls = storageClass(ctx, bucket.storageClass);
  const meta = userMeta(ctx);
  const stored = storedHeaders(ctx);
  const tags = parseTaggingHeader(h.get('x-oss-tagging'));
  const now = ctx.state.now();
  let currentLength = 0;
  const finish = (digest: WriteDigest, previous: ObjectRecord | undefined): ObjectRecord => {
    if (previous && previous.objectType !== 'Appendable') {
      throw new ServerError('ObjectNotAppendable', 'The object is not appendable.', {}, 409, '0026-00000017');
    }
    currentLength = previous?.size ?? 0;
    if (position !== currentLength) {
      throw new ServerError('PositionNotEqualToLength', 'Position is not equal to file length.', {}, 409, '0026-00000016');
    }
    if (declared !== undefined && Number(declared) !== digest.size) {
      throw serverError('InvalidArgument', {}, `The body is ${digest.size} bytes but Content-Length said ${declared}.`);
    }
    if (contentMd5 !== undefined && !sameMd5(contentMd5, digest.md5)) throw serverError('InvalidDigest', {}, 'The Content-MD5 you specified did not match what we received.');
    const size = currentLength + digest.size;
    if (size > MAX_OBJECT_BYTES) throw serverError('EntityTooLarge', {}, 'An appendable object cannot grow beyond 5 GB.');
    const crc64 = previous ? crc64Combine(previous.crc64, digest.crc64, digest.size).toString() : digest.crc64;
    const base: ObjectRecord = previous ?? {
      key, size: 0, etag: '', lastModified: now, crc64: '0',
      contentType: h.get('content-type') || 'application/octet-stream',
      headers: stored, meta, objectType: 'Appendable', storageClass: cls, acl, tags,
    };
    return { ...base, size, crc64, etag: appendEtag(crc64, size), lastModified: now };
  };
  let record: ObjectRecord;
  try {
    record = await storage.appendObject(bucket.name, key, ctx.request.body ?? new Uint8Array(0), finish);
  } catch (err) {
    // The only error that tells the client where to continue.
    if (err instanceof ServerError && err.code === 'PositionNotEqualToLength') {
      return errorResponse(err, ctx, new Headers({ 'x-oss-next-append-position': String(currentLength) }));
    }
    throw err;
  }
  return emptyResponse(200, { 'x-oss-next-append-position': String(record.size), 'x-oss-hash-crc64ecma': record.crc64 });
}

export const appendRoutes: RouteDef[] = [defineRoute('object', 'POST', 'append', appendObject)];

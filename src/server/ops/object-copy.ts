// CopyObject: `PUT /<key>` with `x-oss-copy-source: /<bucket>/<percent-encoded key>`.
// Metadata comes from the source (COPY, the default) or from the request (REPLACE).

import { toHex } from '../../core/crypto.js';
import { decodeUriComponentSafe } from '../../core/encoding.js';
import { serverError } from '../errors.js';
import type { RequestContext } from '../context.js';
import type { BucketRecord, ObjectRecord } from '../storage/types.js';
import { authorize, authorizeResource, isoDate, loadBucket, sourceAccess, xmlResponse } from './common.js';
import { checkReadable, parseTaggingHeader } from './object-extra.js';
import {
  checkForbidOverwrite, checkKey, evaluateConditions, objectAcl, requireKey, storageClass, storedHeaders, userMeta,
} from './object-common.js';

interface CopySource {
  bucket: string;
  key: string;
  versionId: string | null;
}

/**
 * `/bucket/key[?versionId=…]`. ali-oss encodes the key with encodeURIComponent (so "/" is
 * `%2F`), Go keeps "/" raw: both decode to the same key. A raw "?" only starts the query.
 */
function parseCopySource(value: string): CopySource {
  const q = value.indexOf('?');
  const path = q === -1 ? value : value.slice(0, q);
  const versionId = q === -1 ? null : new URLSearchParams(value.slice(q + 1)).get('versionId');
  const m = /^\/?([^/]+)\/(.+)$/s.exec(path);
  if (!m) {
    throw serverError('InvalidArgument', { ArgumentName: 'x-oss-copy-source', ArgumentValue: value }, 'Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.');
  }
  return { bucket: m[1]!, key: checkKey(decodeUriComponentSafe(m[2]!)), versionId };
}

/** The source record, readable by the caller (GetObject on the source, not the destination), and its bucket. */
async function loadSource(ctx: RequestContext, target: BucketRecord, source: CopySource): Promise<[BucketRecord, ObjectRecord]> {
  const bucket = source.bucket === target.name ? target : await ctx.state.storage.getBucket(source.bucket);
  if (!bucket) throw serverError('NoSuchBucket', { BucketName: source.bucket });
  const record = await ctx.state.storage.getObject(bucket.name, source.key);
  authorizeResource(ctx, sourceAccess(bucket, source.key, source.versionId, record));
  if (!record) throw serverError('NoSuchKey', { Key: source.key });
  if (source.versionId !== null && source.versionId !== record.versionId) {
    throw serverError('NotImplemented', {}, 'The local server copies only the current version of an object.');
  }
  return [bucket, record];
}

/** The attributes of the copy: the source's under COPY, the request's under REPLACE. */
function copyAttributes(ctx: RequestContext, source: ObjectRecord): Pick<ObjectRecord, 'contentType' | 'headers' | 'meta' | 'acl' | 'storageClass' | 'tags'> {
  const directive = ctx.headers.get('x-oss-metadata-directive') ?? 'COPY';
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw serverError('InvalidArgument', { ArgumentName: 'x-oss-metadata-directive', ArgumentValue: directive }, 'The x-oss-metadata-directive must be COPY or REPLACE.');
  }
  const tagging = ctx.headers.get('x-oss-tagging-directive') ?? 'Copy';
  if (tagging !== 'Copy' && tagging !== 'Replace') {
    throw serverError('InvalidArgument', { ArgumentName: 'x-oss-tagging-directive', ArgumentValue: tagging }, 'The x-oss-tagging-directive must be Copy or Replace.');
  }
  const replace = directive === 'REPLACE';
  return {
    // A REPLACE without Content-Type keeps the source's rather than inventing one.
    contentType: (replace && ctx.headers.get('content-type')) || source.contentType,
    headers: replace ? storedHeaders(ctx) : source.headers,
    meta: replace ? userMeta(ctx) : source.meta,
    acl: objectAcl(ctx),
    storageClass: storageClass(ctx, source.storageClass),
    tags: tagging === 'Replace' ? parseTaggingHeader(ctx.headers.get('x-oss-tagging')) : source.tags,
  };
}

export async function copyObject(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'write');
  const key = requireKey(ctx);
  const source = parseCopySource(ctx.headers.get('x-oss-copy-source')!);
  const [sourceBucket, record] = await loadSource(ctx, bucket, source);
  const now = ctx.state.now();
  // An archived source must be restored first, as for a GET.
  checkReadable(record, now);
  const outcome = evaluateConditions(ctx, record, 'x-oss-copy-source-');
  if (outcome?.status === 412) throw serverError('PreconditionFailed', { Condition: outcome.condition });
  if (outcome?.status === 304) return new Response(null, { status: 304, headers: { etag: record.etag } });
  const attributes = copyAttributes(ctx, record);
  const storage = ctx.state.storage;
  const sameObject = sourceBucket.name === bucket.name && record.key === key;
  checkForbidOverwrite(ctx, sameObject ? record : await storage.getObject(bucket.name, key));

  let copy: ObjectRecord;
  if (sameObject) {
    // Copying onto itself changes only the record (this is how metadata is edited).
    copy = { ...record, ...attributes, lastModified: now };
    await storage.updateObjectRecord(bucket.name, copy);
  } else if (record.objectType === 'Symlink') {
    // Copying a symlink copies the link, not its target.
    copy = await storage.putObject(bucket.name, key, new Uint8Array(0), () => ({ ...record, ...attributes, key, lastModified: now }));
  } else {
    const bytes = await storage.readObject(sourceBucket.name, record.key).catch((err: unknown) => {
      if ((err as { code?: string }).code === 'NoSuchKey') throw serverError('NoSuchKey', { Key: record.key });
      throw err;
    });
    copy = await storage.putObject(bucket.name, key, bytes, (digest) => ({
      key,
      size: digest.size,
      etag: `"${toHex(digest.md5).toUpperCase()}"`,
      lastModified: now,
      crc64: digest.crc64,
      objectType: 'Normal',
      ...attributes,
    }));
  }
  return xmlResponse('CopyObjectResult', { ETag: copy.etag, LastModified: isoDate(copy.lastModified) }, 200, {
    'x-oss-hash-crc64ecma': copy.crc64,
  });
}

// CopyObject: `PUT /<key>` with `x-oss-copy-source: /<bucket>/<percent-encoded key>[?versionId=…]`.
// Metadata comes from the source (COPY, the default) or from the request (REPLACE).

import { toHex } from '../../../core/crypto.js';
import { serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import type { BucketRecord, ObjectRecord } from '../../storage/types.js';
import { authorize, isoDate, loadBucket, xmlResponse } from '../common.js';
import { encryptionHeaders, requestedEncryption, storedEncryption, withoutEncryption } from './encryption.js';
import { checkReadable } from './restore.js';
import { parseTaggingHeader } from './tagging.js';
import { copySourceBytes, loadCopySource, parseCopySource, sourceVersionHeaders } from './copy-source.js';
import { checkRetention } from '../bucket/worm.js';
import {
  checkForbidOverwrite, evaluateConditions, objectAcl, requireKey, storageClass, storedHeaders, userMeta,
} from './common.js';
import { putVersioned, setVersionHeader, versioningMode } from './versions.js';

/** The attributes of the copy: the source's under COPY, the request's under REPLACE. */
function copyAttributes(ctx: RequestContext, bucket: BucketRecord, source: ObjectRecord): Pick<ObjectRecord, 'contentType' | 'headers' | 'meta' | 'acl' | 'storageClass' | 'tags'> {
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
    // REPLACE replaces every attribute: without a Content-Type the copy gets PutObject's default.
    contentType: replace ? ctx.headers.get('content-type') || 'application/octet-stream' : source.contentType,
    // The copy's encryption is the request's or the target bucket's default, never the source's.
    headers: { ...withoutEncryption(replace ? storedHeaders(ctx) : source.headers), ...encryptionHeaders(requestedEncryption(ctx, bucket)) },
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
  const { bucket: sourceBucket, record } = await loadCopySource(ctx, bucket, source);
  const now = ctx.state.now();
  // An archived source must be restored first, as for a GET.
  checkReadable(record, now);
  const outcome = evaluateConditions(ctx, record, 'x-oss-copy-source-');
  if (outcome?.status === 412) throw serverError('PreconditionFailed', { Condition: outcome.condition });
  if (outcome?.status === 304) return new Response(null, { status: 304, headers: { etag: record.etag } });
  const attributes = copyAttributes(ctx, bucket, record);
  const storage = ctx.state.storage;
  const sameObject = sourceBucket.name === bucket.name && record.key === key;
  await checkRetention(ctx, bucket, key);
  checkForbidOverwrite(ctx, sameObject ? record : await storage.getObject(bucket.name, key));

  let copy: ObjectRecord;
  if (sameObject && versioningMode(bucket) === 'off') {
    // Copying onto itself changes only the record (this is how metadata is edited); in a
    // versioned bucket it writes a new version instead, like any copy.
    copy = { ...record, ...attributes, lastModified: now };
    await storage.updateObjectRecord(bucket.name, copy);
  } else if (record.objectType === 'Symlink') {
    // Copying a symlink copies the link, not its target.
    const { versionId: _source, ...link } = record;
    copy = await putVersioned(ctx, bucket, key, new Uint8Array(0), () => ({ ...link, ...attributes, key, lastModified: now }));
  } else {
    const bytes = await copySourceBytes(ctx, sourceBucket, record);
    copy = await putVersioned(ctx, bucket, key, bytes, (digest) => ({
      key,
      size: digest.size,
      etag: `"${toHex(digest.md5).toUpperCase()}"`,
      lastModified: now,
      crc64: digest.crc64,
      objectType: 'Normal',
      ...attributes,
    }));
  }
  const headers = new Headers({ 'x-oss-hash-crc64ecma': copy.crc64, ...sourceVersionHeaders(record), ...storedEncryption(copy.headers) });
  setVersionHeader(headers, copy);
  return xmlResponse('CopyObjectResult', { ETag: copy.etag, LastModified: isoDate(copy.lastModified) }, 200, headers);
}

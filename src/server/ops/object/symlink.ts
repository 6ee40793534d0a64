// Symlinks: PutSymlink / GetSymlink, and the GetObject/HeadObject hooks that follow a link to
// its target and show the link's headers over the target's bytes.

import { encodeQueryComponent } from '../../../core/encoding.js';
import { md5Hex } from '../../../core/md5.js';
import { decodeObjectName } from '../../address.js';
import { ServerError, serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import type { BucketRecord, ObjectRecord } from '../../storage/types.js';
import { authorize, authorizeResource, emptyResponse, httpDate, loadBucket, setHeader } from '../common.js';
import { checkRetention } from '../bucket/worm.js';
import { defineRoute, type RouteDef } from '../routes.js';
import { checkForbidOverwrite, checkKey, objectAcl, requireKey, storageClass, userMeta } from './common.js';
import { ARCHIVE_CLASSES } from './restore-state.js';
import { parseTaggingHeader } from './tagging.js';
import { loadRecord, putVersioned, versionHeaders } from './versions.js';

/** As ali-oss sends it: encodeURIComponent with `/` kept. */
function encodeSymlinkTarget(target: string): string {
  return encodeQueryComponent(target).replace(/%2F/g, '/');
}

export async function putSymlink(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'write');
  const key = requireKey(ctx);
  if (ARCHIVE_CLASSES.has(bucket.storageClass)) throw serverError('OperationNotSupported', {}, 'Symlinks cannot be created in an archive bucket.');
  const raw = ctx.headers.get('x-oss-symlink-target');
  if (!raw) throw serverError('InvalidArgument', { ArgumentName: 'x-oss-symlink-target' }, 'The x-oss-symlink-target header is missing.');
  const target = checkKey(decodeObjectName(raw));
  const acl = objectAcl(ctx);
  const cls = storageClass(ctx, bucket.storageClass);
  const meta = userMeta(ctx);
  const tags = parseTaggingHeader(ctx.headers.get('x-oss-tagging'));
  await checkRetention(ctx, bucket, key);
  checkForbidOverwrite(ctx, await ctx.state.storage.getObject(bucket.name, key));
  const now = ctx.state.now();
  // In a versioned bucket the link is a new version, as any write is.
  const record = await putVersioned(ctx, bucket, key, new Uint8Array(0), (): ObjectRecord => ({
    key,
    size: 0,
    // Not an MD5 of content (a link has none): derived from the target so it changes with it.
    etag: `"${md5Hex(target).toUpperCase()}"`,
    lastModified: now,
    crc64: '0',
    contentType: ctx.headers.get('content-type') || 'application/octet-stream',
    headers: {},
    meta,
    objectType: 'Symlink',
    storageClass: cls,
    acl,
    tags,
    symlinkTarget: target,
  }));
  return emptyResponse(200, versionHeaders(record, { etag: record.etag }));
}

export async function getSymlink(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  const record = await loadRecord(ctx, bucket, 'read');
  if (record.objectType !== 'Symlink' || record.symlinkTarget === undefined) {
    throw new ServerError('NotSymlink', 'The specified object is not a symlink.', {}, 400, '0043-00000101');
  }
  const headers = versionHeaders(record, {
    'x-oss-symlink-target': encodeSymlinkTarget(record.symlinkTarget),
    etag: record.etag,
    'last-modified': httpDate(record.lastModified),
    'content-type': record.contentType,
  });
  for (const [name, value] of Object.entries(record.meta)) setHeader(headers, `x-oss-meta-${name}`, value);
  return emptyResponse(200, headers);
}

/**
 * GetObject/HeadObject hook: the record whose bytes and headers to serve. A symlink resolves to
 * its target, which the caller must also be allowed to read (GetObject on the target's own key,
 * its own ACL: OSS grants the stricter of link and target); a dangling link is NoSuchKey; a
 * link to a link is refused, as OSS forbids chains. Other records are returned as they are.
 */
export async function resolveSymlink(ctx: RequestContext, bucket: BucketRecord, record: ObjectRecord): Promise<ObjectRecord> {
  if (record.objectType !== 'Symlink') return record;
  const target = await ctx.state.storage.getObject(bucket.name, record.symlinkTarget ?? '');
  if (!target) {
    throw new ServerError('NoSuchKey', 'The object the symlink points to does not exist.', { Key: record.key }, 404, '0026-00000012');
  }
  if (target.objectType === 'Symlink') throw serverError('InvalidTargetType', {}, 'The target of a symlink cannot be a symlink.');
  authorizeResource(ctx, { bucket, key: target.key, actions: ['oss:GetObject'], access: 'read', object: target });
  return target;
}

/**
 * What GET/HEAD show for a symlink, as HeadObject documents it
 * (https://help.aliyun.com/document_detail/31984.htm, "response headers" of a symlink): the
 * target's Content-Length, ETag and storage class, Last-Modified the later of link and target,
 * every other header the link's own: `x-oss-object-type: Symlink`, its user metadata, its
 * version (aliyun-oss-csharp-sdk's CreateAndGetSymlinkWithUserMetadataTest asserts the first two
 * against live OSS). The bytes' CRC-64 and content headers stay the target's: they describe the
 * body that is sent. Any other record is shown as it is.
 */
export function symlinkView(link: ObjectRecord, target: ObjectRecord): ObjectRecord {
  if (link === target) return target;
  return {
    ...target,
    objectType: link.objectType,
    meta: link.meta,
    versionId: link.versionId,
    lastModified: Math.max(link.lastModified, target.lastModified),
  };
}

export const symlinkRoutes: RouteDef[] = [
  defineRoute('object', 'PUT', 'symlink', putSymlink),
  defineRoute('object', 'GET', 'symlink', getSymlink),
];

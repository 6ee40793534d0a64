// The source of CopyObject and UploadPartCopy: `x-oss-copy-source: /<bucket>/<key>[?versionId=…]`,
// the version it names, and that version's bytes.

import { decodeObjectName } from '../../address.js';
import { ServerError, serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import type { BucketRecord, ByteRange, ObjectRecord } from '../../storage/types.js';
import { authorizeResource, sourceAccess } from '../common.js';
import { checkKey } from './common.js';
import { readVersion, versionStore } from './versions.js';

export interface CopySource {
  bucket: string;
  key: string;
  /** The version to copy; null for the current one. */
  versionId: string | null;
}

/**
 * `/bucket/key[?versionId=…]`. ali-oss encodes the key with encodeURIComponent (so "/" is
 * `%2F`), Go keeps "/" raw: both decode to the same key. A raw "?" only starts the query.
 */
export function parseCopySource(value: string): CopySource {
  const q = value.indexOf('?');
  const path = q === -1 ? value : value.slice(0, q);
  const versionId = q === -1 ? null : new URLSearchParams(value.slice(q + 1)).get('versionId');
  const m = /^\/?([^/]+)\/(.+)$/s.exec(path);
  if (!m) {
    throw serverError('InvalidArgument', { ArgumentName: 'x-oss-copy-source', ArgumentValue: value }, 'Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.');
  }
  if (versionId === '') throw serverError('InvalidArgument', { ArgumentName: 'versionId', ArgumentValue: '' }, 'Invalid version id specified.');
  return { bucket: m[1]!, key: checkKey(decodeObjectName(m[2]!)), versionId };
}

/** The source version, readable by the caller, and its bucket. A missing source is named in `Key`. */
export async function loadCopySource(
  ctx: RequestContext, target: BucketRecord, source: CopySource,
): Promise<{ bucket: BucketRecord; record: ObjectRecord }> {
  const bucket = source.bucket === target.name ? target : await ctx.state.storage.getBucket(source.bucket);
  if (!bucket) throw serverError('NoSuchBucket', { BucketName: source.bucket });
  const record = source.versionId === null
    ? await ctx.state.storage.getObject(bucket.name, source.key)
    : await versionStore(ctx.state).getObjectVersion(bucket.name, source.key, source.versionId);
  // Reading the source: GetObject on it (and GetObjectVersion for a version), whatever the caller may do to the target.
  authorizeResource(ctx, sourceAccess(bucket, source.key, source.versionId, record));
  if (!record && source.versionId !== null) {
    throw new ServerError('NoSuchVersion', 'The specified version does not exist.', { Key: source.key, VersionId: source.versionId }, 404);
  }
  if (!record) throw serverError('NoSuchKey', { Key: source.key });
  if (record.deleteMarker) {
    // OSS: a delete marker named as the source is an object that does not exist.
    throw new ServerError('NoSuchKey', 'The specified key does not exist.', { Key: source.key }, 404, '0016-00000307');
  }
  return { bucket, record };
}

/** The bytes of the source version (a range of them); gone meanwhile is NoSuchKey. */
export function copySourceBytes(ctx: RequestContext, bucket: BucketRecord, record: ObjectRecord, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
  return readVersion(ctx, bucket, record, range).catch((err: unknown) => {
    const code = (err as { code?: string }).code;
    if (code === 'NoSuchKey' || code === 'NoSuchVersion') throw serverError('NoSuchKey', { Key: record.key });
    throw err;
  });
}

/** `x-oss-copy-source-version-id`: which version was copied, when the source has versions. */
export function sourceVersionHeaders(record: ObjectRecord): Record<string, string> {
  return record.versionId === undefined ? {} : { 'x-oss-copy-source-version-id': record.versionId };
}

// Bucket versioning: PutBucketVersioning / GetBucketVersioning and ListObjectVersions
// (GET /?versions). The version-aware object writes and reads are ../object/versions.ts.

import { encodeQueryComponent } from '../../../core/encoding.js';
import { compareUtf8 } from '../../../core/order.js';
import { child, text } from '../../../core/xml.js';
import { serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import type { ExtendedStorage, ObjectRecord } from '../../storage/types.js';
import { authorize, bucketOwner, intParam, isoDate, loadBucket, readXmlBody, xmlResponse } from '../common.js';
import { restoreInfo } from '../object/restore-state.js';
import { versionStore } from '../object/versions.js';
import { defineRoute, type RouteDef } from '../routes.js';
import { configRoutes } from './config-family.js';

const statusRoutes = configRoutes({
  sub: 'versioning',
  name: 'versioning',
  async read(ctx) {
    const doc = await readXmlBody(ctx);
    const status = text(child(doc.VersioningConfiguration, 'Status'));
    if (status !== 'Enabled' && status !== 'Suspended') throw serverError('MalformedXML');
    if (status === 'Enabled') versionStore(ctx.state); // NotImplemented on a store without versions
    return status;
  },
  show: (status) => xmlResponse('VersioningConfiguration', { Status: status }),
});

interface VersionEntry {
  record: ObjectRecord;
  isLatest: boolean;
}

/** Every version after (key-marker, version-id-marker), newest first per key, latest flagged. */
async function* versionsAfter(store: ExtendedStorage, bucket: string, prefix: string, keyMarker: string, versionIdMarker: string): AsyncGenerator<VersionEntry> {
  if (keyMarker && versionIdMarker) {
    let seen = false;
    for await (const record of store.listObjectVersions(bucket, { prefix: keyMarker })) {
      if (record.key !== keyMarker) break;
      if (seen && record.key.startsWith(prefix)) yield { record, isLatest: false };
      if ((record.versionId ?? 'null') === versionIdMarker) seen = true;
    }
  }
  let last: string | undefined;
  for await (const record of store.listObjectVersions(bucket, { prefix, after: keyMarker || undefined })) {
    yield { record, isLatest: record.key !== last };
    last = record.key;
  }
}

async function listObjectVersions(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'read');
  const store = versionStore(ctx.state);
  const now = ctx.state.now();
  const q = ctx.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const keyMarker = q.get('key-marker') ?? '';
  const versionIdMarker = q.get('version-id-marker') ?? '';
  const maxKeys = intParam(ctx, 'max-keys', 1, 1000, 100);
  const encoding = q.get('encoding-type');
  if (encoding !== null && encoding !== 'url') throw serverError('InvalidArgument', { ArgumentName: 'encoding-type', ArgumentValue: encoding }, 'The encoding-type must be url.');
  if (versionIdMarker && !keyMarker) throw serverError('InvalidArgument', { ArgumentName: 'version-id-marker', ArgumentValue: versionIdMarker }, 'A version-id marker cannot be specified without a key marker.');
  const enc = encoding === 'url' ? encodeQueryComponent : (s: string) => s;

  const entries: VersionEntry[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let next: { key: string; versionId?: string } | undefined;
  for await (const entry of versionsAfter(store, bucket.name, prefix, keyMarker, versionIdMarker)) {
    const key = entry.record.key;
    let common: string | undefined;
    if (delimiter) {
      const cut = key.indexOf(delimiter, prefix.length);
      if (cut !== -1) common = key.slice(0, cut + delimiter.length);
    }
    if (common !== undefined && (common === prefixes[prefixes.length - 1] || compareUtf8(common, keyMarker) <= 0)) continue;
    if (entries.length + prefixes.length === maxKeys) {
      truncated = true;
      break;
    }
    if (common !== undefined) {
      prefixes.push(common);
      next = { key: common };
    } else {
      entries.push(entry);
      next = { key, versionId: entry.record.versionId ?? 'null' };
    }
  }
  const owner = bucketOwner(bucket);
  const ownerXml = { ID: owner.id, DisplayName: owner.displayName };
  return xmlResponse('ListVersionsResult', {
    Name: bucket.name,
    Prefix: enc(prefix),
    KeyMarker: enc(keyMarker),
    VersionIdMarker: versionIdMarker,
    MaxKeys: maxKeys,
    Delimiter: enc(delimiter),
    EncodingType: encoding ?? undefined,
    IsTruncated: truncated,
    NextKeyMarker: truncated && next ? enc(next.key) : undefined,
    NextVersionIdMarker: truncated && next ? next.versionId : undefined,
    Version: entries.filter((e) => !e.record.deleteMarker).map(({ record, isLatest }) => ({
      Key: enc(record.key),
      VersionId: record.versionId ?? 'null',
      IsLatest: isLatest,
      LastModified: isoDate(record.lastModified),
      ETag: record.etag,
      Type: record.objectType,
      Size: record.size,
      StorageClass: record.storageClass,
      RestoreInfo: restoreInfo(record, now),
      Owner: ownerXml,
    })),
    DeleteMarker: entries.filter((e) => e.record.deleteMarker).map(({ record, isLatest }) => ({
      Key: enc(record.key),
      VersionId: record.versionId ?? 'null',
      IsLatest: isLatest,
      LastModified: isoDate(record.lastModified),
      Owner: ownerXml,
    })),
    CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
  });
}

export const versioningRoutes: RouteDef[] = [...statusRoutes, defineRoute('bucket', 'GET', 'versions', listObjectVersions)];

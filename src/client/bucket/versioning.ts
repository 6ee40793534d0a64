import { OSSArgumentError } from '../../core/errors.js';
import { assertInteger, assertOptionalString, assertPlainObject } from '../../core/validate.js';
import { asArray, buildXml, child, text, type XmlValue } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { keyDecoder, listedUrl, restoreInfoOf, type CallOptions } from '../object/common.js';
import { readXml } from '../read.js';
import type { ObjectSummary } from '../object/list.js';
import { bucketCall, bucketXml, checkBucketCall, type BucketCallOptions } from './common.js';
import { checkOptions } from '../call-options.js';
import { assertOneOf } from '../one-of.js';

export type VersioningStatus = 'Enabled' | 'Suspended';

/**
 * Turn versioning on (`Enabled`) or pause it (`Suspended`); once enabled, a bucket never goes
 * back to unversioned.
 * @example await putBucketVersioning(core, 'my-bucket', 'Enabled')
 */
export async function putBucketVersioning(core: OSSCore, name: string, status: VersioningStatus, options: BucketCallOptions = {}): Promise<{ status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  assertOneOf(status, ['Enabled', 'Suspended'], 'status');
  const body = buildXml('VersioningConfiguration', { Status: status });
  const res = await bucketCall(core, name, { method: 'PUT', sub: 'versioning', body }, options);
  return { status: res.status, res };
}

/**
 * The bucket's versioning state: `Enabled`, `Suspended`, or undefined when never enabled.
 * @example const { versionStatus } = await getBucketVersioning(core, 'my-bucket')
 */
export async function getBucketVersioning(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<{ versionStatus: VersioningStatus | undefined; status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  const { doc, res } = await bucketXml(core, name, 'versioning', options);
  const status = text(child(doc.VersioningConfiguration, 'Status'));
  return { versionStatus: (status || undefined) as VersioningStatus | undefined, status: res.status, res };
}

export interface ListObjectVersionsQuery {
  prefix?: string;
  delimiter?: string;
  /** Start after this key (with versionIdMarker: after that version of it). */
  keyMarker?: string;
  versionIdMarker?: string;
  maxKeys?: number;
  /** ali-oss also accepts the wire name. */
  'max-keys'?: number;
}

/** A listed version: a listed object's fields (list.ts), its version id, and whether it is the current one. */
export interface ObjectVersion extends Omit<ObjectSummary, 'owner'> {
  versionId: string;
  isLatest: boolean;
  owner: { id: string; displayName: string };
}

export interface DeleteMarkerEntry {
  name: string;
  versionId: string;
  isLatest: boolean;
  lastModified: string;
  owner: { id: string; displayName: string };
}

export interface ListObjectVersionsResult {
  objects: ObjectVersion[];
  deleteMarker: DeleteMarkerEntry[];
  prefixes: string[];
  isTruncated: boolean;
  nextKeyMarker: string | null;
  nextVersionIdMarker: string | null;
  /** ali-oss's older name of nextKeyMarker. */
  nextMarker: string | null;
  res: ResponseInfo;
}

const ownerOf = (node: XmlValue | undefined) => ({ id: text(child(child(node, 'Owner'), 'ID')) ?? '', displayName: text(child(child(node, 'Owner'), 'DisplayName')) ?? '' });

/**
 * One page of every version and delete marker in a versioned bucket, newest version first per key.
 * (ali-oss also calls it `getBucketVersions`.)
 * @example
 * const page = await listObjectVersions(core, { prefix: 'docs/', maxKeys: 100 })
 * const next = await listObjectVersions(core, { keyMarker: page.nextKeyMarker!, versionIdMarker: page.nextVersionIdMarker! })
 */
export async function listObjectVersions(core: OSSCore, query: ListObjectVersionsQuery = {}, options: CallOptions = {}): Promise<ListObjectVersionsResult> {
  assertPlainObject(query, 'query');
  checkOptions(options, 'bucket');
  for (const k of ['prefix', 'delimiter', 'keyMarker', 'versionIdMarker'] as const) assertOptionalString(query[k], `query.${k}`);
  if (query.versionIdMarker && query.keyMarker === undefined) throw new OSSArgumentError('query.versionIdMarker', 'a version-id marker needs a keyMarker');
  const maxKeys = query.maxKeys ?? query['max-keys'];
  if (maxKeys !== undefined) assertInteger(maxKeys, 'query.maxKeys', 1, 1000);
  const bucket = core.requireBucket(options.bucket);
  const raw = await core.request({
    method: 'GET',
    bucket,
    query: {
      versions: null, prefix: query.prefix || undefined, delimiter: query.delimiter || undefined, 'key-marker': query.keyMarker || undefined,
      'version-id-marker': query.versionIdMarker || undefined, 'max-keys': maxKeys, 'encoding-type': 'url',
    },
    signal: options.signal,
    timeout: options.timeout,
  });
  const { doc, res } = await readXml(raw);
  const root = doc.ListVersionsResult;
  const decode = keyDecoder(root);
  const key = (node: XmlValue) => decode(text(child(node, 'Key')) ?? '');
  const nextKey = text(child(root, 'NextKeyMarker'));
  return {
    objects: asArray(child(root, 'Version')).map((v) => ({
      name: key(v),
      url: listedUrl(core, bucket, key(v)),
      versionId: text(child(v, 'VersionId')) ?? '',
      isLatest: text(child(v, 'IsLatest')) === 'true',
      lastModified: text(child(v, 'LastModified')) ?? '',
      etag: text(child(v, 'ETag')) ?? '',
      type: text(child(v, 'Type')) ?? '',
      size: Number(text(child(v, 'Size')) ?? 0),
      storageClass: text(child(v, 'StorageClass')) ?? '',
      restoreInfo: restoreInfoOf(text(child(v, 'RestoreInfo'))),
      owner: ownerOf(v),
    })),
    deleteMarker: asArray(child(root, 'DeleteMarker')).map((m) => ({
      name: key(m),
      versionId: text(child(m, 'VersionId')) ?? '',
      isLatest: text(child(m, 'IsLatest')) === 'true',
      lastModified: text(child(m, 'LastModified')) ?? '',
      owner: ownerOf(m),
    })),
    prefixes: asArray(child(root, 'CommonPrefixes')).map((p) => decode(text(child(p, 'Prefix')) ?? '')),
    isTruncated: text(child(root, 'IsTruncated')) === 'true',
    nextKeyMarker: nextKey ? decode(nextKey) : null,
    nextVersionIdMarker: text(child(root, 'NextVersionIdMarker')) || null,
    nextMarker: nextKey ? decode(nextKey) : null,
    res,
  };
}

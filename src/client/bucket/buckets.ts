import { OSSArgumentError } from '../../core/errors.js';
import { assertBucketName, assertInteger, assertOptionalString, assertPlainObject } from '../../core/validate.js';
import { asArray, buildXml, child, text } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { discard, readXml } from '../read.js';

export interface BucketCallOptions {
  signal?: AbortSignal;
  timeout?: number;
}

export interface BucketSummary {
  name: string;
  /** `oss-cn-hangzhou` form. */
  region: string;
  creationDate: string;
  storageClass: string;
  StorageClass: string;
  extranetEndpoint?: string;
  intranetEndpoint?: string;
}

export interface ListBucketsResult {
  buckets: BucketSummary[];
  owner: { id: string; displayName: string } | null;
  isTruncated: boolean;
  nextMarker: string | null;
  res: ResponseInfo;
}

export interface ListBucketsQuery {
  prefix?: string;
  marker?: string;
  'max-keys'?: number | string;
}

/**
 * The account's buckets, one page.
 * @example const { buckets } = await listBuckets(core, { prefix: 'app-' })
 */
export async function listBuckets(core: OSSCore, query: ListBucketsQuery = {}, options: BucketCallOptions = {}): Promise<ListBucketsResult> {
  assertPlainObject(query, 'query');
  assertOptionalString(query.prefix, 'query.prefix');
  assertOptionalString(query.marker, 'query.marker');
  const maxKeys = query['max-keys'] === undefined ? undefined : Number(query['max-keys']);
  if (maxKeys !== undefined) assertInteger(maxKeys, 'query.max-keys', 1, 1000);
  const raw = await core.request({
    method: 'GET', query: { prefix: query.prefix || undefined, marker: query.marker || undefined, 'max-keys': maxKeys }, signal: options.signal, timeout: options.timeout,
  });
  const { doc, res } = await readXml(raw);
  const root = doc.ListAllMyBucketsResult;
  const buckets = asArray(child(child(root, 'Buckets'), 'Bucket')).map((b) => {
    const storageClass = text(child(b, 'StorageClass')) ?? '';
    return {
      name: text(child(b, 'Name')) ?? '',
      region: text(child(b, 'Location')) ?? '',
      creationDate: text(child(b, 'CreationDate')) ?? '',
      storageClass,
      StorageClass: storageClass,
      extranetEndpoint: text(child(b, 'ExtranetEndpoint')),
      intranetEndpoint: text(child(b, 'IntranetEndpoint')),
    };
  });
  const owner = child(root, 'Owner');
  const next = text(child(root, 'NextMarker'));
  return {
    buckets,
    owner: owner ? { id: text(child(owner, 'ID')) ?? '', displayName: text(child(owner, 'DisplayName')) ?? '' } : null,
    isTruncated: text(child(root, 'IsTruncated')) === 'true',
    nextMarker: next || null,
    res,
  };
}

export interface PutBucketOptions extends BucketCallOptions {
  acl?: 'private' | 'public-read' | 'public-read-write';
  storageClass?: 'Standard' | 'IA' | 'Archive' | 'ColdArchive' | 'DeepColdArchive';
  dataRedundancyType?: 'LRS' | 'ZRS';
}

const ACLS = ['private', 'public-read', 'public-read-write'];
const STORAGE_CLASSES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];

/**
 * Create a bucket in the client's region.
 * @example await putBucket(core, 'my-new-bucket', { acl: 'private' })
 */
export async function putBucket(core: OSSCore, name: string, options: PutBucketOptions = {}): Promise<{ bucket: string; res: ResponseInfo }> {
  assertBucketName(name, 'name');
  assertPlainObject(options, 'options');
  if (options.acl !== undefined && !ACLS.includes(options.acl)) throw new OSSArgumentError('options.acl', `expected one of ${ACLS.join(', ')}`);
  if (options.storageClass !== undefined && !STORAGE_CLASSES.includes(options.storageClass)) {
    throw new OSSArgumentError('options.storageClass', `expected one of ${STORAGE_CLASSES.join(', ')}`);
  }
  const body = buildXml('CreateBucketConfiguration', {
    StorageClass: options.storageClass,
    DataRedundancyType: options.dataRedundancyType,
  });
  const raw = await core.request({
    method: 'PUT', bucket: name, headers: { 'x-oss-acl': options.acl, 'content-type': 'application/xml' }, body,
    signal: options.signal, timeout: options.timeout,
  });
  return { bucket: name, res: await discard(raw) };
}

/**
 * Delete an empty bucket.
 * @example await deleteBucket(core, 'my-old-bucket')
 */
export async function deleteBucket(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<{ res: ResponseInfo }> {
  assertBucketName(name, 'name');
  assertPlainObject(options, 'options');
  const raw = await core.request({ method: 'DELETE', bucket: name, signal: options.signal, timeout: options.timeout });
  return { res: await discard(raw) };
}

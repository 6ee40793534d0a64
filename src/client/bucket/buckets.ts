import { OSSArgumentError } from '../../core/errors.js';
import { assertInteger, assertOptionalString, assertPlainObject, normalizeRegion } from '../../core/validate.js';
import { asArray, buildXml, child, text, type XmlValue } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { discard, readXml } from '../read.js';
import { checkBucketCall, isSeedRegion, type BucketCallOptions } from './common.js';
import { checkOptions } from '../call-options.js';
import { walkPages, type ReadAheadOption } from '../pages.js';
import { assertOneOf } from '../one-of.js';

export type { BucketCallOptions } from './common.js';

export interface BucketSummary {
  name: string;
  /** `oss-cn-hangzhou` form. */
  region: string;
  creationDate: string;
  storageClass: string;
  StorageClass: string;
  extranetEndpoint?: string;
  intranetEndpoint?: string;
  /** The bucket's tags when OSS lists them (a `tag-key` query), else `{}`. */
  tag: Record<string, string>;
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
  /** Only buckets that carry this tag (see putBucketTags). */
  'tag-key'?: string;
  /** With `tag-key`: only buckets whose tag has this value. */
  'tag-value'?: string;
}

/** `<Tagging><TagSet><Tag><Key/><Value/>…` (or a bare TagSet) as `{ key: value }`. */
function tagsOf(b: XmlValue): Record<string, string> {
  const tag: Record<string, string> = {};
  const set = child(b, 'TagSet') ?? child(child(b, 'Tagging'), 'TagSet');
  for (const t of asArray(child(set, 'Tag'))) tag[text(child(t, 'Key')) ?? ''] = text(child(t, 'Value')) ?? '';
  return tag;
}

function bucketSummary(b: XmlValue): BucketSummary {
  const storageClass = text(child(b, 'StorageClass')) ?? '';
  return {
    name: text(child(b, 'Name')) ?? '',
    region: text(child(b, 'Location')) ?? '',
    creationDate: text(child(b, 'CreationDate')) ?? '',
    storageClass,
    StorageClass: storageClass,
    extranetEndpoint: text(child(b, 'ExtranetEndpoint')),
    intranetEndpoint: text(child(b, 'IntranetEndpoint')),
    tag: tagsOf(b),
  };
}

/**
 * The account's buckets, one page (up to `max-keys`, default 100 on OSS).
 * @example const { buckets, isTruncated, nextMarker } = await listBuckets(core, { prefix: 'app-', 'max-keys': 50 })
 */
export async function listBuckets(core: OSSCore, query: ListBucketsQuery = {}, options: BucketCallOptions = {}): Promise<ListBucketsResult> {
  assertPlainObject(query, 'query');
  checkOptions(options, '');
  assertOptionalString(query.prefix, 'query.prefix');
  assertOptionalString(query.marker, 'query.marker');
  assertOptionalString(query['tag-key'], 'query.tag-key');
  assertOptionalString(query['tag-value'], 'query.tag-value');
  if (query['tag-value'] !== undefined && !query['tag-key']) throw new OSSArgumentError('query.tag-value', 'needs query.tag-key');
  const maxKeys = query['max-keys'] === undefined ? undefined : Number(query['max-keys']);
  if (maxKeys !== undefined) assertInteger(maxKeys, 'query.max-keys', 1, 1000);
  const raw = await core.request({
    method: 'GET', query: {
      prefix: query.prefix || undefined, marker: query.marker || undefined, 'max-keys': maxKeys,
      'tag-key': query['tag-key'] || undefined, 'tag-value': query['tag-value'],
    }, signal: options.signal, timeout: options.timeout,
  });
  const { doc, res } = await readXml(raw);
  const root = doc.ListAllMyBucketsResult;
  const owner = child(root, 'Owner');
  const next = text(child(root, 'NextMarker'));
  return {
    buckets: asArray(child(child(root, 'Buckets'), 'Bucket')).map(bucketSummary),
    owner: owner ? { id: text(child(owner, 'ID')) ?? '', displayName: text(child(owner, 'DisplayName')) ?? '' } : null,
    isTruncated: text(child(root, 'IsTruncated')) === 'true',
    nextMarker: next || null,
    res,
  };
}

export interface ListAllBucketsOptions extends BucketCallOptions, ReadAheadOption {
  prefix?: string;
  /** Buckets per request (1-1000, default 1000). */
  pageSize?: number;
}

/**
 * Every bucket of the account (under a prefix), across as many pages as it takes; stops
 * requesting when the loop breaks.
 * @example for await (const b of listAllBuckets(core, { prefix: 'logs-' })) console.log(b.name, b.region)
 */
export async function* listAllBuckets(core: OSSCore, options: ListAllBucketsOptions = {}): AsyncGenerator<BucketSummary, void, undefined> {
  checkOptions(options, 'prefix pageSize readAhead');
  const pageSize = options.pageSize ?? 1000;
  assertInteger(pageSize, 'options.pageSize', 1, 1000);
  yield* walkPages(async (marker: string | undefined, signal) => {
    const page = await listBuckets(core, { prefix: options.prefix, marker, 'max-keys': pageSize }, { signal, timeout: options.timeout });
    return { entries: page.buckets, next: (page.isTruncated && page.nextMarker) || undefined };
  }, options);
}

export type BucketACL = 'private' | 'public-read' | 'public-read-write';
export const BUCKET_ACLS: readonly string[] = ['private', 'public-read', 'public-read-write'];
const STORAGE_CLASSES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];

export interface PutBucketOptions extends BucketCallOptions {
  acl?: BucketACL;
  storageClass?: 'Standard' | 'IA' | 'Archive' | 'ColdArchive' | 'DeepColdArchive';
  /** ali-oss spelling of `storageClass`. */
  StorageClass?: PutBucketOptions['storageClass'];
  dataRedundancyType?: 'LRS' | 'ZRS';
}

/**
 * Create a bucket in the client's region. The 2015 form `putBucket(name, region, options)` is
 * accepted too: the region is sent as the bucket's LocationConstraint, which OSS (and the local
 * server) refuse when it is not the endpoint's region.
 * @example await putBucket(core, 'my-new-bucket', { acl: 'public-read', storageClass: 'IA' })
 */
export async function putBucket(core: OSSCore, name: string, options?: PutBucketOptions): Promise<{ bucket: string; res: ResponseInfo }>;
export async function putBucket(core: OSSCore, name: string, region: string, options?: PutBucketOptions): Promise<{ bucket: string; res: ResponseInfo }>;
export async function putBucket(
  core: OSSCore, name: string, regionOrOptions?: string | PutBucketOptions, maybeOptions?: PutBucketOptions,
): Promise<{ bucket: string; res: ResponseInfo }> {
  const region = isSeedRegion(regionOrOptions) ? `oss-${normalizeRegion(regionOrOptions)}` : undefined;
  const options = (region ? maybeOptions : regionOrOptions as PutBucketOptions | undefined) ?? {};
  checkBucketCall(name, options, 'acl storageClass StorageClass dataRedundancyType');
  if (options.acl !== undefined) assertOneOf(options.acl, BUCKET_ACLS, 'options.acl');
  const storageClass = options.storageClass ?? options.StorageClass;
  if (storageClass !== undefined) assertOneOf(storageClass, STORAGE_CLASSES, 'options.storageClass');
  if (options.dataRedundancyType !== undefined) assertOneOf(options.dataRedundancyType, ['LRS', 'ZRS'], 'options.dataRedundancyType');
  const body = buildXml('CreateBucketConfiguration', {
    LocationConstraint: region,
    StorageClass: storageClass,
    DataRedundancyType: options.dataRedundancyType,
  });
  const raw = await core.request({
    method: 'PUT', bucket: name, headers: { 'x-oss-acl': options.acl, 'content-type': 'application/xml' }, body,
    signal: options.signal, timeout: options.timeout,
  });
  return { bucket: name, res: await discard(raw) };
}

/**
 * Delete an empty bucket (`BucketNotEmptyError` while it holds objects, versions or uploads).
 * OSSClient also takes the 2015 form `deleteBucket(name, region, options)`.
 * @example await deleteBucket(core, 'my-old-bucket')
 */
export async function deleteBucket(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<{ res: ResponseInfo }> {
  checkBucketCall(name, options);
  const raw = await core.request({ method: 'DELETE', bucket: name, signal: options.signal, timeout: options.timeout });
  return { res: await discard(raw) };
}

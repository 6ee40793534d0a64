import { OSSArgumentError } from '../../core/errors.js';
import { assertInteger, assertOptionalString, assertPlainObject } from '../../core/validate.js';
import { asArray, child, text, type XmlValue } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { readXml } from '../read.js';
import { keyDecoder, listedUrl, restoreInfoOf, type CallOptions, type RestoreInfo } from './common.js';
import { checkOptions } from '../call-options.js';
import { inKeyOrder, walkPages, type ReadAheadOption } from '../pages.js';
import { watchHead } from '../listing-head.js';

export interface ListQuery {
  prefix?: string;
  marker?: string;
  delimiter?: string;
  'max-keys'?: number | string;
  /** Accepted for ali-oss compatibility: keys always travel URL-encoded and come back decoded. */
  'encoding-type'?: 'url';
}

export interface ObjectSummary {
  name: string;
  url: string;
  lastModified: string;
  etag: string;
  type: string;
  size: number;
  storageClass: string;
  /**
   * Archived objects being or having been restored (OSS's `RestoreInfo`, read as ali-oss reads
   * it): `{ ongoingRequest: true }` while restoring, `{ ongoingRequest: false, expiryDate }` once
   * readable; undefined otherwise.
   */
  restoreInfo?: RestoreInfo;
  owner: { id: string; displayName: string } | null;
}

export interface ListResult {
  objects: ObjectSummary[];
  /** Common prefixes ("folders") when a delimiter was given. */
  prefixes: string[];
  isTruncated: boolean;
  nextMarker: string | null;
  res: ResponseInfo;
}

/**
 * One page of a bucket's objects (ListObjects v1). Keys travel URL-encoded (`encoding-type=url`,
 * so any key survives XML) and come back decoded.
 * @example const { objects, nextMarker } = await list(core, { prefix: 'photos/', 'max-keys': 100 })
 */
export function list(core: OSSCore, query: ListQuery = {}, options: CallOptions = {}): Promise<ListResult> {
  return listPage(core, query, options);
}

/** list, telling `hint` the next marker as soon as the reply's head shows it (listAll's read-ahead). */
async function listPage(core: OSSCore, query: ListQuery, options: CallOptions, hint?: (next: string) => void): Promise<ListResult> {
  assertPlainObject(query, 'query');
  checkOptions(options, 'bucket');
  assertOptionalString(query.marker, 'query.marker');
  const common = commonListQuery(query);
  const bucket = core.requireBucket(options.bucket);
  const raw = await core.request({
    method: 'GET',
    bucket,
    query: { ...common, marker: query.marker || undefined },
    signal: options.signal,
    timeout: options.timeout,
  });
  const { doc, res } = await readXml(raw, hint && watchHead('NextMarker', hint));
  const { decode, ...page } = parsePage(core, bucket, doc.ListBucketResult);
  const next = text(child(doc.ListBucketResult, 'NextMarker'));
  return { ...page, nextMarker: next ? decode(next) : null, res };
}

export interface ListV2Query {
  prefix?: string;
  delimiter?: string;
  /** List keys after this one. */
  'start-after'?: string;
  /** `nextContinuationToken` of the previous page (alias: `continuationToken`). */
  'continuation-token'?: string;
  continuationToken?: string;
  'max-keys'?: number | string;
  /** Include each object's owner (v2 leaves it out by default). */
  'fetch-owner'?: boolean;
  /** Accepted for ali-oss compatibility: keys always travel URL-encoded and come back decoded. */
  'encoding-type'?: 'url';
}

export interface ListV2Result {
  objects: ObjectSummary[];
  prefixes: string[];
  isTruncated: boolean;
  /** Objects plus common prefixes on this page. */
  keyCount: number;
  continuationToken: string | null;
  /** Pass as `continuation-token` for the next page; null on the last page. */
  nextContinuationToken: string | null;
  res: ResponseInfo;
}

/**
 * One page of a bucket's objects (ListObjectsV2): pages are chained by an opaque continuation
 * token, and owners are fetched only on request.
 * @example
 * let token: string | undefined;
 * do {
 *   const page = await listV2(core, { prefix: 'logs/', 'continuation-token': token });
 *   token = page.nextContinuationToken ?? undefined;
 * } while (token);
 */
export function listV2(core: OSSCore, query: ListV2Query = {}, options: CallOptions = {}): Promise<ListV2Result> {
  return listV2Page(core, query, options);
}

/** listV2, telling `hint` the next continuation token as soon as the reply's head shows it (listAllV2's read-ahead). */
export async function listV2Page(core: OSSCore, query: ListV2Query, options: CallOptions, hint?: (next: string) => void): Promise<ListV2Result> {
  assertPlainObject(query, 'query');
  checkOptions(options, 'bucket');
  assertOptionalString(query['start-after'], 'query.start-after');
  const token = query['continuation-token'] ?? query.continuationToken;
  assertOptionalString(token, 'query.continuation-token');
  if (query['fetch-owner'] !== undefined && typeof query['fetch-owner'] !== 'boolean') {
    throw new OSSArgumentError('query.fetch-owner', 'expected a boolean');
  }
  const common = commonListQuery(query);
  const bucket = core.requireBucket(options.bucket);
  const raw = await core.request({
    method: 'GET',
    bucket,
    query: {
      'list-type': 2,
      ...common,
      'start-after': query['start-after'] || undefined,
      'continuation-token': token || undefined,
      'fetch-owner': query['fetch-owner'],
    },
    signal: options.signal,
    timeout: options.timeout,
  });
  const { doc, res } = await readXml(raw, hint && watchHead('NextContinuationToken', hint));
  const result = doc.ListBucketResult;
  const { decode, ...page } = parsePage(core, bucket, result);
  const optional = (name: string) => {
    const v = text(child(result, name));
    return v ? decode(v) : null;
  };
  return {
    ...page,
    keyCount: Number(text(child(result, 'KeyCount')) ?? page.objects.length + page.prefixes.length),
    continuationToken: optional('ContinuationToken'),
    nextContinuationToken: optional('NextContinuationToken'),
    res,
  };
}

/** prefix, delimiter, max-keys and encoding-type, as list and listV2 both send them. */
function commonListQuery(query: ListQuery | ListV2Query): Record<string, string | number | undefined> {
  assertOptionalString(query.prefix, 'query.prefix');
  assertOptionalString(query.delimiter, 'query.delimiter');
  const maxKeys = query['max-keys'] === undefined ? undefined : Number(query['max-keys']);
  if (maxKeys !== undefined) assertInteger(maxKeys, 'query.max-keys', 1, 1000);
  if (query['encoding-type'] !== undefined && query['encoding-type'] !== 'url') {
    throw new OSSArgumentError('query.encoding-type', 'the only encoding is "url"');
  }
  // Empty strings mean "absent"; sending them would only change the signature's query form.
  return { prefix: query.prefix || undefined, delimiter: query.delimiter || undefined, 'max-keys': maxKeys, 'encoding-type': 'url' };
}

/** The parts of a ListBucketResult both versions share, keys decoded. */
function parsePage(core: OSSCore, bucket: string, result: XmlValue | undefined) {
  const decode = keyDecoder(result);
  return {
    objects: asArray(child(result, 'Contents')).map((c) => summary(core, bucket, c, decode)),
    prefixes: asArray(child(result, 'CommonPrefixes')).map((p) => decode(text(child(p, 'Prefix')) ?? '')),
    isTruncated: text(child(result, 'IsTruncated')) === 'true',
    decode,
  };
}

export interface ListAllOptions extends CallOptions, ReadAheadOption {
  prefix?: string;
  delimiter?: string;
  /** Keys per request (1-1000, default 1000). */
  pageSize?: number;
}

/** One item of listAll: an object, or (with a delimiter) a common prefix. */
export type ListEntry = ObjectSummary | { name: string; isPrefix: true };

/**
 * Every object under a prefix, across as many pages as it takes. With a delimiter, common
 * prefixes are yielded too (`{ name, isPrefix: true }`). Once the loop has gone through a whole
 * page, the next page is read ahead while it works (`readAhead: false`: only when it gets there);
 * a loop that breaks starts no further request and cancels the one read ahead.
 * @example for await (const obj of listAll(core, { prefix: 'logs/' })) console.log(obj.name)
 */
export async function* listAll(core: OSSCore, options: ListAllOptions = {}): AsyncGenerator<ListEntry, void, undefined> {
  checkOptions(options, 'bucket prefix delimiter pageSize readAhead');
  const pageSize = options.pageSize ?? 1000;
  assertInteger(pageSize, 'options.pageSize', 1, 1000);
  yield* walkPages(async (marker: string | undefined, signal, hint) => {
    const page = await listPage(
      core,
      { prefix: options.prefix, delimiter: options.delimiter, marker, 'max-keys': pageSize },
      { bucket: options.bucket, signal, timeout: options.timeout },
      hint,
    );
    return { entries: inKeyOrder(page.objects, page.prefixes), next: (page.isTruncated && page.nextMarker) || undefined };
  }, options);
}

function summary(core: OSSCore, bucket: string, node: XmlValue, decode: (s: string) => string): ObjectSummary {
  const name = decode(text(child(node, 'Key')) ?? '');
  const owner = child(node, 'Owner');
  return {
    name,
    url: listedUrl(core, bucket, name),
    lastModified: text(child(node, 'LastModified')) ?? '',
    etag: text(child(node, 'ETag')) ?? '',
    type: text(child(node, 'Type')) ?? '',
    size: Number(text(child(node, 'Size')) ?? 0),
    storageClass: text(child(node, 'StorageClass')) ?? '',
    restoreInfo: restoreInfoOf(text(child(node, 'RestoreInfo'))),
    owner: owner ? { id: text(child(owner, 'ID')) ?? '', displayName: text(child(owner, 'DisplayName')) ?? '' } : null,
  };
}

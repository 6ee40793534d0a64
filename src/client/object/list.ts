import { compareUtf8 } from '../../core/order.js';
import { OSSArgumentError } from '../../core/errors.js';
import { assertInteger, assertOptionalString, assertPlainObject } from '../../core/validate.js';
import { asArray, child, text, type XmlValue } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { readXml } from '../read.js';
import type { CallOptions } from './common.js';

export interface ListQuery {
  prefix?: string;
  marker?: string;
  delimiter?: string;
  'max-keys'?: number | string;
  /** `url`: keys travel percent-encoded (safe for any byte) and are decoded for you. */
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
 * One page of a bucket's objects (ListObjects v1).
 * @example const { objects, nextMarker } = await list(core, { prefix: 'photos/', 'max-keys': 100 })
 */
export async function list(core: OSSCore, query: ListQuery = {}, options: CallOptions = {}): Promise<ListResult> {
  assertPlainObject(query, 'query');
  assertPlainObject(options, 'options');
  assertOptionalString(query.prefix, 'query.prefix');
  assertOptionalString(query.marker, 'query.marker');
  assertOptionalString(query.delimiter, 'query.delimiter');
  const maxKeys = query['max-keys'] === undefined ? undefined : Number(query['max-keys']);
  if (maxKeys !== undefined) assertInteger(maxKeys, 'query.max-keys', 1, 1000);
  if (query['encoding-type'] !== undefined && query['encoding-type'] !== 'url') {
    throw new OSSArgumentError('query.encoding-type', 'the only encoding is "url"');
  }
  const bucket = core.requireBucket(options.bucket);
  const raw = await core.request({
    method: 'GET',
    bucket,
    // Empty strings mean "absent"; sending them would only change the signature's query form.
    query: { prefix: query.prefix || undefined, marker: query.marker || undefined, delimiter: query.delimiter || undefined, 'max-keys': maxKeys, 'encoding-type': query['encoding-type'] },
    signal: options.signal,
    timeout: options.timeout,
  });
  const { doc, res } = await readXml(raw);
  const result = doc.ListBucketResult;
  const decode = text(child(result, 'EncodingType')) === 'url' ? decodeURIComponent : (s: string) => s;
  const objects = asArray(child(result, 'Contents')).map((c) => summary(core, bucket, c, decode));
  const prefixes = asArray(child(result, 'CommonPrefixes')).map((p) => decode(text(child(p, 'Prefix')) ?? ''));
  const next = text(child(result, 'NextMarker'));
  return {
    objects,
    prefixes,
    isTruncated: text(child(result, 'IsTruncated')) === 'true',
    nextMarker: next ? decode(next) : null,
    res,
  };
}

export interface ListAllOptions extends CallOptions {
  prefix?: string;
  delimiter?: string;
  /** Keys per request (1-1000, default 1000). */
  pageSize?: number;
}

/** One item of listAll: an object, or (with a delimiter) a common prefix. */
export type ListEntry = ObjectSummary | { name: string; isPrefix: true };

/**
 * Every object under a prefix, across as many pages as it takes; stops requesting when the
 * loop breaks. With a delimiter, common prefixes are yielded too (`{ name, isPrefix: true }`).
 * @example for await (const obj of listAll(core, { prefix: 'logs/' })) console.log(obj.name)
 */
export async function* listAll(core: OSSCore, options: ListAllOptions = {}): AsyncGenerator<ListEntry, void, undefined> {
  assertPlainObject(options, 'options');
  const pageSize = options.pageSize ?? 1000;
  assertInteger(pageSize, 'options.pageSize', 1, 1000);
  let marker: string | undefined;
  for (;;) {
    const page = await list(
      core,
      { prefix: options.prefix, delimiter: options.delimiter, marker, 'max-keys': pageSize, 'encoding-type': 'url' },
      { bucket: options.bucket, signal: options.signal, timeout: options.timeout },
    );
    // Merge objects and prefixes in key order, as a single listing would show them.
    const entries: ListEntry[] = [...page.objects, ...page.prefixes.map((name) => ({ name, isPrefix: true as const }))];
    if (page.prefixes.length) entries.sort((a, b) => compareUtf8(a.name, b.name));
    yield* entries;
    if (!page.isTruncated || !page.nextMarker) return;
    marker = page.nextMarker;
  }
}

function summary(core: OSSCore, bucket: string, node: XmlValue, decode: (s: string) => string): ObjectSummary {
  const name = decode(text(child(node, 'Key')) ?? '');
  const owner = child(node, 'Owner');
  return {
    name,
    url: core.url(bucket, name),
    lastModified: text(child(node, 'LastModified')) ?? '',
    etag: text(child(node, 'ETag')) ?? '',
    type: text(child(node, 'Type')) ?? '',
    size: Number(text(child(node, 'Size')) ?? 0),
    storageClass: text(child(node, 'StorageClass')) ?? '',
    owner: owner ? { id: text(child(owner, 'ID')) ?? '', displayName: text(child(owner, 'DisplayName')) ?? '' } : null,
  };
}

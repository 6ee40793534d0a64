// Signature V1 (`OSS <AccessKeyId>:<base64 HMAC-SHA1>`), header and presigned-URL forms.
// String builders are exported separately from the HMAC so the local server can rebuild the
// string to sign of an incoming request and return it in SignatureDoesNotMatch.

import { defaultSubtle, hmac, holdKey, importHmacKey, syncCrypto, toBase64, type HeldKey } from './crypto.js';
import { OSSArgumentError } from './errors.js';
import {
  buildQueryString,
  compareOrdinal,
  normalizeHeaders,
  queryEntries,
  resourceUrl,
  formatRfc1123,
  type HeadersInput,
  type QueryEntry,
  type QueryInput,
} from './encoding.js';

/**
 * Query names that go into the V1 CanonicalizedResource: the documented list plus every name
 * the official SDKs sign (Go v1/v2, Python, Java). Anything starting `x-oss-` counts too (see
 * isV1Subresource). Ordinary listing parameters (prefix, marker, max-keys, …) are not here:
 * OSS does not sign them in V1.
 */
export const V1_SUBRESOURCES: ReadonlySet<string> = new Set([
  // documented list
  'acl', 'uploads', 'location', 'cors', 'logging', 'website', 'referer', 'lifecycle', 'delete',
  'append', 'tagging', 'objectMeta', 'uploadId', 'partNumber', 'security-token', 'position',
  'img', 'style', 'styleName', 'replication', 'replicationProgress', 'replicationLocation',
  'cname', 'bucketInfo', 'comp', 'qos', 'live', 'status', 'vod', 'startTime', 'endTime',
  'symlink', 'x-oss-process', 'response-content-type', 'response-content-language',
  'response-expires', 'response-cache-control', 'response-content-disposition',
  'response-content-encoding',
  // added by current SDKs
  'restore', 'callback', 'callback-var', 'versions', 'versioning', 'versionId', 'stat',
  'sequential', 'continuation-token', 'regionList', 'cloudboxes', 'resourceGroup', 'encryption',
  'policy', 'requestPayment', 'inventory', 'inventoryId', 'worm', 'wormId', 'wormExtend',
  'transferAcceleration', 'metaQuery', 'asyncFetch', 'qosInfo', 'objectInfo', 'group', 'link',
  'bucketArchiveDirectRead', 'httpsConfig', 'redundancyTransition', 'accessPoint',
  'accessPointPolicy', 'publicAccessBlock', 'policyStatus', 'rtc', 'seal', 'cleanRestoredObject',
  'legalHold', 'retention', 'objectWorm', 'overwriteConfig', 'userDefinedLogFieldsConfig',
  'regions', 'requesterQosInfo', 'qosRequester', 'resourcePoolInfo', 'resourcePool',
  'resourcePoolBuckets', 'withHashContext', 'responseHeader',
  'udf', 'udfName', 'udfId', 'udfImage', 'udfImageDesc', 'udfApplication', 'udfApplicationLog',
]);

/** True when a query parameter of this name is signed in V1 (the list, or an `x-oss-` name). */
export function isV1Subresource(name: string): boolean {
  return V1_SUBRESOURCES.has(name) || name.startsWith('x-oss-');
}

/** Request parts shared by the V1 signers. */
export interface V1RequestParts {
  method: string;
  bucket?: string | null;
  key?: string | null;
  /** Every query parameter of the request, signed or not. */
  query?: QueryInput | null;
  /** Content-MD5, Content-Type and x-oss-* headers take part; others are ignored. */
  headers?: HeadersInput | null;
  /** Exactly these query names are signed; when absent, those passing isV1Subresource. */
  subresources?: readonly string[] | null;
}

export interface StringToSignV1Input extends V1RequestParts {
  /**
   * The date line: an RFC 1123 string (a Date is formatted), or the Expires seconds of a
   * presigned URL. Defaults to the x-oss-date header, then Date, as OSS reads it.
   */
  date?: string | Date | number | null;
  /** STS token, signed as x-oss-security-token unless that header is already there. */
  securityToken?: string | null;
}

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string | null;
}

export interface SignV1HeaderInput extends V1RequestParts, Credentials {
  date?: string | Date | null;
}

export interface SignV1HeaderResult {
  authorization: string;
  signature: string;
  stringToSign: string;
}

export interface PresignV1Input extends V1RequestParts, Credentials {
  endpoint: string;
  cname?: boolean;
  pathStyle?: boolean;
  /** Absolute expiry, Unix epoch seconds. */
  expires: number;
}

export interface PresignV1Result {
  url: string;
  signature: string;
  stringToSign: string;
}

// Parameters presignV1 writes itself; a caller's copy would be ambiguous.
const V1_URL_PARAMS = new Set(['OSSAccessKeyId', 'Expires', 'Signature', 'security-token']);

/** `x-oss-*` headers as `name:value\n` lines, sorted by name (empty string when none). */
export function canonicalizedOssHeadersV1(headers: ReadonlyMap<string, string>): string {
  const names = [...headers.keys()].filter((n) => n.startsWith('x-oss-')).sort(compareOrdinal);
  return names.map((n) => `${n}:${headers.get(n)}\n`).join('');
}

/**
 * `/bucket/key` with the key as raw text (`/bucket/` for a bucket, `/` for the service), then
 * `?` and the signed parameters sorted by name, each `name` or `name=value` with the raw value.
 */
export function canonicalizedResourceV1(
  bucket: string | null | undefined,
  key: string | null | undefined,
  params: readonly QueryEntry[] = [],
): string {
  const path = bucket ? `/${bucket}/${key ?? ''}` : '/';
  if (params.length === 0) return path;
  const sorted = [...params].sort((a, b) => compareOrdinal(a[0], b[0]) || compareOrdinal(a[1] ?? '', b[1] ?? ''));
  // An empty value is "no value" for OSS, written as the bare name (as ali-oss does).
  return `${path}?${sorted.map(([n, v]) => (v ? `${n}=${v}` : n)).join('&')}`;
}

function signedParams(query: QueryInput | null | undefined, subresources: readonly string[] | null | undefined): QueryEntry[] {
  const chosen = subresources ? new Set(subresources) : undefined;
  return queryEntries(query).filter(([name]) => (chosen ? chosen.has(name) : isV1Subresource(name)));
}

function dateLine(date: StringToSignV1Input['date'], headers: ReadonlyMap<string, string>): string {
  if (date instanceof Date) return formatRfc1123(date);
  if (date !== undefined && date !== null) return String(date);
  return headers.get('x-oss-date') ?? headers.get('date') ?? '';
}

function assemble(method: string, headers: ReadonlyMap<string, string>, date: string, resource: string): string {
  return (
    `${method.toUpperCase()}\n${headers.get('content-md5') ?? ''}\n${headers.get('content-type') ?? ''}\n${date}\n` +
    `${canonicalizedOssHeadersV1(headers)}${resource}`
  );
}

/**
 * The V1 string to sign:
 * `METHOD\nContent-MD5\nContent-Type\nDate\n` + x-oss-* header lines + canonical resource.
 */
export function stringToSignV1(input: StringToSignV1Input): string {
  const headers = normalizeHeaders(input.headers);
  if (input.securityToken && !headers.has('x-oss-security-token')) {
    headers.set('x-oss-security-token', input.securityToken.trim());
  }
  const resource = canonicalizedResourceV1(input.bucket, input.key, signedParams(input.query, input.subresources));
  return assemble(input.method, headers, dateLine(input.date, headers), resource);
}

/** Base64 HMAC-SHA1 of a V1 string to sign. */
export async function signatureV1(
  accessKeySecret: string,
  stringToSign: string,
  subtle?: SubtleCrypto,
): Promise<string> {
  const s = subtle ?? defaultSubtle();
  const key = v1Key(accessKeySecret, s);
  // A SubtleCrypto with a synchronous HMAC (nodeSubtle) signs at once with the imported key.
  const fast = key.ready && syncCrypto(s)?.hmac(key.ready, stringToSign, 'base64');
  if (fast) return fast;
  return toBase64(await hmac(await key, stringToSign, 'SHA-1', s));
}

// Importing the secret costs as much as the HMAC itself (measured: 3.3k vs 33k signatures/s),
// so the imported key is kept per SubtleCrypto and secret, like the V4 signing key. Bounded.
const V1_KEY_LIMIT = 16;
const v1Keys = new WeakMap<SubtleCrypto, Map<string, HeldKey>>();

function v1Key(secret: string, subtle: SubtleCrypto): HeldKey {
  let cache = v1Keys.get(subtle);
  if (!cache) v1Keys.set(subtle, (cache = new Map()));
  let held = cache.get(secret);
  if (!held) {
    const owner = cache;
    const entry = (held = holdKey(importHmacKey(secret, 'SHA-1', subtle)));
    entry.catch(() => owner.get(secret) === entry && owner.delete(secret));
    cache.set(secret, entry);
    if (cache.size > V1_KEY_LIMIT) cache.delete(cache.keys().next().value!);
  }
  return held;
}

/**
 * `Authorization: OSS <AccessKeyId>:<signature>`. The request must carry the x-oss-date (or
 * Date) it was signed with, and x-oss-security-token when an STS token is given.
 */
export async function signV1Header(input: SignV1HeaderInput, subtle?: SubtleCrypto): Promise<SignV1HeaderResult> {
  const stringToSign = stringToSignV1(input);
  const signature = await signatureV1(input.accessKeySecret, stringToSign, subtle);
  return { authorization: `OSS ${input.accessKeyId}:${signature}`, signature, stringToSign };
}

/**
 * A V1 presigned URL: `<resource url>?OSSAccessKeyId=…&Expires=…&Signature=…`, then the
 * caller's query in order, then `security-token`. The date line is `expires`; the signed
 * headers (Content-Type, Content-MD5, x-oss-*) must be sent by whoever uses the URL.
 */
export async function presignV1(input: PresignV1Input, subtle?: SubtleCrypto): Promise<PresignV1Result> {
  const { expires } = input;
  if (!Number.isSafeInteger(expires) || expires <= 0) {
    throw new OSSArgumentError('expires', `expires must be absolute Unix seconds (a positive integer), got ${String(expires)}`);
  }
  const query = queryEntries(input.query);
  for (const [name] of query) {
    if (V1_URL_PARAMS.has(name)) throw new TypeError(`query parameter "${name}" is reserved for the V1 presigned URL`);
  }
  const token = input.securityToken || undefined;
  const params = signedParams(query, input.subresources);
  if (token) params.push(['security-token', token]);

  const headers = normalizeHeaders(input.headers);
  const stringToSign = assemble(input.method, headers, String(expires), canonicalizedResourceV1(input.bucket, input.key, params));
  const signature = await signatureV1(input.accessKeySecret, stringToSign, subtle);

  const urlParams: QueryEntry[] = [
    ['OSSAccessKeyId', input.accessKeyId],
    ['Expires', String(expires)],
    ['Signature', signature],
    ...query,
  ];
  if (token) urlParams.push(['security-token', token]);
  const url = `${resourceUrl(input)}?${buildQueryString(urlParams)}`;
  return { url, signature, stringToSign };
}

/** Splits `OSS <AccessKeyId>:<signature>`; undefined when the header is not V1. */
export function parseV1Authorization(header: string): { accessKeyId: string; signature: string } | undefined {
  const m = /^OSS ([^:\s]+):(\S+)$/.exec(header.trim());
  return m ? { accessKeyId: m[1]!, signature: m[2]! } : undefined;
}

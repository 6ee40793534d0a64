// Signature V4 (`OSS4-HMAC-SHA256`), header and presigned-URL forms. String builders
// (canonical request, string to sign) are exported apart from the HMAC steps so the local
// server can rebuild and report them when verifying.

import { defaultSubtle, hmac, holdKey, importHmacKey, sha256Hex, syncCrypto, toHex, type HeldKey } from './crypto.js';
import { OSSArgumentError } from './errors.js';
import {
  buildQueryString,
  compareOrdinal,
  encodeRfc3986,
  formatIso8601Basic,
  normalizeHeaders,
  queryEntries,
  resourceUrl,
  type HeadersInput,
  type QueryEntry,
  type QueryInput,
} from './encoding.js';

export const V4_ALGORITHM = 'OSS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** Longest validity OSS accepts for a V4 presigned URL (7 days). */
export const V4_MAX_EXPIRES = 604800;

/** `<yyyymmdd>/<region>/<product>/aliyun_v4_request` */
export function v4Scope(date8: string, region: string, product = 'oss'): string {
  return `${date8}/${region}/${product}/aliyun_v4_request`;
}

/** The V4 scope uses `cn-hangzhou`, not ali-oss's `oss-cn-hangzhou` spelling. */
export function normalizeV4Region(region: string): string {
  const plain = region.startsWith('oss-') ? region.slice(4) : region;
  if (!plain) throw new TypeError('region is required for V4 signing');
  return plain;
}

const ISO_BASIC = /^\d{8}T\d{6}Z$/;

function v4Date(date: string | Date | null | undefined, headers: ReadonlyMap<string, string>): string {
  const value = date instanceof Date ? formatIso8601Basic(date) : (date ?? headers.get('x-oss-date'));
  if (!value || !ISO_BASIC.test(value)) {
    throw new OSSArgumentError('date', `V4 signing needs an ISO 8601 basic date like 20240102T030405Z, got ${JSON.stringify(value)}`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Canonical request

/** `/bucket/key` (`/bucket/`, `/`) RFC 3986-encoded with `/` kept. */
export function canonicalUriV4(bucket?: string | null, key?: string | null): string {
  const path = bucket ? `/${bucket}/${key ?? ''}` : '/';
  return encodeRfc3986(path).replace(/%2F/g, '/');
}

/**
 * Every parameter, names and values RFC 3986-encoded, sorted by encoded name (then value) in
 * byte order. A parameter without value (`null`) is its bare name; an empty string value is
 * written `name=`, as ali-oss signs it. OSS itself reads `?acl=` on the wire as "no value".
 */
export function canonicalQueryV4(query: QueryInput | null | undefined): string {
  const pairs = queryEntries(query).map(([n, v]) => [encodeRfc3986(n), v === null ? null : encodeRfc3986(v)] as const);
  pairs.sort((a, b) => compareOrdinal(a[0], b[0]) || compareOrdinal(a[1] ?? '', b[1] ?? ''));
  return pairs.map(([n, v]) => (v === null ? n : `${n}=${v}`)).join('&');
}

function isDefaultSigned(name: string): boolean {
  return name === 'content-type' || name === 'content-md5' || name.startsWith('x-oss-');
}

/**
 * Additional headers as OSS wants them: lower-cased, de-duplicated, without the ones signed
 * anyway (content-type, content-md5, x-oss-*) and without names the request does not carry
 * (OSS rejects those), sorted.
 */
export function resolveAdditionalHeadersV4(
  names: readonly string[] | null | undefined,
  headers: ReadonlyMap<string, string>,
): string[] {
  if (!names || names.length === 0) return [];
  const set = new Set(names.map((n) => n.trim().toLowerCase()));
  return [...set].filter((n) => n && !isDefaultSigned(n) && headers.has(n)).sort(compareOrdinal);
}

/** `name:value\n` for content-type, content-md5, x-oss-* and the additional headers, sorted. */
export function canonicalHeadersV4(headers: ReadonlyMap<string, string>, additional: readonly string[] = []): string {
  return headerBlockV4(recordOf(headers), additional);
}

/** canonicalHeadersV4 over a record of lower-case names (what the client's request path holds). */
function headerBlockV4(headers: Readonly<Record<string, string>>, additional: readonly string[]): string {
  let block = '';
  for (const n of Object.keys(headers).sort(compareOrdinal)) {
    if (isDefaultSigned(n) || additional.includes(n)) block += `${n}:${headers[n]!.trim()}\n`;
  }
  return block;
}

/** A header map as a record without prototype (a header may be named `__proto__`). */
function recordOf(headers: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [name, value] of headers) out[name] = value;
  return out;
}

export interface CanonicalRequestV4Input {
  method: string;
  bucket?: string | null;
  key?: string | null;
  /** All query parameters (V4 signs every one). */
  query?: QueryInput | null;
  headers?: HeadersInput | null;
  /** Extra header names to sign; see resolveAdditionalHeadersV4. */
  additionalHeaders?: readonly string[] | null;
  /** STS token, signed as x-oss-security-token unless that header is already there. */
  securityToken?: string | null;
}

export interface CanonicalRequestV4Parts {
  canonicalRequest: string;
  /** The additional headers actually signed (for the Authorization header or URL). */
  additionalHeaders: string[];
}

function headerMapV4(input: CanonicalRequestV4Input): Map<string, string> {
  const headers = normalizeHeaders(input.headers);
  if (input.securityToken && !headers.has('x-oss-security-token')) {
    headers.set('x-oss-security-token', input.securityToken.trim());
  }
  return headers;
}

/** The canonical request from parts already in shape: method upper-case, header names lower-case. */
function canonicalOf(
  method: string, bucket: string | null | undefined, key: string | null | undefined, query: QueryInput | null | undefined,
  headers: Readonly<Record<string, string>>, additional: readonly string[],
): string {
  return `${method}\n${canonicalUriV4(bucket, key)}\n${canonicalQueryV4(query)}\n${headerBlockV4(headers, additional)}\n${additional.join(';')}\n${headers['x-oss-content-sha256'] || UNSIGNED_PAYLOAD}`;
}

/** The canonical request together with the additional headers it signed. */
export function canonicalRequestPartsV4(input: CanonicalRequestV4Input): CanonicalRequestV4Parts {
  const headers = headerMapV4(input);
  const additionalHeaders = resolveAdditionalHeadersV4(input.additionalHeaders, headers);
  const canonicalRequest = canonicalOf(input.method.toUpperCase(), input.bucket, input.key, input.query, recordOf(headers), additionalHeaders);
  return { canonicalRequest, additionalHeaders };
}

/**
 * `METHOD\nURI\nQUERY\nHEADERS\nADDITIONAL\nPAYLOAD`; the headers block ends in its own `\n`.
 * The payload hash is the x-oss-content-sha256 header, else UNSIGNED-PAYLOAD.
 */
export function canonicalRequestV4(input: CanonicalRequestV4Input): string {
  return canonicalRequestPartsV4(input).canonicalRequest;
}

/** `OSS4-HMAC-SHA256\n<date>\n<scope>\n<hex sha256 of the canonical request>` */
export function stringToSignV4(date: string, scope: string, hashedCanonicalRequest: string): string {
  return `${V4_ALGORITHM}\n${date}\n${scope}\n${hashedCanonicalRequest}`;
}

// ---------------------------------------------------------------------------------------------
// Signing key (cached)

const KEY_CACHE_LIMIT = 64;
// Per SubtleCrypto (a CryptoKey only works with the implementation that made it), then per
// (date, region, product, secret). The map is private and its keys never leave this module.
const keyCache = new WeakMap<SubtleCrypto, Map<string, HeldKey>>();

async function deriveSigningKey(
  secret: string,
  date8: string,
  region: string,
  product: string,
  subtle: SubtleCrypto,
): Promise<CryptoKey> {
  const kDate = await hmac(`aliyun_v4${secret}`, date8, 'SHA-256', subtle);
  const kRegion = await hmac(kDate, region, 'SHA-256', subtle);
  const kProduct = await hmac(kRegion, product, 'SHA-256', subtle);
  const kSigning = await hmac(kProduct, 'aliyun_v4_request', 'SHA-256', subtle);
  return importHmacKey(kSigning, 'SHA-256', subtle);
}

/**
 * HMAC-SHA256 chain `"aliyun_v4" + secret` → date → region → product → `aliyun_v4_request`,
 * as a non-extractable CryptoKey. The same inputs return the same key object: one day's key
 * serves every request, so a request costs one digest and one HMAC. Bounded LRU of 64.
 */
export function signingKeyV4(
  accessKeySecret: string,
  yyyymmdd: string,
  region: string,
  product = 'oss',
  subtle: SubtleCrypto = defaultSubtle(),
): HeldKey {
  let cache = keyCache.get(subtle);
  if (!cache) keyCache.set(subtle, (cache = new Map()));
  const id = `${yyyymmdd}\n${region}\n${product}\n${accessKeySecret}`;
  const hit = cache.get(id);
  if (hit) {
    cache.delete(id); // refresh its LRU position
    cache.set(id, hit);
    return hit;
  }
  const held = holdKey(deriveSigningKey(accessKeySecret, yyyymmdd, region, product, subtle));
  cache.set(id, held);
  const owner = cache;
  held.catch(() => {
    if (owner.get(id) === held) owner.delete(id); // do not cache failures
  });
  if (cache.size > KEY_CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return held;
}

/** Hex HMAC-SHA256 of a V4 string to sign with the (cached) signing key. */
export async function signatureV4(
  accessKeySecret: string,
  date8: string,
  region: string,
  stringToSign: string,
  product = 'oss',
  subtle?: SubtleCrypto,
): Promise<string> {
  const s = subtle ?? defaultSubtle();
  const key = signingKeyV4(accessKeySecret, date8, region, product, s);
  // A SubtleCrypto with a synchronous HMAC (nodeSubtle) signs at once with the derived key.
  const fast = key.ready && syncCrypto(s)?.hmac(key.ready, stringToSign, 'hex');
  if (fast) return fast;
  return toHex(await hmac(await key, stringToSign, 'SHA-256', s));
}

// ---------------------------------------------------------------------------------------------
// Header and URL signatures

export interface SignV4Common extends CanonicalRequestV4Input {
  accessKeyId: string;
  accessKeySecret: string;
  /** Region id; a leading `oss-` is dropped. For CloudBox, the CloudBox id. */
  region: string;
  /** `oss`, or `oss-cloudbox` for CloudBox. */
  product?: string;
}

export interface SignV4HeaderInput extends SignV4Common {
  /** ISO 8601 basic (`20240102T030405Z`) or a Date; defaults to the x-oss-date header. */
  date?: string | Date | null;
}

export interface SignV4HeaderResult {
  authorization: string;
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
}

/**
 * `OSS4-HMAC-SHA256 Credential=<AK>/<scope>[,AdditionalHeaders=a;b],Signature=<hex>`. The
 * request must carry x-oss-date (equal to `date`), x-oss-content-sha256 and, with STS,
 * x-oss-security-token; the client sets them, this function only signs.
 */
export async function signV4Header(input: SignV4HeaderInput, subtle?: SubtleCrypto): Promise<SignV4HeaderResult> {
  const headers = headerMapV4(input);
  const additionalHeaders = resolveAdditionalHeadersV4(input.additionalHeaders, headers);
  const request = {
    accessKeyId: input.accessKeyId, accessKeySecret: input.accessKeySecret, method: input.method.toUpperCase(), bucket: input.bucket, key: input.key,
    query: input.query, date: v4Date(input.date, headers), region: normalizeV4Region(input.region), product: input.product, additionalHeaders,
    headers: recordOf(headers),
  };
  return authorizeV4(request, subtle);
}

/** A request as the client's request path holds it, ready to sign: nothing is copied or checked again. */
export interface V4Request {
  accessKeyId: string;
  accessKeySecret: string;
  /** Upper-case. */
  method: string;
  bucket?: string | null;
  key?: string | null;
  query?: QueryInput | null;
  /** Lower-case names; x-oss-date, x-oss-content-sha256 and, with STS, x-oss-security-token among them. */
  headers: Readonly<Record<string, string>>;
  /** Lower-case, sorted, each a header the request carries (see resolveAdditionalHeadersV4). */
  additionalHeaders?: readonly string[];
  /** ISO 8601 basic, as the x-oss-date header. */
  date: string;
  /** Region id without `oss-`. */
  region: string;
  product?: string;
}

/** signV4Header for a request already in shape (the client's path: no header map, no re-checks). */
export async function authorizeV4(request: V4Request, subtle?: SubtleCrypto): Promise<SignV4HeaderResult> {
  const s = subtle ?? defaultSubtle();
  const { date, region, product = 'oss', additionalHeaders = [] } = request;
  const scope = v4Scope(date.slice(0, 8), region, product);
  const canonicalRequest = canonicalOf(request.method, request.bucket, request.key, request.query, request.headers, additionalHeaders);
  const stringToSign = stringToSignV4(date, scope, (syncCrypto(s)?.digest('SHA-256', canonicalRequest) ?? (await sha256Hex(canonicalRequest, s))));
  const signature = await signatureV4(request.accessKeySecret, date.slice(0, 8), region, stringToSign, product, s);
  const additional = additionalHeaders.length > 0 ? `AdditionalHeaders=${additionalHeaders.join(';')},` : '';
  const authorization = `${V4_ALGORITHM} Credential=${request.accessKeyId}/${scope},${additional}Signature=${signature}`;
  return { authorization, signature, canonicalRequest, stringToSign };
}

export interface PresignV4Input extends SignV4Common {
  endpoint: string;
  cname?: boolean;
  pathStyle?: boolean;
  /** ISO 8601 basic signing time or a Date. */
  date: string | Date;
  /** Validity in seconds from `date` (1 … 604800). */
  expires: number;
}

export interface PresignV4Result {
  url: string;
  signature: string;
  credential: string;
  canonicalRequest: string;
  stringToSign: string;
}

// Parameters presignV4 writes itself; a caller's copy would be ambiguous.
const V4_URL_PARAMS = new Set([
  'x-oss-additional-headers',
  'x-oss-credential',
  'x-oss-date',
  'x-oss-expires',
  'x-oss-signature-version',
  'x-oss-security-token',
  'x-oss-signature',
]);

/**
 * A V4 presigned URL: the caller's query in order, then x-oss-additional-headers,
 * x-oss-credential, x-oss-date, x-oss-expires, x-oss-signature-version,
 * x-oss-security-token and x-oss-signature. Signed headers are not put in the URL: whoever
 * uses it must send them. `host` as an additional header is filled from the URL when absent.
 */
export async function presignV4(input: PresignV4Input, subtle?: SubtleCrypto): Promise<PresignV4Result> {
  const s = subtle ?? defaultSubtle();
  const { expires } = input;
  if (!Number.isSafeInteger(expires) || expires < 1 || expires > V4_MAX_EXPIRES) {
    throw new OSSArgumentError('expires', `expires must be whole seconds in 1…${V4_MAX_EXPIRES}, got ${String(expires)}`);
  }
  const query = queryEntries(input.query);
  for (const [name] of query) {
    if (V4_URL_PARAMS.has(name)) throw new TypeError(`query parameter "${name}" is reserved for the V4 presigned URL`);
  }

  const baseUrl = resourceUrl(input);
  const headers = normalizeHeaders(input.headers); // the token goes in the query, not a header
  if (!headers.has('host') && input.additionalHeaders?.some((n) => n.trim().toLowerCase() === 'host')) {
    headers.set('host', new URL(baseUrl).host);
  }
  const date = v4Date(input.date, headers);
  const region = normalizeV4Region(input.region);
  const product = input.product ?? 'oss';
  const scope = v4Scope(date.slice(0, 8), region, product);
  const credential = `${input.accessKeyId}/${scope}`;

  const additionalHeaders = resolveAdditionalHeadersV4(input.additionalHeaders, headers);
  const params: QueryEntry[] = [...query];
  if (additionalHeaders.length > 0) params.push(['x-oss-additional-headers', additionalHeaders.join(';')]);
  params.push(
    ['x-oss-credential', credential],
    ['x-oss-date', date],
    ['x-oss-expires', String(expires)],
    ['x-oss-signature-version', V4_ALGORITHM],
  );
  if (input.securityToken) params.push(['x-oss-security-token', input.securityToken]);

  const canonicalRequest = canonicalOf(input.method.toUpperCase(), input.bucket, input.key, params, recordOf(headers), additionalHeaders);
  const stringToSign = stringToSignV4(date, scope, (syncCrypto(s)?.digest('SHA-256', canonicalRequest) ?? (await sha256Hex(canonicalRequest, s))));
  const signature = await signatureV4(input.accessKeySecret, date.slice(0, 8), region, stringToSign, product, s);

  params.push(['x-oss-signature', signature]);
  return { url: `${baseUrl}?${buildQueryString(params)}`, signature, credential, canonicalRequest, stringToSign };
}

// ---------------------------------------------------------------------------------------------
// Parsing (server side)

export interface V4Credential {
  accessKeyId: string;
  date: string;
  region: string;
  product: string;
}

/** Splits `<AK>/<yyyymmdd>/<region>/<product>/aliyun_v4_request`; undefined when malformed. */
export function parseV4Credential(credential: string): V4Credential | undefined {
  const parts = credential.split('/');
  if (parts.length < 5 || parts[parts.length - 1] !== 'aliyun_v4_request') return undefined;
  const [date, region, product] = parts.slice(-4, -1) as [string, string, string];
  const accessKeyId = parts.slice(0, -4).join('/');
  if (!accessKeyId || !/^\d{8}$/.test(date) || !region || !product) return undefined;
  return { accessKeyId, date, region, product };
}

export interface ParsedV4Authorization extends V4Credential {
  additionalHeaders: string[];
  signature: string;
}

/**
 * Parses a V4 Authorization header. SDKs differ in separators (`,` or `, `) and in where
 * AdditionalHeaders goes, so fields are split on `,`, trimmed and accepted in any order.
 */
export function parseV4Authorization(header: string): ParsedV4Authorization | undefined {
  const trimmed = header.trim();
  if (!trimmed.startsWith(`${V4_ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(V4_ALGORITHM.length + 1).split(',')) {
    const item = part.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    if (eq <= 0) return undefined;
    const name = item.slice(0, eq).trim().toLowerCase();
    if (fields.has(name)) return undefined; // ambiguous
    fields.set(name, item.slice(eq + 1).trim());
  }
  const credential = parseV4Credential(fields.get('credential') ?? '');
  const signature = fields.get('signature');
  if (!credential || !signature || !/^[0-9a-fA-F]{64}$/.test(signature)) return undefined;
  const additionalHeaders = (fields.get('additionalheaders') ?? '')
    .split(';')
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  return { ...credential, additionalHeaders, signature };
}

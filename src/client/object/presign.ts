import { OSSArgumentError } from '../../core/errors.js';
import { encodeCallback, type UploadCallback } from '../callback.js';
import { presignV1 } from '../../core/sign-v1.js';
import { presignV4, V4_MAX_EXPIRES } from '../../core/sign-v4.js';
import { assertInteger, assertObjectKey, assertOptionalString, assertPlainObject } from '../../core/validate.js';
import type { OSSCore } from '../core.js';
import { checkOptions } from '../call-options.js';

const METHODS: readonly string[] = ['GET', 'PUT', 'HEAD', 'POST', 'DELETE'];
const RESPONSE_HEADERS: readonly string[] = [
  'content-type', 'content-language', 'expires', 'cache-control', 'content-disposition', 'content-encoding',
];
// Query parameters the signature itself occupies (V1 and V4).
const RESERVED = new Set([
  'OSSAccessKeyId', 'Expires', 'Signature', 'security-token', 'x-oss-signature-version', 'x-oss-credential', 'x-oss-date',
  'x-oss-expires', 'x-oss-additional-headers', 'x-oss-security-token', 'x-oss-signature',
]);
// V1 URLs carry an absolute expiry with no limit of their own; a century covers any real use.
const V1_MAX_EXPIRES = 100 * 365 * 86_400;
/** OSS's single-connection bandwidth limit range, in bit/s (100 KB/s … 100 MB/s). */
const TRAFFIC_LIMIT_MIN = 819_200;
const TRAFFIC_LIMIT_MAX = 838_860_800;

export interface SignatureUrlOptions {
  /** Bucket of the URL (default: the client's). */
  bucket?: string;
  /** Seconds the URL stays valid (default 1800; V4 allows at most 604 800, i.e. 7 days). */
  expires?: number;
  /** The method the URL is for (default GET). */
  method?: 'GET' | 'PUT' | 'HEAD' | 'POST' | 'DELETE';
  /** Signed: whoever uses the URL must send exactly this Content-Type (or none if omitted). */
  'Content-Type'?: string;
  /** Signed: whoever uses the URL must send exactly this Content-MD5. */
  'Content-MD5'?: string;
  /** `x-oss-process`, e.g. `image/resize,w_200`. */
  process?: string;
  /** Response header overrides for GET: `{ 'content-disposition': 'attachment; filename="a.txt"' }`. */
  response?: Record<string, string>;
  /** Bandwidth limit in bit/s (819 200 … 838 860 800). */
  trafficLimit?: number;
  /** More query parameters to sign (`{ versionId }` for an older version, …); `null` for a bare name. */
  subResource?: Record<string, string | null>;
  /** Signed `x-oss-*` headers whoever uses the URL must send (Content-Type and Content-MD5 too). */
  headers?: Record<string, string>;
  /** For a PUT URL: have OSS call your app once the object is stored (`callback` / `callback-var` in the query). */
  callback?: UploadCallback;
}

function urlQuery(options: SignatureUrlOptions): Record<string, string | null> {
  const query: Record<string, string | null> = {};
  assertPlainObject(options.subResource, 'options.subResource');
  for (const [name, value] of Object.entries(options.subResource ?? {})) {
    if (RESERVED.has(name)) throw new OSSArgumentError(`options.subResource.${name}`, 'this parameter belongs to the signature');
    if (value !== null && typeof value !== 'string') throw new OSSArgumentError(`options.subResource.${name}`, 'expected a string or null');
    query[name] = value;
  }
  if (options.callback !== undefined) {
    const { callback, callbackVar } = encodeCallback(options.callback);
    query.callback = callback;
    if (callbackVar) query['callback-var'] = callbackVar;
  }
  assertOptionalString(options.process, 'options.process');
  if (options.process !== undefined) query['x-oss-process'] = options.process;
  assertPlainObject(options.response, 'options.response');
  for (const [name, value] of Object.entries(options.response ?? {})) {
    const lower = name.toLowerCase();
    if (!RESPONSE_HEADERS.includes(lower)) {
      throw new OSSArgumentError(`options.response.${name}`, `expected one of ${RESPONSE_HEADERS.join(', ')}`);
    }
    assertOptionalString(value, `options.response.${name}`);
    query[`response-${lower}`] = value;
  }
  if (options.trafficLimit !== undefined) {
    assertInteger(options.trafficLimit, 'options.trafficLimit', TRAFFIC_LIMIT_MIN, TRAFFIC_LIMIT_MAX);
    query['x-oss-traffic-limit'] = String(options.trafficLimit);
  }
  return query;
}

function signedHeaders(options: SignatureUrlOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  assertPlainObject(options.headers, 'options.headers');
  const given: Array<[string, unknown]> = [
    ...Object.entries(options.headers ?? {}),
    ['Content-Type', options['Content-Type']],
    ['Content-MD5', options['Content-MD5']],
  ];
  for (const [name, value] of given) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    // Only these take part in both signatures; anything else would be silently unsigned in V1.
    if (lower !== 'content-type' && lower !== 'content-md5' && !lower.startsWith('x-oss-')) {
      throw new OSSArgumentError(`options.headers.${name}`, 'only Content-Type, Content-MD5 and x-oss-* headers are signed into a URL');
    }
    if (typeof value !== 'string') throw new OSSArgumentError(`options.headers.${name}`, 'expected a string');
    headers[lower] = value;
  }
  return headers;
}

/**
 * A presigned URL that anyone can use with plain `fetch` until it expires: V4 by default, V1
 * when the client signs V1. Signed headers (Content-Type, x-oss-*) must be sent as given. An
 * STS token goes into the URL, which then also dies with the token. Unlike ali-oss's, it returns a
 * promise (Web Crypto is async).
 * @example
 * const url = await signatureUrl(core, 'uploads/a.png', { method: 'PUT', expires: 600, 'Content-Type': 'image/png' })
 * await fetch(url, { method: 'PUT', body: file, headers: { 'Content-Type': 'image/png' } })
 */
export async function signatureUrl(core: OSSCore, name: string, options: SignatureUrlOptions = {}): Promise<string> {
  assertObjectKey(name);
  checkOptions(options, 'bucket expires method Content-Type Content-MD5 process response trafficLimit subResource headers callback');
  const v4 = core.options.signatureVersion !== 'v1';
  const expires = options.expires ?? 1800;
  assertInteger(expires, 'options.expires', 1, v4 ? V4_MAX_EXPIRES : V1_MAX_EXPIRES);
  const method = options.method ?? 'GET';
  if (typeof method !== 'string' || !METHODS.includes(method.toUpperCase())) {
    throw new OSSArgumentError('options.method', `expected one of ${METHODS.join(', ')}`);
  }
  const bucket = core.requireBucket(options.bucket);
  core.url(bucket, name); // refuses keys no URL can carry ("." and ".." segments)
  const query = urlQuery(options);
  const headers = signedHeaders(options);
  const creds = await core.credentials();
  if (!creds) throw new OSSArgumentError('accessKeyId', 'a presigned URL needs credentials');
  const { origin, pathStyle, cname } = core.endpointInfo();
  const request = {
    accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret, securityToken: creds.securityToken,
    endpoint: origin, pathStyle, cname, bucket, key: name, method: method.toUpperCase(), query, headers,
  };
  const now = core.now();
  if (v4) return (await presignV4({ ...request, region: core.region, date: now, expires }, core.options.subtle)).url;
  return (await presignV1({ ...request, expires: Math.floor(now.getTime() / 1000) + expires }, core.options.subtle)).url;
}

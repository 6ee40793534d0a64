// CORS strictly by the bucket's rules (PutBucketCors), evaluated as OSS does: the first rule whose
// AllowedOrigin matches the Origin (one `*` wildcard), whose AllowedMethod has the method (for a
// preflight: Access-Control-Request-Method) and, for a preflight, whose AllowedHeader patterns
// cover every requested header. A preflight no rule matches is refused (403 AccessForbidden); an
// actual response gets Access-Control-* headers only when a rule matches.
//
// The dev default of `npm start` / `oss-fetch serve` (`cors: 'permissive'`) is an ordinary rule,
// DEV_CORS, written into the buckets the server creates; getBucketCORS shows it and
// deleteBucketCORS removes it.

import { ServerError, errorResponse, serverError } from './errors.js';
import type { RequestContext, ServerState } from './context.js';
import type { BucketRecord } from './storage/types.js';
import { getConfig, setConfig, type CorsConfig, type CorsRule } from './ops/bucket/config-store.js';
import { wildcardMatch } from './wildcard.js';

export type { CorsMode } from './context.js';

// The rule types live with the other bucket configurations (config-store.ts).
export type { CorsConfig, CorsRule } from './ops/bucket/config-store.js';

/** Headers a browser SDK must be able to read. */
export const EXPOSED_HEADERS = [
  'ETag', 'x-oss-request-id', 'x-oss-hash-crc64ecma', 'x-oss-version-id', 'x-oss-next-append-position',
  'x-oss-object-type', 'x-oss-storage-class', 'x-oss-ec', 'x-oss-err', 'Content-Length', 'Content-Range',
  'Content-Type', 'Last-Modified', 'x-oss-symlink-target', 'x-oss-restore', 'x-oss-delete-marker',
];

/**
 * Pages served from this machine, on any port: what a developer's own app runs on. Not `*`: the
 * dev key is public, so a rule for every origin would let any web page the developer visits
 * read and write the local server's buckets.
 */
export const LOOPBACK_ORIGINS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'].flatMap((host) =>
  ['http', 'https'].flatMap((scheme) => [`${scheme}://${host}`, `${scheme}://${host}:*`]));

/** The permissive rule of the dev server: pages on this machine (LOOPBACK_ORIGINS), the five methods, any header. */
export const DEV_CORS: CorsConfig = {
  rules: [{
    allowedOrigins: [...LOOPBACK_ORIGINS],
    allowedMethods: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'],
    allowedHeaders: ['*'],
    exposeHeaders: EXPOSED_HEADERS,
    maxAgeSeconds: 600,
  }],
  responseVary: false,
};

const originMatches = (rule: CorsRule, origin: string) =>
  rule.allowedOrigins.some((p) => wildcardMatch(p, origin, { caseInsensitive: true }));
const headerAllowed = (rule: CorsRule, header: string) =>
  rule.allowedHeaders.some((p) => wildcardMatch(p, header, { caseInsensitive: true }));

/** The first rule allowing this origin, method and (for preflights) these request headers. */
export function findCorsRule(config: CorsConfig, origin: string, method: string, requestHeaders: string[] = []): CorsRule | undefined {
  return config.rules.find((rule) =>
    originMatches(rule, origin) && rule.allowedMethods.includes(method) && requestHeaders.every((h) => headerAllowed(rule, h)));
}

/** `a, B ,c` → `['a', 'b', 'c']`. */
function headerList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
}

/** The addressed bucket for decorating a response: a lookup failure only means no CORS headers. */
async function bucketOf(ctx: RequestContext): Promise<BucketRecord | undefined> {
  if (!ctx.bucket) return undefined;
  try {
    return await ctx.state.storage.getBucket(ctx.bucket);
  } catch {
    return undefined;
  }
}

function refuse(ctx: RequestContext, message: string): Response {
  return answerError(ctx, new ServerError('AccessForbidden', message, {}, 403));
}

function answerError(ctx: RequestContext, err: ServerError): Response {
  return errorResponse(err, { requestId: ctx.requestId, hostId: ctx.hostId, method: ctx.method });
}

/**
 * Answer an `OPTIONS` request (every OPTIONS is a preflight on OSS), or undefined for any other
 * method. Preflights are anonymous: they carry no signature.
 */
export async function preflight(ctx: RequestContext): Promise<Response | undefined> {
  if (ctx.method !== 'OPTIONS') return undefined;
  let response: Response;
  try {
    response = await answerPreflight(ctx);
  } catch {
    response = answerError(ctx, serverError('InternalError', {}, 'We encountered an internal error. Please try again.'));
  }
  response.headers.set('x-oss-request-id', ctx.requestId);
  response.headers.set('server', 'AliyunOSS');
  response.headers.set('date', new Date(ctx.state.now()).toUTCString());
  return response;
}

async function answerPreflight(ctx: RequestContext): Promise<Response> {
  const origin = ctx.headers.get('origin');
  const method = ctx.headers.get('access-control-request-method');
  if (!origin || !method) return refuse(ctx, 'Insufficient information. Origin and Access-Control-Request-Method are needed.');
  const bucket = ctx.bucket ? await ctx.state.storage.getBucket(ctx.bucket) : undefined;
  if (ctx.bucket && !bucket) return answerError(ctx, serverError('NoSuchBucket', { BucketName: ctx.bucket }));
  const config = bucket && getConfig(bucket, 'cors');
  if (!config) return refuse(ctx, 'CORSResponse: CORS is not enabled for this bucket.');
  const requested = headerList(ctx.headers.get('access-control-request-headers'));
  const rule = findCorsRule(config, origin, method.toUpperCase(), requested);
  if (!rule) {
    return refuse(ctx, 'CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource\'s CORS spec.');
  }
  const headers = ruleHeaders(rule, origin, config.responseVary);
  if (requested.length) headers.set('access-control-allow-headers', requested.join(', '));
  headers.set('content-length', '0');
  return new Response(null, { status: 200, headers });
}

function ruleHeaders(rule: CorsRule, origin: string, vary: boolean): Headers {
  const headers = new Headers({
    'access-control-allow-origin': origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
  });
  if (rule.exposeHeaders.length) headers.set('access-control-expose-headers', rule.exposeHeaders.join(', '));
  if (rule.maxAgeSeconds !== undefined) headers.set('access-control-max-age', String(rule.maxAgeSeconds));
  if (vary) headers.set('vary', 'Origin');
  return headers;
}

/** Add the Access-Control-* headers of the matching rule to an actual (non-preflight) response. */
export async function decorate(ctx: RequestContext, response: Response): Promise<void> {
  const origin = ctx.headers.get('origin');
  if (!origin || ctx.method === 'OPTIONS') return;
  const bucket = await bucketOf(ctx);
  const config = bucket && getConfig(bucket, 'cors');
  if (!config) return;
  const rule = findCorsRule(config, origin, ctx.method);
  if (!rule) return;
  ruleHeaders(rule, origin, config.responseVary).forEach((value, name) => {
    if (name === 'vary') response.headers.append('vary', value);
    else response.headers.set(name, value);
  });
}

/** Give the named buckets the dev rule unless they have CORS rules of their own. */
export async function installDevCors(state: ServerState, buckets: string[]): Promise<void> {
  for (const name of buckets) {
    const bucket = await state.storage.getBucket(name);
    if (bucket && !getConfig(bucket, 'cors')) await setConfig(state.storage, name, 'cors', DEV_CORS);
  }
}

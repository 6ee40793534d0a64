// Which operation a request is: method × (service | bucket | object) × sub-resource.

import { isV1Subresource } from '../../core/sign-v1.js';
import { serverError } from '../errors.js';
import type { RequestContext } from '../handler.js';
import { deleteBucket, listBuckets, listObjects, putBucket } from './bucket.js';
import { deleteObject, getObject, putObject } from './object.js';

type Op = (ctx: RequestContext) => Promise<Response>;

// Sub-resources an operation may carry without changing which operation it is.
const PASSIVE = new Set([
  'response-content-type', 'response-content-language', 'response-expires', 'response-cache-control',
  'response-content-disposition', 'response-content-encoding', 'security-token', 'x-oss-security-token',
  'x-oss-signature-version', 'x-oss-credential', 'x-oss-date', 'x-oss-expires', 'x-oss-signature',
  'x-oss-additional-headers', 'x-oss-traffic-limit', 'x-oss-request-payer', 'continuation-token',
]);

const SERVICE: Record<string, Op> = { 'GET ': listBuckets };
const BUCKET: Record<string, Op> = {
  'GET ': listObjects,
  'PUT ': putBucket,
  'DELETE ': deleteBucket,
};
const OBJECT: Record<string, Op> = {
  'PUT ': putObject,
  'GET ': (ctx) => getObject(ctx, false),
  'HEAD ': (ctx) => getObject(ctx, true),
  'DELETE ': deleteObject,
};

export function dispatch(ctx: RequestContext): Promise<Response> {
  const sub = [...ctx.query.keys()].filter((n) => isV1Subresource(n) && !PASSIVE.has(n)).sort().join('&');
  const table = ctx.key !== null ? OBJECT : ctx.bucket !== null ? BUCKET : SERVICE;
  const op = table[`${ctx.method} ${sub}`];
  if (!op) {
    const what = sub ? `${ctx.method} ?${sub}` : ctx.method;
    if (!sub && !['GET', 'PUT', 'HEAD', 'DELETE', 'POST', 'OPTIONS'].includes(ctx.method)) {
      throw serverError('MethodNotAllowed', {}, 'The specified method is not allowed against this resource.');
    }
    throw serverError('NotImplemented', {}, `The local server does not implement ${what} on this resource yet.`);
  }
  return op(ctx);
}

// Which operation a request is: scope (service | bucket | object) × method × sub-resources.
// Each ops module exports its routes; add a module's table to ROUTE_TABLES to serve it.

import { isV1Subresource } from '../../core/sign-v1.js';
import { serverError } from '../errors.js';
import type { RequestContext } from '../context.js';
import { aclRoutes as bucketAclRoutes } from './bucket/acl.js';
import { bucketRoutes } from './bucket/buckets.js';
import { corsRoutes } from './bucket/cors.js';
import { encryptionRoutes } from './bucket/encryption.js';
import { inventoryRoutes } from './bucket/inventory.js';
import { lifecycleRoutes } from './bucket/lifecycle.js';
import { loggingRoutes } from './bucket/logging.js';
import { policyRoutes } from './bucket/policy.js';
import { refererRoutes } from './bucket/referer.js';
import { requestPaymentRoutes } from './bucket/request-payment.js';
import { bucketStatRoutes } from './bucket/stat.js';
import { tagsRoutes } from './bucket/tags.js';
import { versioningRoutes } from './bucket/versioning.js';
import { websiteRoutes } from './bucket/website.js';
import { wormRoutes } from './bucket/worm.js';
import { imageRoutes } from './image.js';
import { aclRoutes as objectAclRoutes } from './object/acl.js';
import { appendRoutes } from './object/append.js';
import { deleteMultiRoutes } from './object/delete-multi.js';
import { multipartRoutes } from './object/multipart.js';
import { postObjectRoutes } from './object/post-object.js';
import { objectRoutes } from './object/put-get.js';
import { restoreRoutes } from './object/restore.js';
import { symlinkRoutes } from './object/symlink.js';
import { taggingRoutes } from './object/tagging.js';
import type { RouteDef } from './routes.js';
import { withUploadCallback, type CallbackOperation } from '../upload-callback.js';

const ROUTE_TABLES: RouteDef[][] = [
  // service and bucket
  bucketRoutes, bucketAclRoutes, corsRoutes, encryptionRoutes, inventoryRoutes, lifecycleRoutes, loggingRoutes,
  policyRoutes, refererRoutes, requestPaymentRoutes, bucketStatRoutes, tagsRoutes, versioningRoutes, websiteRoutes,
  wormRoutes,
  // object
  objectRoutes, objectAclRoutes, appendRoutes, deleteMultiRoutes, multipartRoutes, postObjectRoutes, restoreRoutes,
  symlinkRoutes, taggingRoutes, imageRoutes,
];

// Sub-resources an operation may carry without changing which operation it is.
const PASSIVE = new Set([
  'response-content-type', 'response-content-language', 'response-expires', 'response-cache-control',
  'response-content-disposition', 'response-content-encoding', 'security-token', 'x-oss-security-token',
  'x-oss-signature-version', 'x-oss-credential', 'x-oss-date', 'x-oss-expires', 'x-oss-signature',
  'x-oss-additional-headers', 'x-oss-traffic-limit', 'x-oss-request-payer', 'continuation-token',
  'versionId', 'x-oss-process', 'position', 'partNumber', 'styleName', 'category', 'callback', 'callback-var',
]);

const table = new Map<string, RouteDef['handle']>();
for (const defs of ROUTE_TABLES) for (const d of defs) table.set(`${d.scope} ${d.method} ${d.sub}`, d.handle);

export function subresourceKey(query: URLSearchParams): string {
  return [...new Set(query.keys())].filter((n) => isV1Subresource(n) && !PASSIVE.has(n)).sort().join('&');
}

export function dispatch(ctx: RequestContext): Promise<Response> {
  const sub = subresourceKey(ctx.query);
  const scope = ctx.key !== null ? 'object' : ctx.bucket !== null ? 'bucket' : 'service';
  const handle = table.get(`${scope} ${ctx.method} ${sub}`);
  if (!handle) {
    if (!['GET', 'PUT', 'HEAD', 'DELETE', 'POST', 'OPTIONS'].includes(ctx.method)) {
      throw serverError('MethodNotAllowed', {}, 'The specified method is not allowed against this resource.');
    }
    const what = sub ? `${ctx.method} ?${sub}` : ctx.method;
    throw serverError('NotImplemented', {}, `The local server does not implement ${what} on this ${scope}.`);
  }
  const upload = uploadOperation(ctx, scope, sub);
  return upload ? withUploadCallback(ctx, upload, ctx.key!, () => handle(ctx)) : handle(ctx);
}

/** The operations that take an upload callback (PostObject checks its form itself). */
function uploadOperation(ctx: RequestContext, scope: string, sub: string): CallbackOperation | undefined {
  if (scope !== 'object') return undefined;
  if (ctx.method === 'PUT' && sub === '' && !ctx.headers.has('x-oss-copy-source')) return 'PutObject';
  if (ctx.method === 'POST' && sub === 'uploadId') return 'CompleteMultipartUpload';
  return undefined;
}

// Helpers shared by the server's operations: permission checks, bucket lookup, XML replies.

import { encodeHeaderByteString } from '../../core/encoding.js';
import { buildXml, parseXml, type XmlBuildValue, type XmlNode } from '../../core/xml.js';
import { serverError } from '../errors.js';
import { readBodyBytes } from '../body.js';
import type { RequestContext } from '../handler.js';
import { enforceSessionPolicy } from '../session-policy.js';
import type { BucketRecord, ObjectRecord } from '../storage/types.js';
import { actionFor, evaluatePolicy, resourceFor, storedPolicy, type PolicyVerdict } from '../policy.js';
import { checkReferer } from '../referer.js';
import { getConfig } from './config-store.js';

export interface Owner {
  id: string;
  displayName: string;
}

export function bucketOwner(bucket: BucketRecord): Owner {
  const owner = bucket.config.owner as Owner | undefined;
  return owner ?? { id: '', displayName: '' };
}

export function requireBucketName(ctx: RequestContext): string {
  if (!ctx.bucket) throw serverError('InvalidBucketName', { BucketName: '' });
  return ctx.bucket;
}

export async function loadBucket(ctx: RequestContext): Promise<BucketRecord> {
  const name = requireBucketName(ctx);
  const bucket = await ctx.state.storage.getBucket(name);
  if (!bucket) throw serverError('NoSuchBucket', { BucketName: name });
  return bucket;
}

export type Access = 'read' | 'write' | 'owner';

/**
 * May this request do what it asks? In order: an applicable Deny of the bucket policy refuses
 * anyone but the owner; anonymous and presigned requests must pass the referer rules; the owner,
 * or a caller the policy allows, may; other callers (anonymous or another account's key) only by
 * ACL: public-read for reads, public-read-write for writes, bucket management never.
 */
export function authorize(ctx: RequestContext, bucket: BucketRecord, access: Access, object?: ObjectRecord): void {
  if (ctx.principal?.sessionPolicy) enforceSessionPolicy(ctx, ctx.principal.sessionPolicy, ctx.principal.ownerId);
  const owner = ctx.principal !== null && ctx.principal.ownerId === bucketOwner(bucket).id;
  const verdict = owner ? 'none' : policyVerdict(ctx, bucket);
  if (verdict === 'deny') throw serverError('AccessDenied', {}, 'You have no right to access this resource because of bucket policy.');
  checkReferer(ctx, bucket.name, getConfig(bucket, 'referer'));
  if (owner || verdict === 'allow') return;
  const acl = object && object.acl !== 'default' ? object.acl : bucket.acl;
  const allowed =
    (access === 'read' && (acl === 'public-read' || acl === 'public-read-write')) ||
    (access === 'write' && acl === 'public-read-write');
  if (allowed) return;
  if (ctx.principal) throw serverError('AccessDenied', {}, 'You have no right to access this bucket.');
  throw serverError('AccessDenied', {}, 'You have no right to access this object because of bucket acl.');
}

/** The bucket policy's say on this request, `none` when the bucket has no policy. */
function policyVerdict(ctx: RequestContext, bucket: BucketRecord): PolicyVerdict {
  const text = getConfig(bucket, 'policy');
  if (text === undefined) return 'none';
  const resource = resourceFor(ctx.state.region, bucketOwner(bucket).id, bucket.name, ctx.key);
  return evaluatePolicy(storedPolicy(text), ctx.principal, actionFor(ctx), resource);
}

export function requireSigned(ctx: RequestContext): NonNullable<RequestContext['principal']> {
  if (!ctx.principal) throw serverError('AccessDenied', {}, 'Anonymous access is forbidden for this operation.');
  if (ctx.principal.sessionPolicy) enforceSessionPolicy(ctx, ctx.principal.sessionPolicy, ctx.principal.ownerId);
  return ctx.principal;
}

export function xmlResponse(root: string, body: XmlBuildValue, status = 200, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set('content-type', 'application/xml');
  return new Response(buildXml(root, body), { status, headers: h });
}

export function emptyResponse(status = 200, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  if (!h.has('content-length')) h.set('content-length', '0');
  return new Response(null, { status, headers: h });
}

/** Header values may hold any text: send non-ASCII as raw UTF-8 bytes, as OSS does. */
export function setHeader(headers: Headers, name: string, value: string): void {
  headers.set(name, encodeHeaderByteString(value));
}

const MAX_XML_BODY = 1024 * 1024;

/** Read and parse an XML request body, refusing oversized, DTD-bearing or malformed ones. */
export async function readXmlBody(ctx: RequestContext, maxBytes = MAX_XML_BODY): Promise<XmlNode> {
  const text = await readTextBody(ctx, maxBytes);
  try {
    // The reader refuses DTDs, unbalanced tags and unknown entities itself.
    return await parseXml(text);
  } catch {
    throw serverError('MalformedXML');
  }
}

export async function readTextBody(ctx: RequestContext, maxBytes: number): Promise<string> {
  const bytes = await readBodyBytes(ctx.request.body, maxBytes, () =>
    serverError('InvalidArgument', {}, `The request body is larger than ${maxBytes} bytes.`));
  return new TextDecoder().decode(bytes);
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

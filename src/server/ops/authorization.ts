// Authorization, one resource at a time. An operation asks once for every resource it reads or
// writes: its own object or bucket, and every other one it names (a copy source, a symlink's
// target, a saveas target, each key of a batch delete, a website's index document). The same
// rules apply to each, in OSS's order: the STS session policy, an applicable Deny of the bucket
// policy (which refuses anyone but the owner), the referer rules (anonymous and presigned
// requests only), then the owner, an Allow of the bucket policy, or the ACL.

import { serverError } from '../errors.js';
import type { RequestContext } from '../context.js';
import { actionFor, evaluatePolicy, resourceFor, storedPolicy, type PolicyVerdict } from '../policy.js';
import { checkReferer } from '../referer.js';
import { checkRequesterPays } from '../requester-pays.js';
import { enforceSessionPolicy } from '../session-policy.js';
import type { BucketRecord, ObjectRecord } from '../storage/types.js';
import { getConfig } from './bucket/config-store.js';

/** Which ACL grant lets a caller who is not the owner in: public-read, public-read-write, or none. */
export type Access = 'read' | 'write' | 'owner';

export interface Owner {
  id: string;
  displayName: string;
}

export function bucketOwner(bucket: BucketRecord): Owner {
  const owner = bucket.config.owner as Owner | undefined;
  return owner ?? { id: '', displayName: '' };
}

/** One resource an operation touches, and what it does to it. */
export interface ResourceAccess {
  bucket: BucketRecord;
  /** The object's key; `null` for the bucket itself. */
  key: string | null;
  /** The RAM actions OSS checks for this role, all required (e.g. `oss:GetObject` for a copy source). */
  actions: readonly string[];
  /** The ACL grant that suffices for a caller who is neither the owner nor allowed by policy. */
  access: Access;
  /** The object when it exists: an ACL of its own overrides the bucket's. */
  object?: ObjectRecord;
}

/** The parts of a request authorization looks at: who asks, how (referer), and the server. */
export type Caller = Pick<RequestContext, 'principal' | 'headers' | 'state'>;

/** Throw OSS's AccessDenied unless the caller may do every one of `r.actions` to the resource. */
export function authorizeResource(ctx: Caller, r: ResourceAccess): void {
  const owner = bucketOwner(r.bucket);
  const resource = resourceFor(ctx.state.region, owner.id, r.bucket.name, r.key);
  const principal = ctx.principal;
  if (principal?.sessionPolicy) for (const action of r.actions) enforceSessionPolicy(principal.sessionPolicy, action, resource);
  const isOwner = principal !== null && principal.ownerId === owner.id;
  if (!isOwner) checkRequesterPays(ctx.headers, principal === null, r.bucket);
  const verdicts = isOwner ? [] : r.actions.map((action) => policyVerdict(ctx, r.bucket, action, resource));
  if (verdicts.includes('deny')) throw serverError('AccessDenied', {}, 'You have no right to access this resource because of bucket policy.');
  checkReferer(ctx, r.bucket.name, getConfig(r.bucket, 'referer'));
  if (isOwner || verdicts.every((v) => v === 'allow')) return;
  const acl = r.object && r.object.acl !== 'default' ? r.object.acl : r.bucket.acl;
  const allowed =
    (r.access === 'read' && (acl === 'public-read' || acl === 'public-read-write')) ||
    (r.access === 'write' && acl === 'public-read-write');
  if (allowed) return;
  if (principal) throw serverError('AccessDenied', {}, 'You have no right to access this bucket.');
  throw serverError('AccessDenied', {}, 'You have no right to access this object because of bucket acl.');
}

/**
 * The request's own resource: its bucket and key, with the action the request is (`actionFor`).
 * Any other bucket or key an operation touches goes through authorizeResource with its own action.
 */
export function authorize(ctx: RequestContext, bucket: BucketRecord, access: Access, object?: ObjectRecord): void {
  // A second bucket here would be checked under this request's key: a bug, not a grant.
  if (bucket.name !== ctx.bucket) throw new Error(`authorize() is for the request's own bucket, not ${bucket.name}`);
  authorizeResource(ctx, { bucket, key: ctx.key, actions: [actionFor(ctx)], access, object });
}

/** What reading an object as a copy source needs: GetObject, and GetObjectVersion for a version. */
export function sourceAccess(bucket: BucketRecord, key: string, versionId: string | null | undefined, object?: ObjectRecord): ResourceAccess {
  const actions = versionId ? ['oss:GetObject', 'oss:GetObjectVersion'] : ['oss:GetObject'];
  return { bucket, key, actions, access: 'read', object };
}

/** The bucket policy's say on one action on one resource; `none` when the bucket has no policy. */
function policyVerdict(ctx: Caller, bucket: BucketRecord, action: string, resource: string): PolicyVerdict {
  const text = getConfig(bucket, 'policy');
  if (text === undefined) return 'none';
  return evaluatePolicy(storedPolicy(text), ctx.principal, action, resource);
}

/** The signed caller, or AccessDenied for an anonymous one (operations without a bucket ACL to fall back on). */
export function requireSigned(ctx: RequestContext): NonNullable<RequestContext['principal']> {
  const principal = ctx.principal;
  if (!principal) throw serverError('AccessDenied', {}, 'Anonymous access is forbidden for this operation.');
  if (principal.sessionPolicy) {
    const service = ctx.bucket === null;
    const action = service ? 'oss:ListBuckets' : actionFor(ctx);
    const resource = service ? `acs:oss:${ctx.state.region}:${principal.ownerId}:*` : resourceFor(ctx.state.region, principal.ownerId, ctx.bucket!, ctx.key);
    enforceSessionPolicy(principal.sessionPolicy, action, resource);
  }
  return principal;
}

// Bucket policies: a small evaluator of OSS policy documents (Version "1"). A statement applies
// when its Principal, Action and Resource all match (`*` and `?` wildcards); an applicable Deny
// wins over any Allow. Condition blocks are refused when the policy is stored, not ignored: a
// silently skipped condition would grant more than its author meant.

import { ServerError, serverError } from './errors.js';
import { wildcardMatch } from './wildcard.js';

export interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  actions: string[];
  resources: string[];
  /** `*` (everyone, anonymous included), access key ids or account (owner) ids. */
  principals: string[];
}

export type PolicyVerdict = 'allow' | 'deny' | 'none';

/** Who asks: `null` for an anonymous caller. */
export interface PolicyCaller {
  accessKeyId: string;
  ownerId: string;
}

const invalid = (message: string): ServerError => serverError('InvalidPolicyDocument', {}, message);

function stringList(value: unknown, field: string, index: number): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && v !== '')) {
    throw invalid(`Statement ${index}: ${field} must be a non-empty string or array of strings.`);
  }
  return list as string[];
}

/** Parse and check a policy document; throws InvalidPolicyDocument naming what is wrong. */
export function parsePolicy(text: string): PolicyStatement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalid('The policy is not valid JSON.');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalid('The policy must be a JSON object.');
  const { Version, Statement } = doc as Record<string, unknown>;
  if (Version !== '1') throw invalid('The policy Version must be "1".');
  if (!Array.isArray(Statement) || Statement.length === 0) throw invalid('The policy needs a non-empty Statement array.');
  return Statement.map((s: unknown, i) => {
    if (!s || typeof s !== 'object' || Array.isArray(s)) throw invalid(`Statement ${i} must be an object.`);
    const st = s as Record<string, unknown>;
    if (st.Condition !== undefined) {
      throw serverError('NotImplemented', {}, 'The local server does not evaluate policy Condition blocks.');
    }
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw invalid(`Statement ${i}: Effect must be "Allow" or "Deny".`);
    const actions = stringList(st.Action, 'Action', i);
    if (!actions.every((a) => /^oss:/i.test(a) || a === '*')) throw invalid(`Statement ${i}: every Action starts with "oss:".`);
    const resources = stringList(st.Resource, 'Resource', i);
    if (!resources.every((r) => r.startsWith('acs:oss:') || r === '*')) throw invalid(`Statement ${i}: every Resource starts with "acs:oss:".`);
    return { effect: st.Effect, actions, resources, principals: stringList(st.Principal, 'Principal', i) };
  });
}

/** The verdict of a policy on one request. Anonymous callers match only the `*` principal. */
export function evaluatePolicy(
  statements: readonly PolicyStatement[], caller: PolicyCaller | null, action: string, resource: string,
): PolicyVerdict {
  let verdict: PolicyVerdict = 'none';
  for (const st of statements) {
    const principal = st.principals.some((p) => p === '*' || (caller !== null && (p === caller.accessKeyId || p === caller.ownerId)));
    if (!principal) continue;
    if (!st.actions.some((a) => wildcardMatch(a, action, { questionMark: true, caseInsensitive: true }))) continue;
    if (!st.resources.some((r) => wildcardMatch(r, resource, { questionMark: true }))) continue;
    if (st.effect === 'Deny') return 'deny';
    verdict = 'allow';
  }
  return verdict;
}

const parsed = new Map<string, PolicyStatement[]>();

/** Statements of a stored policy, parsed once per distinct document. */
export function storedPolicy(text: string): PolicyStatement[] {
  let statements = parsed.get(text);
  if (!statements) {
    statements = parsePolicy(text);
    if (parsed.size > 100) parsed.clear();
    parsed.set(text, statements);
  }
  return statements;
}

// Bucket sub-resources whose operations are `oss:<Verb>Bucket<Name>`.
const CONFIG_ACTIONS: Record<string, string> = {
  acl: 'Acl', cors: 'Cors', logging: 'Logging', website: 'Website', referer: 'Referer', lifecycle: 'Lifecycle',
  versioning: 'Versioning', tagging: 'Tagging', policy: 'Policy',
};
const VERBS: Record<string, string> = { GET: 'Get', HEAD: 'Get', PUT: 'Put', POST: 'Put', DELETE: 'Delete' };

/** The RAM action name of a request, e.g. `oss:GetObject`, `oss:PutBucketCors`. */
export function actionFor(ctx: { method: string; key: string | null; query: URLSearchParams }): string {
  const q = ctx.query;
  const verb = VERBS[ctx.method] ?? 'Get';
  if (ctx.key !== null) {
    if (q.has('acl')) return `oss:${verb}ObjectAcl`;
    if (q.has('tagging')) return `oss:${verb}ObjectTagging`;
    if (q.has('restore')) return 'oss:RestoreObject';
    // ProcessObject (`sys/saveas`): OSS checks PostProcessTask on the source.
    if (ctx.method === 'POST' && q.has('x-oss-process')) return 'oss:PostProcessTask';
    if (q.has('uploadId') && ctx.method === 'GET') return 'oss:ListParts';
    if (q.has('uploadId') && ctx.method === 'DELETE') return 'oss:AbortMultipartUpload';
    if (verb === 'Get') return q.has('versionId') ? 'oss:GetObjectVersion' : 'oss:GetObject';
    if (verb === 'Delete') return q.has('versionId') ? 'oss:DeleteObjectVersion' : 'oss:DeleteObject';
    return 'oss:PutObject';
  }
  for (const [sub, name] of Object.entries(CONFIG_ACTIONS)) if (q.has(sub)) return `oss:${verb}Bucket${name}`;
  if (q.has('location')) return 'oss:GetBucketLocation';
  if (q.has('bucketInfo')) return 'oss:GetBucketInfo';
  if (q.has('versions')) return 'oss:ListObjectVersions';
  if (q.has('uploads')) return 'oss:ListMultipartUploads';
  if (q.has('delete')) return 'oss:DeleteObject';
  if (verb === 'Get') return 'oss:ListObjects';
  return `oss:${verb}Bucket`;
}

/** The resource name policies match: `acs:oss:<region>:<owner>:<bucket>[/<key>]`. */
export function resourceFor(region: string, ownerId: string, bucket: string, key: string | null): string {
  return `acs:oss:${region}:${ownerId}:${bucket}${key !== null ? `/${key}` : ''}`;
}

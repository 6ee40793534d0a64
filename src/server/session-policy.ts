// RAM policies attached to STS sessions (AssumeRole's `Policy`). The local server's roles may do
// everything their account may, so a session's rights are exactly what its policy allows: an
// explicit Deny wins, then an Allow must match the request's action (`oss:PutObject`) and
// resource (`acs:oss:*:*:bucket/key`). Matching is the bucket-policy evaluator's.

import { serverError } from './errors.js';
import { evaluatePolicy, type PolicyStatement } from './policy.js';

export interface SessionPolicy {
  statements: PolicyStatement[];
}

/**
 * Parse a RAM policy document; `undefined` when it is not one (STS answers PolicyGrammar).
 * Conditions are not evaluated, so they fail closed: an Allow with one is dropped, a Deny with
 * one applies unconditionally.
 */
export function parseSessionPolicy(text: string): SessionPolicy | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(doc) || (doc.Version !== undefined && doc.Version !== '1')) return undefined;
  const raw = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (raw.length === 0) return undefined;
  const statements: PolicyStatement[] = [];
  for (const s of raw) {
    if (!isObject(s) || (s.Effect !== 'Allow' && s.Effect !== 'Deny')) return undefined;
    const actions = stringList(s.Action);
    const resources = stringList(s.Resource);
    if (!actions || !resources || !actions.every((a) => a === '*' || /^[\w*?-]+:[\w*?-]+$/.test(a))) return undefined;
    if (s.Condition !== undefined && !isObject(s.Condition)) return undefined;
    const conditional = isObject(s.Condition) && Object.keys(s.Condition).length > 0;
    if (conditional && s.Effect === 'Allow') continue;
    statements.push({ effect: s.Effect, actions, resources, principals: ['*'] });
  }
  return { statements };
}

/** Refuse unless the session policy allows `action` on `resource` (OSS's "authorizer's policy" error). */
export function enforceSessionPolicy(policy: SessionPolicy, action: string, resource: string): void {
  if (evaluatePolicy(policy.statements, null, action, resource) !== 'allow') {
    throw serverError('AccessDenied', {}, `Access denied by authorizer's policy (${action} on ${resource}).`);
  }
}

function stringList(value: unknown): string[] | undefined {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && v)) return undefined;
  return list as string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

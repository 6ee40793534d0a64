// The POST policy of a browser form upload: a Base64 JSON document with an `expiration` and
// `conditions` the form must meet. Conditions: `{"field": "value"}` (exact), `["eq" |
// "starts-with", "$field", "value"]`, `["in" | "not-in", "$field", [values]]` and
// `["content-length-range", min, max]`. A failed condition is AccessDenied naming it, as on OSS.

import { fromBase64 } from '../core/crypto.js';
import { serverError } from './errors.js';

export interface PostPolicyCheck {
  /** The file's allowed byte range from `content-length-range`, checked as it streams. */
  sizeRange?: { min: number; max: number };
}

const invalid = (why: string) => serverError('InvalidPolicyDocument', {}, `Invalid Policy: ${why}`);
const failed = (condition: unknown) =>
  serverError('AccessDenied', {}, `Invalid according to Policy: Policy Condition failed: ${JSON.stringify(condition)}`);

/**
 * Check the form against its policy. `fields` are the form fields (lower-case names) as sent;
 * `bucket` answers the `bucket` condition.
 */
export function checkPostPolicy(policyBase64: string, fields: ReadonlyMap<string, string>, bucket: string, now: number): PostPolicyCheck {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64(policyBase64.trim())));
  } catch {
    throw invalid('the policy is not Base64 of UTF-8 JSON.');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalid('the policy must be a JSON object.');
  const { expiration, conditions } = doc as Record<string, unknown>;
  if (typeof expiration !== 'string' || !Number.isFinite(Date.parse(expiration))) throw invalid('expiration must be an ISO 8601 time.');
  if (!Array.isArray(conditions)) throw invalid('conditions must be an array.');
  if (now > Date.parse(expiration)) throw serverError('AccessDenied', {}, 'Invalid according to Policy: Policy expired.');

  const value = (name: string) => (name === 'bucket' ? bucket : fields.get(name));
  const check: PostPolicyCheck = {};
  for (const c of conditions) {
    if (c && typeof c === 'object' && !Array.isArray(c)) {
      for (const [name, expected] of Object.entries(c)) {
        if (typeof expected !== 'string') throw invalid(`Invalid Simple-Condition: value of ${name} must be a string.`);
        if (value(name.toLowerCase()) !== expected) throw failed(c);
      }
      continue;
    }
    if (!Array.isArray(c) || typeof c[0] !== 'string') throw invalid(`Invalid Condition: ${JSON.stringify(c)}.`);
    const op = c[0].toLowerCase();
    if (op === 'content-length-range') {
      const [, min, max] = c;
      if (c.length !== 3 || !isSize(min) || !isSize(max) || Number(min) > Number(max)) throw invalid(`Invalid content-length-range: ${JSON.stringify(c)}.`);
      const range = { min: Number(min), max: Number(max) };
      // Several ranges all apply: keep their intersection.
      check.sizeRange = check.sizeRange
        ? { min: Math.max(check.sizeRange.min, range.min), max: Math.min(check.sizeRange.max, range.max) }
        : range;
      continue;
    }
    const [, field, operand] = c;
    if (c.length !== 3 || typeof field !== 'string' || !field.startsWith('$')) throw invalid(`Invalid Condition: ${JSON.stringify(c)}.`);
    const actual = value(field.slice(1).toLowerCase());
    switch (op) {
      case 'eq':
        if (typeof operand !== 'string') throw invalid(`Invalid Condition: ${JSON.stringify(c)}.`);
        if (actual !== operand) throw failed(c);
        break;
      case 'starts-with':
        if (typeof operand !== 'string') throw invalid(`Invalid Condition: ${JSON.stringify(c)}.`);
        if (!(actual ?? '').startsWith(operand)) throw failed(c);
        break;
      case 'in':
      case 'not-in': {
        if (!Array.isArray(operand) || !operand.every((v) => typeof v === 'string')) throw invalid(`Invalid Condition: ${JSON.stringify(c)}.`);
        const found = actual !== undefined && operand.includes(actual);
        if (found !== (op === 'in')) throw failed(c);
        break;
      }
      default:
        throw invalid(`Invalid Condition: unknown operator "${c[0]}".`);
    }
  }
  return check;
}

function isSize(v: unknown): boolean {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

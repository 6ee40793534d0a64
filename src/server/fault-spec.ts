// Fault rules from text, for `oss-fetch serve --faults`: a JSON rule or array of rules, or the
// compact form `kind[:name=value,...]` with rules separated by `;`, e.g.
// `status:status=503,count=2;stall:afterBytes=1024,ms=5000,method=GET`.

import type { FaultKind, FaultRule } from './faults.js';

const KINDS: readonly FaultKind[] = ['status', 'reset', 'stall', 'truncate', 'corrupt'];
const NUMBERS = { count: 1, status: 100, afterBytes: 0, requestBytes: 0, ms: 0 } as const; // name → least value
const TEXTS = ['method', 'keyPrefix'] as const;

/** The fault rules a `--faults` value describes; throws a one-line Error on anything else. */
export function parseFaults(spec: string): FaultRule[] {
  const text = spec.trim();
  if (text.startsWith('[') || text.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new Error(`--faults: not valid JSON (${(err as Error).message})`);
    }
    return (Array.isArray(value) ? value : [value]).map((rule) => checkRule(rule));
  }
  return text.split(';').map((s) => s.trim()).filter(Boolean).map(compactRule);
}

function compactRule(text: string): FaultRule {
  const colon = text.indexOf(':');
  const rule: Record<string, unknown> = { kind: colon === -1 ? text : text.slice(0, colon) };
  if (colon !== -1) {
    for (const pair of text.slice(colon + 1).split(',')) {
      const eq = pair.indexOf('=');
      if (eq === -1) throw new Error(`--faults: "${pair}" in "${text}" is not name=value`);
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      rule[name] = name in NUMBERS ? Number(value) : value;
    }
  }
  return checkRule(rule);
}

function checkRule(value: unknown): FaultRule {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`--faults: ${JSON.stringify(value)} is not a fault rule`);
  const rule = value as Record<string, unknown>;
  if (!KINDS.includes(rule.kind as FaultKind)) {
    throw new Error(`--faults: unknown fault kind ${JSON.stringify(rule.kind)} (one of ${KINDS.join(', ')})`);
  }
  for (const [name, v] of Object.entries(rule)) {
    if (name === 'kind') continue;
    if (name in NUMBERS) {
      const least = NUMBERS[name as keyof typeof NUMBERS];
      if (!Number.isSafeInteger(v) || (v as number) < least || (name === 'status' && (v as number) > 599)) throw new Error(`--faults: ${name} must be an integer ≥ ${least}, got ${JSON.stringify(v)}`);
    } else if ((TEXTS as readonly string[]).includes(name)) {
      if (typeof v !== 'string' || !v) throw new Error(`--faults: ${name} must be a non-empty string`);
    } else {
      throw new Error(`--faults: unknown field "${name}" (fields: ${[...Object.keys(NUMBERS), ...TEXTS].join(', ')})`);
    }
  }
  if (typeof rule.method === 'string') rule.method = rule.method.toUpperCase();
  return rule as unknown as FaultRule;
}

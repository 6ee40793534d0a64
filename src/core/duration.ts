// Durations as ali-oss takes them (it reads options through humanize-ms): a number of
// milliseconds, or a string with a unit. Anything else is refused, never guessed at.

import { OSSArgumentError } from './errors.js';

/** Milliseconds, or a string with a unit: `'500ms'`, `'60s'`, `'2m'`, `'1h'`, `'1d'` (a bare `'1500'` is ms). */
export type Duration = number | string;

const UNIT_MS: Readonly<Record<string, number>> = { '': 1, ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_RE = /^(\d+(?:\.\d+)?|\.\d+) ?(ms|s|m|h|d)?$/i;

/** The forms `parseDuration` accepts, for error messages. */
export const DURATION_FORMS = 'a number of milliseconds or a string like "500ms", "60s", "2m", "1h"';

/**
 * The milliseconds a duration option stands for: a number ≥ 0 (`Infinity` included) as is, a
 * string with a unit converted. Throws OSSArgumentError naming the accepted forms otherwise.
 */
export function parseDuration(value: unknown, argument: string): number {
  if (typeof value === 'number' && value >= 0) return value;
  if (typeof value === 'string') {
    const match = DURATION_RE.exec(value.trim());
    if (match) return Number(match[1]) * UNIT_MS[(match[2] ?? '').toLowerCase()]!;
  }
  const got = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'number' ? String(value) : value === null ? 'null' : typeof value;
  throw new OSSArgumentError(argument, `expected ${DURATION_FORMS}, got ${got}`);
}

/** The per-request timeout when none is given (ms): clients and STS alike. */
export const DEFAULT_TIMEOUT = 60_000;

/** A timeout option in ms: `DEFAULT_TIMEOUT` when absent; `0` or `Infinity` mean none. */
export function parseTimeout(value: unknown, argument: string): number {
  return value === undefined ? DEFAULT_TIMEOUT : parseDuration(value, argument) || Infinity;
}

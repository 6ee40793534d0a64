// Hotlink protection (PutBucketReferer). OSS checks the Referer only of anonymous and presigned
// requests: a request signed in its Authorization header is exempt. Rules, as OSS documents them:
// a black-listed referer is refused; an empty referer passes when AllowEmptyReferer is true or
// the white list is empty; otherwise the referer must match the white list (when it has entries).

import { ServerError } from './errors.js';
import type { RequestContext } from './context.js';
import { wildcardMatch } from './wildcard.js';

export interface RefererConfig {
  allowEmpty: boolean;
  /** Drop `?query` before matching (OSS default: true). */
  allowTruncateQueryString: boolean;
  /** Keep only `scheme://host[:port]` before matching (OSS default: false). */
  truncatePath: boolean;
  whitelist: string[];
  blacklist: string[];
}

/** What matching sees of a Referer header once the configured parts are cut off. */
function comparable(config: RefererConfig, referer: string): string {
  let value = referer;
  if (config.allowTruncateQueryString) value = value.split('?')[0]!;
  if (config.truncatePath) {
    const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)/i.exec(value);
    if (m) value = m[1]!;
  }
  return value;
}

const matchesAny = (patterns: string[], value: string) =>
  patterns.some((p) => wildcardMatch(p, value, { questionMark: true, caseInsensitive: true }));

export function refererAllowed(config: RefererConfig, referer: string | undefined): boolean {
  if (!referer) return config.allowEmpty || config.whitelist.length === 0;
  const value = comparable(config, referer);
  if (matchesAny(config.blacklist, value)) return false;
  return config.whitelist.length === 0 || matchesAny(config.whitelist, value);
}

/** Throw OSS's referer AccessDenied when the request is subject to the check and fails it. */
export function checkReferer(ctx: Pick<RequestContext, 'principal' | 'headers'>, bucketName: string, config: RefererConfig | undefined): void {
  if (!config) return;
  if (ctx.principal && !ctx.principal.via.endsWith('-url')) return;
  if (refererAllowed(config, ctx.headers.get('referer'))) return;
  throw new ServerError('AccessDenied', 'You are denied by bucket referer policy.', { BucketName: bucketName }, 403, '0003-00000503');
}

// Glob matching as OSS rules use it: `*` is any run of characters (also none), `?` exactly one.
// CORS origins and headers, referer lists and policy actions/resources all match this way.

const cache = new Map<string, RegExp>();

function compile(pattern: string, questionMark: boolean, caseInsensitive: boolean): RegExp {
  const id = `${questionMark ? 1 : 0}${caseInsensitive ? 1 : 0}${pattern}`;
  let re = cache.get(id);
  if (!re) {
    let source = '';
    for (const c of pattern) {
      if (c === '*') source += '.*';
      else if (c === '?' && questionMark) source += '.';
      else source += c.replace(/[\\^$.|?+()[\]{}]/g, '\\$&');
    }
    re = new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's');
    if (cache.size > 1000) cache.clear();
    cache.set(id, re);
  }
  return re;
}

export interface WildcardOptions {
  /** `?` matches one character (referers, policies); otherwise it is literal (CORS). */
  questionMark?: boolean;
  caseInsensitive?: boolean;
}

export function wildcardMatch(pattern: string, value: string, options: WildcardOptions = {}): boolean {
  if (pattern === '*') return true;
  return compile(pattern, options.questionMark ?? false, options.caseInsensitive ?? false).test(value);
}

// The head of a listing reply: the elements before its first entry. OSS writes the next page's
// marker there (IsTruncated, then NextMarker or NextContinuationToken, then the Contents), so the
// first bytes of a 200 KiB page already say where the next page starts. Read from the body as it
// arrives, that lets the next request leave while this page is still being read and parsed. It is
// only a hint: walkPages (pages.ts) checks it against the parsed page and cancels a request made
// on a wrong one, so this reads a few literal tags and gives up on anything unusual.

import { decodeUriComponentSafe } from '../core/encoding.js';

/** How far into a body the head is looked for; past it, no hint. */
const HEAD_LIMIT = 64 * 1024;

/** Where a ListBucketResult's entries start: the head ends at the first of these. */
const ENTRY_TAGS = ['<Contents>', '<CommonPrefixes>'];

/**
 * A body watcher for readXml: given the text received so far (`done` once the body is whole),
 * it answers true when it has finished looking, and has then called `found` with the decoded
 * text of `<field>` if the head shows a truncated listing (`IsTruncated` true) that names one.
 */
export function watchHead(field: string, found: (value: string) => void): (soFar: string, done: boolean) => boolean {
  let from = 0;
  return (soFar, done) => {
    let end = -1;
    for (const tag of ENTRY_TAGS) {
      const at = soFar.indexOf(tag, from);
      if (at >= 0 && (end < 0 || at < end)) end = at;
    }
    if (end < 0 && !done) {
      // A tag may be cut between two chunks: look again from just before this one's end.
      from = Math.max(0, soFar.length - 16);
      return soFar.length > HEAD_LIMIT;
    }
    const head = end < 0 ? soFar : soFar.slice(0, end);
    const value = elementText(head, field);
    // An entity (&amp;…) or an empty value is left to the parser: no hint.
    if (elementText(head, 'IsTruncated') === 'true' && value && !value.includes('&')) {
      found(elementText(head, 'EncodingType') === 'url' ? decodeUriComponentSafe(value) : value);
    }
    return true;
  };
}

/** The text of the only `<name>` element in `head`, when it holds text alone. */
function elementText(head: string, name: string): string | undefined {
  const open = `<${name}>`;
  const at = head.indexOf(open);
  if (at < 0 || head.indexOf(open, at + 1) >= 0) return undefined;
  const start = at + open.length;
  const end = head.indexOf('<', start);
  return end >= 0 && head.startsWith(`</${name}>`, end) ? head.slice(start, end) : undefined;
}

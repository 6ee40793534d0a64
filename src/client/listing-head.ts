// The head of a listing reply: the elements before its first entry. OSS writes the next page's
// marker there (IsTruncated, then NextMarker or NextContinuationToken, then the Contents), so the
// first bytes of a 200 KiB page already say where the next page starts. Read from the body as it
// arrives, that lets the next request leave while this page is still being read and parsed. It is
// only a hint: walkPages (pages.ts) checks it against the parsed page and cancels a request made
// on a wrong one. The head is read by the same reader and decoder as the whole page.

import { readXml } from '../core/xml-read.js';
import { child, text } from '../core/xml.js';
import { keyDecoder } from './object/common.js';

/** How far into a body the head is looked for; past it, no hint. */
const HEAD_LIMIT = 64 * 1024;

/** Where a ListBucketResult's entries start: the head ends at the first of these. */
const ENTRY_TAGS = ['<Contents>', '<CommonPrefixes>'];

/**
 * A body watcher for readXml: given the text received so far (`done` once the body is whole),
 * it answers true when it has finished looking, and has then called `found` with the decoded
 * `<field>` if the head shows a truncated listing (`IsTruncated` true) that names one.
 */
export function watchHead(field: string, found: (value: string) => void): (soFar: string, done: boolean) => boolean {
  let from = 0;
  return (soFar, done) => {
    let end = -1;
    for (const tag of ENTRY_TAGS) {
      const at = soFar.indexOf(tag, from);
      if (at >= 0 && (end < 0 || at < end)) end = at;
    }
    if (end < 0) {
      if (soFar.length > HEAD_LIMIT) return true;
      if (!done) {
        // A tag may be cut between two chunks: look again from just before this one's end.
        from = Math.max(0, soFar.length - 16);
        return false;
      }
    }
    let root;
    try {
      // The head with its root element closed is a document of its own (a whole body is one already).
      root = readXml(end < 0 ? soFar : `${soFar.slice(0, end)}</ListBucketResult>`).ListBucketResult;
    } catch {
      return true; // not well-formed: the page's own parse will say why
    }
    const value = text(child(root, field));
    if (text(child(root, 'IsTruncated')) === 'true' && value) found(keyDecoder(root)(value));
    return true;
  };
}

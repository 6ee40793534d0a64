// Parsing XML request bodies. Every one is untrusted: anyone with write access (anonymous on a
// public-read-write bucket) can send one. So the server uses fast-xml-parser, a maintained and
// fuzzed parser, set up for hostile input, rather than the client's small reader (src/core),
// which only ever reads OSS's own responses. Callers cap the body's size (readTextBody); here:
// no DTD, no entities but XML's five and character references, a nesting limit, a tag length
// limit, and OSS's MalformedXML for anything refused. The result has the shape of core/xml.ts's parseXml.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { XmlNode, XmlValue } from '../core/xml.js';
import { serverError } from './errors.js';

/** OSS's deepest request body (lifecycle: Configuration/Rule/Filter/Not/Tag/Key) nests 6 levels. */
export const MAX_XML_DEPTH = 32;

/** `<!` that opens neither a comment nor CDATA: a DOCTYPE or other declaration, refused unread. */
const DECLARATION = /<!(?!--|\[CDATA\[)/;
/**
 * A start tag (or comment, CDATA, declaration) of 16 KB without a '<' or '>': nothing OSS accepts
 * comes close, and the validator's work on one tag's attributes grows faster than linearly
 * (192 KB → 768 KB of attributes: about 9× the time). Linear to find: each run between two
 * '<' is scanned once.
 */
const LONG_TAG = /<[^<>]{16384}/;
const REFERENCE = /&([^;&]*);?/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

class Refused extends Error {}

/** XML's five entities and character references; anything else (or `&` alone) is refused. */
function decodeReferences(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(REFERENCE, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new Refused('a bare &');
    const named = NAMED[ref];
    if (named !== undefined) return named;
    const m = /^#(?:x([\da-fA-F]{1,6})|(\d{1,7}))$/.exec(ref);
    const code = m ? parseInt(m[1] ?? m[2]!, m[1] ? 16 : 10) : 0;
    // NUL and lone surrogates cannot be text.
    if (code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)) return String.fromCodePoint(code);
    throw new Refused('an unknown entity');
  });
}

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false, // text stays text: "007" is a key, not a number
  trimValues: false,
  maxNestedTags: MAX_XML_DEPTH,
  processEntities: true,
  // Our own decoder: fast-xml-parser's would pass an unknown `&name;` through as text.
  entityDecoder: {
    decode: decodeReferences,
    reset() {},
    setXmlVersion() {},
    setExternalEntities() {},
    addInputEntities() {
      throw new Refused('a DTD'); // unreachable: DECLARATION refuses DTDs first
    },
  },
});

/** Parse an untrusted XML request body; a ServerError `MalformedXML` for anything refused. */
export function parseXmlBody(text: string): XmlNode {
  try {
    if (DECLARATION.test(text) || LONG_TAG.test(text)) throw new Refused('a DTD or an outsized tag');
    if (XMLValidator.validate(text) !== true) throw new Refused('not well-formed');
    const doc = bare(parser.parse(text) as Record<string, unknown>) as XmlNode;
    // The validator lets a second root element through.
    const roots = Object.values(doc);
    if (roots.length !== 1 || Array.isArray(roots[0])) throw new Refused('not one root element');
    return doc;
  } catch {
    throw serverError('MalformedXML');
  }
}

/**
 * The parser's objects copied into ones that inherit nothing (element names like `constructor`
 * stay plain keys), dropping the whitespace between child elements, as the client's reader does.
 * Recursion is bounded by maxNestedTags.
 */
function bare(value: unknown): XmlValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(bare);
  const out: XmlNode = Object.create(null);
  for (const [name, inner] of Object.entries(value as Record<string, unknown>)) {
    if (name === '#text' && typeof inner === 'string' && inner.trim() === '') continue;
    out[name] = bare(inner);
  }
  return out;
}

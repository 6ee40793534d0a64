// fast-xml-parser exactly as oss-fetch's parseXml ran it before our own reader (xml-read.ts):
// the oracle of the reader's differential tests and its benchmark's baseline.
import { XMLParser } from 'fast-xml-parser';

export const fastXmlParser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** The old parseXml dropped whitespace-only text beside child elements. */
export function stripWhitespaceText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripWhitespaceText);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '#text' && typeof v === 'string' && v.trim() === '') continue;
      out[k] = stripWhitespaceText(v);
    }
    return out;
  }
  return value;
}

/** What the old parseXml returned for `doc`. */
export const oldParseXml = (doc: string): unknown => stripWhitespaceText(fastXmlParser.parse(doc));

// XML in and out. Parsing is our own strict reader (xml-read.ts); pages that never read an XML
// result (an upload-only page) never reference it, so bundlers drop it. Building is a few lines.

import { readXml, type XmlNode, type XmlValue } from './xml-read.js';

export type { XmlNode, XmlValue } from './xml-read.js';

/**
 * Parse an XML document into objects that inherit nothing; repeated elements become arrays. Rejects
 * malformed XML (and any DTD) with XmlSyntaxError.
 */
export async function parseXml(text: string): Promise<XmlNode> {
  return readXml(text);
}

/** Always an array: XML has no way to say "a list of one". */
export function asArray<T>(value: T | T[] | undefined | null | ''): T[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** The text of an element, or undefined when absent. */
export function text(value: XmlValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return text(value[0]);
  const inner = value['#text'];
  return typeof inner === 'string' ? inner : '';
}

export function child(node: XmlValue | undefined, name: string): XmlValue | undefined {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  return node[name];
}

export function escapeXml(s: string): string {
  // Most text needs no escaping: testing first spares a replace per element (listings build thousands).
  if (!/[&<>"']/.test(s)) return s;
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/** A value to serialise: text, nested elements, or a repeated element (array). */
export type XmlBuildValue =
  | string
  | number
  | boolean
  | undefined
  | null
  | { [name: string]: XmlBuildValue }
  | XmlBuildValue[];

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Build `<?xml …?><root>…</root>`; undefined/null children are omitted, arrays repeat the tag. */
export function buildXml(root: string, body: XmlBuildValue): string {
  let xml = XML_DECLARATION;
  writeXml(root, body, (piece) => (xml += piece));
  return xml;
}

/**
 * The element `<name>` holding `value`, as buildXml writes it, handed to `emit` piece by piece (a
 * server cuts a large document into chunks without first making it one string).
 */
// Plain loops: a 1000-key listing page built with map/join and Object.entries took twice as
// long (`npx tsx bench/xml.bench.ts`).
export function writeXml(name: string, value: XmlBuildValue, emit: (piece: string) => void): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) writeXml(name, v, emit);
  } else if (typeof value === 'object') {
    emit(`<${name}>`);
    for (const k of Object.keys(value)) writeXml(k, value[k], emit);
    emit(`</${name}>`);
  } else {
    emit(`<${name}>${escapeXml(String(value))}</${name}>`);
  }
}

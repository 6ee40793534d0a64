// XML in and out. Parsing uses fast-xml-parser, imported lazily so that pages which never read
// an XML body (an upload-only page) never download it. Building is a few lines of our own.

import type { XMLParser } from 'fast-xml-parser';

export type XmlNode = { [name: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

let parserPromise: Promise<XMLParser> | undefined;

function loadParser(): Promise<XMLParser> {
  parserPromise ??= import('fast-xml-parser').then(
    ({ XMLParser: Parser }) =>
      new Parser({
        ignoreAttributes: true,
        // Keep every value a string: ETags, keys like "007", sizes are converted by the caller.
        parseTagValue: false,
        // Keys may start or end with spaces.
        trimValues: false,
        processEntities: true,
        // Decodes numeric character references (&#13; &#x1F600;) as well.
        htmlEntities: true,
        ignoreDeclaration: true,
        ignorePiTags: true,
      }),
  );
  return parserPromise;
}

/** Parse an XML document into plain objects; repeated elements become arrays. */
export async function parseXml(text: string): Promise<XmlNode> {
  const parser = await loadParser();
  return stripWhitespaceText(parser.parse(text)) as XmlNode;
}

function stripWhitespaceText(value: unknown): unknown {
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

/** Build `<?xml …?><root>…</root>`; undefined/null children are omitted, arrays repeat the tag. */
export function buildXml(root: string, body: XmlBuildValue): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, body)}`;
}

function element(name: string, value: XmlBuildValue): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => element(name, v)).join('');
  if (typeof value === 'object') {
    let inner = '';
    for (const [k, v] of Object.entries(value)) inner += element(k, v);
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

// A strict reader for the XML that OSS and our server exchange, in one pass over the text.
// The output shape: a document is { Root: value }; an element holding only text is that string
// ('' when empty); an element with children is an object of child names, a repeated name an
// array in document order, and non-whitespace text beside children goes to '#text'. Attributes,
// comments, the declaration and processing instructions are skipped; CDATA is text.
//
// Malformed input throws XmlSyntaxError. DTDs are refused (never expanded), and so are entity
// references other than the five XML ones and numeric character references.

/** An element's children by name (repeated elements become arrays), `#text` for mixed text. */
export type XmlNode = { [name: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

/** Offsets count UTF-16 units of the text after CR LF → LF. */
export class XmlSyntaxError extends SyntaxError {
  constructor(what: string, readonly offset: number) {
    super(`Malformed XML: ${what} at offset ${offset}`);
    this.name = 'XmlSyntaxError';
  }
}

/** Deeper documents are refused: nothing OSS sends nests past a handful of levels. */
const MAX_DEPTH = 256;
const CHAR_REF = /^#(?:x([\da-fA-F]+)|(\d+))$/;

/**
 * Every object we return inherits nothing, so element names like __proto__ or constructor are
 * plain keys. One shared empty prototype rather than Object.create(null) per object: V8 keeps
 * these in fast mode, which makes filling them about 12% faster.
 */
const Bare = function () {} as unknown as new () => XmlNode;
Bare.prototype = Object.create(null);

interface Open {
  name: string;
  children: XmlNode | undefined;
  text: string;
}

function fail(what: string, offset: number): never {
  throw new XmlSyntaxError(what, offset);
}

/** 3: may start an XML name, 1: may only continue one, 0: neither. Non-ASCII from U+00C0 is
 * let through rather than listed. */
function nameChar(c: number): number {
  if (((c | 32) >= 97 && (c | 32) <= 122) || c === 95 || c === 58 || c >= 0xc0) return 3;
  return (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 0xb7 ? 1 : 0;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

function entity(ref: string, offset: number): string {
  switch (ref) {
    case 'lt': return '<';
    case 'gt': return '>';
    case 'amp': return '&';
    case 'quot': return '"';
    case 'apos': return "'";
  }
  const m = CHAR_REF.exec(ref);
  const code = m ? parseInt(m[1] ?? m[2]!, m[1] ? 16 : 10) : 0;
  // NUL and lone surrogates cannot be text; everything else a JS string can hold is let through.
  if (code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)) return String.fromCodePoint(code);
  return fail('an unknown or malformed entity reference', offset);
}

/** What a reader run cost: the characters it examined, scans and copies included. */
export interface XmlReadMeter {
  work: number;
}

/**
 * Parse one XML document. Throws XmlSyntaxError when it is not well-formed. `meter`, for tests,
 * receives the reader's work, which must grow linearly with the input's length, whatever it holds.
 */
export function readXml(input: string, meter?: XmlReadMeter): XmlNode {
  // Every scan goes through find() or adds what it passed over to `work`.
  let work = input.length;
  try {
    // XML reads every CR LF and lone CR as LF; &#13; still gives a CR.
    return read(input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input);
  } finally {
    if (meter) meter.work = work;
  }

  function read(s: string): XmlNode {
    const end = s.length;
    const stack: Open[] = [];
    let open: Open | undefined;
    let root: XmlNode | undefined;
    // The next '&' at or after the text being read, kept across calls so decoding stays linear.
    let nextAmp = -1;
    // The next '<' at or after the attribute value being read, for the same reason.
    let nextLt = -1;

    /** s.indexOf, counting the characters it passed over. */
    function find(needle: string, from: number): number {
      const i = s.indexOf(needle, from);
      work += (i < 0 ? end : i) - from;
      return i;
    }

    /** Where the name starting at `i` ends; `i` when no name starts there. */
    function nameEnd(i: number): number {
      const from = i;
      if (nameChar(s.charCodeAt(i)) === 3) while (nameChar(s.charCodeAt(++i)));
      work += i - from + 1;
      return i;
    }

    function skipSpace(i: number): number {
      const from = i;
      while (isSpace(s.charCodeAt(i))) i++;
      work += i - from + 1;
      return i;
    }

    function decode(from: number, to: number): string {
      work += to - from;
      if (nextAmp < from) nextAmp = find('&', from) >>> 0; // none: -1 becomes 2^32 - 1
      if (nextAmp >= to) return s.slice(from, to);
      let out = '';
      while (nextAmp < to) {
        const semi = find(';', nextAmp);
        if (semi < 0 || semi >= to) fail('an unknown or malformed entity reference', nextAmp);
        out += s.slice(from, nextAmp) + entity(s.slice(nextAmp + 1, semi), nextAmp);
        from = semi + 1;
        nextAmp = find('&', from) >>> 0;
      }
      return out + s.slice(from, to);
    }

    function add(name: string, value: XmlValue): void {
      work++;
      const node = open ? (open.children ??= new Bare()) : (root = new Bare());
      const prev = node[name];
      if (prev === undefined) node[name] = value;
      else if (Array.isArray(prev)) prev.push(value);
      else node[name] = [prev, value];
    }

    /** The offset of the '>' or '/' ending the start tag whose attributes begin at `i`. */
    function skipAttributes(i: number, tag: number): number {
      for (;;) {
        const j = skipSpace(i);
        const c = s.charCodeAt(j);
        if (c === 62 || c === 47) return j;
        // name = "value" or 'value', after at least one space
        let k = skipSpace(nameEnd(j));
        if (j === i || k === j || s.charCodeAt(k++) !== 61) fail('a malformed start tag', tag);
        k = skipSpace(k);
        const q = s[k]!;
        const close = find(q, k + 1);
        // '<' may not appear in a value. Looking for it afresh from each value rescanned all the
        // tag's later attributes: quadratic (an 8 MB tag took minutes). Like nextAmp, remember it.
        if (nextLt < k) nextLt = find('<', k) >>> 0;
        if ((q !== '"' && q !== "'") || close < 0 || nextLt < close) fail('a malformed start tag', tag);
        i = close + 1;
      }
    }

    /** The offset just past `close`, which must come after `from`. */
    function past(close: string, from: number, what: string, at: number): number {
      const i = find(close, from);
      return i < 0 ? fail(`an unterminated ${what}`, at) : i + close.length;
    }

    let pos = s.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte order mark
    while (pos < end) {
      let lt = find('<', pos);
      if (lt < 0) lt = end;
      if (lt > pos) {
        if (open) open.text += decode(pos, lt);
        else {
          work += lt - pos;
          for (let i = pos; i < lt; i++) if (!isSpace(s.charCodeAt(i))) fail('text outside the root element', i);
        }
        if (lt === end) break;
      }
      const c = s.charCodeAt(lt + 1);
      if (c === 47) {
        // </name>
        const done = open;
        let gt = lt + 2 + (done ? done.name.length : 0);
        work += gt - lt;
        gt = skipSpace(gt);
        if (!done || !s.startsWith(done.name, lt + 2) || s.charCodeAt(gt) !== 62) return fail('a mismatched closing tag', lt);
        pos = gt + 1;
        stack.pop();
        open = stack[stack.length - 1];
        let value: XmlValue = done.text;
        if (done.children) {
          // Whitespace between child elements is layout, not content.
          work += done.text.length;
          if (done.text.trim() !== '') done.children['#text'] = done.text;
          value = done.children;
        }
        add(done.name, value);
      } else if (c === 33) {
        if (s.startsWith('!--', lt + 1)) pos = past('-->', lt + 4, 'comment', lt);
        else if (s.startsWith('![CDATA[', lt + 1)) {
          if (!open) fail('text outside the root element', lt);
          pos = past(']]>', lt + 9, 'CDATA section', lt);
          work += pos - lt;
          open.text += s.slice(lt + 9, pos - 3);
        } else fail('a DTD or other <! declaration (refused)', lt);
      } else if (c === 63) {
        pos = past('?>', lt + 2, 'processing instruction', lt); // <?xml …?> and the like
      } else {
        let i = nameEnd(lt + 1);
        if (i === lt + 1) fail('a malformed start tag', lt);
        if (!open && root) fail('a second root element', lt);
        const name = s.slice(lt + 1, i);
        i = skipAttributes(i, lt);
        if (s.charCodeAt(i) === 47) {
          if (s.charCodeAt(i + 1) !== 62) fail('a malformed start tag', lt);
          pos = i + 2;
          add(name, '');
        } else {
          if (stack.length >= MAX_DEPTH) fail(`elements nested over ${MAX_DEPTH} deep`, lt);
          pos = i + 1;
          stack.push((open = { name, children: undefined, text: '' }));
        }
      }
    }
    if (open) fail('an unclosed element', end);
    return root ?? fail('no root element', end);
  }
}

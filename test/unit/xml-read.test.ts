// readXml (src/core/xml-read.ts) against fast-xml-parser, which oss-fetch used to parse with: for
// every document in the corpus (the protocol notes' XML, what our server writes, a few thousand
// seeded random trees) both must give the same objects. Malformed input must throw
// XmlSyntaxError, and fast-xml-parser's validator must agree the case is malformed, except where
// readXml is deliberately stricter (listed below, each with its reason).
import { readFileSync } from 'node:fs';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { XmlSyntaxError, readXml } from '../../src/core/xml-read.js';
import { buildXml, child, parseXml, text, type XmlValue } from '../../src/core/xml.js';
import { errorResponse, ServerError } from '../../src/server/errors.js';
import { xmlResponse } from '../../src/server/ops/common.js';
import { thrownBy } from '../helpers/errors.js';
import { AWKWARD_KEYS } from '../helpers/keys.js';
import { rng } from '../helpers/random.js';
import { oldParseXml } from '../helpers/old-xml-parse.js';

// The oracle: fast-xml-parser exactly as the old parseXml ran it.
const oracle = oldParseXml;

/** Same objects, same key order, same strings: stricter than toEqual, and prototype-blind. */
function expectSame(doc: string, label: string): void {
  const ours = readXml(doc);
  const theirs = oracle(doc);
  expect(ours, label).toEqual(theirs);
  expect(JSON.stringify(ours), label).toBe(JSON.stringify(theirs));
}


describe('readXml: output shape', () => {
  it('gives the documented shape', () => {
    const doc = readXml(`<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment --><?pi data?>
<R a="1">
  <Empty/><Empty2></Empty2>
  <Text> spaced &lt;&#x1F600;&#65;&amp;amp; </Text>
  <List><I>1</I><Other/><I><![CDATA[<2&>]]></I><I><N>3</N></I></List>
  <Mixed>before <B/> after</Mixed>
</R>
`);
    expect(doc).toEqual({
      R: {
        Empty: '',
        Empty2: '',
        Text: ' spaced <😀A&amp; ',
        List: { I: ['1', '<2&>', { N: '3' }], Other: '' },
        Mixed: { B: '', '#text': 'before  after' },
      },
    });
    expect(doc).not.toEqual({ R: {} }); // the comparison can fail
  });

  it('reads CR LF and lone CR as LF, but keeps &#13;', () => {
    expect(readXml('<a>1\r\n2\r3&#13;&#10;4<![CDATA[\r\n]]></a>')).toEqual({ a: '1\n2\n3\r\n4\n' });
  });

  it('stores __proto__, constructor and other Object.prototype names as plain keys', () => {
    const doc = readXml('<a><__proto__>p</__proto__><constructor>c</constructor><toString/><hasOwnProperty>h</hasOwnProperty><__proto__>q</__proto__></a>');
    const a = doc.a!;
    expect(child(a, '__proto__')).toEqual(['p', 'q']);
    expect(text(child(a, 'constructor'))).toBe('c');
    expect(text(child(a, 'toString'))).toBe('');
    expect(text(child(a, 'hasOwnProperty'))).toBe('h');
    expect(child(a, 'valueOf')).toBeUndefined(); // nothing inherited
    expect(child(readXml('<x><y/></x>').x, 'constructor')).toBeUndefined();
    expect(Object.keys(a)).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
    expect(({} as Record<string, unknown>).p).toBeUndefined(); // Object.prototype untouched
    expect(JSON.stringify(doc)).toBe('{"a":{"__proto__":["p","q"],"constructor":"c","toString":"","hasOwnProperty":"h"}}');
  });

  it('is what parseXml returns', async () => {
    const doc = '<ListBucketResult><Name>b</Name><Contents><Key>k</Key></Contents></ListBucketResult>';
    expect(await parseXml(doc)).toEqual(readXml(doc));
    await expect(parseXml('<a>')).rejects.toBeInstanceOf(XmlSyntaxError);
  });
});

describe('readXml against fast-xml-parser', () => {
  it('agrees on every well-formed XML block of the protocol notes', () => {
    const notes = readFileSync(new URL('../fixtures/oss-protocol.md', import.meta.url), 'utf8');
    const blocks = [...notes.matchAll(/```xml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    // The fixture's 20 blocks: a changed extraction or fixture must not quietly compare fewer.
    expect(blocks).toHaveLength(20);
    for (const block of blocks) {
      expect(XMLValidator.validate(block), block.slice(0, 80)).toBe(true);
      expectSame(block, block.slice(0, 80));
    }
  });

  it('agrees on what our server writes, nasty values included', () => {
    const nasty = [
      `<>&"'`, '&amp;lt;', '&#65;', 'unicode 中文 ключ é', 'emoji 😀🎉', 'cr\rlf\nboth\r\n', ' leading and trailing ',
      '', ' ', '\n', '\t', 'a b', ']]>', '<![CDATA[x]]>', '<!-- no -->', '\u00a0', '\u2028', '\u0001\u001f', '007',
    ];
    const values = [...nasty, ...AWKWARD_KEYS];
    const docs: string[] = [
      buildXml('ListBucketResult', {
        Name: 'b', Prefix: '', Marker: '', MaxKeys: 1000, Delimiter: '/', IsTruncated: false,
        Contents: values.map((key, i) => ({ Key: key, Size: i, ETag: `"${i}"`, Owner: { ID: key, DisplayName: key } })),
        CommonPrefixes: values.map((p) => ({ Prefix: p })),
      }),
      buildXml('Tagging', { TagSet: { Tag: values.map((v) => ({ Key: v, Value: v })) } }),
      buildXml('Nested', { L: [{ M: [{ N: ['1', '2'] }, { N: '3' }, ''] }, { M: { N: [] } }, 'text'], Empty: {}, None: [] }),
      buildXml('One', 'only text'),
      buildXml('Zero', ''),
    ];
    for (const v of values) docs.push(buildXml('Error', { Code: 'X', Message: v, Key: v }));
    for (const doc of docs) expectSame(doc, doc.slice(0, 80));
    expect(docs.length).toBe(5 + values.length);
  });

  it('agrees on the error and listing responses the server sends', async () => {
    const nastyKey = `dir/ <&>"' 😀\tkey `;
    const error = errorResponse(new ServerError('NoSuchKey', `No "${nastyKey}" here & there`, { Key: nastyKey }), { requestId: 'r<1>', hostId: 'h&h', method: 'GET' });
    const listing = xmlResponse('ListBucketResult', { Name: 'b', Contents: [{ Key: nastyKey }, { Key: ' ' }] });
    for (const response of [error, listing]) {
      const doc = await response.text();
      expectSame(doc, doc);
    }
    expect(text(child(readXml(await errorResponse(new ServerError('NoSuchKey', 'm', { Key: nastyKey }), { requestId: 'r', hostId: 'h', method: 'GET' }).text()).Error, 'Key'))).toBe(nastyKey);
  });

  it('round-trips buildXml values', () => {
    const body = { Keys: { Key: [...AWKWARD_KEYS, `<>&"'`, ' ', ''] }, Deep: { A: { B: { C: 'c' } } }, N: 7, T: true };
    expect(readXml(buildXml('R', body))).toEqual({ R: { Keys: { Key: [...AWKWARD_KEYS, `<>&"'`, ' ', ''] }, Deep: { A: { B: { C: 'c' } } }, N: '7', T: 'true' } });
  });

  it('agrees on 3000 seeded random documents', () => {
    const rand = rng(0x3a1);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const NAMES = ['a', 'B', 'Key', 'x1', '_u', 'n-m', 'p.q', 'ns:el', 'é', 'ключ', '名前', 'Contents', 'a_b-c.d9'];
    const CHARS = ['a', 'b', 'Z', '0', '9', ' ', ' ', '  ', '\t', '\n', '\r\n', '\r', '>', '"', "'", ']', '/', '=', '?', '!', '-', 'é', '中', '😀', '\u00a0', '\u2028', '\u0001'];
    const ENTITIES = ['&lt;', '&gt;', '&amp;', '&quot;', '&apos;'];
    const codePoint = (): number => {
      const ranges: [number, number][] = [[9, 10], [13, 13], [0x20, 0x7e], [0x7f, 0xd7ff], [0xe000, 0xfffd], [0x10000, 0x10ffff]];
      const [lo, hi] = pick(ranges);
      return lo + Math.floor(rand() * (hi - lo + 1));
    };
    const plain = (n: number): string => Array.from({ length: n }, () => pick(CHARS)).join('');
    const charRef = (): string => {
      const cp = codePoint();
      const zeros = rand() < 0.2 ? '00' : '';
      if (rand() < 0.5) return `&#${zeros}${cp};`;
      const hex = cp.toString(16);
      return `&#x${zeros}${rand() < 0.5 ? hex : hex.toUpperCase()};`;
    };
    const cdataText = (): string => plain(Math.floor(rand() * 6)).replace(/]]>/g, '') + pick(['<', '&', '&amp;', ']', ']]', '']);
    const textPiece = (): string => {
      const r = rand();
      if (r < 0.35) return plain(1 + Math.floor(rand() * 8));
      if (r < 0.5) return pick(ENTITIES);
      if (r < 0.65) return charRef();
      if (r < 0.75) return pick([' ', '\n  ', '\t', '\r\n']);
      if (r < 0.85) return `<![CDATA[${cdataText()}]]>`;
      return `<!--${plain(Math.floor(rand() * 5)).replace(/-/g, '')}-->`;
    };
    const randomText = (): string => Array.from({ length: Math.floor(rand() * 4) }, textPiece).join('');
    const attributes = (): string => {
      let out = '';
      const used = new Set<string>();
      while (rand() < 0.3) {
        const name = pick(NAMES);
        if (used.has(name)) continue;
        used.add(name);
        const q = pick(['"', "'"]);
        out += `${pick([' ', '\n', '  '])}${name}${pick(['=', ' = '])}${q}${plain(3).replace(/["']/g, '')}${pick(['', '&amp;', '>'])}${q}`;
      }
      return out + pick(['', '', ' ', '\n']);
    };
    const element = (name: string, depth: number): string => {
      if (rand() < 0.15) return `<${name}${attributes()}${pick(['/>', ' />'])}`;
      let inner = '';
      // A few names per element, so repeats (arrays) are common.
      const names = [pick(NAMES), pick(NAMES)];
      const layout = rand() < 0.5;
      if (depth < 5 && rand() < 0.6) {
        const children = 1 + Math.floor(rand() * 5);
        for (let i = 0; i < children; i++) {
          inner += layout ? pick(['\n', '\n  ', ' ']) : rand() < 0.3 ? randomText() : '';
          inner += element(pick(names), depth + 1);
        }
        inner += layout ? '\n' : rand() < 0.3 ? randomText() : '';
      } else {
        inner = randomText();
      }
      return `<${name}${attributes()}>${inner}</${name}${pick(['', ' ', '\n'])}>`;
    };
    const misc = (): string => pick(['', '\n', '<!-- c -->', '<?pi x?>', ' \n<!--\n-->\n']);
    let mixed = 0;
    let arrays = 0;
    for (let i = 0; i < 3000; i++) {
      const doc = `${rand() < 0.5 ? '<?xml version="1.0" encoding="UTF-8"?>' : ''}${misc()}${element(pick(NAMES), 0)}${misc()}`;
      expect(XMLValidator.validate(doc), doc).toBe(true); // the generator writes well-formed XML
      expectSame(doc, doc);
      const json = JSON.stringify(readXml(doc));
      if (json.includes('"#text"')) mixed++;
      if (json.includes(':[')) arrays++;
    }
    // The corpus really exercises mixed content and repeated elements.
    expect(mixed).toBeGreaterThan(100);
    expect(arrays).toBeGreaterThan(300);
  });
});

describe('readXml: malformed input', () => {
  const malformed: string[] = [
    '',
    '   \n',
    'text',
    '<a>',
    '<a><b></a>',
    '<a></b>',
    '</a>',
    '<a></a><b></b>',
    '<a></a>tail',
    '<!ENTITY e "x"><a/>',
    '<a>x</a></a>',
    '<a><!-- x </a>',
    '<a><![CDATA[x</a>',
    '<a',
    '<a x="1></a>',
    '<a x=1></a>',
    '<a x></a>',
    '<a x="1"y="2"></a>',
    '<a b/c/>',
    '<a><b/></a',
    '<a>&</a>',
    '<a>& b</a>',
    '<a>&amp</a>',
    '<a>&#65</a>',
    '<a>&#X41;</a>',
    '<1a/>',
    '<a><#text>x</#text></a>',
    '<?xml version="1.0"',
    '<a><ab></a></ab>',
    '< a/>',
  ];
  // Cases fast-xml-parser's validator accepts but readXml refuses, on purpose.
  const stricter: [string, string][] = [
    ['<!DOCTYPE a><a/>', 'no DTDs: we never expand them'],
    ['<!DOCTYPE a [<!ENTITY e "boom">]><a>&e;</a>', 'no DTDs: we never expand them'],
    ['<a>&foo;</a>', 'unknown entity: fast-xml-parser keeps it literally, OSS servers reject it'],
    ['<a>&nbsp;</a>', 'HTML entities are not XML (fast-xml-parser decodes them with htmlEntities)'],
    ['<a>&AMP;</a>', 'entity names are case-sensitive'],
    ['<a>&#;</a>', 'a character reference with no digits'],
    ['<a>&#x;</a>', 'a character reference with no digits'],
    ['<a>&#0;</a>', 'NUL is no character (fast-xml-parser drops it silently)'],
    ['<a>&#xD800;</a>', 'a lone surrogate is no character (fast-xml-parser drops it silently)'],
    ['<a>&#x110000;</a>', 'beyond Unicode (fast-xml-parser keeps it literally)'],
    ['<a>1</a>&amp;', 'text after the root element'],
    ['<a/><b/>', 'a second root element'],
    ['<![CDATA[x]]><a/>', 'CDATA before the root element'],
    ['<a x="<"/>', "'<' in an attribute value"],
    [`${'<a>'.repeat(257)}${'</a>'.repeat(257)}`, 'nesting over 256 levels'],
  ];

  it.each(malformed)('refuses %j, as fast-xml-parser\'s validator does', (doc) => {
    expect(XMLValidator.validate(doc)).not.toBe(true);
    expect(() => readXml(doc)).toThrow(XmlSyntaxError);
  });

  it.each(stricter)('refuses %j (stricter than fast-xml-parser: %s)', (doc) => {
    expect(XMLValidator.validate(doc)).toBe(true);
    expect(() => readXml(doc)).toThrow(XmlSyntaxError);
  });

  it('throws a SyntaxError saying what and where, without echoing the input', () => {
    const long = 'x'.repeat(1 << 20);
    for (const doc of [`<${long}></${long}y>`, `<a>${long}&${long}</a>`, `<a>${long}`, `${long}<a/>`]) {
      const error = thrownBy(() => readXml(doc));
      expect(error).toBeInstanceOf(XmlSyntaxError);
      expect(error).toBeInstanceOf(SyntaxError);
      expect((error as Error).name).toBe('XmlSyntaxError');
      expect((error as Error).message).toMatch(/^Malformed XML: .+ at offset \d+$/);
      expect((error as Error).message.length).toBeLessThan(120);
    }
    expect(() => readXml('<a><b></a>')).toThrow('Malformed XML: a mismatched closing tag at offset 6');
    expect(() => readXml('<!DOCTYPE a><a/>')).toThrow(/DTD.*offset 0/);
  });

  it('accepts what it deliberately lets through', () => {
    // Attributes are skipped: beyond quoting and '<', their content is not examined.
    expect(readXml('<a x="1" x="&foo;"/>')).toEqual({ a: '' });
    // Numeric references to C0 controls are decoded (fast-xml-parser drops them): OSS keys may hold them.
    expect(readXml('<a>&#1;&#x1f;</a>')).toEqual({ a: '\u0001\u001f' });
    // Raw characters are not checked against XML's Char production, and ']]>' in text is kept.
    expect(readXml('<a>\u0001]]>\uFFFE</a>')).toEqual({ a: '\u0001]]>\uFFFE' });
    // '--' inside a comment.
    expect(readXml('<a><!-- a -- b --></a>')).toEqual({ a: '' });
    // A byte order mark before the document.
    expect(readXml('\uFEFF<a/>')).toEqual({ a: '' });
  });
});

describe('readXml: size and depth', () => {
  it('accepts 256 levels and refuses a million quickly', () => {
    const ok = `${'<a>'.repeat(256)}x${'</a>'.repeat(256)}`;
    let node: unknown = readXml(ok);
    for (let i = 0; i < 256; i++) node = (node as Record<string, unknown>).a;
    expect(node).toBe('x');
    const hostile = '<a>'.repeat(1_000_000);
    const meter = { work: 0 };
    expect(() => readXml(hostile, meter)).toThrow(/nested over 256 deep at offset 768$/);
    // One look at the whole input for CRs, then it stops at the 257th level.
    expect(meter.work).toBeLessThan(hostile.length + 10_000);
  });

  it('parses a 5 MB listing', () => {
    const contents = Array.from({ length: 17_000 }, (_, i) => ({
      Key: `dir/${String(i).padStart(6, '0')} <&> ${'é'.repeat(i % 50)}.bin`,
      LastModified: '2024-01-01T00:00:00.000Z',
      ETag: `"${i.toString(16).padStart(32, '0')}"`,
      Size: i,
      StorageClass: 'Standard',
      Owner: { ID: '1', DisplayName: '1' },
    }));
    const doc = buildXml('ListBucketResult', { Name: 'big', Contents: contents });
    expect(doc.length).toBeGreaterThan(5_000_000);
    const meter = { work: 0 };
    const parsed = readXml(doc, meter);
    const list = child(parsed.ListBucketResult, 'Contents') as XmlValue[];
    expect(list).toHaveLength(17_000);
    expect(text(child(list[12_345], 'Key'))).toBe(contents[12_345]!.Key);
    // Each character examined a few times at most (the old clock limit, now the reader's own work).
    expect(meter.work / doc.length).toBeLessThan(8);
  });

  it('decodes entities in linear time', () => {
    // One '&' at the very end: each text run must not rescan the rest of the document for it.
    const doc = `<a>${'<b>x</b>'.repeat(200_000)}<c>&amp;</c></a>`;
    const meter = { work: 0 };
    expect(text(child(readXml(doc, meter).a, 'c'))).toBe('&');
    expect(meter.work / doc.length).toBeLessThan(8);
  });
});

// The client's XML reader must do work linear in its input, whatever the input holds: it reads
// OSS responses, but a proxy, a misconfigured endpoint or our own server could send anything. The
// reader counts the characters it examines (scans and copies included) into a meter; for each
// adversarial shape, 4 MB must cost about four times what 1 MB costs. A ratio of the reader's
// own work, so the machine's speed and load do not matter.
import { describe, expect, it } from 'vitest';
import { readXml } from '../../src/core/xml-read.js';

const MB = 1 << 20;
const fill = (unit: string, n: number): string => unit.repeat(Math.max(1, Math.floor(n / unit.length)));
const DEEP = `${'<a>'.repeat(255)}x${'</a>'.repeat(255)}`;

/** Documents of about `n` characters, each built to stress one path of the reader. */
const ADVERSARIAL: Record<string, (n: number) => string> = {
  'one tag, many attributes': (n) => `<R${fill(' a="1"', n)}>x</R>`,
  'many attributes, then long text': (n) => `<R${fill(' a="1"', n / 2)}>${'x'.repeat(n / 2)}</R>`,
  'attributes spaced out': (n) => `<R${fill('  \n a  =  "1"', n)}/>`,
  'many tags with attributes': (n) => `<R>${fill(`<E a="1" b='2'/>`, n)}</R>`,
  'entities in attributes, text between': (n) => `<R>${fill('<E a="&amp;">t</E>', n)}</R>`,
  'nesting 256 deep, over and over': (n) => `<R>${fill(DEEP, n)}</R>`,
  'one long text': (n) => `<R>${'x'.repeat(n)}</R>`,
  'many entities': (n) => `<R>${fill('&amp;&#65;&#x1F600;&lt;&quot;', n)}</R>`,
  'mixed text and elements': (n) => `<R>${fill('t<b/>', n)}</R>`,
  'one long element name': (n) => `<${'a'.repeat(n / 2)}></${'a'.repeat(n / 2)}>`,
  'many comments': (n) => `<R>${fill('<!-- c -->', n)}</R>`,
  'many CDATA sections': (n) => `<R>${fill('<![CDATA[x&]]>', n)}</R>`,
  'CR LF line ends': (n) => `<R>${fill('a\r\n', n)}</R>`,
  'many siblings': (n) => `<R>${fill('<K>v</K>', n)}</R>`,
  'whitespace before the root': (n) => `${' '.repeat(n)}<R/>`,
  'malformed at the very end': (n) => `<R${fill(' a="1"', n)}`,
};

/** The reader's work on `doc`, whether it parses or throws. */
function workOn(doc: string): number {
  const meter = { work: 0 };
  try {
    readXml(doc, meter);
  } catch {
    // a refusal costs work too
  }
  return meter.work;
}

describe('readXml does linear work', () => {
  it.each(Object.keys(ADVERSARIAL))('%s: 4 MB costs about 4× 1 MB', (shape) => {
    const make = ADVERSARIAL[shape]!;
    const small = make(MB);
    const large = make(4 * MB);
    const ratio = workOn(large) / workOn(small);
    // Linear gives 4 (the inputs are 4× apart, give or take a unit); quadratic would give 16.
    expect(large.length / small.length).toBeCloseTo(4, 1);
    expect(ratio, `work ratio ${ratio.toFixed(2)}`).toBeLessThan(4.5);
    // And the work is a small multiple of the input: every character examined a bounded number of times.
    expect(workOn(large) / large.length).toBeLessThan(8);
  });

  it('the meter counts what the reader examines', () => {
    // The instrument itself: it grows with the input and counts a refusal's work too.
    expect(workOn('<a/>')).toBeGreaterThan(0);
    expect(workOn(`<a>${'x'.repeat(1000)}</a>`)).toBeGreaterThan(1000);
    expect(workOn('<a')).toBeGreaterThan(0);
  });
});

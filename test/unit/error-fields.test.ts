// The client reads OSS error bodies with one regex pass (src/client/response-error.ts,
// errorFields) instead of the whole XML reader, so a page that only uploads carries no XML reader.
// Differential test against fast-xml-parser on seeded error documents written every way OSS
// (or a proxy in front of it) may write them: entities, character references, layout
// whitespace, a declaration, empty elements, unknown fields.
// A fresh seed each run, printed on failure; replay one with ERROR_FIELDS_SEED=<seed>.
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { errorFields } from '../../src/client/response-error.js';
import { AWKWARD_KEYS } from '../helpers/keys.js';
import { rng } from '../helpers/random.js';

const SEED = Number(process.env.ERROR_FIELDS_SEED) || Math.floor(Math.random() * 2 ** 31);
const parser = new XMLParser({ parseTagValue: false, trimValues: false, processEntities: true, htmlEntities: true });

function errorDocument(rand: () => number): { xml: string; fields: string[] } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const CHARS = ['a', 'Z', '0', ' ', '/', '.', '-', '_', '<', '>', '&', '"', "'", '=', '?', '%', '+', 'é', '中', '😀', '\t', ']]>', '\u00a0'];
  const value = () => (rand() < 0.3 ? pick(AWKWARD_KEYS) : Array.from({ length: Math.floor(rand() * 14) }, () => pick(CHARS)).join(''));
  const escape = (text: string) => text.replace(/[<>&"']|[^\x00-\x7f]/gu, (c) => {
    const r = rand();
    if (c === '<') return r < 0.5 ? '&lt;' : '&#60;';
    if (c === '&') return r < 0.5 ? '&amp;' : '&#x26;';
    if (c === '>') return r < 0.5 ? '&gt;' : c;
    if (c === '"') return r < 0.5 ? '&quot;' : c;
    if (c === "'") return r < 0.5 ? '&apos;' : c;
    return r < 0.3 ? `&#${c.codePointAt(0)};` : r < 0.5 ? `&#x${c.codePointAt(0)!.toString(16)};` : c;
  });
  const names = ['Code', 'Message', 'RequestId', 'HostId', 'EC', 'RecommendDoc', 'Key', 'BucketName', 'StringToSign', 'ServerTime', 'OSSAccessKeyId', 'Condition'];
  const fields = names.filter(() => rand() < 0.7);
  const indent = pick(['', '\n  ', '\r\n\t']);
  const body = fields.map((n) => `${indent}<${n}>${escape(value())}</${n}>`).join('');
  const declaration = pick(['', '<?xml version="1.0" encoding="UTF-8"?>\n']);
  return { xml: `${declaration}<Error>${body}${indent ? '\n' : ''}</Error>`, fields };
}

describe('errorFields', () => {
  it(`reads the fields of 2,000 error documents as fast-xml-parser does (seed ${SEED})`, () => {
    const rand = rng(SEED);
    for (let i = 0; i < 2000; i++) {
      const { xml, fields } = errorDocument(rand);
      const expected = (parser.parse(xml) as { Error: Record<string, string> | string }).Error;
      const ours = errorFields(xml);
      for (const name of fields) expect(ours[name], `${name} of ${JSON.stringify(xml)}`).toBe((expected as Record<string, string>)[name]);
      expect(Object.keys(ours).sort()).toEqual([...fields].sort());
    }
  });

  it('reads OSS\'s own error body', () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>NoSuchKey</Code>\n  <Message>The specified key does not exist.</Message>\n  <RequestId>5C3D9175B6FC201293AD****</RequestId>\n  <HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId>\n  <Key>a &amp; b.txt</Key>\n  <EC>0026-00000001</EC>\n</Error>';
    expect({ ...errorFields(xml) }).toEqual({
      Code: 'NoSuchKey', Message: 'The specified key does not exist.', RequestId: '5C3D9175B6FC201293AD****',
      HostId: 'b.oss-cn-hangzhou.aliyuncs.com', Key: 'a & b.txt', EC: '0026-00000001',
    });
  });

  it('gives nothing for a body that is not an OSS error, and leaves an out-of-range reference as written', () => {
    expect({ ...errorFields('<html><body>502 Bad Gateway</body></html>') }).toEqual({});
    expect(errorFields('<Error><Code>&#99999999;</Code></Error>').Code).toBe('&#99999999;');
    expect(errorFields('<Error><__proto__>x</__proto__><Code>A</Code></Error>').Code).toBe('A');
  });
});

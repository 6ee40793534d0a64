// Differential fuzzing of the client's reader (src/core/xml-read.ts) against fast-xml-parser, on
// seeded random documents shaped like OSS responses: listings, errors, multipart results, ACLs,
// tags, CORS and lifecycle rules, with awkward values written in every way XML allows (entities,
// character references, CDATA, CR LF, layout whitespace, attributes, comments, empty elements).
// The server's parser (src/server/xml-body.ts) must read them the same way too.
// A fresh seed each run, printed on failure; replay one with XML_FUZZ_SEED=<seed>.
import { describe, expect, it } from 'vitest';
import { readXml } from '../../src/core/xml-read.js';
import { parseXmlBody } from '../../src/server/xml-body.js';
import { AWKWARD_KEYS } from '../helpers/keys.js';
import { oldParseXml } from '../helpers/old-xml-parse.js';
import { rng } from '../helpers/random.js';

const SEED = Number(process.env.XML_FUZZ_SEED) || Math.floor(Math.random() * 2 ** 31);
const DOCUMENTS = 1500;

type Shape = { [name: string]: Shape | (() => string) | [Shape | (() => string)] };

function generator(seed: number) {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const CHARS = ['a', 'Z', '0', ' ', '/', '.', '-', '_', '<', '>', '&', '"', "'", '=', '?', '%', '+', 'é', '中', '😀', '\t', '\n', '\r\n', ']]>', '\u00a0'];
  const plain = (): string => Array.from({ length: Math.floor(rand() * 12) }, () => pick(CHARS)).join('');
  const value = (): string => (rand() < 0.3 ? pick(AWKWARD_KEYS) : plain());
  const number = (): string => String(Math.floor(rand() * 1e6));
  const etag = (): string => `"${Math.floor(rand() * 2 ** 32).toString(16).toUpperCase()}"`;
  const date = (): string => new Date(Math.floor(rand() * 2e12)).toISOString();
  const bool = (): string => pick(['true', 'false']);
  const owner: Shape = { ID: number, DisplayName: number };

  const SHAPES: Array<[string, Shape]> = [
    ['ListBucketResult', {
      Name: value, Prefix: value, Marker: value, MaxKeys: number, Delimiter: value, IsTruncated: bool, NextMarker: value,
      Contents: [{ Key: value, LastModified: date, ETag: etag, Type: () => 'Normal', Size: number, StorageClass: () => 'Standard', Owner: owner }],
      CommonPrefixes: [{ Prefix: value }],
    }],
    ['ListVersionsResult', {
      Name: value, KeyMarker: value, VersionIdMarker: value,
      Version: [{ Key: value, VersionId: number, IsLatest: bool, ETag: etag, Size: number }], DeleteMarker: [{ Key: value, VersionId: number }],
    }],
    ['Error', { Code: () => pick(['NoSuchKey', 'AccessDenied', 'SignatureDoesNotMatch']), Message: value, RequestId: number, HostId: value, Key: value, StringToSign: value, EC: number }],
    ['InitiateMultipartUploadResult', { Bucket: value, Key: value, UploadId: number }],
    ['ListPartsResult', { Bucket: value, Key: value, UploadId: number, IsTruncated: bool, Part: [{ PartNumber: number, LastModified: date, ETag: etag, Size: number }] }],
    ['ListMultipartUploadsResult', { Bucket: value, Upload: [{ Key: value, UploadId: number, Initiated: date }], CommonPrefixes: [{ Prefix: value }] }],
    ['CompleteMultipartUploadResult', { Location: value, Bucket: value, Key: value, ETag: etag }],
    ['DeleteResult', { Deleted: [{ Key: value, VersionId: number, DeleteMarker: bool }] }],
    ['AccessControlPolicy', { Owner: owner, AccessControlList: { Grant: () => pick(['private', 'public-read', 'default']) } }],
    ['Tagging', { TagSet: { Tag: [{ Key: value, Value: value }] } }],
    ['CORSConfiguration', { CORSRule: [{ AllowedOrigin: [value], AllowedMethod: [() => pick(['GET', 'PUT'])], AllowedHeader: [value], MaxAgeSeconds: number }] }],
    ['LifecycleConfiguration', { Rule: [{ ID: value, Prefix: value, Status: () => 'Enabled', Filter: { Not: { Prefix: value, Tag: { Key: value, Value: value } } }, Expiration: { Days: number } }] }],
    ['BucketInfo', { Bucket: { Name: value, Owner: owner, AccessControlList: { Grant: () => 'private' }, CreationDate: date } }],
  ];

  /** Text written as XML may write it: escaped, as references, or in CDATA. */
  function escape(text: string): string {
    if (rand() < 0.15 && !text.includes(']]>')) return `<![CDATA[${text}]]>`;
    return text.replace(/[<>&"'\r]|[^\x00-\x7f]/gu, (c) => {
      const r = rand();
      if (c === '\r') return '&#13;';
      if (/[^\x00-\x7f]/u.test(c) && r < 0.6) return c;
      if (r < 0.33) return `&#${c.codePointAt(0)};`;
      if (r < 0.66) return `&#x${c.codePointAt(0)!.toString(16)};`;
      return ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' } as Record<string, string>)[c] ?? c;
    });
  }
  const layout = (): string => pick(['', '', '\n', '\n  ', ' ', '<!-- note -->']);
  const attributes = (): string => (rand() < 0.1 ? pick([' xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com"', " a='1'", ' b="&amp;"']) : '');

  function element(name: string, shape: Shape[string]): string {
    if (Array.isArray(shape)) {
      // A repeated element: none, one (no array), or several.
      const n = pick([0, 1, 1, 2, 3, 5]);
      return Array.from({ length: n }, () => element(name, shape[0])).join(layout());
    }
    if (typeof shape === 'function') {
      const text = shape();
      if (text === '' && rand() < 0.5) return `<${name}${attributes()}${pick(['/>', ' />'])}`;
      return `<${name}${attributes()}>${escape(text)}</${name}>`;
    }
    if (rand() < 0.05) return `<${name}/>`; // an empty container
    const inner = Object.entries(shape).map(([n, s]) => layout() + element(n, s)).join('');
    return `<${name}${attributes()}>${inner}${layout()}</${name}>`;
  }

  return (): string => {
    const [root, shape] = pick(SHAPES);
    const declaration = rand() < 0.7 ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '';
    return `${declaration}${element(root, shape)}${pick(['', '\n'])}`;
  };
}

describe(`readXml against fast-xml-parser on OSS-shaped documents (seed ${SEED})`, () => {
  it(`agrees on ${DOCUMENTS} seeded random responses, and so does the server's parser`, () => {
    const next = generator(SEED);
    let arrays = 0;
    for (let i = 0; i < DOCUMENTS; i++) {
      const doc = next();
      const label = `seed ${SEED}, document ${i}: ${doc.slice(0, 300)}`;
      const ours = readXml(doc);
      expect(JSON.stringify(ours), label).toBe(JSON.stringify(oldParseXml(doc)));
      expect(JSON.stringify(parseXmlBody(doc)), label).toBe(JSON.stringify(ours));
      if (JSON.stringify(ours).includes(':[')) arrays++;
    }
    expect(arrays, `seed ${SEED}`).toBeGreaterThan(DOCUMENTS / 4); // repeated elements really occur
  });
});

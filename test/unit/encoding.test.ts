// Encoders, date formats, byte helpers, header/query normalization, the V4 signing-key cache
// and the Authorization parsers.

import { Crypto } from '@peculiar/webcrypto';
import { describe, expect, it } from 'vitest';
import {
  constantTimeEqual,
  fromBase64,
  hmac,
  sha256Hex,
  toBase64,
  toHex,
  utf8,
} from '../../src/core/crypto.js';
import {
  buildQueryString,
  decodeHeaderByteString,
  decodeUriComponentSafe,
  encodeHeaderByteString,
  encodeQueryComponent,
  encodeRfc3986,
  encodeUriPath,
  formatIso8601Basic,
  formatRfc1123,
  normalizeHeaders,
  parseIso8601Basic,
  queryEntries,
  resourceUrl,
} from '../../src/core/encoding.js';
import {
  V1_SUBRESOURCES,
  canonicalizedResourceV1,
  isV1Subresource,
  presignV1,
  stringToSignV1,
} from '../../src/core/sign-v1.js';
import {
  canonicalQueryV4,
  canonicalRequestV4,
  canonicalUriV4,
  normalizeV4Region,
  parseV4Authorization,
  parseV4Credential,
  presignV4,
  resolveAdditionalHeadersV4,
  signV4Header,
  signingKeyV4,
  v4Scope,
} from '../../src/core/sign-v4.js';
import { signPostPolicyV1 } from '../../src/core/post-policy.js';
import { OSSArgumentError } from '../../src/core/errors.js';

const freshSubtle = () => new Crypto().subtle as unknown as SubtleCrypto;

// Every printable ASCII character, for table checks.
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

describe('encodeRfc3986', () => {
  it('leaves only A-Z a-z 0-9 - _ . ~ raw, upper-case hex', () => {
    const raw = [...ASCII].filter((c) => encodeRfc3986(c) === c).join('');
    expect(raw).toBe('-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~');
    expect(encodeRfc3986("!'()*/ +;|")).toBe('%21%27%28%29%2A%2F%20%2B%3B%7C');
  });

  it('encodes UTF-8 bytes, including astral characters', () => {
    expect(encodeRfc3986('中文/é😀')).toBe('%E4%B8%AD%E6%96%87%2F%C3%A9%F0%9F%98%80');
  });

  it('does not throw on a lone surrogate (encodes U+FFFD)', () => {
    expect(encodeRfc3986('a\uD800b')).toBe('a%EF%BF%BDb');
  });
});

describe('encodeUriPath', () => {
  it('keeps / and A-Z a-z 0-9 - _ . ! ~ * ( ); encodes apostrophe and plus', () => {
    const raw = [...ASCII].filter((c) => encodeUriPath(c) === c).join('');
    expect(raw).toBe('!()*-./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~');
    expect(encodeUriPath("quote'apos")).toBe('quote%27apos');
    expect(encodeUriPath('plus+sign')).toBe('plus%2Bsign');
  });

  it('matches the keys of the vectors', () => {
    expect(encodeUriPath('percent%20literal')).toBe('percent%2520literal');
    expect(encodeUriPath('question?hash#')).toBe('question%3Fhash%23');
    expect(encodeUriPath('equals=amp&')).toBe('equals%3Damp%26');
    expect(encodeUriPath('slash//double')).toBe('slash//double');
    expect(encodeUriPath('tilde~star*paren()')).toBe('tilde~star*paren()');
    expect(encodeUriPath('unicode/中文/émoji-😀.png')).toBe('unicode/%E4%B8%AD%E6%96%87/%C3%A9moji-%F0%9F%98%80.png');
    expect(encodeUriPath('dir/file name.txt')).toBe('dir/file%20name.txt');
  });
});

describe('encodeQueryComponent', () => {
  it('agrees with encodeURIComponent on every ASCII character and on Unicode', () => {
    for (const c of ASCII) expect(encodeQueryComponent(c), JSON.stringify(c)).toBe(encodeURIComponent(c));
    const s = "attachment; filename*=UTF-8''%E4 中文 😀 +/=";
    expect(encodeQueryComponent(s)).toBe(encodeURIComponent(s));
  });
});

describe('decodeUriComponentSafe', () => {
  it('decodes like decodeURIComponent on valid input', () => {
    expect(decodeUriComponentSafe('a%20b%2Fc%E4%B8%AD')).toBe('a b/c中');
    expect(decodeUriComponentSafe('a+b')).toBe('a+b');
    expect(decodeUriComponentSafe('a+b%2B', { plusAsSpace: true })).toBe('a b+');
  });

  it('never throws: stray % stays literal, broken UTF-8 becomes U+FFFD', () => {
    expect(decodeUriComponentSafe('100%')).toBe('100%');
    expect(decodeUriComponentSafe('%zz%41')).toBe('%zzA');
    expect(decodeUriComponentSafe('%E4%B8')).toBe('\uFFFD');
    expect(decodeUriComponentSafe('%FF中%41')).toBe('\uFFFD中A');
    expect(decodeUriComponentSafe('😀%')).toBe('😀%');
  });
});

describe('query strings', () => {
  it('buildQueryString keeps insertion order, writes null as name=, skips undefined', () => {
    expect(buildQueryString({ uploads: null, prefix: 'a/b c', skipped: undefined, 'max-keys': '10', empty: '' })).toBe(
      'uploads=&prefix=a%2Fb%20c&max-keys=10&empty=',
    );
    expect(buildQueryString({})).toBe('');
    expect(buildQueryString(undefined)).toBe('');
  });

  it('accepts URLSearchParams and pair lists (repeated names kept)', () => {
    expect(queryEntries(new URLSearchParams('a=1&b&a=2'))).toEqual([['a', '1'], ['b', ''], ['a', '2']]);
    expect(queryEntries([['x', null], ['y', undefined], ['x', 'v']])).toEqual([['x', null], ['x', 'v']]);
  });

  it('V4 canonical query: RFC 3986, byte order (not locale order), bare names for null, name= for empty strings', () => {
    expect(canonicalQueryV4({ b: 'x y', A: '1', a: null, '~': '', _: '/' })).toBe('A=1&_=%2F&a&b=x%20y&~=');
    expect(canonicalQueryV4([['k', '2'], ['k', '1'], ['j', null]])).toBe('j&k=1&k=2');
    expect(canonicalQueryV4(new URLSearchParams('k=2&k=1&j'))).toBe('j=&k=1&k=2');
  });

  it('V1 canonical resource: raw key and values, sorted, bare names', () => {
    expect(canonicalizedResourceV1('b', 'dir/a b+c.txt', [['uploadId', 'x/y z'], ['acl', null], ['partNumber', '0']])).toBe(
      '/b/dir/a b+c.txt?acl&partNumber=0&uploadId=x/y z',
    );
    expect(canonicalizedResourceV1('b', null)).toBe('/b/');
    expect(canonicalizedResourceV1(null, null)).toBe('/');
  });

  it('V4 canonical URI keeps the bucket and encodes the key', () => {
    expect(canonicalUriV4('b', "a b/c'd+e")).toBe('/b/a%20b/c%27d%2Be');
    expect(canonicalUriV4('b', null)).toBe('/b/');
    expect(canonicalUriV4(null, null)).toBe('/');
  });
});

describe('V1 sub-resources', () => {
  it('has the documented and SDK names, and every x-oss- name', () => {
    for (const n of ['acl', 'uploads', 'uploadId', 'partNumber', 'security-token', 'continuation-token', 'versionId', 'response-content-type', 'callback-var']) {
      expect(isV1Subresource(n), n).toBe(true);
    }
    expect(isV1Subresource('x-oss-anything')).toBe(true);
    for (const n of ['prefix', 'marker', 'max-keys', 'delimiter', 'encoding-type', 'list-type', 'start-after', 'fetch-owner', 'Acl']) {
      expect(isV1Subresource(n), n).toBe(false);
    }
    expect(V1_SUBRESOURCES.has('x-oss-process')).toBe(true);
  });
});

describe('headers', () => {
  it('lower-cases names, trims values, keeps inner spaces, later case-variant wins', () => {
    const h = normalizeHeaders({ 'X-OSS-Meta-A': '  one  two ', 'x-oss-meta-a': ' later ', 'Content-Type': '\ttext/plain ', skip: undefined });
    expect([...h]).toEqual([
      ['x-oss-meta-a', 'later'],
      ['content-type', 'text/plain'],
    ]);
  });

  it('signs the later of two case variants once, and trimmed values, in V1 and V4', () => {
    const base = { method: 'PUT', bucket: 'b', key: 'k', date: 'Tue, 02 Jan 2024 03:04:05 GMT' };
    const s = stringToSignV1({ ...base, headers: { 'x-oss-meta-x': 'first', 'X-Oss-Meta-X': '  second  ', 'x-oss-date': base.date } });
    expect(s).toBe(`PUT\n\n\n${base.date}\nx-oss-date:${base.date}\nx-oss-meta-x:second\n/b/k`);
    const cr = canonicalRequestV4({ method: 'PUT', bucket: 'b', key: 'k', headers: { 'Content-Type': 'a', 'content-type': ' b  c ' } });
    expect(cr).toBe('PUT\n/b/k\n\ncontent-type:b  c\n\n\nUNSIGNED-PAYLOAD');
  });

  it('Headers objects carry byte strings; they are read back as UTF-8 text', () => {
    const text = 'café 中文 😀';
    const wire = encodeHeaderByteString(text);
    expect([...wire].every((c) => c.charCodeAt(0) < 256)).toBe(true);
    expect(decodeHeaderByteString(wire)).toBe(text);
    const headers = new Headers({ 'X-Oss-Meta-Title': wire });
    expect(normalizeHeaders(headers).get('x-oss-meta-title')).toBe(text);
    expect(decodeHeaderByteString('caf\u00e9')).toBe('caf\u00e9'); // not UTF-8: kept
    expect(decodeHeaderByteString('中')).toBe('中'); // already text: kept
  });

  it('additional headers: lower-cased, de-duplicated, default-signed and absent ones dropped, sorted', () => {
    const h = normalizeHeaders({ Range: 'bytes=0-1', host: 'h', 'x-oss-a': '1', 'Content-Type': 't' });
    expect(resolveAdditionalHeadersV4(['Range', 'range', 'HOST', 'x-oss-a', 'content-type', 'missing'], h)).toEqual(['host', 'range']);
    expect(resolveAdditionalHeadersV4(undefined, h)).toEqual([]);
  });

  it('the STS token is signed as x-oss-security-token once, whether or not the header is there', () => {
    const base = { method: 'GET', bucket: 'b', key: 'k', date: 'D', securityToken: 'tok' };
    const added = stringToSignV1(base);
    const present = stringToSignV1({ ...base, headers: { 'X-Oss-Security-Token': 'tok' } });
    expect(added).toBe('GET\n\n\nD\nx-oss-security-token:tok\n/b/k');
    expect(present).toBe(added);
  });
});

describe('resourceUrl', () => {
  const ep = 'https://oss-cn-hangzhou.aliyuncs.com';
  it('virtual-hosted, path style, CNAME and service level', () => {
    expect(resourceUrl({ endpoint: ep, bucket: 'b', key: 'a b/c' })).toBe('https://b.oss-cn-hangzhou.aliyuncs.com/a%20b/c');
    expect(resourceUrl({ endpoint: ep, bucket: 'b', key: 'k', pathStyle: true })).toBe('https://oss-cn-hangzhou.aliyuncs.com/b/k');
    expect(resourceUrl({ endpoint: ep, bucket: 'b', pathStyle: true })).toBe('https://oss-cn-hangzhou.aliyuncs.com/b/');
    expect(resourceUrl({ endpoint: 'https://cdn.example.com', bucket: 'b', key: 'k', cname: true })).toBe('https://cdn.example.com/k');
    expect(resourceUrl({ endpoint: ep, bucket: null, key: null })).toBe('https://oss-cn-hangzhou.aliyuncs.com/');
  });

  it('keeps the port, defaults to https, forces path style for IP endpoints', () => {
    expect(resourceUrl({ endpoint: 'http://localhost:9000', bucket: 'b', key: 'k' })).toBe('http://b.localhost:9000/k');
    expect(resourceUrl({ endpoint: 'http://127.0.0.1:9000', bucket: 'b', key: 'k' })).toBe('http://127.0.0.1:9000/b/k');
    expect(resourceUrl({ endpoint: 'http://[::1]:9000', bucket: 'b', key: 'k' })).toBe('http://[::1]:9000/b/k');
    expect(resourceUrl({ endpoint: 'oss-cn-hangzhou.aliyuncs.com', bucket: 'b', key: 'k' })).toBe('https://b.oss-cn-hangzhou.aliyuncs.com/k');
  });

  it('presigned URLs against a local endpoint keep the port', async () => {
    const creds = { accessKeyId: 'ak', accessKeySecret: 'sk', method: 'GET', bucket: 'b', key: 'k', endpoint: 'http://127.0.0.1:9000' };
    const v1 = await presignV1({ ...creds, expires: 1700000000 });
    expect(v1.url.startsWith('http://127.0.0.1:9000/b/k?OSSAccessKeyId=ak&Expires=1700000000&Signature=')).toBe(true);
    const v4 = await presignV4({ ...creds, region: 'oss-cn-hangzhou', date: '20240102T030405Z', expires: 60 });
    expect(v4.credential).toBe('ak/20240102/cn-hangzhou/oss/aliyun_v4_request');
    expect(v4.url.startsWith('http://127.0.0.1:9000/b/k?x-oss-credential=ak%2F20240102%2Fcn-hangzhou%2F')).toBe(true);
  });
});

describe('dates', () => {
  const d = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
  it('formats RFC 1123 and ISO 8601 basic in UTC', () => {
    expect(formatRfc1123(d)).toBe('Tue, 02 Jan 2024 03:04:05 GMT');
    expect(formatRfc1123(d)).toBe(d.toUTCString());
    expect(formatIso8601Basic(d)).toBe('20240102T030405Z');
    expect(formatIso8601Basic(new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 999)))).toBe('20240229T235959Z');
  });

  it('refuses invalid dates and years outside four digits', () => {
    expect(() => formatRfc1123(new Date(NaN))).toThrow(OSSArgumentError);
    expect(() => formatIso8601Basic(new Date(Date.UTC(10000, 0, 1)))).toThrow(OSSArgumentError);
  });

  it('parses ISO 8601 basic strictly', () => {
    expect(parseIso8601Basic('20240102T030405Z')?.getTime()).toBe(d.getTime());
    expect(parseIso8601Basic('20240229T120000Z')?.toISOString()).toBe('2024-02-29T12:00:00.000Z');
    expect(parseIso8601Basic('00500101T000000Z')?.getUTCFullYear()).toBe(50);
    for (const bad of ['20230229T120000Z', '20240230T000000Z', '20241301T000000Z', '20240102T240000Z', '20240102T036005Z', '20240102T030405', '2024-01-02T03:04:05Z', '']) {
      expect(parseIso8601Basic(bad), bad).toBeUndefined();
    }
  });
});

describe('crypto helpers', () => {
  it('hex and base64', () => {
    expect(toHex(new Uint8Array([0, 1, 15, 16, 255]))).toBe('00010f10ff');
    expect(toBase64(utf8('Man'))).toBe('TWFu');
    expect(toBase64(new Uint8Array([251, 255]))).toBe('+/8=');
    expect([...fromBase64('+/8=')]).toEqual([251, 255]);
    const big = new Uint8Array(100_003).map((_, i) => i * 7);
    expect(fromBase64(toBase64(big))).toEqual(big);
  });

  it('HMAC-SHA1 / HMAC-SHA256 (RFC 2202 / RFC 4231 case 2) and SHA-256', async () => {
    const data = 'what do ya want for nothing?';
    expect(toHex(await hmac('Jefe', data, 'SHA-1'))).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
    expect(toHex(await hmac(utf8('Jefe'), utf8(data), 'SHA-256'))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('an empty HMAC key works and equals the single-zero-byte key (both implementations)', async () => {
    for (const subtle of [undefined, freshSubtle()]) {
      const empty = await hmac('', 'x', 'SHA-256', subtle);
      expect(toHex(empty)).toBe(toHex(await hmac(new Uint8Array(1), 'x', 'SHA-256', subtle)));
    }
    const emptyNode = toHex(await hmac('', 'x', 'SHA-1'));
    const emptyPeculiar = toHex(await hmac(new Uint8Array(0), 'x', 'SHA-1', freshSubtle()));
    expect(emptyNode).toBe(emptyPeculiar);
  });

  it('constantTimeEqual', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'ab')).toBe(false);
  });
});

describe('V4 signing-key cache', () => {
  it('returns the same CryptoKey object for the same inputs', async () => {
    const subtle = freshSubtle();
    const a = await signingKeyV4('secret', '20240102', 'cn-hangzhou', 'oss', subtle);
    const b = await signingKeyV4('secret', '20240102', 'cn-hangzhou', 'oss', subtle);
    expect(b).toBe(a);
    expect(a.extractable).toBe(false);
    // Concurrent first calls share one derivation.
    const [c, d] = await Promise.all([
      signingKeyV4('secret', '20240103', 'cn-hangzhou', 'oss', subtle),
      signingKeyV4('secret', '20240103', 'cn-hangzhou', 'oss', subtle),
    ]);
    expect(d).toBe(c);
  });

  it('a different date, region, product, secret or SubtleCrypto gives a different key', async () => {
    const subtle = freshSubtle();
    const base = await signingKeyV4('secret', '20240102', 'cn-hangzhou', 'oss', subtle);
    const others = await Promise.all([
      signingKeyV4('secret', '20240103', 'cn-hangzhou', 'oss', subtle),
      signingKeyV4('secret', '20240102', 'cn-shanghai', 'oss', subtle),
      signingKeyV4('secret', '20240102', 'cn-hangzhou', 'oss-cloudbox', subtle),
      signingKeyV4('secret2', '20240102', 'cn-hangzhou', 'oss', subtle),
      signingKeyV4('secret', '20240102', 'cn-hangzhou', 'oss', freshSubtle()),
    ]);
    for (const k of others) expect(k).not.toBe(base);
    // And the keys really differ, not just the objects.
    const macs = await Promise.all([base, ...others.slice(0, 4)].map(async (k) => toHex(await hmac(k, 'x', 'SHA-256', subtle))));
    expect(new Set(macs).size).toBe(5);
  });

  it('is bounded (64 entries, least recently used evicted)', async () => {
    const subtle = freshSubtle();
    const first = await signingKeyV4('s', '20240101', 'r', 'oss', subtle);
    const kept = await signingKeyV4('s', '20240102', 'r', 'oss', subtle);
    for (let i = 0; i < 63; i++) {
      await signingKeyV4('s', `2025${String(i).padStart(4, '0')}`, 'r', 'oss', subtle);
      if (i === 30) expect(await signingKeyV4('s', '20240102', 'r', 'oss', subtle)).toBe(kept); // touch
    }
    expect(await signingKeyV4('s', '20240102', 'r', 'oss', subtle)).toBe(kept);
    expect(await signingKeyV4('s', '20240101', 'r', 'oss', subtle)).not.toBe(first);
  });

  it('a failed derivation is not kept: the next call for the same key derives it again', async () => {
    const real = freshSubtle();
    let failures = 1;
    const flaky = Object.create(real, {
      sign: { value: (...args: Parameters<SubtleCrypto['sign']>) => (failures-- > 0 ? Promise.reject(new Error('flaky')) : real.sign(...args)) },
    }) as SubtleCrypto;
    await expect(signingKeyV4('secret', '20240105', 'cn-hangzhou', 'oss', flaky)).rejects.toThrow('flaky');
    const key = await signingKeyV4('secret', '20240105', 'cn-hangzhou', 'oss', flaky);
    expect(key.extractable).toBe(false);
    expect(await signingKeyV4('secret', '20240105', 'cn-hangzhou', 'oss', flaky)).toBe(key);
  });

  it('signatures do not depend on whether the key came from the cache', async () => {
    const input = {
      accessKeyId: 'ak', accessKeySecret: 'sk', region: 'cn-hangzhou', method: 'GET', bucket: 'b', key: 'k',
      date: '20240102T030405Z', headers: { 'x-oss-date': '20240102T030405Z', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' },
    };
    const cold = await signV4Header(input, freshSubtle());
    const warm1 = await signV4Header(input);
    const warm2 = await signV4Header(input);
    expect(warm1).toEqual(cold);
    expect(warm2).toEqual(cold);
  });
});

describe('V4 inputs', () => {
  it('strips an oss- region prefix, formats Date inputs, falls back to x-oss-date', async () => {
    expect(normalizeV4Region('oss-cn-hangzhou')).toBe('cn-hangzhou');
    expect(normalizeV4Region('cn-hangzhou')).toBe('cn-hangzhou');
    expect(v4Scope('20240102', 'cn-hangzhou')).toBe('20240102/cn-hangzhou/oss/aliyun_v4_request');
    const base = { accessKeyId: 'ak', accessKeySecret: 'sk', method: 'GET', bucket: 'b', headers: { 'x-oss-date': '20240102T030405Z' } };
    const a = await signV4Header({ ...base, region: 'cn-hangzhou', date: '20240102T030405Z' });
    const b = await signV4Header({ ...base, region: 'oss-cn-hangzhou', date: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) });
    const c = await signV4Header({ ...base, region: 'cn-hangzhou' });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    await expect(signV4Header({ ...base, headers: {}, region: 'cn-hangzhou' })).rejects.toThrow(OSSArgumentError);
  });

  it('uses x-oss-content-sha256 as the payload hash when given', () => {
    const cr = canonicalRequestV4({ method: 'PUT', bucket: 'b', key: 'k', headers: { 'x-oss-content-sha256': 'abc123' } });
    expect(cr.endsWith('\n\n\nabc123')).toBe(true);
  });

  it('presign refuses reserved parameters and out-of-range expiry', async () => {
    const base = { accessKeyId: 'ak', accessKeySecret: 'sk', method: 'GET', bucket: 'b', key: 'k', endpoint: 'https://e.example', region: 'r', date: '20240102T030405Z' };
    await expect(presignV4({ ...base, expires: 0 })).rejects.toThrow(OSSArgumentError);
    await expect(presignV4({ ...base, expires: 604801 })).rejects.toThrow(OSSArgumentError);
    await expect(presignV4({ ...base, expires: 60, query: { 'x-oss-signature': 'x' } })).rejects.toThrow(TypeError);
    await expect(presignV1({ ...base, expires: 1.5 })).rejects.toThrow(OSSArgumentError);
    await expect(presignV1({ ...base, expires: 1700000000, query: { Signature: 'x' } })).rejects.toThrow(TypeError);
  });
});

describe('parseV4Authorization', () => {
  const sig = 'a'.repeat(64);
  it('accepts "," and ", " separators and any field order', () => {
    const expected = { accessKeyId: 'AK', date: '20240102', region: 'cn-hangzhou', product: 'oss', additionalHeaders: ['host', 'range'], signature: sig };
    const cred = 'Credential=AK/20240102/cn-hangzhou/oss/aliyun_v4_request';
    expect(parseV4Authorization(`OSS4-HMAC-SHA256 ${cred},AdditionalHeaders=host;range,Signature=${sig}`)).toEqual(expected);
    expect(parseV4Authorization(`OSS4-HMAC-SHA256 ${cred}, Signature=${sig}, AdditionalHeaders=host;range`)).toEqual(expected);
    expect(parseV4Authorization(`OSS4-HMAC-SHA256 Signature=${sig},${cred}`)).toEqual({ ...expected, additionalHeaders: [] });
  });

  it('reads CloudBox credentials', () => {
    expect(parseV4Credential('ak/20231216/cb-123/oss-cloudbox/aliyun_v4_request')).toEqual({
      accessKeyId: 'ak', date: '20231216', region: 'cb-123', product: 'oss-cloudbox',
    });
  });

  it('rejects malformed headers', () => {
    const cred = 'Credential=AK/20240102/cn-hangzhou/oss/aliyun_v4_request';
    for (const bad of [
      `OSS AK:${sig}`,
      `OSS4-HMAC-SHA256 ${cred}`,
      `OSS4-HMAC-SHA256 Signature=${sig}`,
      `OSS4-HMAC-SHA256 ${cred},Signature=xyz`,
      `OSS4-HMAC-SHA256 ${cred},Signature=${sig},Signature=${sig}`,
      `OSS4-HMAC-SHA256 Credential=AK/2024/cn-hangzhou/oss/aliyun_v4_request,Signature=${sig}`,
      `OSS4-HMAC-SHA256 Credential=AK/20240102/cn-hangzhou/oss/other,Signature=${sig}`,
      `OSS4-HMAC-SHA256 ${cred},junk,Signature=${sig}`,
    ]) {
      expect(parseV4Authorization(bad), bad).toBeUndefined();
    }
  });
});

describe('post policy', () => {
  it('serialises objects compactly and uses strings as the exact text', async () => {
    const creds = { accessKeyId: 'ak', accessKeySecret: 'sk' };
    const obj = await signPostPolicyV1({ ...creds, policy: { expiration: 'x', conditions: [] } });
    expect(new TextDecoder().decode(fromBase64(obj.policy))).toBe('{"expiration":"x","conditions":[]}');
    const spaced = await signPostPolicyV1({ ...creds, policy: '{ "expiration": "x", "conditions": [] }' });
    expect(new TextDecoder().decode(fromBase64(spaced.policy))).toBe('{ "expiration": "x", "conditions": [] }');
    expect(spaced.signature).not.toBe(obj.signature);
  });
});

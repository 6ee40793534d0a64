// Every signing vector recorded from ali-oss (test/fixtures/signing-vectors.json), each as its own
// test, then the V4 kinds again through @peculiar/webcrypto as a second SubtleCrypto, all of
// them through oss-fetch/node's nodeSubtle (node:crypto), then the worked examples of oss-protocol.md §2.2, §2.4 and §3.4.

import { readFileSync } from 'node:fs';
import { Crypto } from '@peculiar/webcrypto';
import { nodeSubtle } from '../../src/adapters/node-subtle.js';
import { describe, expect, it } from 'vitest';
import {
  buildQueryString,
  encodeHeaderByteString,
  formatIso8601Basic,
  parseV1Authorization,
  parseV4Authorization,
  presignV1,
  presignV4,
  resourceUrl,
  signPostPolicyV1,
  signPostPolicyV4,
  signV1Header,
  signV4Header,
  canonicalRequestV4,
  stringToSignV1,
} from '../../src/core/sign.js';
import { authorizeV4 } from '../../src/core/sign-v4.js';

// ---------------------------------------------------------------------------------------------
// Loading: a missing file or a short one must fail, never pass on zero vectors.

const KINDS = ['v1-header', 'v4-header', 'v1-url', 'v4-url', 'post-v1', 'post-v4'] as const;
type Kind = (typeof KINDS)[number];

// The vector inputs are plain JSON; the signers take them as they are.
/* eslint-disable @typescript-eslint/no-explicit-any */
interface Vector {
  id: string;
  kind: Kind;
  input: any;
  expected: Record<string, string>;
  request?: { method: string; url: string; headers: Record<string, string> };
}
interface VectorFile {
  format: string;
  counts: Record<string, number>;
  vectors: Vector[];
}

const VECTORS_URL = new URL('../fixtures/signing-vectors.json', import.meta.url);
let file: VectorFile | undefined;
let loadError: unknown;
try {
  file = JSON.parse(readFileSync(VECTORS_URL, 'utf8')) as VectorFile;
} catch (error) {
  loadError = error;
}
const vectors: Vector[] = file?.vectors ?? [];
const ofKind = (kind: Kind): Vector[] => vectors.filter((v) => v.kind === kind);

describe('vector file', () => {
  it('loads', () => {
    if (loadError) throw loadError;
    expect(file?.format).toBe('oss-signing-vectors/1');
  });

  it('holds every vector its counts promise, for all six kinds', () => {
    expect(file, 'vector file not loaded').toBeDefined();
    const counts = file!.counts;
    for (const kind of KINDS) {
      expect(counts[kind], `counts.${kind}`).toBeGreaterThan(0);
      expect(ofKind(kind).length, `vectors of kind ${kind}`).toBe(counts[kind]);
    }
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(vectors.length).toBe(total);
    expect(new Set(vectors.map((v) => v.id)).size).toBe(vectors.length);
  });
});

// ---------------------------------------------------------------------------------------------
// Running a vector

function sign(v: Vector, subtle?: SubtleCrypto, input: any = v.input): Promise<object> {
  switch (v.kind) {
    case 'v1-header':
      return signV1Header(input, subtle);
    case 'v4-header':
      return signV4Header(input, subtle);
    case 'v1-url':
      return presignV1(input, subtle);
    case 'v4-url':
      return presignV4(input, subtle);
    case 'post-v1':
      return signPostPolicyV1(input, subtle);
    case 'post-v4':
      return signPostPolicyV4(input, subtle);
  }
}

// The headline values, then the intermediate strings when the vector has them.
const COMPARED = ['authorization', 'url', 'policy', 'signature', 'credential', 'OSSAccessKeyId', 'stringToSign', 'canonicalRequest'];

async function check(v: Vector, subtle?: SubtleCrypto, input?: any): Promise<void> {
  const result = (await sign(v, subtle, input ?? v.input)) as Record<string, unknown>;
  let compared = 0;
  for (const field of COMPARED) {
    if (v.expected[field] === undefined) continue;
    expect(result[field], `${v.id}: ${field}`).toBe(v.expected[field]);
    compared++;
  }
  expect(compared, `${v.id}: nothing compared`).toBeGreaterThanOrEqual(2);
}

for (const kind of KINDS) {
  describe(`vectors: ${kind}`, () => {
    for (const v of ofKind(kind)) it(v.id, () => check(v));
  });
}

const peculiar = new Crypto().subtle as unknown as SubtleCrypto;

for (const kind of ['v4-header', 'v4-url', 'post-v4'] as const) {
  describe(`vectors through @peculiar/webcrypto: ${kind}`, () => {
    for (const v of ofKind(kind)) it(v.id, () => check(v, peculiar));
  });
}

const viaNodeCrypto = nodeSubtle();
for (const kind of KINDS) {
  describe(`vectors through nodeSubtle (node:crypto): ${kind}`, () => {
    for (const v of ofKind(kind)) it(v.id, () => check(v, viaNodeCrypto));
  });
}

// ---------------------------------------------------------------------------------------------
// Cross-checks on the same vectors

describe('vector cross-checks', () => {
  it('the default V1 sub-resource rule signs exactly what ali-oss signed (subresources omitted)', async () => {
    const v1 = ofKind('v1-header');
    expect(v1.length).toBeGreaterThan(0);
    for (const v of v1) {
      const { subresources: _omit, ...input } = v.input;
      expect(stringToSignV1(input), v.id).toBe(v.expected.stringToSign);
    }
  });

  it('header signers accept a Fetch Headers object carrying byte strings', async () => {
    const kinds = [...ofKind('v1-header'), ...ofKind('v4-header')];
    expect(kinds.length).toBeGreaterThan(0);
    for (const v of kinds) {
      const headers = new Headers();
      for (const [name, value] of Object.entries(v.input.headers as Record<string, string>)) {
        headers.set(name, encodeHeaderByteString(value));
      }
      await check(v, undefined, { ...v.input, headers });
    }
  });

  it("the client's request-path signer (authorizeV4, a record of lower-case headers) signs every V4 header vector as ali-oss did", async () => {
    const v4 = ofKind('v4-header');
    expect(v4.length).toBeGreaterThan(0);
    for (const v of v4) {
      const { input } = v;
      // What the client's core holds when it signs: lower-case names, text values, the token among them.
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(input.headers as Record<string, unknown>)) headers[name.toLowerCase()] = String(value);
      if (input.securityToken) headers['x-oss-security-token'] ??= input.securityToken;
      const additionalHeaders = ((input.additionalHeaders ?? []) as string[]).map((n) => n.toLowerCase()).filter((n) => n in headers && !/^(x-oss-|content-type$|content-md5$)/.test(n)).sort();
      const result = await authorizeV4({
        accessKeyId: input.accessKeyId, accessKeySecret: input.accessKeySecret, method: input.method.toUpperCase(), bucket: input.bucket, key: input.key,
        query: input.query, headers, additionalHeaders, date: input.date, region: input.region.replace(/^oss-/, ''),
      });
      expect(result.authorization, v.id).toBe(v.expected.authorization);
      if (v.expected.canonicalRequest !== undefined) expect(result.canonicalRequest, v.id).toBe(v.expected.canonicalRequest);
    }
  });

  it('V4 canonicalRequestV4 alone reproduces every recorded canonical request', () => {
    for (const v of ofKind('v4-header')) expect(canonicalRequestV4(v.input), v.id).toBe(v.expected.canonicalRequest);
  });

  it('parseV1Authorization / parseV4Authorization read back every recorded header', () => {
    for (const v of ofKind('v1-header')) {
      expect(parseV1Authorization(v.expected.authorization!), v.id).toEqual({
        accessKeyId: v.input.accessKeyId,
        signature: v.expected.signature,
      });
    }
    for (const v of ofKind('v4-header')) {
      expect(parseV4Authorization(v.expected.authorization!), v.id).toEqual({
        accessKeyId: v.input.accessKeyId,
        date: v.input.date.slice(0, 8),
        region: v.input.region,
        product: 'oss',
        additionalHeaders: v.input.additionalHeaders ?? [],
        signature: v.expected.signature,
      });
    }
  });

  it('request URLs built with encodeUriPath + buildQueryString match what ali-oss sent', () => {
    const withRequest = vectors.filter((v) => v.request);
    expect(withRequest.length).toBe(ofKind('v1-header').length + ofKind('v4-header').length);
    for (const v of withRequest) {
      const base = resourceUrl({ endpoint: `https://oss-${v.input.region}.aliyuncs.com`, bucket: v.input.bucket, key: v.input.key });
      const qs = buildQueryString(v.input.query);
      expect(qs ? `${base}?${qs}` : base, v.id).toBe(v.request!.url);
    }
  });

  it('post policies given as the exact JSON text sign the same', async () => {
    for (const v of [...ofKind('post-v1'), ...ofKind('post-v4')]) {
      await check(v, undefined, { ...v.input, policy: v.input.policyText });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// oss-protocol.md §2.2: V1 header vectors of the Go/Python v2 SDKs (ak / sk)

describe('oss-protocol.md §2.2 V1 header examples', () => {
  const date = 'Wed, 28 Dec 2022 10:27:41 GMT';
  const putHeaders = {
    'Content-MD5': 'eB5eJF1ptWaXm4bijSPyxw==',
    'Content-Type': 'text/html',
    'x-oss-meta-author': 'alice',
    'x-oss-meta-magic': 'abracadabra',
    'x-oss-date': date,
  };
  const base = { accessKeyId: 'ak', accessKeySecret: 'sk', bucket: 'examplebucket', date };

  it('1: PUT object', async () => {
    const r = await signV1Header({ ...base, method: 'PUT', key: 'nelson', headers: putHeaders });
    expect(r.stringToSign).toBe(
      `PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\n${date}\nx-oss-date:${date}\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n/examplebucket/nelson`,
    );
    expect(r.authorization).toBe('OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M=');
  });

  it('2: PUT object ?acl', async () => {
    const r = await signV1Header({ ...base, method: 'PUT', key: 'nelson', headers: putHeaders, query: { acl: null } });
    expect(r.stringToSign.endsWith('\n/examplebucket/nelson?acl')).toBe(true);
    expect(r.authorization).toBe('OSS ak:/afkugFbmWDQ967j1vr6zygBLQk=');
  });

  it('3: non-sub-resource parameters are dropped', async () => {
    const query = { resourceGroup: null, 'non-resousce': 'null' };
    for (const subresources of [['resourceGroup'], undefined]) {
      const r = await signV1Header({ ...base, method: 'GET', headers: { 'x-oss-date': date }, query, subresources });
      expect(r.stringToSign).toBe(`GET\n\n\n${date}\nx-oss-date:${date}\n/examplebucket/?resourceGroup`);
      expect(r.authorization).toBe('OSS ak:vkQmfuUDyi1uDi3bKt67oemssIs=');
    }
  });

  it('4: sub-resources are sorted', async () => {
    const r = await signV1Header({ ...base, method: 'GET', headers: { 'x-oss-date': date }, query: { resourceGroup: null, acl: null } });
    expect(r.stringToSign.endsWith('\n/examplebucket/?acl&resourceGroup')).toBe(true);
    expect(r.authorization).toBe('OSS ak:x3E5TgOvl/i7PN618s5mEvpJDYk=');
  });
});

// ---------------------------------------------------------------------------------------------
// oss-protocol.md §2.4: V1 presigned URLs of the Go v2 SDK (its URL sorts the parameters)

describe('oss-protocol.md §2.4 V1 presigned URL examples', () => {
  const sortedQuery = (url: string) => [...new URL(url).searchParams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const base = {
    accessKeyId: 'ak',
    accessKeySecret: 'sk',
    endpoint: 'http://oss-cn-hangzhou.aliyuncs.com',
    bucket: 'bucket',
    method: 'GET',
    query: { versionId: 'versionId' },
  };

  it('GET with versionId', async () => {
    const r = await presignV1({ ...base, key: 'key', expires: 1699807420 });
    expect(r.stringToSign).toBe('GET\n\n\n1699807420\n/bucket/key?versionId=versionId');
    expect(r.signature).toBe('dcLTea+Yh9ApirQ8o8dOPqtvJXQ=');
    const go = 'http://bucket.oss-cn-hangzhou.aliyuncs.com/key?Expires=1699807420&OSSAccessKeyId=ak&Signature=dcLTea%2BYh9ApirQ8o8dOPqtvJXQ%3D&versionId=versionId';
    expect(r.url.split('?')[0]).toBe(go.split('?')[0]);
    expect(sortedQuery(r.url)).toEqual(sortedQuery(go));
  });

  it('STS token and a "+" in the key', async () => {
    const r = await presignV1({ ...base, key: 'key+123', expires: 1699808204, securityToken: 'token' });
    expect(r.stringToSign).toBe('GET\n\n\n1699808204\n/bucket/key+123?security-token=token&versionId=versionId');
    expect(r.signature).toBe('jzKYRrM5y6Br0dRFPaTGOsbrDhY=');
    expect(r.url).toBe(
      'http://bucket.oss-cn-hangzhou.aliyuncs.com/key%2B123?OSSAccessKeyId=ak&Expires=1699808204&Signature=jzKYRrM5y6Br0dRFPaTGOsbrDhY%3D&versionId=versionId&security-token=token',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// oss-protocol.md §3.4 (a): the documentation's V4 example (signature 4b663e42…)

describe('oss-protocol.md §3.4 (a) documentation V4 example', () => {
  const common = {
    accessKeyId: 'accesskeyid',
    accessKeySecret: 'accesskeysecret',
    region: 'cn-hangzhou',
    bucket: 'examplebucket',
    key: 'exampleobject',
    method: 'PUT',
    additionalHeaders: ['host'],
  };
  const host = 'examplebucket.oss-cn-hangzhou.aliyuncs.com';

  it('Authorization header with AdditionalHeaders=host', async () => {
    const r = await signV4Header({
      ...common,
      date: '20231203T121212Z',
      headers: {
        'Content-MD5': 'eB5eJF1ptWaXm4bijSPyxw',
        'Content-Type': 'text/html',
        'x-oss-meta-author': 'alice',
        'x-oss-meta-magic': 'abracadabra',
        'x-oss-date': '20231203T121212Z',
        'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
        Date: 'Sun, 03 Dec 2023 12:12:12 GMT',
        Host: host,
      },
    });
    expect(r.canonicalRequest).toBe(
      [
        'PUT',
        '/examplebucket/exampleobject',
        '',
        'content-md5:eB5eJF1ptWaXm4bijSPyxw',
        'content-type:text/html',
        `host:${host}`,
        'x-oss-content-sha256:UNSIGNED-PAYLOAD',
        'x-oss-date:20231203T121212Z',
        'x-oss-meta-author:alice',
        'x-oss-meta-magic:abracadabra',
        '',
        'host',
        'UNSIGNED-PAYLOAD',
      ].join('\n'),
    );
    expect(r.stringToSign).toBe(
      'OSS4-HMAC-SHA256\n20231203T121212Z\n20231203/cn-hangzhou/oss/aliyun_v4_request\n129b14df88496f434606e999e35dee010ea1cecfd3ddc378e5ed4989609c1db3',
    );
    expect(r.authorization).toBe(
      'OSS4-HMAC-SHA256 Credential=accesskeyid/20231203/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=host,Signature=4b663e424d2db9967401ff6ce1c86f8c83cabd77d9908475239d9110642c63fa',
    );
  });

  const presignInput = {
    ...common,
    endpoint: 'https://oss-cn-hangzhou.aliyuncs.com',
    date: '20231203T121212Z',
    expires: 86400,
  };
  const canonicalQuery =
    'x-oss-additional-headers=host&x-oss-credential=accesskeyid%2F20231203%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231203T121212Z&x-oss-expires=86400&x-oss-signature-version=OSS4-HMAC-SHA256';
  const signature = '2c6c9f10d8950fb150290ef6f42570e33cd45d6a57ec7887de75fa2ec45b4c72';

  it('presigned URL with host signed (host given)', async () => {
    const r = await presignV4({ ...presignInput, headers: { host, 'x-oss-meta-author': 'alice', 'x-oss-meta-magic': 'abracadabra' } });
    expect(r.canonicalRequest.split('\n')[2]).toBe(canonicalQuery);
    expect(r.signature).toBe(signature);
    expect(r.url).toBe(`https://${host}/exampleobject?${canonicalQuery}&x-oss-signature=${signature}`);
  });

  it('presigned URL with host signed (host taken from the URL)', async () => {
    const r = await presignV4({ ...presignInput, headers: { 'x-oss-meta-author': 'alice', 'x-oss-meta-magic': 'abracadabra' } });
    expect(r.signature).toBe(signature);
  });
});

// ---------------------------------------------------------------------------------------------
// oss-protocol.md §3.4 (b): the Go/Python v2 SDK V4 vectors (ak / sk, key 1234+-/123/1.txt)

describe('oss-protocol.md §3.4 (b) Go SDK V4 vectors', () => {
  const isoOf = (unix: number) => formatIso8601Basic(new Date(unix * 1000));
  // Go writes `+param2=` but signs it bare: in our schema that is a parameter without value (null).
  const query = { param1: 'value1', '+param1': 'value3', '|param1': 'value4', '+param2': null, '|param2': null, param2: null };
  const requestHeaders = { 'x-oss-head1': 'value', abc: 'value', ZAbc: 'value', XYZ: 'value' };
  const base = { accessKeyId: 'ak', accessKeySecret: 'sk', region: 'cn-hangzhou', bucket: 'bucket', key: '1234+-/123/1.txt', method: 'PUT', query };

  // The Go signer adds x-oss-date and (with STS) x-oss-security-token to the request itself.
  const headerCase = (unix: number, extra: Record<string, unknown> = {}) => {
    const date = isoOf(unix);
    return signV4Header({
      ...base,
      date,
      headers: { ...requestHeaders, 'content-type': 'text/plain', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD', 'x-oss-date': date },
      ...extra,
    });
  };

  it('header', async () => {
    const r = await headerCase(1702743657);
    expect(r.canonicalRequest).toBe(
      [
        'PUT',
        '/bucket/1234%2B-/123/1.txt',
        '%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2',
        'content-type:text/plain',
        'x-oss-content-sha256:UNSIGNED-PAYLOAD',
        'x-oss-date:20231216T162057Z',
        'x-oss-head1:value',
        '',
        '',
        'UNSIGNED-PAYLOAD',
      ].join('\n'),
    );
    expect(r.authorization).toBe(
      'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
    );
  });

  it('header with an STS token (signed as x-oss-security-token)', async () => {
    const r = await headerCase(1702784856, { securityToken: 'token' });
    expect(r.authorization).toBe(
      'OSS4-HMAC-SHA256 Credential=ak/20231217/cn-hangzhou/oss/aliyun_v4_request,Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea',
    );
  });

  it('header with additional headers (default-signed and absent names dropped)', async () => {
    const expected =
      'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f';
    expect((await headerCase(1702747512, { additionalHeaders: ['ZAbc', 'abc'] })).authorization).toBe(expected);
    expect((await headerCase(1702747512, { additionalHeaders: ['x-oss-no-exist', 'ZAbc', 'x-oss-head1', 'abc'] })).authorization).toBe(expected);
  });

  it('header for CloudBox (product oss-cloudbox)', async () => {
    const r = await headerCase(1702743657, { region: 'cb-123', product: 'oss-cloudbox' });
    expect(r.authorization).toBe(
      'OSS4-HMAC-SHA256 Credential=ak/20231216/cb-123/oss-cloudbox/aliyun_v4_request,Signature=94ce1f12c17d148ea681030275a94449d3357f5b5b21133996eec80af3e08a43',
    );
  });

  const presignCase = (signUnix: number, extra: Record<string, unknown> = {}) =>
    presignV4({
      ...base,
      endpoint: 'http://oss-cn-hangzhou.aliyuncs.com',
      date: isoOf(signUnix),
      expires: 599,
      headers: { ...requestHeaders, 'content-type': 'application/octet-stream' },
      ...extra,
    });

  it('presign', async () => {
    const r = await presignCase(1702781677);
    expect(r.credential).toBe('ak/20231217/cn-hangzhou/oss/aliyun_v4_request');
    expect(r.signature).toBe('a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe');
    const params = new URL(r.url).searchParams;
    expect(params.get('x-oss-expires')).toBe('599');
    expect(params.get('x-oss-additional-headers')).toBeNull();
  });

  it('presign with an STS token', async () => {
    const r = await presignCase(1702785388, { securityToken: 'token' });
    const params = new URL(r.url).searchParams;
    expect(params.get('x-oss-date')).toBe('20231217T035628Z');
    expect(params.get('x-oss-security-token')).toBe('token');
    expect(r.signature).toBe('3817ac9d206cd6dfc90f1c09c00be45005602e55898f26f5ddb06d7892e1f8b5');
  });

  it('presign with additional headers', async () => {
    for (const additionalHeaders of [['ZAbc', 'abc'], ['x-oss-no-exist', 'abc', 'x-oss-head1', 'ZAbc']]) {
      const r = await presignCase(1702783809, { additionalHeaders });
      const params = new URL(r.url).searchParams;
      expect(params.get('x-oss-date')).toBe('20231217T033009Z');
      expect(params.get('x-oss-additional-headers')).toBe('abc;zabc');
      expect(r.signature).toBe('6bd984bfe531afb6db1f7550983a741b103a8c58e5e14f83ea474c2322dfa2b7');
    }
  });

  it('presign for CloudBox', async () => {
    const cloudbox = { region: 'cb-123', product: 'oss-cloudbox' };
    const a = await presignCase(1702781677, { ...cloudbox, additionalHeaders: ['ZAbc', 'abc'] });
    expect(a.credential).toBe('ak/20231217/cb-123/oss-cloudbox/aliyun_v4_request');
    expect(a.signature).toBe('07284191b9b4978ac3520cd39ee2dea2747eda454089359371ff463a6c7ba20f');
    const b = await presignCase(1702783809, { ...cloudbox, additionalHeaders: ['x-oss-no-exist', 'abc', 'x-oss-head1', 'ZAbc'] });
    expect(b.signature).toBe('16782cc8a7a554523db055eb804b508522e7e370073108ad88ee2f47496701dd');
  });
});

// Malformed requests at the in-process handler (fs store in a tmp dir): every answer is a Response,
// an OSS error XML or a success, never an InternalError; the handler never throws; nothing is
// written outside its directory. Seeded: a failure names the seed and the request.
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OSSClient } from '../../src/index.js';
import { createHandler, openStorage, type OSSHandler } from '../../src/server/index.js';
import type { ExtendedStorage } from '../../src/server/storage/types.js';
import { creds, inProcessFetch } from '../helpers/server.js';
import { prng } from '../soak/soak.js';

const SEED = Number(process.env.FUZZ_SEED ?? 424242);
const REQUESTS = 1500;
const ORIGIN = 'http://127.0.0.1:1';

let root: string; // ours alone: root/jail/data is the store, so escapes one or two levels up land in dirs we own
let storage: ExtendedStorage;
let handler: OSSHandler;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'oss-fuzz-server-'));
  await mkdir(join(root, 'jail', 'data'), { recursive: true });
  storage = await openStorage({ dir: join(root, 'jail', 'data') });
  handler = createHandler({ storage });
  const client = new OSSClient({ ...creds, endpoint: ORIGIN, fetch: (i, init) => inProcessFetch(handler, i, init), retries: 0 });
  await client.putBucket('fuzz', { acl: 'public-read-write' } as never);
  await client.put('fixed.txt', 'fixed', { bucket: 'fuzz' } as never);
});
afterAll(async () => {
  await storage.close?.();
  await rm(root, { recursive: true, force: true });
});

function requestFactory(random: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const junkText = (max: number) =>
    Array.from({ length: Math.floor(random() * max) }, () => String.fromCharCode(Math.floor(random() * (random() < 0.8 ? 128 : 0xffff)))).join('');
  const pathSegments = ['fuzz', 'fixed.txt', '..%2F..%2Fescape', '%', '%zz', '%00', '%C0%AE%C0%AE', '%ff%fe', '%2e%2e%5c', 'a%2Fb',
    '~', '%E2%80%AE', 'x'.repeat(1100), '-', 'UPPER', '%20', '*', ';', ',', '%25', 'nul%00', '%5C%5C'];
  const queryKeys = ['acl', 'uploads', 'uploadId', 'partNumber', 'append', 'position', 'tagging', 'cors', 'lifecycle', 'delete',
    'versioning', 'versionId', 'max-keys', 'prefix', 'marker', 'x-oss-process', 'Signature', 'OSSAccessKeyId', 'Expires',
    'x-oss-signature', 'x-oss-credential', 'x-oss-date', 'x-oss-expires', 'symlink', 'restore', 'objectMeta', 'website', 'policy',
    'referer', 'logging', 'location', 'bucketInfo', 'continuation-token', 'list-type', 'encoding-type', '%', '%zz', ''];
  const queryValues = ['', '0', '-1', '1e9', 'NaN', '99999999999999999999', '%', '%zz', 'abc', '../x', 'url', '%00'];
  const headerNames = ['authorization', 'x-oss-date', 'date', 'content-md5', 'content-type', 'range', 'x-oss-copy-source',
    'x-oss-meta-a', 'x-oss-security-token', 'x-oss-content-sha256', 'if-match', 'if-modified-since', 'x-oss-object-acl',
    'x-oss-storage-class', 'x-oss-tagging', 'x-oss-forbid-overwrite', 'x-oss-metadata-directive', 'x-oss-symlink-target',
    'content-length', 'origin', 'access-control-request-method', 'x-oss-hash-crc64ecma', 'host', 'expires', 'referer'];
  const authValues = () => pick([
    '', 'OSS', 'OSS ', 'OSS :', 'OSS a:b', `OSS ${creds.accessKeyId}:`, `OSS ${creds.accessKeyId}:${junkText(30)}`,
    'OSS4-HMAC-SHA256', 'OSS4-HMAC-SHA256 Credential=', 'OSS4-HMAC-SHA256 Credential=x/y/z,Signature=',
    `OSS4-HMAC-SHA256 Credential=${creds.accessKeyId}/20990101/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=host;%,Signature=zz`,
    'Bearer x', 'Basic Og==', junkText(60),
  ]);
  const headerValue = (name: string) => {
    if (name === 'authorization') return authValues();
    return pick(['', '0', '-1', 'bytes=5-1', 'bytes=-', 'bytes=0-0,1-1', '/fuzz/fixed.txt', '/fuzz/../../x', '%', 'nope',
      'Thu, 01 Jan 1970 00:00:00 GMT', '20990101T000000Z', 'x'.repeat(9000), junkText(40)]);
  };
  const bodies = () => pick<() => BodyInit | undefined>([
    () => undefined, () => '', () => junkText(200), () => '<?xml version="1.0"?><Tagging><TagSet><Tag><Key>a</Key></Tag>',
    () => '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', () => '<CompleteMultipartUpload><Part><PartNumber>x</PartNumber></Part></CompleteMultipartUpload>',
    () => '<Delete><Object><Key>../../x</Key></Object></Delete>', () => new Uint8Array(Math.floor(random() * 5000)).map(() => random() * 256),
    () => '--boundary\r\nContent-Disposition: form-data; name="key"\r\n\r\n../x\r\n--boundary--',
  ])();

  return (): { url: string; init: RequestInit; text: string } => {
    const segments = Array.from({ length: Math.floor(random() * 4) }, () => pick(pathSegments));
    const query = Array.from({ length: Math.floor(random() * 4) }, () => {
      const k = pick(queryKeys);
      return random() < 0.3 ? k : `${k}=${pick(queryValues)}`;
    }).join('&');
    const url = `${ORIGIN}/${segments.join('/')}${query ? `?${query}` : ''}`;
    const method = pick(['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'TRACE', 'COPY', 'get']);
    const headers = new Headers();
    for (let i = Math.floor(random() * 5); i > 0; i--) {
      const name = pick(headerNames);
      try {
        headers.set(name, headerValue(name));
      } catch {
        // a value fetch refuses to carry (controls, non-Latin-1): not a request anyone can send
      }
    }
    const body = method === 'GET' || method === 'HEAD' ? undefined : bodies();
    const text = `${method} ${url.slice(0, 200)} headers=${JSON.stringify([...headers].map(([n, v]) => [n, v.slice(0, 60)]))}`;
    return { url, init: { method, headers, body, duplex: 'half' } as RequestInit, text };
  };
}

it(`${REQUESTS} malformed requests: an OSS answer to each, no throw, no InternalError, nothing outside the dir (seed ${SEED})`, async () => {
  const random = prng(SEED);
  const next = requestFactory(random);
  // The shared tmp dir changes under other processes: only names our junk could create count there.
  const escapedNames = async () => (await readdir(join(root, '..'))).filter((n) => /escape|^x$|^\.\.|\\/.test(n));
  const outsideBefore = await escapedNames();
  const rootBefore = await readdir(root);
  const jailBefore = await readdir(join(root, 'jail'));
  const problems: string[] = [];
  const statuses: Record<number, number> = {};
  for (let i = 0; i < REQUESTS; i++) {
    const { url, init, text } = next();
    let request: Request;
    try {
      request = new Request(url, init);
    } catch {
      continue; // fetch itself refuses it
    }
    let response: Response;
    try {
      response = await handler(request);
    } catch (err) {
      problems.push(`threw ${String(err)}: ${text}`);
      continue;
    }
    if (!(response instanceof Response)) {
      problems.push(`not a Response: ${text}`);
      continue;
    }
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    const body = await response.text();
    // 501 NotImplemented is OSS's own answer to an unknown operation; 500 would be a crash we caught.
    if (response.status === 500) problems.push(`${response.status} ${body.slice(0, 200)}: ${text}`);
    else if (response.status >= 300 && response.status !== 304 && request.method !== 'HEAD') {
      if (!/<Error>[\s\S]*<Code>[A-Za-z.]+<\/Code>[\s\S]*<RequestId>/.test(body)) problems.push(`not OSS error XML (${response.status} ${body.slice(0, 100)}): ${text}`);
    }
  }
  expect(problems.slice(0, 20)).toEqual([]);
  expect(await readdir(root)).toEqual(rootBefore);
  expect(await readdir(join(root, 'jail'))).toEqual(jailBefore);
  expect(await escapedNames()).toEqual(outsideBefore);
  // Varied answers: the junk got past routing into auth and the ops, not one blanket refusal.
  expect(Object.keys(statuses).length).toBeGreaterThan(3);
  expect(Object.keys(statuses)).toEqual(expect.arrayContaining(['400', '403', '404']));
}, 30_000);

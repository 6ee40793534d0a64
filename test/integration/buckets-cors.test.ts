// CORS as the server enforces it, seen through raw HTTP: preflights answered strictly from the
// bucket's rules, actual responses decorated only when a rule matches, and the dev default of
// `oss-fetch serve` being an ordinary, removable rule. (Chromium's view of it: e2e/cors.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { OSSClient } from '../../src/index.js';
import { DEV_CORS, LOOPBACK_ORIGINS, installDevCors } from '../../src/server/cors.js';
import type { StartedServer } from '../../src/server/index.js';
import { creds, httpServer, inProcessClient, uniqueBucket } from '../helpers/server.js';

const APP = 'https://app.example.com';

describe('CORS over HTTP', () => {
  let server: StartedServer;
  let client: OSSClient;
  const bucket = uniqueBucket('cors');
  const plain = uniqueBucket('nocors');

  const preflight = (origin: string | null, method: string | null, headers?: string, key = 'k.txt', b = bucket) => {
    const h: Record<string, string> = {};
    if (origin) h.origin = origin;
    if (method) h['access-control-request-method'] = method;
    if (headers) h['access-control-request-headers'] = headers;
    return fetch(`${server.url}/${b}/${key}`, { method: 'OPTIONS', headers: h });
  };

  beforeAll(async () => {
    server = await httpServer();
    client = new OSSClient({ ...server.clientOptions, bucket });
    await client.putBucket(bucket);
    await client.putBucket(plain);
    await client.putBucketCORS(bucket, [
      { allowedOrigin: APP, allowedMethod: ['GET', 'PUT'], allowedHeader: ['content-type', 'x-oss-*'], exposeHeader: ['ETag', 'x-oss-request-id'], maxAgeSeconds: 120 },
      { allowedOrigin: 'https://*.example.org', allowedMethod: 'GET', maxAgeSeconds: 5 },
      { allowedOrigin: 'https://*.example.org', allowedMethod: ['GET', 'DELETE'], allowedHeader: '*', maxAgeSeconds: 7 },
    ]);
    await client.put('k.txt', 'hello');
  });
  afterAll(async () => server.close());

  it('answers a matching preflight with the rule: origin, methods, requested headers, exposed headers, max age', async () => {
    const res = await preflight(APP, 'PUT', 'Content-Type, x-oss-date, X-OSS-Meta-Owner');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, PUT');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type, x-oss-date, x-oss-meta-owner');
    expect(res.headers.get('access-control-expose-headers')).toBe('ETag, x-oss-request-id');
    expect(res.headers.get('access-control-max-age')).toBe('120');
    expect(res.headers.get('x-oss-request-id')).toMatch(/^[0-9A-F]{24}$/);
    expect(res.headers.get('vary')).toBeNull();
  });

  it('needs no signature, even on a private bucket', async () => {
    expect((await client.getBucketACL(bucket)).acl).toBe('private');
    expect((await preflight(APP, 'GET')).status).toBe(200);
  });

  it('refuses a preflight no rule matches: origin, method or a header', async () => {
    for (const [origin, method, headers] of [
      ['https://evil.example.com', 'GET', undefined],
      [`${APP}:8443`, 'GET', undefined],
      [APP, 'DELETE', undefined],
      [APP, 'PUT', 'authorization'],
      ['https://a.example.org', 'PUT', undefined],
    ] as const) {
      const res = await preflight(origin, method, headers);
      expect(res.status, `${origin} ${method} ${headers}`).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(await res.text()).toContain('<Code>AccessForbidden</Code>');
    }
  });

  it('uses the first matching rule, with one wildcard in the origin', async () => {
    const get = await preflight('https://shop.example.org', 'GET', 'x-anything');
    // Rule 2 allows GET but no headers; rule 3 allows both: rule 3 answers.
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-max-age')).toBe('7');
    const simple = await preflight('https://shop.example.org', 'GET');
    expect(simple.headers.get('access-control-max-age')).toBe('5');
    expect((await preflight('https://deep.shop.example.org', 'DELETE')).status).toBe(200);
    expect((await preflight('http://shop.example.org', 'GET')).status).toBe(403);
  });

  it('refuses preflights on a bucket without rules, a missing bucket, or without Origin', async () => {
    const noRules = await preflight(APP, 'GET', undefined, 'k', plain);
    expect(noRules.status).toBe(403);
    expect(await noRules.text()).toContain('CORS is not enabled');
    const missing = await preflight(APP, 'GET', undefined, 'k', uniqueBucket('gone'));
    expect(missing.status).toBe(404);
    expect((await preflight(null, 'GET')).status).toBe(403);
    expect((await preflight(APP, null)).status).toBe(403);
  });

  it('decorates actual responses only when a rule matches, errors included', async () => {
    const url = await client.signatureUrl('k.txt');
    const allowed = await fetch(url, { headers: { origin: APP } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP);
    expect(allowed.headers.get('access-control-expose-headers')).toBe('ETag, x-oss-request-id');
    const other = await fetch(url, { headers: { origin: 'https://evil.example.com' } });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const noOrigin = await fetch(url);
    expect(noOrigin.headers.get('access-control-allow-origin')).toBeNull();
    // An error answer (anonymous GET of a private bucket) is decorated too, so pages can read it.
    const missing = await fetch(`${server.url}/${bucket}/nope`, { headers: { origin: APP } });
    expect(missing.status).toBe(403);
    expect(missing.headers.get('access-control-allow-origin')).toBe(APP);
    // DELETE is in no rule for APP: no CORS headers, whatever the outcome.
    const del = await fetch(`${server.url}/${bucket}/nope`, { method: 'DELETE', headers: { origin: APP } });
    expect(del.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('ResponseVary adds Vary: Origin to preflights and actual responses', async () => {
    const name = uniqueBucket('vary');
    await client.putBucket(name, { acl: 'public-read' });
    await client.putBucketCORS(name, [{ allowedOrigin: '*', allowedMethod: 'GET' }], { responseVary: true });
    await client.put('v.txt', 'v', { bucket: name });
    const pre = await preflight(APP, 'GET', undefined, 'v.txt', name);
    expect(pre.headers.get('vary')).toBe('Origin');
    expect(pre.headers.get('access-control-allow-origin')).toBe(APP);
    const actual = await fetch(`${server.url}/${name}/v.txt`, { headers: { origin: APP } });
    expect(actual.status).toBe(200);
    expect(actual.headers.get('vary')).toContain('Origin');
    await client.deleteBucketCORS(name);
    expect((await preflight(APP, 'GET', undefined, 'v.txt', name)).status).toBe(403);
  });
});

describe('the permissive dev default is a real bucket rule', () => {
  it('buckets created in permissive mode carry DEV_CORS; off mode creates none', async () => {
    const { client } = inProcessClient({ cors: 'permissive' });
    await client.putBucket('dev-bucket');
    const { rules } = await client.getBucketCORS('dev-bucket');
    expect(rules).toHaveLength(1);
    // Pages on this machine only: the dev key is public, so `*` would open the buckets to any site.
    expect(rules[0]).toMatchObject({ allowedOrigin: [...LOOPBACK_ORIGINS], allowedHeader: ['*'], maxAgeSeconds: 600 });
    expect(rules[0]!.exposeHeader).toContain('ETag');
    const strict = inProcessClient().client;
    await strict.putBucket('strict-bucket');
    await expect(strict.getBucketCORS('strict-bucket')).rejects.toMatchObject({ code: 'NoSuchCORSConfiguration' });
  });

  it('installDevCors gives start buckets the rule, keeps a bucket\'s own rules, and the rule can be deleted', async () => {
    const { client, handler } = inProcessClient({ buckets: ['demo', 'mine'] });
    await handler.ready;
    await client.putBucketCORS('mine', [{ allowedOrigin: APP, allowedMethod: 'GET' }]);
    await installDevCors(handler.state, ['demo', 'mine', 'not-there']);
    expect((await client.getBucketCORS('demo')).rules[0]!.allowedOrigin).toEqual(DEV_CORS.rules[0]!.allowedOrigins);
    expect((await client.getBucketCORS('mine')).rules[0]!.allowedOrigin).toEqual([APP]);
    const pre = () => handler(new Request('http://127.0.0.1:1/demo/x', { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization, x-oss-date' } }));
    expect((await pre()).status).toBe(200);
    await client.deleteBucketCORS('demo');
    expect((await pre()).status).toBe(403);
  });

  it('`oss-fetch serve --bucket demo` answers browsers out of the box', async () => {
    const bin = new URL('../../bin/oss-fetch.js', import.meta.url).pathname;
    const child = spawn(process.execPath, [bin, 'serve', '--memory', '--port', '0', '--bucket', 'demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let output = '';
      const endpoint = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner:\n${output}`)), 15_000);
        const onData = (d: Buffer) => {
          output += d.toString();
          const m = /endpoint:\s+(http:\/\/\S+)[\s\S]*cors:/.exec(output);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
      });
      expect(output).toContain('cors:              permissive');
      const res = await fetch(`${endpoint}/demo/a.txt`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization, x-oss-date, content-type' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      const client = new OSSClient({ ...creds, endpoint });
      expect((await client.getBucketCORS('demo')).rules[0]!.allowedOrigin).toEqual([...LOOPBACK_ORIGINS]);
      const evil = await fetch(`${endpoint}/demo/a.txt`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' } });
      expect(evil.status).toBe(403);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

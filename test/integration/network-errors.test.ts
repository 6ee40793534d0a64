// Network errors a person can act on (issue 15): the method, the origin (never a query string),
// the cause chain fetch hides in err.cause (refused connection, DNS, TLS, socket), err.host; in a
// browser, a bare "Failed to fetch" points at CORS or the network. And the scheme an endpoint
// without one gets.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSClient, OSSError } from '../../src/index.js';
import { nodeFetch } from '../../src/adapters/node-fetch.js';
import { describeNetworkFailure } from '../../src/client/network-error.js';
import { httpServer } from '../helpers/server.js';
import type { StartedServer } from '../../src/server/index.js';

const creds = { accessKeyId: 'id', accessKeySecret: 'secret', region: 'cn-hangzhou', bucket: 'net-errors' };

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const failure = (client: OSSClient, call: (c: OSSClient) => Promise<unknown>) => call(client).then(() => undefined, (e: unknown) => e as OSSError);

describe('network errors', () => {
  let port: number;
  beforeAll(async () => {
    port = await closedPort();
  });

  for (const [name, fetchImpl] of [['fetch', undefined], ['nodeFetch', nodeFetch()]] as const) {
    it(`a refused connection names method, origin, key and ECONNREFUSED host:port, and sets err.host (${name})`, async () => {
      const client = new OSSClient({ ...creds, endpoint: `http://127.0.0.1:${port}`, retries: 0, fetch: fetchImpl });
      const err = await failure(client, (c) => c.get('hello.txt'));
      expect(err).toBeInstanceOf(OSSError);
      expect(err).toMatchObject({ name: 'RequestError', code: 'RequestError', host: `127.0.0.1:${port}`, key: 'hello.txt' });
      expect(err!.message).toContain(`GET http://127.0.0.1:${port} "hello.txt"`);
      expect(err!.message).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
    });
  }

  it('never shows a query string (it may hold a signature or token)', async () => {
    const client = new OSSClient({ ...creds, endpoint: `http://127.0.0.1:${port}`, retries: 0 });
    const err = await failure(client, (c) => c.list({ prefix: 'secret-prefix' }));
    expect(err!.message).not.toContain('secret-prefix');
    expect(err!.message).not.toContain('?');
    // A cause that quotes a URL loses its query too.
    const withUrl = new TypeError('fetch failed', { cause: new Error('bad response from https://b.example.com/k?Signature=abc&security-token=xyz') });
    expect(describeNetworkFailure(withUrl)).toBe('fetch failed: bad response from https://b.example.com/k?…');
  });

  it('a TLS failure (https to a plain-HTTP server) names the TLS error', async () => {
    const server: StartedServer = await httpServer();
    try {
      const { host } = new URL(server.url);
      for (const fetchImpl of [undefined, nodeFetch()]) {
        const client = new OSSClient({ ...creds, endpoint: `https://${host}`, retries: 0, fetch: fetchImpl });
        const err = await failure(client, (c) => c.head('a'));
        expect(err).toMatchObject({ name: 'RequestError', host });
        expect(err!.message).toMatch(/HEAD https:\/\/127\.0\.0\.1:\d+ "a": fetch failed: .*(EPROTO|SSL|TLS|wrong version)/i);
      }
    } finally {
      await server.close();
    }
  });

  it('DNS, socket and multi-address causes are spelled out', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND nosuch.invalid'), { code: 'ENOTFOUND', hostname: 'nosuch.invalid' });
    expect(describeNetworkFailure(new TypeError('fetch failed', { cause: dns }))).toBe('fetch failed: getaddrinfo ENOTFOUND nosuch.invalid');
    const socket = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(describeNetworkFailure(new TypeError('terminated', { cause: socket }))).toBe('terminated: other side closed (UND_ERR_SOCKET)');
    const both = Object.assign(new AggregateError([
      Object.assign(new Error('connect ECONNREFUSED ::1:9000'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9000'), { code: 'ECONNREFUSED' }),
    ]), { code: 'ECONNREFUSED' });
    expect(describeNetworkFailure(new TypeError('fetch failed', { cause: both }))).toBe('fetch failed: connect ECONNREFUSED ::1:9000, connect ECONNREFUSED 127.0.0.1:9000');
    const cert = Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' });
    expect(describeNetworkFailure(new TypeError('fetch failed', { cause: cert }))).toBe('fetch failed: certificate has expired (CERT_HAS_EXPIRED)');
  });

  for (const message of ['Failed to fetch', 'NetworkError when attempting to fetch resource.', 'Load failed', 'Network request failed']) {
    it(`a browser's bare "${message}" says CORS or the network refused it and points to the CORS docs`, async () => {
      const client = new OSSClient({ ...creds, endpoint: 'https://oss-cn-hangzhou.aliyuncs.com', retries: 0, fetch: async () => { throw new TypeError(message); } });
      const err = await failure(client, (c) => c.get('photo.jpg'));
      expect(err).toMatchObject({ name: 'RequestError', host: 'net-errors.oss-cn-hangzhou.aliyuncs.com' });
      expect(err!.message).toContain(`GET https://net-errors.oss-cn-hangzhou.aliyuncs.com "photo.jpg": ${message}`);
      expect(err!.message).toMatch(/CORS rules refused.*CORS in docs\/buckets.md.*network/);
    });
  }
});

describe('an endpoint without a scheme', () => {
  const urlOf = (endpoint: string, secure?: boolean) => new OSSClient({ ...creds, endpoint, secure }).url('net-errors', 'k');

  it('is http for localhost and IP literals, https for host names, unless `secure` says otherwise', () => {
    expect(urlOf('127.0.0.1:9000')).toBe('http://127.0.0.1:9000/net-errors/k');
    expect(urlOf('localhost:9000')).toBe('http://localhost:9000/net-errors/k');
    expect(urlOf('[::1]:9000')).toBe('http://[::1]:9000/net-errors/k');
    expect(urlOf('10.0.0.5')).toBe('http://10.0.0.5/net-errors/k');
    expect(urlOf('oss-cn-hangzhou.aliyuncs.com')).toBe('https://net-errors.oss-cn-hangzhou.aliyuncs.com/k');
    expect(urlOf('127.0.0.1:9443', true)).toBe('https://127.0.0.1:9443/net-errors/k');
    expect(urlOf('oss-cn-hangzhou.aliyuncs.com', false)).toBe('http://net-errors.oss-cn-hangzhou.aliyuncs.com/k');
    // An explicit scheme always wins.
    expect(urlOf('https://localhost:9443', false)).toBe('https://localhost:9443/net-errors/k');
  });

  it('reaches a local server written as host:port', async () => {
    const server = await httpServer();
    try {
      const { host } = new URL(server.url);
      const client = new OSSClient({ ...server.clientOptions, endpoint: host, bucket: 'scheme-less' });
      await client.putBucket('scheme-less');
      expect((await client.put('a.txt', 'hi')).res.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

// CORS as a real browser enforces it: Chromium loads a page from another local port and fetch()es
// the OSS server. The bucket's rules decide: an allowed origin reads the body and the exposed
// headers (only those), another origin's fetch is blocked, and a PUT with x-oss-* headers gets
// through its preflight only while a rule allows those headers. `npx vitest run e2e/cors.test.ts`
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OSSClient } from '../src/index.js';
import { startServer, type StartedServer } from '../src/server/index.js';
import { launchChromium, type Browser } from './chromium.js';

/** What the page saw: the outcome of a fetch, as plain data. */
interface Seen {
  ok: boolean;
  status?: number;
  body?: string;
  etag?: string | null;
  requestId?: string | null;
  error?: string;
}

describe('CORS in Chromium', () => {
  let oss: StartedServer;
  let site: Server;
  let browser: Browser;
  let page: Page;
  let owner: OSSClient;
  let allowedOrigin: string;
  let otherOrigin: string;
  const bucket = 'cors-e2e';

  /** fetch() from the page at `origin`. */
  async function fetchFrom(origin: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Seen> {
    if (!page.url().startsWith(origin)) await page.goto(`${origin}/`);
    return page.evaluate(async ({ url, init }) => {
      try {
        // no-store: an answer cached under earlier rules must not stand in for the server's.
        const res = await fetch(url, { ...init, cache: 'no-store' });
        return { ok: true, status: res.status, body: await res.text(), etag: res.headers.get('etag'), requestId: res.headers.get('x-oss-request-id') };
      } catch (err) {
        return { ok: false, error: String(err) };
      }
    }, { url: `${oss.url}/${bucket}/${path}`, init });
  }

  beforeAll(async () => {
    oss = await startServer({ port: 0 });
    owner = new OSSClient({ ...oss.clientOptions, bucket });
    await owner.putBucket(bucket, { acl: 'public-read-write' });
    await owner.put('hello.txt', 'hello from OSS');
    site = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>cors page</title><p>cors page</p>');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const port = (site.address() as AddressInfo).port;
    // Same page server, two origins: the host name is part of the origin.
    allowedOrigin = `http://127.0.0.1:${port}`;
    otherOrigin = `http://localhost:${port}`;
    browser = await launchChromium();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await oss?.close();
  });

  const rules = (allowedHeader: string[]) => owner.putBucketCORS(bucket, [{
    allowedOrigin: allowedOrigin, allowedMethod: ['GET', 'PUT'], allowedHeader, exposeHeader: ['ETag'], maxAgeSeconds: 0,
  }]);

  // Every test states the rules it runs under: none, until it sets them.
  beforeEach(async () => {
    await owner.deleteBucketCORS(bucket);
  });

  it('without rules, every cross-origin fetch is blocked', async () => {
    const seen = await fetchFrom(allowedOrigin, 'hello.txt');
    expect(seen.ok).toBe(false);
    expect(seen.error).toContain('TypeError');
  });

  it('an allowed origin reads the body and the exposed ETag, but not headers left unexposed', async () => {
    await rules(['content-type']);
    const seen = await fetchFrom(allowedOrigin, 'hello.txt');
    expect(seen).toMatchObject({ ok: true, status: 200, body: 'hello from OSS' });
    expect(seen.etag).toMatch(/^"[0-9A-F]{32}"$/);
    expect(seen.requestId).toBeNull();
  });

  it('another origin is blocked', async () => {
    await rules(['content-type']);
    expect((await fetchFrom(allowedOrigin, 'hello.txt')).ok).toBe(true);
    const seen = await fetchFrom(otherOrigin, 'hello.txt');
    expect(seen.ok).toBe(false);
    expect(seen.error).toContain('TypeError');
  });

  it('a PUT with x-oss-* headers passes its preflight only while a rule allows those headers', async () => {
    const put = (key: string) => fetchFrom(allowedOrigin, key, {
      method: 'PUT', headers: { 'content-type': 'text/plain', 'x-oss-meta-owner': 'chromium', 'x-oss-object-acl': 'public-read' }, body: `put ${key}`,
    });
    await rules(['content-type']);
    const refused = await put('refused.txt');
    expect(refused.ok).toBe(false);
    await expect(owner.head('refused.txt')).rejects.toMatchObject({ name: 'NoSuchKeyError' });

    await rules(['content-type', 'x-oss-*']);
    const accepted = await put('accepted.txt');
    expect(accepted).toMatchObject({ ok: true, status: 200 });
    expect(accepted.etag).toMatch(/^"[0-9A-F]{32}"$/);
    const head = await owner.head('accepted.txt');
    expect(head.meta).toEqual({ owner: 'chromium' });
    expect(new TextDecoder().decode((await owner.get('accepted.txt')).content)).toBe('put accepted.txt');
  });

  it('a method outside the rule is blocked at the preflight', async () => {
    await rules(['content-type']);
    const seen = await fetchFrom(allowedOrigin, 'hello.txt', { method: 'DELETE' });
    expect(seen.ok).toBe(false);
    expect((await owner.head('hello.txt')).status).toBe(200);
  });

  it('deleting the rules closes the bucket to the page again', async () => {
    await rules(['content-type']);
    expect((await fetchFrom(allowedOrigin, 'hello.txt')).ok).toBe(true);
    await owner.deleteBucketCORS(bucket);
    expect((await fetchFrom(allowedOrigin, 'hello.txt')).ok).toBe(false);
  });
});

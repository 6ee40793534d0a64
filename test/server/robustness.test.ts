// The server when clients misbehave: downloads cut off mid-body, keys that are not UTF-8, dot
// segments in paths, and the stall fault's `afterBytes`.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import sharp from 'sharp';
import { OSSClient } from '../../src/index.js';
import { createHandler, type OSSHandler, type StartedServer } from '../../src/server/index.js';
import { faultResponse } from '../../src/server/faults.js';
import { creds, httpServer, inProcessFetch } from '../helpers/server.js';

const ORIGIN = 'http://127.0.0.1:1';

async function errorCode(response: Response): Promise<string | undefined> {
  return /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];
}

/** One raw HTTP/1.1 request, the target written byte for byte (no URL parser on the way). */
function rawRequest(port: number, method: string, target: string, body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      const head = `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
      socket.end(Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body)]));
    });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]), text });
    });
  });
}

/** Paths of this process's open file descriptors (Linux). */
async function openFiles(): Promise<string[]> {
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter(Boolean);
}

/** GET `path` over HTTP, read the first body chunk, then hang up; resolves with that chunk's size. */
function abortAfterFirstChunk(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      res.once('data', (chunk: Buffer) => {
        res.pause();
        req.destroy();
        resolve(chunk.byteLength);
      });
      res.once('error', () => {});
    });
    req.on('error', reject); // not raised by the hang-up: destroy() without an error is silent
    req.end();
  });
}

describe('a download the client aborts', () => {
  let dir: string;
  let server: StartedServer;
  let client: OSSClient;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oss-abort-'));
    server = await httpServer({ dir, buckets: ['cut'] });
    client = new OSSClient({ ...creds, endpoint: server.url, region: 'cn-hangzhou', bucket: 'cut' });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('releases its data file at once: the handle is closed and a delete removes the file', async () => {
    const big = new Uint8Array(8 * 1024 * 1024).fill(7);
    await client.put('big.bin', big);
    const dataFiles = async () => (await readdir(join(dir, 'buckets', 'cut', 'data'), { recursive: true })).map(String);
    const before = await dataFiles();
    expect(before).toHaveLength(1);
    const url = await client.signatureUrl('big.bin', { expires: 600 });
    for (let i = 0; i < 3; i++) expect(await abortAfterFirstChunk(url)).toBeGreaterThan(0);
    expect((await client.head('big.bin')).status).toBe(200); // a HEAD never reads the body
    await client.delete('big.bin');
    // Without a garbage collection: the server must notice the hang-up and cancel the read.
    await vi.waitFor(async () => {
      expect(await dataFiles()).toEqual([]);
      expect((await openFiles()).filter((p) => p.startsWith(dir))).toEqual([]);
    }, { timeout: 5000, interval: 50 });
  });
});

describe('object names that are not UTF-8', () => {
  let handler: OSSHandler;
  /** Anonymous: the bucket is public-read-write, so what is tested is the name itself. */
  const raw = (path: string, init: RequestInit = {}) => handler(new Request(`${ORIGIN}${path}`, init));
  beforeAll(async () => {
    handler = createHandler();
    const owner = new OSSClient({ ...creds, endpoint: ORIGIN, region: 'cn-hangzhou', fetch: (i, init) => inProcessFetch(handler, i, init) });
    await owner.putBucket('utf', { acl: 'public-read-write' } as never);
  });

  it('%ff and %fe in a key are refused with InvalidObjectName instead of both naming U+FFFD', async () => {
    for (const path of ['/utf/%ff-alias', '/utf/%fe-alias', '/utf/a%c3', '/utf/%ed%a0%80-surrogate', '/utf/%c0%af-overlong']) {
      const put = await raw(path, { method: 'PUT', body: path });
      expect(put.status, path).toBe(400);
      expect(put.headers.get('x-oss-ec')).toBe('0016-00000004');
      expect(await errorCode(put)).toBe('InvalidObjectName');
      for (const method of ['GET', 'DELETE']) expect(await errorCode(await raw(path, { method }))).toBe('InvalidObjectName');
    }
    // Virtual-hosted style too.
    const virtual = await handler(new Request(`${ORIGIN}/%ff-alias`, { method: 'PUT', body: 'x', headers: { host: 'utf.oss-cn-hangzhou.aliyuncs.com' } }));
    expect(await errorCode(virtual)).toBe('InvalidObjectName');
    // Valid UTF-8, and a `%` that starts no escape, are names as before.
    expect((await raw('/utf/%C3%BF-alias', { method: 'PUT', body: 'y-diaeresis' })).status).toBe(200);
    expect(await (await raw('/utf/%C3%BF-alias')).text()).toBe('y-diaeresis');
    expect((await raw('/utf/100%-sure', { method: 'PUT', body: 'pct' })).status).toBe(200);
    expect(await (await raw('/utf/100%25-sure')).text()).toBe('pct');
  });

  it('a copy source, part-copy source, symlink target or saveas target that is not UTF-8 is refused', async () => {
    await raw('/utf/src.txt', { method: 'PUT', body: 'source' });
    const copy = await raw('/utf/copy.txt', { method: 'PUT', headers: { 'x-oss-copy-source': '/utf/%ff-alias' } });
    expect(await errorCode(copy)).toBe('InvalidObjectName');
    const link = await raw('/utf/link?symlink', { method: 'PUT', headers: { 'x-oss-symlink-target': '%fe-alias' } });
    expect(await errorCode(link)).toBe('InvalidObjectName');
    const init = await raw('/utf/multi.bin?uploads', { method: 'POST' });
    const uploadId = /<UploadId>([^<]+)</.exec(await init.text())![1]!;
    const part = await raw(`/utf/multi.bin?partNumber=1&uploadId=${uploadId}`, { method: 'PUT', headers: { 'x-oss-copy-source': '/utf/%ff-alias' } });
    expect(await errorCode(part)).toBe('InvalidObjectName');
    // The same requests with a valid name succeed (so the refusals above are about the name).
    expect((await raw('/utf/copy.txt', { method: 'PUT', headers: { 'x-oss-copy-source': '/utf/src.txt' } })).status).toBe(200);
    expect((await raw('/utf/link?symlink', { method: 'PUT', headers: { 'x-oss-symlink-target': 'src.txt' } })).status).toBe(200);
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#102030' } }).png().toBuffer();
    await raw('/utf/pic.png', { method: 'PUT', body: new Uint8Array(png) });
    const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64url');
    const saveas = (o: string) => raw('/utf/pic.png?x-oss-process', { method: 'POST', body: `x-oss-process=image/resize,w_2|sys/saveas,o_${o}` });
    const badSave = await saveas(b64([0xff, 0x61]));
    expect(badSave.status).toBe(400);
    expect(await badSave.text()).toMatch(/<Message>[^<]*UTF-8/);
    expect((await saveas(b64([0x61]))).status).toBe(200);
  });
});

describe('dot segments in the path', () => {
  let server: StartedServer;
  beforeAll(async () => {
    server = await httpServer();
    const owner = new OSSClient({ ...creds, endpoint: server.url, region: 'cn-hangzhou' });
    for (const name of ['dots', 'other']) await owner.putBucket(name, { acl: 'public-read-write' } as never);
  });
  afterAll(() => server.close());
  // Read from the XML, as the server wrote it.
  const names = async (bucket: string) =>
    [...(await rawRequest(server.port, 'GET', `/${bucket}/`)).text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]!).sort();

  it('over HTTP, `.` and `..` stay part of the key (as on OSS) and never reach another bucket', async () => {
    const cases: Array<[target: string, key: string]> = [
      ['/dots/../other/k.txt', '../other/k.txt'],
      ['/dots/a/../../other/k2.txt', 'a/../../other/k2.txt'],
      ['/dots/./k3.txt', './k3.txt'],
      ['/dots/%2e%2e/other/k4.txt', '../other/k4.txt'],
      ['/dots/x/%2E/y', 'x/./y'],
      ['/dots/x/..', 'x/..'],
    ];
    for (const [target, key] of cases) {
      const put = await rawRequest(server.port, 'PUT', target, key);
      expect(put.status, target).toBe(200);
      const get = await rawRequest(server.port, 'GET', target);
      expect(get.text.endsWith(`\r\n\r\n${key}`), target).toBe(true);
    }
    expect(await names('other')).toEqual([]);
    expect(await names('dots')).toEqual(cases.map(([, key]) => key).sort());
    // oss-fetch's own listings take such keys too (their URLs written literally).
    const client = new OSSClient({ ...creds, endpoint: server.url, region: 'cn-hangzhou', bucket: 'dots' });
    const listed = (await client.list({})).objects.map((o) => o.name).sort();
    expect(listed).toEqual(cases.map(([, key]) => key).sort());
    const walked: string[] = [];
    for await (const o of client.listAll()) walked.push(o.name);
    expect(walked.sort()).toEqual(listed);
  });

});

describe('the stall fault with afterBytes', () => {
  afterEach(() => vi.useRealTimers());

  it('pauses the body once, at that byte, then lets the rest through', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const chunks = [0, 1, 2, 3].map((i) => new Uint8Array(10).fill(i));
    const sent = [...chunks];
    const body = new ReadableStream<Uint8Array>({ pull: (c) => (sent.length ? c.enqueue(sent.shift()!) : c.close()) });
    const reader = faultResponse(new Response(body), { kind: 'stall', afterBytes: 15, ms: 1000 }).body!.getReader();
    const settled = (p: Promise<unknown>) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
    const received: Uint8Array[] = [];
    let stalls = 0;
    for (;;) {
      const next = reader.read();
      // A read that waits for a timer is a stall: count it, and let the timer fire.
      while (!(await settled(next))) {
        stalls += 1;
        await vi.advanceTimersByTimeAsync(1000);
      }
      const { done, value } = await next;
      if (done) break;
      received.push(value);
    }
    expect(stalls).toBe(1);
    expect(Buffer.concat(received)).toEqual(Buffer.concat(chunks));
    expect(received[1]!.byteLength).toBe(5); // the first 15 bytes come before the pause
  });
});

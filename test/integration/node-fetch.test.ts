// nodeFetch (oss-fetch/node): an OSSClient over node:http against the real local server, and
// the fetch semantics it promises, checked against small node:http servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getEventListeners, once, setMaxListeners } from 'node:events';
import { gzipSync } from 'node:zlib';
import util from 'node:util';
import diagnostics from 'node:diagnostics_channel';
import net, { type AddressInfo } from 'node:net';
import { OSSArgumentError, nodeFetch } from '../../src/adapters/node.js';
import { ABORT_CONTROLLER, type MaybeAbortMaker } from '../../src/core/transport-shortcuts.js';
// The portable client over nodeFetch: string bodies are text here (the Node entry's OSSClient reads
// a string body as a file path, as ali-oss does).
import { OSSClient, type OSSOptions } from '../../src/index.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';
import type { FaultRule, StartedServer } from '../../src/server/index.js';
import { chunkedStream, readAll } from '../helpers/streams.js';

const MiB = 1024 * 1024;
const bytes = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => (i * 31 + seed) % 251);
/** Byte equality without vitest's element-by-element diff (slow on megabytes). */
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;

/** nodeFetch's two transports, each shaped by the same socket options: undici (the default) and node:http (an Agent of your own). */
type Transport = (shape?: { maxSockets?: number; keepAlive?: boolean }) => typeof fetch;
const TRANSPORTS: [string, Transport][] = [
  ['undici', (shape = {}) => nodeFetch(shape)],
  ['node:http', (shape = {}) => nodeFetch({ agent: new http.Agent({ keepAlive: shape.keepAlive ?? true, maxSockets: shape.maxSockets ?? 64 }) })],
];


describe.each(TRANSPORTS)('OSSClient with nodeFetch over HTTP (%s)', (_name, transport) => {
  let server: StartedServer;
  let connections = 0;
  /** Requests the server holds open right now. */
  let open = 0;
  const bucket = uniqueBucket('nf');
  const fetch = transport();
  const make = (extra: OSSOptions = {}) => new OSSClient({ ...server.clientOptions, bucket, fetch, retries: 0, ...extra });
  /** Queue a fault through the server's admin endpoint, sent by nodeFetch itself. */
  const inject = async (rule: FaultRule) => {
    const res = await fetch(`${server.url}/-/faults`, { method: 'POST', body: JSON.stringify(rule) });
    expect(res.status).toBeLessThan(300);
    await res.arrayBuffer();
  };
  const clearFaults = async () => void (await (await fetch(`${server.url}/-/faults`, { method: 'DELETE' })).arrayBuffer());

  beforeAll(async () => {
    server = await httpServer({ admin: true });
    server.server.on('connection', () => connections++);
    server.server.on('request', (_req, res) => {
      open++;
      res.once('close', () => open--);
    });
    await make().putBucket(bucket);
  });
  afterAll(async () => server.close());

  it('puts and gets every body kind, 0 bytes and 8 MiB', async () => {
    const client = make();
    const data = bytes(300_000);
    const ab = data.slice().buffer;
    const cases: [string, () => Parameters<OSSClient['put']>[1], Uint8Array][] = [
      ['u8', () => data, data],
      ['arraybuffer', () => ab, data],
      ['dataview', () => new DataView(ab, 1000, 5000), data.subarray(1000, 6000)],
      ['string', () => 'héllo wörld', new TextEncoder().encode('héllo wörld')],
      ['blob', () => new Blob([data.subarray(0, 100_000), data.subarray(100_000)]), data],
      ['stream', () => chunkedStream(data, 7000), data],
      ['empty-u8', () => new Uint8Array(0), new Uint8Array(0)],
      ['empty-string', () => '', new Uint8Array(0)],
      ['empty-blob', () => new Blob([]), new Uint8Array(0)],
      ['empty-stream', () => chunkedStream(new Uint8Array(0), 64 * 1024), new Uint8Array(0)],
    ];
    for (const [name, body, expected] of cases) {
      const put = await client.put(`kinds/${name}`, body());
      expect(put.res.status, name).toBe(200);
      const got = await client.get(`kinds/${name}`);
      expect(got.content.byteLength, name).toBe(expected.byteLength);
      expect(sameBytes(got.content, expected), name).toBe(true);
    }
    const big = bytes(8 * MiB, 3);
    await client.put('kinds/8mib', big);
    expect(sameBytes((await client.get('kinds/8mib')).content, big)).toBe(true);
    await client.put('kinds/8mib-stream', chunkedStream(big, 64 * 1024));
    expect((await client.head('kinds/8mib-stream')).res.headers['content-length']).toBe(String(8 * MiB));
  });

  it('getStream, head, ranged get, list, delete', async () => {
    const client = make();
    const data = bytes(200_000, 5);
    await client.put('ops/a.bin', data, { meta: { owner: 'ann' } });
    await client.put('ops/b.txt', 'bee');

    const { stream, res } = await client.getStream('ops/a.bin');
    expect(res.status).toBe(200);
    expect(sameBytes(await readAll(stream), data)).toBe(true);

    const head = await client.head('ops/a.bin');
    expect(head.status).toBe(200);
    expect(head.meta).toEqual({ owner: 'ann' });
    expect(head.res.headers['content-length']).toBe('200000');

    const range = await client.get('ops/a.bin', { headers: { Range: 'bytes=1000-1999' } });
    expect(range.res.status).toBe(206);
    expect(sameBytes(range.content, data.subarray(1000, 2000))).toBe(true);

    const listed = await client.list({ prefix: 'ops/' });
    expect(listed.objects.map((o) => o.name)).toEqual(['ops/a.bin', 'ops/b.txt']);

    await client.delete('ops/b.txt');
    await expect(client.get('ops/b.txt')).rejects.toMatchObject({ name: 'NoSuchKeyError', status: 404 });
  });

  it('listAll pages through more keys than one page holds', async () => {
    const client = make();
    await Promise.all(Array.from({ length: 30 }, (_, i) => client.put(`many/${String(i).padStart(2, '0')}`, '')));
    const names: string[] = [];
    // pageSize is listAll's page length ('max-keys' was silently ignored before options were checked).
    for await (const o of client.listAll({ prefix: 'many/', pageSize: 7 })) names.push(o.name);
    expect(names).toHaveLength(30);
  });

  it('refuses a stream shorter than its contentLength and stores nothing', async () => {
    const client = make({ timeout: 5000 });
    await expect(client.put('short/a.bin', chunkedStream(bytes(200), 64 * 1024), { contentLength: 500 })).rejects.toMatchObject({ name: 'RequestError' });
    await expect(client.head('short/a.bin')).rejects.toMatchObject({ name: 'NoSuchKeyError' });
  });

  it('multipartUpload from a stream', async () => {
    const client = make();
    const data = bytes(1_300_000, 9);
    const result = await client.multipartUpload('mp/stream.bin', chunkedStream(data, 50_000), { partSize: 300 * 1024, parallel: 3 });
    expect(result.res.status).toBe(200);
    expect(sameBytes((await client.get('mp/stream.bin')).content, data)).toBe(true);
  });

  it('reports OSS errors by name, HEAD ones too (from x-oss-err)', async () => {
    const client = make();
    await expect(client.get('errors/none')).rejects.toMatchObject({ name: 'NoSuchKeyError', code: 'NoSuchKey', status: 404 });
    await expect(client.head('errors/none')).rejects.toMatchObject({ name: 'NoSuchKeyError', status: 404 });
    await expect(make({ bucket: uniqueBucket('absent') }).get('x')).rejects.toMatchObject({ name: 'NoSuchBucketError' });
    await expect(make({ accessKeySecret: 'not-the-secret' }).get('x')).rejects.toMatchObject({ name: 'SignatureDoesNotMatchError', status: 403 });
  });

  it('the client timeout ends a stalled request with TimeoutError', async () => {
    await make().put('slow/a.txt', 'a');
    await inject({ kind: 'stall', ms: 5000, method: 'HEAD', keyPrefix: 'slow/' });
    // The stall outlasts the timeout: only the timeout can end this request with TimeoutError.
    await expect(make({ timeout: 300 }).head('slow/a.txt')).rejects.toMatchObject({ name: 'TimeoutError' });
    await clearFaults();
  });

  it('a caller signal ends a stalled request with AbortError, or its TimeoutError', async () => {
    await make().put('slow/b.txt', 'b');
    await inject({ kind: 'stall', ms: 5000, method: 'GET', keyPrefix: 'slow/', count: 2 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(make().get('slow/b.txt', { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    await expect(make().get('slow/b.txt', { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: 'TimeoutError' });
    await clearFaults();
  });

  it('an abort mid-download errors the body stream', async () => {
    const data = bytes(500_000, 11);
    await make().put('slow/big.bin', data);
    await inject({ kind: 'stall', ms: 5000, afterBytes: 100_000, method: 'GET', keyPrefix: 'slow/' });
    const controller = new AbortController();
    const { stream } = await make().getStream('slow/big.bin', { signal: controller.signal });
    const reader = stream.getReader();
    let received = 0;
    while (received < 100_000) received += (await reader.read()).value!.byteLength;
    expect(received).toBe(100_000);
    const pending = reader.read();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await clearFaults();
  });

  it('an abort mid-download of get() rejects with AbortError', async () => {
    await inject({ kind: 'stall', ms: 5000, afterBytes: 100_000, method: 'GET', keyPrefix: 'slow/' });
    const controller = new AbortController();
    const pending = make().get('slow/big.bin', { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await clearFaults();
  });

  it('reuses keep-alive connections', async () => {
    const client = make();
    await client.put('reuse/a', 'a');
    const before = connections;
    for (let i = 0; i < 50; i++) await client.get('reuse/a');
    expect(connections - before).toBeLessThanOrEqual(1);
  });

  it('holds to maxSockets, and opens one connection per request without keepAlive', async () => {
    await make().put('reuse/b', bytes(40_000));
    const limited = make({ fetch: transport({ maxSockets: 3 }) });
    let before = connections;
    await Promise.all(Array.from({ length: 30 }, () => limited.get('reuse/b')));
    expect(connections - before).toBeGreaterThan(0);
    expect(connections - before).toBeLessThanOrEqual(3);

    const fresh = make({ fetch: transport({ keepAlive: false }) });
    before = connections;
    for (let i = 0; i < 5; i++) await fresh.get('reuse/b');
    expect(connections - before).toBe(5);
  });

  it("sends through nodeFetch's own abort controllers (no AbortSignal per request); any other fetch gets a real one", async () => {
    const own = transport() as MaybeAbortMaker;
    const signals: unknown[] = [];
    let made = 0;
    const spy = Object.assign((input: RequestInfo | URL, init?: RequestInit) => (signals.push(init?.signal), own(input, init)), {
      [ABORT_CONTROLLER]: () => (made++, own[ABORT_CONTROLLER]!()),
    });
    const light = make({ fetch: spy as typeof fetch });
    await light.put('light/a', bytes(10));
    expect((await light.get('light/a')).content).toEqual(bytes(10));
    expect(made).toBe(2);
    expect(signals).toHaveLength(2);
    for (const signal of signals) expect(signal).not.toBeInstanceOf(AbortSignal);
    // The same transport behind a plain function: the core cannot know it, so it makes AbortSignals.
    signals.length = 0;
    const plain = make({ fetch: (input, init) => (signals.push(init?.signal), own(input, init)) });
    await plain.get('light/a');
    expect(signals).toHaveLength(1);
    expect(signals[0]).toBeInstanceOf(AbortSignal);
  });

  it("nodeFetch's abort controllers abort once, with AbortController's reasons, and drop removed listeners", () => {
    const make = (nodeFetch() as MaybeAbortMaker)[ABORT_CONTROLLER]!;
    const first = make();
    expect(first.signal.aborted).toBe(false);
    expect(() => first.signal.throwIfAborted()).not.toThrow();
    const heard: string[] = [];
    const kept = () => heard.push('kept');
    const removed = () => heard.push('removed');
    first.signal.addEventListener('abort', kept);
    first.signal.addEventListener('abort', removed);
    first.signal.removeEventListener('abort', removed);
    first.abort('first reason');
    first.abort('second reason');
    expect(first.signal.aborted).toBe(true);
    expect(first.signal.reason).toBe('first reason');
    expect(() => first.signal.throwIfAborted()).toThrow('first reason');
    expect(heard).toEqual(['kept']);
    const plain = make();
    plain.abort();
    expect(plain.signal.reason).toBeInstanceOf(DOMException);
    expect((plain.signal.reason as DOMException).name).toBe('AbortError');
  });

  it('leaks no sockets and no abort listeners over many requests', async () => {
    const own = transport({ maxSockets: 8 });
    const client = make({ fetch: own });
    await client.put('leak/a', bytes(30_000));
    const signal = new AbortController().signal;
    setMaxListeners(300, signal); // 200 requests wait on it at once
    const work = Array.from({ length: 200 }, (_, i) => {
      if (i % 4 === 0) return client.get('leak/a', { signal });
      if (i % 4 === 1) return client.get('leak/none', { signal }).catch(() => null);
      if (i % 4 === 2) return client.head('leak/a', { signal });
      return client.getStream('leak/a', { signal }).then(({ stream }) => readAll(stream));
    });
    await Promise.all(work);
    // Direct calls share one caller signal: each exchange removes its listener when its body is
    // read, cancelled, or never comes (HEAD).
    const url = `${server.url}/${bucket}/leak/a`;
    for (let i = 0; i < 30; i++) await own(url, { signal, method: 'HEAD' });
    for (let i = 0; i < 30; i++) await (await own(url, { signal })).body!.cancel();
    for (let i = 0; i < 30; i++) await (await own(url, { signal })).arrayBuffer();
    // Bodies cancelled with the socket paused under them (far more than the stream holds).
    await client.put('leak/big', bytes(4 * MiB));
    for (let i = 0; i < 3; i++) {
      const reader = (await own(`${server.url}/${bucket}/leak/big`, { signal })).body!.getReader();
      await reader.read();
      await reader.cancel();
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    // Every socket went back to the pool: as many requests as it holds reach the server at once
    // (held there by a stall), which one socket still in use by a finished exchange would stop.
    await inject({ kind: 'stall', ms: 3000, method: 'GET', keyPrefix: 'leak/held', count: 8 });
    const held = Array.from({ length: 8 }, () => client.get('leak/held').catch(() => null));
    for (let waited = 0; open < 8 && waited < 300; waited++) await new Promise((r) => setTimeout(r, 10));
    expect(open).toBe(8);
    await Promise.all(held);
    await clearFaults();
  });
});

describe.each(TRANSPORTS)('nodeFetch as fetch (%s)', (name, transport) => {
  let server: http.Server;
  let base: string;
  const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer }[] = [];
  const fetch = transport();

  beforeAll(async () => {
    server = http.createServer((req, res) => void answer(req, res).catch(() => res.destroy()));
    const answer = async (req: http.IncomingMessage, res: http.ServerResponse) => {
      if (req.url === '/early') {
        // Answer before reading the upload, as a server refusing it would.
        res.writeHead(413, { connection: 'close' }).end('too big');
        return;
      }
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
      switch (req.url) {
        case '/multi':
          res.setHeader('x-many', ['1', '2']);
          res.setHeader('set-cookie', ['a=1', 'b=2']);
          return res.end('m');
        case '/headers':
          res.setHeader('X-Many', ['1', '2']);
          res.setHeader('X-Oss-Meta-Name', 'Value');
          res.setHeader('content-type', 'text/plain');
          return res.end('h');
        case '/gzip':
          return res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('squeezed'));
        case '/none':
          return res.writeHead(204).end();
        case '/json': {
          const json = Buffer.from('\ufeff{"a":"é"}');
          return res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': json.byteLength }).end(json);
        }
        case '/redirect':
          return res.writeHead(302, { location: '/echo' }).end('moving');
        case '/see-other':
          return res.writeHead(303, { location: '/echo' }).end();
        case '/hang':
          return; // never answers: the client's signal has to end it
        default:
          return res.end('ok');
      }
    };
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
  });
  const last = () => seen[seen.length - 1]!;

  it('sends through undici by default, through node:http with an Agent of your own', async () => {
    const seenBy = { undici: 0, 'node:http': 0 };
    const onUndici = () => seenBy.undici++;
    const onHttp = () => seenBy['node:http']++;
    diagnostics.subscribe('undici:request:create', onUndici);
    diagnostics.subscribe('http.client.request.start', onHttp);
    try {
      await (await fetch(`${base}/echo`)).text();
    } finally {
      diagnostics.unsubscribe('undici:request:create', onUndici);
      diagnostics.unsubscribe('http.client.request.start', onHttp);
    }
    expect(seenBy).toEqual(name === 'undici' ? { undici: 1, 'node:http': 0 } : { undici: 0, 'node:http': 1 });
  });

  it('refuses bad options before anything is sent', () => {
    expect(() => nodeFetch({ maxSockets: 0 })).toThrow(OSSArgumentError);
    expect(() => nodeFetch({ maxSockets: 1.5 })).toThrow(/maxSockets/);
    expect(() => nodeFetch({ keepAlive: 'yes' as never })).toThrow(/keepAlive/);
    expect(() => nodeFetch({ agent: {} as never })).toThrow(/agent/);
    expect(() => nodeFetch(null as never)).toThrow(/options/);
  });

  it('sends lengths and types as fetch does, and no accept-encoding', async () => {
    await (await fetch(`${base}/echo`, { method: 'PUT', body: 'héllo' })).text();
    expect(last().headers).toMatchObject({ 'content-length': '6', 'content-type': 'text/plain;charset=UTF-8' });
    expect(last().headers['accept-encoding']).toBeUndefined();
    expect(last().body.toString()).toBe('héllo');

    await (await fetch(`${base}/echo`, { method: 'PUT', body: new Blob([bytes(200_000)], { type: 'image/x-test' }) })).text();
    expect(last().headers).toMatchObject({ 'content-length': '200000', 'content-type': 'image/x-test' });
    expect(sameBytes(last().body, bytes(200_000))).toBe(true);

    await (await fetch(`${base}/echo`, { method: 'PUT', body: chunkedStream(bytes(100_000), 64 * 1024), duplex: 'half' } as RequestInit)).text();
    expect(last().headers['transfer-encoding']).toBe('chunked');
    expect(sameBytes(last().body, bytes(100_000))).toBe(true);

    await (await fetch(`${base}/echo`, { method: 'POST' })).text();
    expect(last().headers['content-length']).toBe('0');

    await (await fetch(new Request(`${base}/echo`, { method: 'PUT', body: 'from a Request', headers: { 'X-Mine': 'yes' } }))).text();
    expect(last()).toMatchObject({ method: 'PUT', headers: { 'x-mine': 'yes' } });
    expect(last().body.toString()).toBe('from a Request');

    await expect(fetch(`${base}/echo`, { method: 'GET', body: 'x' })).rejects.toThrow(TypeError);
  });

  it('fails a stream body that does not match its Content-Length', async () => {
    const declared = (n: number) => ({ method: 'PUT', body: chunkedStream(bytes(n), 64 * 1024), duplex: 'half', headers: { 'content-length': '500' } }) as RequestInit;
    for (const n of [200, 800]) {
      const err = await fetch(`${base}/echo`, declared(n)).catch((e: unknown) => e);
      expect(err, String(n)).toBeInstanceOf(TypeError);
      // node:http's ERR_HTTP_CONTENT_LENGTH_MISMATCH, undici's UND_ERR_REQ_CONTENT_LENGTH_MISMATCH
      expect(err, String(n)).toMatchObject({ message: 'fetch failed', cause: { code: expect.stringMatching(/_CONTENT_LENGTH_MISMATCH$/) } });
    }
    expect(await (await fetch(`${base}/echo`, declared(500))).text()).toBe('ok');
    expect(last().body.byteLength).toBe(500);
  });

  it('joins repeated response headers, keeps cookies apart, decodes gzip bodies as fetch does', async () => {
    const multi = await fetch(`${base}/multi`);
    expect(multi.headers.get('x-many')).toBe('1, 2');
    expect(multi.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(multi.url).toBe(`${base}/multi`);
    const gz = await fetch(`${base}/gzip`);
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    // As Node's own fetch (and every browser) answers: the decoded bytes (issue 15, trap 2).
    expect(await gz.text()).toBe('squeezed');
    expect(await (await globalThis.fetch(`${base}/gzip`)).text()).toBe('squeezed');
  });

  it('serves a small body read whole as fetch serves one: body, bodyUsed, every reader once, clone', async () => {
    const url = `${base}/json`;
    for (const f of [fetch, globalThis.fetch]) {
      const res = await f(url);
      expect(res).toBeInstanceOf(Response);
      expect([res.status, res.ok, res.url, res.bodyUsed]).toEqual([200, true, url, false]);
      const copy = res.clone();
      expect(await res.json()).toEqual({ a: 'é' }); // the BOM dropped, UTF-8 decoded
      expect(res.bodyUsed).toBe(true);
      await expect(res.text()).rejects.toThrow(TypeError);
      expect(() => res.clone()).toThrow(TypeError);
      const blob = await copy.blob();
      expect([blob.type, blob.size]).toEqual(['application/json;charset=utf-8', 13]); // the serialised MIME type

      const streamed = await f(url);
      expect(streamed.body).toBe(streamed.body); // one stream
      expect(streamed.bodyUsed).toBe(false); // asking for it is not reading it
      const reader = streamed.body!.getReader();
      await expect(streamed.arrayBuffer()).rejects.toThrow(TypeError); // locked
      let got = 0;
      for (let r = await reader.read(); !r.done; r = await reader.read()) got += r.value.byteLength;
      expect([got, streamed.bodyUsed]).toEqual([13, true]);

      const viaBody = await f(url);
      void viaBody.body; // made, not read: the other readers still work through it
      expect(new Uint8Array(await viaBody.arrayBuffer()).byteLength).toBe(13);
      const twice = await f(url);
      const [a, b] = [twice.clone(), twice];
      expect(await a.text()).toBe(await b.text());
      const cancelled = await f(url);
      await cancelled.body!.cancel();
      expect(cancelled.bodyUsed).toBe(true);
    }
  });

  it("reads a small body's response headers as the platform's Headers does", async () => {
    const [mine, theirs] = [await fetch(`${base}/headers`), await globalThis.fetch(`${base}/headers`)];
    const dropped = new Set(['date', 'keep-alive', 'connection']); // differ per response or per transport
    const list = (h: Headers) => [...h].filter(([n]) => !dropped.has(n));
    // get, has and forEach first: what the client asks of every response.
    for (const name of ['x-many', 'X-MANY', 'x-oss-meta-name', 'Content-Type', 'content-length', 'absent']) {
      expect([mine.headers.get(name), mine.headers.has(name)], name).toEqual([theirs.headers.get(name), theirs.headers.has(name)]);
    }
    const seen: [string, string][] = [];
    mine.headers.forEach((value, name, parent) => {
      expect(parent).toBe(mine.headers);
      if (!dropped.has(name)) seen.push([name, value]);
    });
    expect(seen).toEqual(list(theirs.headers)); // sorted by name, as Headers iterates
    expect(seen).toContainEqual(['x-many', '1, 2']);
    expect(list(mine.headers)).toEqual(list(theirs.headers));
    expect(() => mine.headers.get('bad name')).toThrow(TypeError);
    expect(() => mine.headers.forEach(1 as never)).toThrow(TypeError);
    // Handed on, they are what they read as.
    expect(new Response(null, { headers: mine.headers }).headers.get('x-many')).toBe('1, 2');
    expect(new Headers(mine.headers).get('x-oss-meta-name')).toBe('Value');
    expect(Object.fromEntries(mine.headers.entries())['content-type']).toBe('text/plain');
    expect([...mine.headers.keys()]).toContain('x-many');
    expect(util.inspect(mine.headers)).toContain('x-oss-meta-name');
    expect(mine.headers).toBeInstanceOf(Headers);
    expect(mine.clone().headers.get('x-many')).toBe('1, 2');
    expect(await mine.text()).toBe('h');
    await theirs.arrayBuffer();
  });

  it("hands a small body over at once through the client's buffered-body hook, once", async () => {
    const take = (r: Response) => (r as unknown as Record<symbol, () => Uint8Array | undefined>)[Symbol.for('oss-fetch.bytes')]!.call(r);
    const res = await fetch(`${base}/json`);
    const bytes = take(res)!;
    expect(new TextDecoder().decode(bytes)).toBe('{"a":"é"}');
    expect([bytes.byteOffset, bytes.byteLength, bytes.buffer.byteLength]).toEqual([0, 13, 13]); // its own buffer, as arrayBuffer() gives
    expect(res.bodyUsed).toBe(true);
    expect(take(res)).toBeUndefined();
    await expect(res.arrayBuffer()).rejects.toThrow(TypeError);
    const streamed = await fetch(`${base}/json`);
    void streamed.body; // once a stream exists, the body is read through it
    expect(take(streamed)).toBeUndefined();
    expect(new Uint8Array(await streamed.arrayBuffer()).byteLength).toBe(13);
  });

  it('has a null body for HEAD and 204', async () => {
    expect((await fetch(`${base}/multi`, { method: 'HEAD' })).body).toBeNull();
    const none = await fetch(`${base}/none`);
    expect(none.status).toBe(204);
    expect(none.body).toBeNull();
  });

  it('follows redirects as fetch does, or hands them over with redirect: manual', async () => {
    const followed = await fetch(`${base}/redirect`, { method: 'POST', body: 'x' });
    expect(followed.status).toBe(200);
    expect(followed.url).toBe(`${base}/echo`);
    expect(last()).toMatchObject({ method: 'GET', url: '/echo' });
    await followed.text();
    await (await fetch(`${base}/see-other`, { method: 'PUT', body: 'y' })).text();
    expect(last()).toMatchObject({ method: 'GET', url: '/echo' });
    const manual = await fetch(`${base}/redirect`, { redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe('/echo');
    expect(await manual.text()).toBe('moving');
    await expect(fetch(`${base}/redirect`, { redirect: 'error' })).rejects.toThrow(TypeError);
    await expect(fetch(`${base}/redirect`, { method: 'PUT', body: chunkedStream(bytes(10), 64 * 1024), duplex: 'half' } as RequestInit)).rejects.toThrow(TypeError);
  });

  it('rejects with the signal reason: AbortError, or the TimeoutError of AbortSignal.timeout', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(fetch(`${base}/hang`, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    await expect(fetch(`${base}/hang`, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({ name: 'TimeoutError' });
    const reason = new Error('mine');
    await expect(fetch(`${base}/echo`, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('an abort during upload cancels the body stream', async () => {
    let cancelled: unknown;
    const endless = new ReadableStream<Uint8Array>({
      pull: (c) => c.enqueue(new Uint8Array(16 * 1024)),
      cancel: (reason) => void (cancelled = reason),
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(fetch(`${base}/hang`, { method: 'PUT', body: endless, duplex: 'half', signal: controller.signal } as RequestInit)).rejects.toMatchObject({ name: 'AbortError' });
    await new Promise((r) => setTimeout(r, 20));
    expect(cancelled).toMatchObject({ name: 'AbortError' });
  });

  it('an abort during upload cancels a body stream that is waiting for its next chunk', async () => {
    let cancelled: unknown;
    const waiting = new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(new Uint8Array(1024)),
      pull: () => new Promise<void>(() => {}), // the source has nothing more to give yet
      cancel: (reason) => void (cancelled = reason),
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(fetch(`${base}/hang`, { method: 'PUT', body: waiting, duplex: 'half', signal: controller.signal } as RequestInit)).rejects.toMatchObject({ name: 'AbortError' });
    for (let waited = 0; cancelled === undefined && waited < 100; waited++) await new Promise((r) => setTimeout(r, 10));
    expect(cancelled).toMatchObject({ name: 'AbortError' });
  });

  it('resolves with an early answer while the upload is refused', async () => {
    const res = await fetch(`${base}/early`, { method: 'PUT', body: chunkedStream(bytes(8 * MiB), 64 * 1024), duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.text()).toBe('too big');
  });

  it('fails network errors with TypeError("fetch failed", { cause })', async () => {
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close();
    const err = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(err).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
    await expect(fetch('ftp://127.0.0.1/')).rejects.toThrow(TypeError);
  });

  it('fails a response fetch cannot represent (status 600) with TypeError, never a hang', async () => {
    const odd = net.createServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 600 Odd\r\nconnection: close\r\n\r\nok')));
    odd.listen(0, '127.0.0.1');
    await once(odd, 'listening');
    try {
      const err = await fetch(`http://127.0.0.1:${(odd.address() as AddressInfo).port}/`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TypeError);
      expect(err).toMatchObject({ message: 'fetch failed' });
    } finally {
      odd.close();
    }
  });

  it('errors the body of a response cut short with TypeError("terminated")', async () => {
    const cutter = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(MiB) });
      res.write(new Uint8Array(100_000), () => res.destroy());
    });
    cutter.listen(0, '127.0.0.1');
    await once(cutter, 'listening');
    const res = await fetch(`http://127.0.0.1:${(cutter.address() as AddressInfo).port}/`);
    await expect(res.arrayBuffer()).rejects.toMatchObject({ name: 'TypeError', message: 'terminated' });
    cutter.close();
  });

  it('pauses the socket while the body consumer is behind, and a cancel stops the download', async () => {
    const size = 32 * MiB;
    let written = 0;
    let served: http.ServerResponse | undefined;
    const firehose = http.createServer((_req, res) => {
      served = res;
      res.writeHead(200, { 'content-length': String(size) });
      const chunk = new Uint8Array(MiB);
      const write = () => {
        while (written < size) {
          written += chunk.byteLength;
          if (!res.write(chunk)) return void res.once('drain', write);
        }
        res.end();
      };
      write();
    });
    firehose.listen(0, '127.0.0.1');
    await once(firehose, 'listening');
    const res = await fetch(`http://127.0.0.1:${(firehose.address() as AddressInfo).port}/`);
    const reader = res.body!.getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 300));
    // Unread, the body holds back the server: far less than the whole has been sent.
    expect(written).toBeLessThan(size / 2);
    const closed = once(served!, 'close');
    await reader.cancel();
    // The connection is closed under the server, not drained to the end of the body.
    await closed;
    expect(served!.writableFinished).toBe(false);
    expect(written).toBeLessThan(size);
    firehose.closeAllConnections();
    firehose.close();
  });
});

const OPENSSL_HINT = 'openssl is needed to make the test certificate: install it with `apt-get install -y openssl`';

/** A throwaway self-signed certificate for 127.0.0.1, made by openssl (required: a missing one fails with the install hint). */
function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nf-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch (err) {
    throw new Error((err as NodeJS.ErrnoException).code === 'ENOENT' ? OPENSSL_HINT : `openssl could not make the test certificate: ${(err as Error).message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('nodeFetch over https', () => {
  it('uses the https agent given for https: URLs, and keeps its sockets', async () => {
    const tls = selfSignedCert();
    let connections = 0;
    const server = https.createServer(tls, (_req, res) => res.end('secure'));
    server.on('secureConnection', () => connections++);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const agent = new https.Agent({ ca: tls.cert, keepAlive: true });
      const fetch = nodeFetch({ agent });
      for (let i = 0; i < 5; i++) expect(await (await fetch(url)).text()).toBe('secure');
      expect(connections).toBe(1);
      agent.destroy();
      // Without the agent that trusts it, the certificate is refused as fetch would refuse it.
      const refused = await nodeFetch()(url).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(TypeError);
      expect(refused).toMatchObject({ message: 'fetch failed', cause: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

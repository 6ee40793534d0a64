// Upload callbacks end to end: the client asks for one, the local server stores the object and
// POSTs to an app server on loopback (signed with its RSA key), the app checks the signature with
// verifyCallback and answers; the uploader gets the app's answer or CallbackFailed (203).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error ali-oss ships no types
import OSS from 'ali-oss';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OSSClient, OSSArgumentError, verifyCallback, type VerifiedCallback } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { creds, httpServer } from '../helpers/server.js';

const BUCKET = 'callbacks';
let server: StartedServer;
let client: OSSClient;
let app: Server;
let appUrl: string;
/** How the app answers the next callbacks. */
let mode: 'json' | 'fail' | 'text' = 'json';
let received: Array<{ verified?: VerifiedCallback; error?: string; headers: IncomingMessage['headers']; url: string }> = [];

function toRequest(req: IncomingMessage, body: Buffer): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
  return new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body: new Uint8Array(body) });
}

beforeAll(async () => {
  server = await httpServer({ buckets: [BUCKET] });
  client = new OSSClient({ ...server.clientOptions, bucket: BUCKET });
  app = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const entry: (typeof received)[number] = { headers: req.headers, url: req.url ?? '' };
      try {
        entry.verified = await verifyCallback(toRequest(req, Buffer.concat(chunks)), { allowKeyUrl: (u) => u.startsWith(server.url) });
      } catch (err) {
        entry.error = (err as Error).message;
      }
      received.push(entry);
      if (mode === 'fail') return res.writeHead(500).end('no');
      if (mode === 'text') return res.writeHead(200, { 'content-type': 'text/plain' }).end('not json');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: !entry.error, fields: entry.verified?.fields }));
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/oss-callback?from=test`;
});

afterAll(async () => {
  await new Promise((resolve) => app.close(resolve));
  await server.close();
});

beforeEach(() => {
  mode = 'json';
  received = [];
});

const FORM_BODY = 'bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&op=${operation}&uid=${x:uid}';

describe('upload callbacks', () => {
  it('put: OSS calls the app, signed; the result carries the app\'s answer as data', async () => {
    const result = await client.put('cb/a.txt', 'hello', { callback: { url: appUrl, body: FORM_BODY, customValue: { uid: 42 } } });
    expect(received).toHaveLength(1);
    const call = received[0]!;
    expect(call.error).toBeUndefined();
    expect(call.url).toBe('/oss-callback?from=test');
    expect(call.verified!.fields).toEqual({
      bucket: BUCKET, object: 'cb/a.txt', etag: result.etag.replace(/"/g, ''), size: '5', mimeType: 'text/plain', op: 'PutObject', uid: '42',
    });
    expect(call.headers['x-oss-bucket']).toBe(BUCKET);
    expect(call.headers['user-agent']).toBe('aliyun-oss-callback');
    expect(result.data).toEqual({ ok: true, fields: call.verified!.fields });
    expect(result.res.status).toBe(200);
    expect(result.etag).toMatch(/^"[0-9A-F]{32}"$/);
  });

  it('a JSON callback body gets JSON values', async () => {
    const body = '{"bucket":${bucket},"size":${size},"uid":${x:uid}}';
    await client.put('cb/json.bin', new Uint8Array(7), { callback: { url: appUrl, body, contentType: 'application/json', customValue: { uid: 'u1' } } });
    expect(received[0]!.verified!.fields).toEqual({ bucket: BUCKET, size: 7, uid: 'u1' });
  });

  it('imageInfo.* carries an image\'s height, width and format (jpg, png as OSS writes them), empty for other objects', async () => {
    const sharp = (await import('sharp')).default;
    const body = 'h=${imageInfo.height}&w=${imageInfo.width}&f=${imageInfo.format}&m=${mimeType}';
    const png = new Uint8Array(await sharp({ create: { width: 30, height: 20, channels: 3, background: '#ff0000' } }).png().toBuffer());
    const jpg = new Uint8Array(await sharp({ create: { width: 8, height: 5, channels: 3, background: '#00ff00' } }).jpeg().toBuffer());
    await client.put('cb/pic.png', png, { callback: { url: appUrl, body } });
    await client.put('cb/pic.jpg', jpg, { callback: { url: appUrl, body } });
    await client.put('cb/notes.txt', 'not an image', { callback: { url: appUrl, body } });
    expect(received.map((r) => r.verified!.fields)).toEqual([
      { h: '20', w: '30', f: 'png', m: 'image/png' },
      { h: '5', w: '8', f: 'jpg', m: 'image/jpeg' },
      { h: '', w: '', f: '', m: 'text/plain' },
    ]);
  });

  it('an app that fails gives CallbackFailedError (203) and the object is stored all the same', async () => {
    mode = 'fail';
    const err = await client.put('cb/failed.txt', 'kept', { callback: { url: appUrl, body: FORM_BODY } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'CallbackFailedError', code: 'CallbackFailed', status: 203, message: expect.stringMatching(/^Error status : 500\./) });
    expect((err as { headers: Record<string, string> }).headers.etag).toMatch(/^"[0-9A-F]{32}"$/);
    expect(new TextDecoder().decode((await client.get('cb/failed.txt')).content)).toBe('kept');
  });

  it('an answer that is not JSON is a failed callback', async () => {
    mode = 'text';
    await expect(client.put('cb/text.txt', 'x', { callback: { url: appUrl, body: FORM_BODY } }))
      .rejects.toMatchObject({ code: 'CallbackFailed', message: expect.stringMatching(/^Response body is not valid json format\./) });
  });

  it('the local server calls back only loopback hosts (and those it is told to trust)', async () => {
    await expect(client.put('cb/far.txt', 'x', { callback: { url: 'http://callback.example.com/cb', body: FORM_BODY } }))
      .rejects.toMatchObject({ code: 'CallbackFailed', status: 203, message: expect.stringContaining('--callback-host') });
    expect(received).toHaveLength(0);
  });

  it('bad callback parameters are refused before anything is stored: by the client, and by the server', async () => {
    await expect(client.put('cb/bad.txt', 'x', { callback: { url: '', body: 'a' } })).rejects.toBeInstanceOf(OSSArgumentError);
    await expect(client.put('cb/bad.txt', 'x', { callback: { url: appUrl, body: 'a', contentType: 'text/xml' } })).rejects.toBeInstanceOf(OSSArgumentError);
    await expect(client.put('cb/bad.txt', 'x', { headers: { 'x-oss-callback': 'not base64 json' } }))
      .rejects.toMatchObject({ code: 'InvalidArgument', status: 400 });
    const noBody = btoa(JSON.stringify({ callbackUrl: appUrl }));
    await expect(client.put('cb/bad.txt', 'x', { headers: { 'x-oss-callback': noBody } })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(client.head('cb/bad.txt')).rejects.toMatchObject({ code: 'NoSuchKey' });
    expect(received).toHaveLength(0);
  });

  it('multipartUpload sends the callback with the Complete; data is the app\'s answer', async () => {
    const body = new Uint8Array(250 * 1024).map((_, i) => i & 0xff);
    const result = await client.multipartUpload('cb/big.bin', body, { partSize: 100 * 1024, callback: { url: appUrl, body: FORM_BODY } });
    expect(received).toHaveLength(1);
    expect(received[0]!.verified!.fields).toMatchObject({ object: 'cb/big.bin', size: String(body.byteLength), op: 'CompleteMultipartUpload' });
    expect(result.data).toMatchObject({ ok: true });
    expect(result.etag).toMatch(/-3"$/);
  });

  it('a POST policy form carries the callback and its x: fields', async () => {
    const { url, fields } = await client.signPostObjectPolicy({ keyPrefix: 'cb/form/', callback: { url: appUrl, body: FORM_BODY, customValue: { uid: 7 } } });
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob(['posted'], { type: 'text/plain' }), 'posted.txt');
    const response = await fetch(url, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, fields: { object: 'cb/form/posted.txt', op: 'PostObject', uid: '7' } });
  });

  it('a presigned PUT URL carries the callback in its query', async () => {
    const url = await client.signatureUrl('cb/presigned.txt', { method: 'PUT', callback: { url: appUrl, body: FORM_BODY } });
    const response = await fetch(url, { method: 'PUT', body: new TextEncoder().encode('via url') });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, fields: { object: 'cb/presigned.txt', size: '7' } });
  });

  it('ali-oss\'s callback option works against the server (its result.data is the app\'s answer)', async () => {
    const ali = new OSS({ endpoint: server.url, region: 'oss-cn-hangzhou', bucket: BUCKET, ...creds, authorizationV4: true });
    const result = await ali.put('cb/ali.txt', Buffer.from('from ali-oss'), { callback: { url: appUrl, body: FORM_BODY, customValue: { uid: 'ali' } } } as never);
    expect((result as { data: unknown }).data).toMatchObject({ ok: true, fields: { object: 'cb/ali.txt', uid: 'ali', op: 'PutObject' } });
  });
});

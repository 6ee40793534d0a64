// verifyCallback against signatures made by OpenSSL (node:crypto's RSA-MD5), the algorithm OSS
// signs callbacks with.
import { createSign, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyCallback } from '../../src/index.js';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const other = generateKeyPairSync('rsa', { modulusLength: 1024 });
const KEY_URL = 'https://keys.test/callback_pub_key.pem';

function sign(text: string | Buffer, key = privateKey): string {
  return createSign('RSA-MD5').update(text).sign(key).toString('base64');
}

/** A callback request as OSS sends it: signature over url-decoded path + "?query" + "\n" + body. */
function callback(body: string, options: { path?: string; query?: string; keyUrl?: string; signature?: string } = {}): Request {
  const path = options.path ?? '/oss/callback';
  const query = options.query ?? '';
  const signed = `${decodeURIComponent(path)}${query}\n${body}`;
  return new Request(`https://app.test${path}${query}`, {
    method: 'POST',
    body,
    headers: {
      authorization: options.signature ?? sign(signed),
      'x-oss-pub-key-url': btoa(options.keyUrl ?? KEY_URL),
      'content-type': 'application/x-www-form-urlencoded',
    },
  });
}

function keyServer() {
  const calls: string[] = [];
  const fetch = (async (input: RequestInfo | URL) => {
    calls.push(String(input));
    return new Response(pem);
  }) as typeof globalThis.fetch;
  return { calls, options: { fetch, allowKeyUrl: (url: string) => url.startsWith('https://keys.test/') } };
}

describe('verifyCallback', () => {
  it('accepts a callback signed with the key at x-oss-pub-key-url and returns its fields', async () => {
    const { options } = keyServer();
    const result = await verifyCallback(callback('bucket=demo&object=a%2Fb.txt&size=3'), options);
    expect(result.fields).toEqual({ bucket: 'demo', object: 'a/b.txt', size: '3' });
    expect(result.body).toBe('bucket=demo&object=a%2Fb.txt&size=3');
    expect(result.keyUrl).toBe(KEY_URL);
  });

  it('signs the url-decoded path and the raw query with its "?"', async () => {
    const { options } = keyServer();
    await expect(verifyCallback(callback('x=1', { path: '/cb/%E4%B8%AD', query: '?id=1&index=2' }), options)).resolves.toBeTruthy();
    // The same signature over the path without its query must not pass.
    const body = 'x=1';
    const withoutQuery = sign(`/cb/中\n${body}`);
    await expect(verifyCallback(callback(body, { path: '/cb/%E4%B8%AD', query: '?id=1&index=2', signature: withoutQuery }), options))
      .rejects.toMatchObject({ code: 'CallbackSignatureMismatch', status: 400 });
  });

  it('refuses a changed body, another key\'s signature and garbage', async () => {
    const { options } = keyServer();
    const good = callback('size=3');
    const tampered = new Request(good.url, { method: 'POST', headers: good.headers, body: 'size=4' });
    await expect(verifyCallback(tampered, options)).rejects.toMatchObject({ code: 'CallbackSignatureMismatch' });
    await expect(verifyCallback(callback('size=3', { signature: sign('/oss/callback\nsize=3', other.privateKey) }), options))
      .rejects.toMatchObject({ code: 'CallbackSignatureMismatch' });
    await expect(verifyCallback(callback('size=3', { signature: 'not base64!' }), options)).rejects.toMatchObject({ code: 'CallbackSignatureMismatch' });
    await expect(verifyCallback(new Request('https://app.test/cb', { method: 'POST', body: 'a=1' }), options))
      .rejects.toThrow(/no OSS callback signature/);
  });

  it('never fetches a key from a URL outside the allow-list (default: OSS\'s key host only)', async () => {
    const { calls, options } = keyServer();
    await expect(verifyCallback(callback('a=1', { keyUrl: 'https://evil.test/key.pem' }), options)).rejects.toThrow(/not allowed/);
    await expect(verifyCallback(callback('a=1'), { fetch: options.fetch })).rejects.toThrow(/not allowed/);
    expect(calls).toEqual([]);
  });

  it('fetches each key once and caches it', async () => {
    const { calls, options } = keyServer();
    const url = 'https://keys.test/cached.pem';
    await verifyCallback(callback('a=1', { keyUrl: url }), options);
    await verifyCallback(callback('a=2', { keyUrl: url }), options);
    expect(calls.filter((c) => c === url)).toHaveLength(1);
  });

  it('refuses a body over maxBodyBytes without reading it all', async () => {
    const { options } = keyServer();
    await expect(verifyCallback(callback('a='.padEnd(5000, 'x')), { ...options, maxBodyBytes: 1024 })).rejects.toThrow(/larger than 1024 bytes/);
  });

  it('parses a JSON body', async () => {
    const { options } = keyServer();
    const body = JSON.stringify({ bucket: 'demo', size: 3 });
    const req = callback(body);
    const json = new Request(req.url, { method: 'POST', body, headers: { ...Object.fromEntries(req.headers), 'content-type': 'application/json' } });
    expect((await verifyCallback(json, options)).fields).toEqual({ bucket: 'demo', size: 3 });
  });
});

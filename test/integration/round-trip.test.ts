import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSClient, OSSArgumentError, OSSError } from '../../src/index.js';
import { creds, httpServer, inProcessClient, uniqueBucket } from '../helpers/server.js';
import type { StartedServer } from '../../src/server/index.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

for (const mode of ['in-process', 'http'] as const) {
  for (const signatureVersion of ['v4', 'v1'] as const) {
    describe(`round trip (${mode}, ${signatureVersion})`, () => {
      let server: StartedServer | undefined;
      let client: OSSClient;
      const bucket = uniqueBucket('skel');

      beforeAll(async () => {
        if (mode === 'http') {
          server = await httpServer();
          client = new OSSClient({ ...server.clientOptions, signatureVersion });
        } else {
          client = inProcessClient({}, { signatureVersion }).client;
        }
        await client.putBucket(bucket);
        client.useBucket(bucket);
      });
      afterAll(async () => server?.close());

      it('lists the new bucket', async () => {
        const { buckets, res } = await client.listBuckets();
        expect(res.status).toBe(200);
        expect(buckets.map((b) => b.name)).toContain(bucket);
        expect(buckets.find((b) => b.name === bucket)?.region).toBe('oss-cn-hangzhou');
      });

      it('puts every body kind and gets the same bytes back', async () => {
        const bytes = new Uint8Array([0, 1, 2, 250, 255]);
        const bodies: Array<[string, unknown, Uint8Array]> = [
          ['string.txt', 'héllo wörld ✓', new TextEncoder().encode('héllo wörld ✓')],
          ['bytes.bin', bytes, bytes],
          ['buffer.bin', bytes.buffer.slice(0), bytes],
          ['view.bin', new DataView(bytes.buffer.slice(0)), bytes],
          ['u16.bin', new Uint16Array([1, 2]), new Uint8Array(new Uint16Array([1, 2]).buffer)],
          ['blob.bin', new Blob([bytes]), bytes],
          ['file.txt', new File(['file body'], 'f.txt', { type: 'text/plain' }), new TextEncoder().encode('file body')],
          ['empty', '', new Uint8Array(0)],
        ];
        for (const [name, body, expected] of bodies) {
          const put = await client.put(name, body as never);
          expect(put.res.status).toBe(200);
          expect(put.etag).toMatch(/^"[0-9A-F]{32}"$/);
          const got = await client.get(name);
          expect(got.content).toEqual(expected);
          expect(got.res.headers['x-oss-hash-crc64ecma']).toMatch(/^\d+$/);
        }
      });

      it('keeps mime, meta and headers', async () => {
        await client.put('meta/a.json', '{"a":1}', {
          meta: { owner: 'ann', note: 'naïve ✓' },
          headers: { 'Cache-Control': 'no-cache', 'Content-Disposition': 'attachment; filename="a.json"' },
        });
        const head = await client.head('meta/a.json');
        expect(head.status).toBe(200);
        expect(head.meta).toEqual({ owner: 'ann', note: 'naïve ✓' });
        expect(head.res.headers['content-type']).toBe('application/json');
        expect(head.res.headers['cache-control']).toBe('no-cache');
        expect(head.res.headers['content-length']).toBe('7');
        await client.put('meta/explicit', 'x', { mime: 'text/x-custom' });
        expect((await client.head('meta/explicit')).res.headers['content-type']).toBe('text/x-custom');
      });

      it('streams a download', async () => {
        const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
        await client.put('stream/big.bin', big);
        const { stream, res } = await client.getStream('stream/big.bin');
        expect(res.headers['content-length']).toBe(String(big.length));
        let total = 0;
        let ok = true;
        for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
          for (let i = 0; i < chunk.length; i++) if (chunk[i] !== (total + i) % 251) ok = false;
          total += chunk.length;
        }
        expect(total).toBe(big.length);
        expect(ok).toBe(true);
      });

      it('lists with prefix, delimiter, marker and max-keys, and listAll pages through everything', async () => {
        for (const k of ['l/a', 'l/b', 'l/c/1', 'l/c/2', 'l/d']) await client.put(k, k);
        const page = await client.list({ prefix: 'l/', delimiter: '/', 'max-keys': 2 });
        expect(page.objects.map((o) => o.name)).toEqual(['l/a', 'l/b']);
        expect(page.isTruncated).toBe(true);
        const next = await client.list({ prefix: 'l/', delimiter: '/', marker: page.nextMarker! });
        expect(next.prefixes).toEqual(['l/c/']);
        expect(next.objects.map((o) => o.name)).toEqual(['l/d']);
        expect(next.objects[0]!.size).toBe(3);
        const all: string[] = [];
        for await (const o of client.listAll({ prefix: 'l/', pageSize: 2 })) all.push(o.name);
        expect(all).toEqual(['l/a', 'l/b', 'l/c/1', 'l/c/2', 'l/d']);
        const early: string[] = [];
        for await (const o of client.listAll({ prefix: 'l/', pageSize: 1 })) {
          early.push(o.name);
          if (early.length === 2) break;
        }
        expect(early).toEqual(['l/a', 'l/b']);
      });

      it('deletes, and deleting a missing key succeeds', async () => {
        await client.put('del/x', 'x');
        expect((await client.delete('del/x')).res.status).toBe(204);
        await expect(client.get('del/x')).rejects.toMatchObject({ name: 'NoSuchKeyError', code: 'NoSuchKey', status: 404 });
        expect((await client.delete('del/never')).res.status).toBe(204);
      });

      it('maps errors, including HEAD errors from x-oss-err', async () => {
        const err = await client.head('nope/missing').catch((e: unknown) => e);
        expect(err).toBeInstanceOf(OSSError);
        expect(err).toMatchObject({ name: 'NoSuchKeyError', code: 'NoSuchKey', status: 404 });
        expect((err as OSSError).requestId).toMatch(/^[0-9A-F]{24}$/);
        expect((err as OSSError).ec === undefined || typeof (err as OSSError).ec === 'string').toBe(true);
        // Content-Length is the XML's, as OSS sends it (HTTP/1.1 clients then keep the connection).
        const headers = (err as OSSError).headers!;
        expect(Number(headers['content-length'])).toBe(atob(headers['x-oss-err']!).length); // atob: one char per byte
        const missingBucket = await client.list({}, { bucket: 'no-such-bucket-here' }).catch((e: unknown) => e);
        expect(missingBucket).toMatchObject({ name: 'NoSuchBucketError', status: 404 });
      });

      it('refuses a wrong secret with SignatureDoesNotMatch and the string to sign', async () => {
        const bad = new OSSClient({ ...creds, accessKeySecret: 'wrong-secret', endpoint: (client as OSSClient).endpointInfo().origin, signatureVersion, bucket, fetch: client.options.fetch });
        const err = await bad.get('string.txt').catch((e: unknown) => e);
        expect(err).toMatchObject({ name: 'SignatureDoesNotMatchError', status: 403 });
        expect((err as OSSError).details.StringToSign).toBeTruthy();
        expect(JSON.stringify(err)).not.toContain('wrong-secret');
        expect(String((err as Error).message)).not.toContain('wrong-secret');
      });

      it('refuses an unknown key id', async () => {
        const bad = new OSSClient({ accessKeyId: 'nobody', accessKeySecret: 'x', endpoint: client.endpointInfo().origin, signatureVersion, bucket, fetch: client.options.fetch });
        await expect(bad.get('string.txt')).rejects.toMatchObject({ name: 'InvalidAccessKeyIdError', status: 403 });
      });

      it('deleteBucket refuses a non-empty bucket, then deletes an empty one', async () => {
        await expect(client.deleteBucket(bucket)).rejects.toMatchObject({ name: 'BucketNotEmptyError', status: 409 });
        const empty = uniqueBucket('empty');
        await client.putBucket(empty);
        expect((await client.deleteBucket(empty)).res.status).toBe(204);
        await expect(client.deleteBucket(empty)).rejects.toMatchObject({ name: 'NoSuchBucketError' });
      });
    });
  }
}

describe('bad input is refused before anything is sent', () => {
  let sent = 0;
  const client = new OSSClient({
    ...creds, endpoint: 'http://127.0.0.1:1', bucket: 'some-bucket',
    fetch: async () => {
      sent += 1;
      return new Response(null, { status: 500 });
    },
  });

  it.each([
    ['empty key', () => client.put('', 'x')],
    ['key over 1023 bytes', () => client.put('é'.repeat(512), 'x')],
    ['key starting with /', () => client.get('/abs')],
    ['key starting with \\', () => client.get('\\abs')],
    ['non-string key', () => client.head(42 as never)],
    ['invalid bucket name', () => client.list({}, { bucket: 'Bad_Bucket' })],
    ['bucket too short', () => client.putBucket('ab')],
    ['bad body', () => client.put('k', { not: 'a body' } as never)],
    ['meta over 8 KB', () => client.put('k', 'x', { meta: { big: 'x'.repeat(9000) } })],
    ['meta with bad name', () => client.put('k', 'x', { meta: { 'bad_name': 'x' } })],
    ['max-keys out of range', () => client.list({ 'max-keys': 5000 })],
    ['dot segment key', () => client.get('a/../b')],
  ])('%s', async (_name, call) => {
    await expect(call()).rejects.toBeInstanceOf(OSSArgumentError);
    expect(sent).toBe(0);
  });

  it.each([
    ['unknown region spelling', { region: 'Hangzhou' }],
    ['region with underscores', { region: 'cn_hangzhou' }],
    ['double prefix', { region: 'oss-oss-cn-hangzhou' }],
    ['invalid bucket option', { bucket: 'UPPER' }],
    ['secret without id', { accessKeySecret: 'x' }],
    ['bad timeout', { timeout: -1 }],
    ['bad signature version', { signatureVersion: 'v2' }],
  ])('constructor: %s', (_name, options) => {
    expect(() => new OSSClient(options as never)).toThrow(OSSArgumentError);
  });

  it('accepts both region spellings', () => {
    expect(new OSSClient({ region: 'oss-cn-hangzhou' }).region).toBe('cn-hangzhou');
    expect(new OSSClient({ region: 'cn-hangzhou' }).region).toBe('cn-hangzhou');
  });
});

describe('endpoint resolution', () => {
  it('virtual-host by default, internal and accelerate hosts', () => {
    expect(new OSSClient({ region: 'oss-cn-beijing' }).url('b1x', 'a b.txt')).toBe('https://b1x.oss-cn-beijing.aliyuncs.com/a%20b.txt');
    expect(new OSSClient({ region: 'cn-beijing', internal: true, secure: false }).url('b1x', 'k')).toBe('http://b1x.oss-cn-beijing-internal.aliyuncs.com/k');
    expect(new OSSClient({ accelerate: true }).url('b1x', 'k')).toBe('https://b1x.oss-accelerate.aliyuncs.com/k');
  });
  it('path-style, cname, IP and localhost endpoints', () => {
    expect(new OSSClient({ endpoint: 'https://oss.example.com', pathStyle: true }).url('b1x', 'k')).toBe('https://oss.example.com/b1x/k');
    expect(new OSSClient({ endpoint: 'https://files.example.com', cname: true }).url('b1x', 'k')).toBe('https://files.example.com/k');
    expect(new OSSClient({ endpoint: 'http://127.0.0.1:9000' }).url('b1x', 'k')).toBe('http://127.0.0.1:9000/b1x/k');
    expect(new OSSClient({ endpoint: 'http://localhost:9000' }).url('b1x', 'k')).toBe('http://localhost:9000/b1x/k');
    expect(new OSSClient({ endpoint: 'oss-cn-hangzhou.aliyuncs.com' }).url('b1x', 'k')).toBe('https://b1x.oss-cn-hangzhou.aliyuncs.com/k');
  });
  it('never leaks the secret through JSON or inspection', () => {
    const c = new OSSClient({ accessKeyId: 'id', accessKeySecret: 'top-secret-value', stsToken: 'sts-token-value' });
    // Everything a log line could print of the client: JSON, console.log's inspection (hidden
    // and nested properties too), string conversion, and its enumerable own values.
    const views = [
      JSON.stringify(c),
      JSON.stringify(c.options),
      inspect(c, { depth: Infinity, showHidden: true, getters: true }),
      inspect(c.options, { depth: Infinity, showHidden: true, getters: true }),
      String(c),
      `${Object.values(c).map((v) => inspect(v, { depth: Infinity, showHidden: true })).join()}`,
    ];
    // The client did keep the id (so the views do show its state), never the secret or token.
    expect(views.some((v) => v.includes("'id'") || v.includes('"id"'))).toBe(true);
    for (const view of views) {
      for (const secret of ['top-secret-value', 'sts-token-value']) {
        expect(view).not.toContain(secret);
        expect(view).not.toContain(Buffer.from(secret).toString('base64'));
        expect(view).not.toContain(Buffer.from(secret).toString('hex'));
      }
    }
  });
});

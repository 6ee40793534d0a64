// append, symlinks, object ACL, object tagging, restore and presigned URLs: our client against
// the local server, in-process and over HTTP, V4 and V1, with awkward keys throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient, OSSError } from '../../src/index.js';
import { crc64 } from '../../src/core/crc64.js';
import { MemoryStorage, type OSSHandler, type StartedServer } from '../../src/server/index.js';
import { httpServer, inProcessClient, uniqueBucket } from '../helpers/server.js';

const AWKWARD = ['sp ace.txt', 'plus+sign', 'per%cent', 'ques?tion', 'hash#tag', 'ünïcödé/中文', 'emoji 😀', 'a//b', 'trailing/'];
const RESTORE_DELAY = 5_000;
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);
const codeOf = async (r: Response) => /<Code>([^<]*)<\/Code>/.exec(await r.text())?.[1];

for (const mode of ['in-process', 'http'] as const) {
  for (const signatureVersion of ['v4', 'v1'] as const) {
    describe(`more object operations (${mode}, ${signatureVersion})`, () => {
      let server: StartedServer | undefined;
      let handler: OSSHandler;
      let client: OSSClient;
      let endpoint: string;
      /** An unsigned request, as a browser with a presigned or public URL makes it. */
      let raw: (url: string, init?: RequestInit) => Promise<Response>;
      let offset = 0;
      const bucket = uniqueBucket('extra');
      const serverOptions = { now: () => Date.now() + offset, restoreDelayMs: RESTORE_DELAY };
      /** Move both clocks, so signed requests stay within the allowed skew. */
      const moveClock = (ms: number) => {
        offset = ms;
        client.clockOffset = ms;
      };

      beforeAll(async () => {
        if (mode === 'http') {
          server = await httpServer(serverOptions);
          handler = server.handler;
          endpoint = server.url;
          client = new OSSClient({ ...server.clientOptions, signatureVersion });
          raw = (url, init) => fetch(url, init);
        } else {
          const made = inProcessClient(serverOptions, { signatureVersion });
          handler = made.handler;
          client = made.client;
          endpoint = 'http://127.0.0.1:1';
          raw = (url, init) => handler(new Request(url, init));
        }
        await client.putBucket(bucket);
        client.useBucket(bucket);
      });
      afterAll(async () => server?.close());

      describe('append', () => {
        it('creates an Appendable object and appends at the returned position', async () => {
          for (const key of AWKWARD) {
            const name = `append/${key}`;
            const first = await client.append(name, 'ab', { mime: 'text/x-log', meta: { owner: 'ann' } });
            expect(first.nextAppendPosition).toBe(2);
            expect(first.res.headers['x-oss-hash-crc64ecma']).toBe(crc64('ab'));
            const second = await client.append(name, new Blob([enc('cde')]), { position: first.nextAppendPosition, mime: 'text/ignored' });
            expect(second.nextAppendPosition).toBe(5);
            expect(second.res.headers['x-oss-hash-crc64ecma']).toBe(crc64('abcde'));
            // ali-oss hands positions back as strings; both work.
            const third = await client.append(name, new Uint8Array([0x66]), { position: '5' });
            expect(third.nextAppendPosition).toBe(6);
            const got = await client.get(name);
            expect(dec(got.content)).toBe('abcdef');
            expect(got.res.headers['x-oss-hash-crc64ecma']).toBe(crc64('abcdef'));
            const head = await client.head(name);
            expect(head.res.headers['x-oss-object-type']).toBe('Appendable');
            expect(head.res.headers['content-type']).toBe('text/x-log');
            expect(head.meta).toEqual({ owner: 'ann' });
          }
        });

        it('appends a stream of unknown length', async () => {
          await client.append('append/stream', 'x');
          const stream = new ReadableStream<Uint8Array>({
            start(c) {
              c.enqueue(enc('yy'));
              c.enqueue(enc('zzz'));
              c.close();
            },
          });
          expect((await client.append('append/stream', stream, { position: 1 })).nextAppendPosition).toBe(6);
          expect(dec((await client.get('append/stream')).content)).toBe('xyyzzz');
        });

        it('refuses a wrong position with the current length, and leaves the object alone', async () => {
          for (const key of AWKWARD) {
            const name = `append-pos/${key}`;
            await client.append(name, 'abc');
            for (const position of [0, 2, 4]) {
              const err = await errorOf(client.append(name, 'zz', { position }));
              expect(err).toBeInstanceOf(OSSError);
              expect(err).toMatchObject({ name: 'PositionNotEqualToLengthError', code: 'PositionNotEqualToLength', status: 409 });
              expect((err as OSSError).headers?.['x-oss-next-append-position']).toBe('3');
            }
            expect(dec((await client.get(name)).content)).toBe('abc');
          }
        });

        it('refuses to append to a Normal object', async () => {
          for (const key of AWKWARD) {
            const name = `append-normal/${key}`;
            await client.put(name, 'plain');
            await expect(client.append(name, 'more', { position: 5 })).rejects.toMatchObject({
              name: 'ObjectNotAppendableError', code: 'ObjectNotAppendable', status: 409,
            });
            expect(dec((await client.get(name)).content)).toBe('plain');
          }
        });

        it('validates its arguments before sending', async () => {
          for (const position of [-1, 1.5, 'abc', Number.NaN, {}]) {
            await expect(client.append('a', 'x', { position: position as number })).rejects.toMatchObject({
              name: 'OSSArgumentError', argument: 'options.position',
            });
          }
          await expect(client.append('', 'x')).rejects.toBeInstanceOf(OSSArgumentError);
          await expect(client.append('a', 42 as never)).rejects.toMatchObject({ argument: 'body' });
          await expect(client.append('a', 'x', { meta: { 'bad_name': 'v' } })).rejects.toMatchObject({ argument: 'options.meta.bad_name' });
        });

        it('server: a missing or malformed position is InvalidArgument', async () => {
          for (const query of [{ append: null }, { append: null, position: 'x' }, { append: null, position: '-1' }]) {
            const err = await errorOf(client.request({ method: 'POST', bucket, key: 'append/raw', query, body: enc('x') }));
            expect(err).toMatchObject({ code: 'InvalidArgument', status: 400 });
          }
        });
      });

      describe('symlinks', () => {
        it('putSymlink/getSymlink round-trip awkward targets and the link meta', async () => {
          for (const key of AWKWARD) {
            const target = `target/${key}`;
            const put = await client.putSymlink(`link/${key}`, target, { meta: { note: 'naïve ✓' } });
            expect(put.res.status).toBe(200);
            const got = await client.getSymlink(`link/${key}`);
            expect(got.targetName).toBe(target);
            expect(got.meta).toEqual({ note: 'naïve ✓' });
            expect(got.res.headers['x-oss-symlink-target']).toBe(encodeURIComponent(target).replace(/%2F/g, '/'));
          }
        });

        it('keeps storage class and ACL, honours forbidOverwrite', async () => {
          await client.putSymlink('link/ia', 'somewhere', { storageClass: 'IA', acl: 'public-read' });
          expect((await client.getACL('link/ia')).acl).toBe('public-read');
          const listed = await client.list({ prefix: 'link/ia' });
          expect(listed.objects[0]).toMatchObject({ name: 'link/ia', type: 'Symlink', storageClass: 'IA', size: 0 });
          await expect(client.putSymlink('link/ia', 'elsewhere', { forbidOverwrite: true })).rejects.toMatchObject({
            name: 'FileAlreadyExistsError', status: 409,
          });
          expect((await client.getSymlink('link/ia')).targetName).toBe('somewhere');
          await client.putSymlink('link/ia', 'elsewhere', { forbidOverwrite: false });
          expect((await client.getSymlink('link/ia')).targetName).toBe('elsewhere');
        });

        it('getSymlink of a missing key is NoSuchKey, of a normal object NotSymlink', async () => {
          await expect(client.getSymlink('link/missing')).rejects.toMatchObject({ name: 'NoSuchKeyError', status: 404 });
          await client.put('link/plain', 'p');
          await expect(client.getSymlink('link/plain')).rejects.toMatchObject({ name: 'NotSymlinkError', status: 400 });
        });

        it('validates its arguments before sending', async () => {
          await expect(client.putSymlink('l', '')).rejects.toMatchObject({ argument: 'targetName' });
          await expect(client.putSymlink('l', '/abs')).rejects.toMatchObject({ argument: 'targetName' });
          await expect(client.putSymlink('l', 't', { storageClass: 'Cold' as never })).rejects.toMatchObject({ argument: 'options.storageClass' });
          await expect(client.putSymlink('l', 't', { acl: 'public' as never })).rejects.toMatchObject({ argument: 'options.acl' });
          await expect(client.putSymlink('l', 't', { forbidOverwrite: 'yes' as never })).rejects.toMatchObject({ argument: 'options.forbidOverwrite' });
        });
      });

      describe('object ACL', () => {
        it('puts and gets every ACL', async () => {
          for (const key of AWKWARD) {
            await client.put(`acl/${key}`, 'x');
            const initial = await client.getACL(`acl/${key}`);
            expect(initial.acl).toBe('default');
            expect(initial.owner.id).toMatch(/^\d+$/);
            for (const acl of ['private', 'public-read', 'public-read-write', 'default'] as const) {
              expect((await client.putACL(`acl/${key}`, acl)).res.status).toBe(200);
              expect((await client.getACL(`acl/${key}`)).acl).toBe(acl);
            }
          }
        });

        it('anonymous reads follow the object ACL in a private bucket', async () => {
          const anonymous = new OSSClient({ endpoint, region: 'cn-hangzhou', bucket, fetch: (input, init) => raw(String(input), init) });
          for (const key of AWKWARD) {
            const name = `acl-anon/${key}`;
            await client.put(name, `public ${key}`);
            const url = client.url(bucket, name);
            // default → the bucket's private ACL
            const denied = await raw(url);
            expect(denied.status).toBe(403);
            expect(await codeOf(denied)).toBe('AccessDenied');
            await client.putACL(name, 'public-read');
            const allowed = await raw(url);
            expect(allowed.status).toBe(200);
            expect(await allowed.text()).toBe(`public ${key}`);
            expect(dec((await anonymous.get(name)).content)).toBe(`public ${key}`);
            // public-read allows reading, not writing
            const write = await raw(url, { method: 'PUT', body: enc('overwrite') });
            expect(write.status).toBe(403);
            await client.putACL(name, 'private');
            await expect(anonymous.get(name)).rejects.toMatchObject({ name: 'AccessDeniedError', status: 403 });
            expect((await raw(url)).status).toBe(403);
          }
          // ACL operations themselves are the owner's
          await expect(anonymous.getACL('acl-anon/sp ace.txt')).rejects.toMatchObject({ name: 'AccessDeniedError' });
          await expect(anonymous.putACL('acl-anon/sp ace.txt', 'public-read')).rejects.toMatchObject({ name: 'AccessDeniedError' });
        });

        it('missing objects and bad ACLs', async () => {
          await expect(client.getACL('acl/missing')).rejects.toMatchObject({ name: 'NoSuchKeyError' });
          await expect(client.putACL('acl/missing', 'private')).rejects.toMatchObject({ name: 'NoSuchKeyError' });
          await expect(client.putACL('acl/x', 'public' as never)).rejects.toMatchObject({ name: 'OSSArgumentError', argument: 'acl' });
          await client.put('acl/raw', 'x');
          const err = await errorOf(client.request({ method: 'PUT', bucket, key: 'acl/raw', query: { acl: null }, headers: { 'x-oss-object-acl': 'everyone' } }));
          expect(err).toMatchObject({ code: 'InvalidArgument', status: 400 });
        });
      });

      describe('object tagging', () => {
        const tags = { project: 'apollo', 'with space': 'a+b=c', path: 'x/y:z', empty: '', digits: '007' };

        it('puts, gets and deletes tags', async () => {
          for (const key of AWKWARD) {
            const name = `tag/${key}`;
            await client.put(name, 'x');
            expect((await client.getObjectTagging(name)).tag).toEqual({});
            expect((await client.putObjectTagging(name, tags)).res.status).toBe(200);
            expect((await client.getObjectTagging(name)).tag).toEqual(tags);
            await client.putObjectTagging(name, { only: 'one' });
            expect((await client.getObjectTagging(name)).tag).toEqual({ only: 'one' });
            expect((await client.deleteObjectTagging(name)).res.status).toBe(204);
            expect((await client.getObjectTagging(name)).tag).toEqual({});
            // tags never touch the bytes
            expect(dec((await client.get(name)).content)).toBe('x');
          }
        });

        it('validates tags as ali-oss does, before sending', async () => {
          const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
          await expect(client.putObjectTagging('t', eleven)).rejects.toMatchObject({ argument: 'tag' });
          await expect(client.putObjectTagging('t', { ['k'.repeat(129)]: 'v' })).rejects.toMatchObject({ name: 'OSSArgumentError' });
          await expect(client.putObjectTagging('t', { k: 'v'.repeat(257) })).rejects.toMatchObject({ argument: 'tag.k' });
          await expect(client.putObjectTagging('t', { '': 'v' })).rejects.toMatchObject({ name: 'OSSArgumentError' });
          await expect(client.putObjectTagging('t', { k: 'ümlaut' })).rejects.toMatchObject({ argument: 'tag.k' });
          await expect(client.putObjectTagging('t', { 'a#b': 'v' })).rejects.toMatchObject({ argument: 'tag.a#b' });
          await expect(client.putObjectTagging('t', { k: 1 as never })).rejects.toMatchObject({ argument: 'tag.k' });
          await expect(client.putObjectTagging('t', null as never)).rejects.toMatchObject({ argument: 'tag' });
          // the limits themselves pass
          const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`.padEnd(128, 'x'), 'v'.repeat(256)]));
          await client.put('tag/limits', 'x');
          await client.putObjectTagging('tag/limits', ten);
          expect((await client.getObjectTagging('tag/limits')).tag).toEqual(ten);
        });

        it('server: enforces the same limits on what other clients send', async () => {
          await client.put('tag/raw', 'x');
          const send = (inner: string) =>
            errorOf(client.request({
              method: 'PUT', bucket, key: 'tag/raw', query: { tagging: null }, body: enc(`<Tagging><TagSet>${inner}</TagSet></Tagging>`),
            }));
          const tag = (k: string, v: string) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`;
          expect(await send(Array.from({ length: 11 }, (_, i) => tag(`k${i}`, 'v')).join(''))).toMatchObject({ code: 'InvalidTag', status: 400 });
          expect(await send(tag('a', '1') + tag('a', '2'))).toMatchObject({ code: 'InvalidTag' });
          expect(await send(tag('k'.repeat(129), 'v'))).toMatchObject({ code: 'InvalidTag' });
          expect(await send(tag('k', 'v'.repeat(257)))).toMatchObject({ code: 'InvalidTag' });
          expect(await send(tag('k', 'caf&#233;'))).toMatchObject({ code: 'InvalidTag' });
          expect(await send('<Tag><Value>v</Value></Tag>')).toMatchObject({ code: 'MalformedXML' });
          for (const body of ['not xml', '<Nope><TagSet/></Nope>']) {
            const malformed = await errorOf(client.request({ method: 'PUT', bucket, key: 'tag/raw', query: { tagging: null }, body: enc(body) }));
            expect(malformed).toMatchObject({ code: 'MalformedXML', status: 400 });
          }
          expect((await client.getObjectTagging('tag/raw')).tag).toEqual({});
          await expect(client.getObjectTagging('tag/missing')).rejects.toMatchObject({ name: 'NoSuchKeyError' });
        });

        it('x-oss-tagging sets tags when append or PutSymlink creates the object', async () => {
          for (const key of AWKWARD) {
            const name = `tag-append/${key}`;
            await client.append(name, 'a', { headers: { 'x-oss-tagging': 'k1=v1&with%20space=a%2Bb&bare' } });
            expect((await client.getObjectTagging(name)).tag).toEqual({ k1: 'v1', 'with space': 'a+b', bare: '' });
          }
          const link = await client.request({
            method: 'PUT', bucket, key: 'tag-link', query: { symlink: null }, headers: { 'x-oss-symlink-target': 't', 'x-oss-tagging': 'a=1' },
          });
          await link.response.arrayBuffer();
          link.done();
          expect((await client.getObjectTagging('tag-link')).tag).toEqual({ a: '1' });
          const bad = (tagging: string) => errorOf(client.append(`tag-append/bad`, 'a', { headers: { 'x-oss-tagging': tagging } }));
          expect(await bad('aa=bb=cc')).toMatchObject({ code: 'InvalidArgument', status: 400 });
          expect(await bad('k=%C3%BC')).toMatchObject({ code: 'InvalidTag', status: 400 });
          expect(await bad(Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&'))).toMatchObject({ code: 'InvalidTag' });
          await expect(client.head('tag-append/bad')).rejects.toMatchObject({ name: 'NoSuchKeyError' });
        });
      });

      describe('restore', () => {
        it('Archive: 202, then 409 while restoring, then 200 once restored', async () => {
          for (const key of AWKWARD) {
            const name = `archive/${key}`;
            await client.put(name, `cold ${key}`, { headers: { 'x-oss-storage-class': 'Archive' } });
            const first = await client.restore(name);
            expect(first.status).toBe(202);
            await expect(client.restore(name)).rejects.toMatchObject({
              name: 'RestoreAlreadyInProgressError', code: 'RestoreAlreadyInProgress', status: 409,
            });
          }
          moveClock(RESTORE_DELAY + 1000);
          try {
            for (const key of AWKWARD) expect((await client.restore(`archive/${key}`, { days: 3 })).status).toBe(200);
          } finally {
            moveClock(0);
          }
        });

        it('cold archives take a tier; the server checks days and tier per class', async () => {
          await client.put('archive/cold', 'c', { headers: { 'x-oss-storage-class': 'ColdArchive' } });
          expect((await client.restore('archive/cold', { days: 30, tier: 'Bulk' })).status).toBe(202);
          await client.put('archive/deep', 'd', { headers: { 'x-oss-storage-class': 'DeepColdArchive' } });
          await expect(client.restore('archive/deep', { tier: 'Bulk' })).rejects.toMatchObject({ code: 'InvalidArgument', status: 400 });
          await client.put('archive/eight', 'e', { headers: { 'x-oss-storage-class': 'Archive' } });
          await expect(client.restore('archive/eight', { days: 8 })).rejects.toMatchObject({ code: 'InvalidArgument', status: 400 });
          expect((await client.restore('archive/eight', { days: 7 })).status).toBe(202);
        });

        it('non-archive objects: OperationNotSupported; missing: NoSuchKey', async () => {
          await client.put('archive/standard', 's');
          await expect(client.restore('archive/standard')).rejects.toMatchObject({ name: 'OperationNotSupportedError', status: 400 });
          await client.put('archive/ia', 's', { headers: { 'x-oss-storage-class': 'IA' } });
          await expect(client.restore('archive/ia')).rejects.toMatchObject({ name: 'OperationNotSupportedError', status: 400 });
          await expect(client.restore('archive/missing')).rejects.toMatchObject({ name: 'NoSuchKeyError', status: 404 });
        });

        it('validates its arguments before sending', async () => {
          for (const days of [0, 366, 1.5, '2']) {
            await expect(client.restore('a', { days: days as number })).rejects.toMatchObject({ argument: 'options.days' });
          }
          await expect(client.restore('a', { tier: 'Fast' as never })).rejects.toMatchObject({ argument: 'options.tier' });
        });
      });

      describe('signatureUrl', () => {
        it('presigned GET and HEAD work with plain fetch', async () => {
          for (const key of AWKWARD) {
            const name = `presign/${key}`;
            await client.put(name, `hello ${key}`);
            const url = await client.signatureUrl(name);
            expect(url).toContain(signatureVersion === 'v4' ? 'x-oss-signature=' : 'Signature=');
            const res = await raw(url);
            expect(res.status).toBe(200);
            expect(await res.text()).toBe(`hello ${key}`);
            const headUrl = await client.asyncSignatureUrl(name, { method: 'HEAD', expires: 60 });
            const head = await raw(headUrl, { method: 'HEAD' });
            expect(head.status).toBe(200);
            expect(head.headers.get('content-length')).toBe(String(enc(`hello ${key}`).length));
          }
        });

        it('presigned PUT uploads with the signed Content-Type, and only with it', async () => {
          for (const key of AWKWARD) {
            const name = `presign-put/${key}`;
            const url = await client.signatureUrl(name, { method: 'PUT', 'Content-Type': 'text/plain', expires: 300 });
            const put = await raw(url, { method: 'PUT', body: enc(`uploaded ${key}`), headers: { 'Content-Type': 'text/plain' } });
            expect(put.status).toBe(200);
            const got = await client.get(name);
            expect(dec(got.content)).toBe(`uploaded ${key}`);
            expect(got.res.headers['content-type']).toBe('text/plain');
            const other = await raw(url, { method: 'PUT', body: enc('x'), headers: { 'Content-Type': 'image/png' } });
            expect(other.status).toBe(403);
            expect(await codeOf(other)).toBe('SignatureDoesNotMatch');
          }
          // no Content-Type signed: the upload must carry none (bytes, not a string, in fetch)
          const bare = await client.signatureUrl('presign-put/bare', { method: 'PUT' });
          expect((await raw(bare, { method: 'PUT', body: enc('bare') })).status).toBe(200);
        });

        it('signs x-oss-* headers, response overrides, process, traffic limit and sub-resources', async () => {
          await client.put('presign/opts', 'opts');
          const url = await client.signatureUrl('presign/opts', {
            response: { 'Content-Disposition': 'attachment; filename="ü.txt"', 'content-type': 'text/x-over' },
            trafficLimit: 819_200,
            subResource: { versionId: 'null' },
          });
          const res = await raw(url);
          expect(res.status).toBe(200);
          expect(res.headers.get('content-type')).toBe('text/x-over');
          expect(res.headers.get('content-disposition')).toBe(new TextDecoder('latin1').decode(enc('attachment; filename="ü.txt"')));
          expect(await res.text()).toBe('opts');
          // x-oss-process is part of the signature: changing it breaks the URL
          const processed = await client.signatureUrl('presign/opts', { process: 'image/resize,w_10' });
          expect(new URL(processed).searchParams.get('x-oss-process')).toBe('image/resize,w_10');
          expect(await codeOf(await raw(processed))).not.toBe('SignatureDoesNotMatch');
          const swapped = await raw(processed.replace('w_10', 'w_20'));
          expect(await codeOf(swapped)).toBe('SignatureDoesNotMatch');
          const putUrl = await client.signatureUrl('presign/meta', { method: 'PUT', headers: { 'x-oss-meta-who': 'ann' } });
          expect((await raw(putUrl, { method: 'PUT', body: enc('m'), headers: { 'x-oss-meta-who': 'ann' } })).status).toBe(200);
          expect((await client.head('presign/meta')).meta).toEqual({ who: 'ann' });
          const unsent = await raw(putUrl, { method: 'PUT', body: enc('m') });
          expect(await codeOf(unsent)).toBe('SignatureDoesNotMatch');
        });

        it('an expired URL is AccessDenied', async () => {
          await client.put('presign/expiring', 'e');
          const url = await client.signatureUrl('presign/expiring', { expires: 60 });
          expect((await raw(url)).status).toBe(200);
          offset = 61_000;
          try {
            const res = await raw(url);
            expect(res.status).toBe(403);
            expect(await codeOf(res)).toBe('AccessDenied');
          } finally {
            offset = 0;
          }
        });

        it('a tampered URL is SignatureDoesNotMatch', async () => {
          await client.put('presign/t1', 'one');
          await client.put('presign/t2', 'two');
          const url = await client.signatureUrl('presign/t1');
          const otherKey = url.replace('/presign/t1?', '/presign/t2?');
          const param = signatureVersion === 'v4' ? 'x-oss-signature' : 'Signature';
          const u = new URL(url);
          const sig = u.searchParams.get(param)!;
          u.searchParams.set(param, (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1));
          const longer = url.replace(/(expires=)(\d+)/i, (_, name: string, n: string) => `${name}${Number(n) + 1}`);
          for (const bad of [otherKey, u.toString(), longer]) {
            const res = await raw(bad);
            expect(res.status).toBe(403);
            expect(await codeOf(res)).toBe('SignatureDoesNotMatch');
          }
        });

        it('carries the STS token', async () => {
          handler.state.keys.set('sts-key', {
            accessKeyId: 'sts-key', accessKeySecret: 'sts-secret', securityToken: 'sts-token/+=', ownerId: '1000000000000000', displayName: 'sts',
          });
          const sts = new OSSClient({
            endpoint, region: 'cn-hangzhou', bucket, signatureVersion, accessKeyId: 'sts-key', accessKeySecret: 'sts-secret', stsToken: 'sts-token/+=',
            fetch: (input, init) => raw(String(input), init),
          });
          await client.put('presign/sts', 'sts');
          const url = await sts.signatureUrl('presign/sts');
          expect(new URL(url).searchParams.get(signatureVersion === 'v4' ? 'x-oss-security-token' : 'security-token')).toBe('sts-token/+=');
          expect(await (await raw(url)).text()).toBe('sts');
          const stripped = new URL(url);
          stripped.searchParams.delete(signatureVersion === 'v4' ? 'x-oss-security-token' : 'security-token');
          expect((await raw(stripped.toString())).status).toBe(403);
        });

        it('validates its arguments', async () => {
          const bad = async (options: object, argument: string) =>
            expect(client.signatureUrl('k', options as never)).rejects.toMatchObject({ name: 'OSSArgumentError', argument });
          await bad({ expires: 0 }, 'options.expires');
          await bad({ expires: 1.5 }, 'options.expires');
          if (signatureVersion === 'v4') await bad({ expires: 604_801 }, 'options.expires');
          else expect(await client.signatureUrl('k', { expires: 604_801 })).toContain('Expires=');
          await bad({ method: 'PATCH' }, 'options.method');
          await bad({ response: { 'x-custom': 'v' } }, 'options.response.x-custom');
          await bad({ subResource: { 'x-oss-signature': 'v' } }, 'options.subResource.x-oss-signature');
          await bad({ headers: { Host: 'evil' } }, 'options.headers.Host');
          await bad({ trafficLimit: 1 }, 'options.trafficLimit');
          await expect(client.signatureUrl('a/../b')).rejects.toMatchObject({ name: 'OSSArgumentError', argument: 'name' });
          const anonymous = new OSSClient({ endpoint, bucket });
          await expect(anonymous.signatureUrl('k')).rejects.toMatchObject({ name: 'OSSArgumentError', argument: 'accessKeyId' });
        });
      });

      // These go through PutObject/GetObject/HeadObject and need the hooks object-extra.ts exports.
      describe('through the hooks in PutObject, GetObject and HeadObject', () => {
        it('PutObject stores the tags of x-oss-tagging', async () => {
          for (const key of AWKWARD) {
            await client.put(`put-tags/${key}`, 'x', { headers: { 'x-oss-tagging': 'a=1&b=x%2By%20z' } });
            expect((await client.getObjectTagging(`put-tags/${key}`)).tag).toEqual({ a: '1', b: 'x+y z' });
          }
          await expect(client.put('put-tags/bad', 'x', { headers: { 'x-oss-tagging': 'a=%C3%BC' } })).rejects.toMatchObject({ code: 'InvalidTag' });
        });

        // HeadObject (https://help.aliyun.com/document_detail/31984.htm): for a symlink, Content-Length,
        // ETag and x-oss-storage-class are the target's, Last-Modified the later of the two, the other
        // headers the link's; aliyun-oss-csharp-sdk's CreateAndGetSymlinkWithUserMetadataTest checks
        // live OSS's GetObject on a link: the link's user metadata and ObjectType "Symlink".
        it('GET and HEAD of a symlink serve the target with the link\'s own type and metadata; a dangling link is NoSuchKey', async () => {
          for (const key of AWKWARD) {
            const target = await client.put(`follow-target/${key}`, `target of ${key}`, { mime: 'text/x-target', meta: { side: 'target' } });
            moveClock(2_000); // the link is the newer of the two
            await client.putSymlink(`follow/${key}`, `follow-target/${key}`, { meta: { side: 'link' } });
            const got = await client.get(`follow/${key}`);
            expect(dec(got.content)).toBe(`target of ${key}`);
            expect(got.res.headers['content-type']).toBe('text/x-target');
            expect(got.res.headers['x-oss-object-type']).toBe('Symlink');
            expect(got.res.headers['x-oss-meta-side']).toBe('link');
            const head = await client.head(`follow/${key}`);
            expect(head.meta).toEqual({ side: 'link' });
            expect(head.res.headers['x-oss-object-type']).toBe('Symlink');
            expect(head.res.headers.etag).toBe(target.res.headers.etag);
            expect(Date.parse(head.res.headers['last-modified']!)).toBeGreaterThan(Date.parse((await client.head(`follow-target/${key}`)).res.headers['last-modified']!));
            expect(head.res.headers['content-length']).toBe(String(enc(`target of ${key}`).length));
            expect((await client.head(`follow-target/${key}`)).res.headers['x-oss-object-type']).toBe('Normal');
            moveClock(0);
            await client.delete(`follow-target/${key}`);
            await expect(client.get(`follow/${key}`)).rejects.toMatchObject({ name: 'NoSuchKeyError', status: 404 });
            await expect(client.head(`follow/${key}`)).rejects.toMatchObject({ name: 'NoSuchKeyError', status: 404 });
          }
        });

        it('a link to a link is refused; a public link to a private target is not a way in', async () => {
          await client.put('chain/target', 't');
          await client.putSymlink('chain/one', 'chain/target');
          await client.putSymlink('chain/two', 'chain/one');
          await expect(client.get('chain/two')).rejects.toMatchObject({ code: 'InvalidTargetType', status: 400 });
          await client.putSymlink('chain/public', 'chain/target', { acl: 'public-read' });
          expect((await raw(client.url(bucket, 'chain/public'))).status).toBe(403);
          await client.putACL('chain/target', 'public-read');
          expect(await (await raw(client.url(bucket, 'chain/public'))).text()).toBe('t');
        });

        it('HEAD shows where the next append goes', async () => {
          for (const key of AWKWARD) {
            await client.append(`state-append/${key}`, 'abcd');
            expect((await client.head(`state-append/${key}`)).res.headers['x-oss-next-append-position']).toBe('4');
          }
          await client.put('state-append/normal', 'x');
          expect((await client.head('state-append/normal')).res.headers['x-oss-next-append-position']).toBeUndefined();
        });

        it('HEAD and GET show the tag count', async () => {
          await client.put('state-tags/a', 'x');
          expect((await client.head('state-tags/a')).res.headers['x-oss-tagging-count']).toBeUndefined();
          await client.putObjectTagging('state-tags/a', { a: '1', b: '2' });
          expect((await client.head('state-tags/a')).res.headers['x-oss-tagging-count']).toBe('2');
          expect((await client.get('state-tags/a')).res.headers['x-oss-tagging-count']).toBe('2');
        });

        it('an archived object is readable only while restored; HEAD shows x-oss-restore', async () => {
          for (const key of AWKWARD) {
            const name = `gate/${key}`;
            await client.put(name, `frozen ${key}`, { headers: { 'x-oss-storage-class': 'Archive' } });
            await expect(client.get(name)).rejects.toMatchObject({ name: 'InvalidObjectStateError', code: 'InvalidObjectState', status: 403 });
            const head = await client.head(name);
            expect(head.res.headers['x-oss-storage-class']).toBe('Archive');
            expect(head.res.headers['x-oss-restore']).toBeUndefined();
            await client.restore(name, { days: 1 });
            expect((await client.head(name)).res.headers['x-oss-restore']).toBe('ongoing-request="true"');
            await expect(client.get(name)).rejects.toMatchObject({ code: 'InvalidObjectState' });
          }
          moveClock(RESTORE_DELAY + 1000);
          try {
            for (const key of AWKWARD) {
              const head = await client.head(`gate/${key}`);
              expect(head.res.headers['x-oss-restore']).toMatch(/^ongoing-request="false", expiry-date="\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT"$/);
              expect(dec((await client.get(`gate/${key}`)).content)).toBe(`frozen ${key}`);
            }
            moveClock(RESTORE_DELAY + 86_400_000 + 1000);
            await expect(client.get('gate/sp ace.txt')).rejects.toMatchObject({ code: 'InvalidObjectState' });
            expect((await client.head('gate/sp ace.txt')).res.headers['x-oss-restore']).toBeUndefined();
            // frozen again: a new restore starts over
            expect((await client.restore('gate/sp ace.txt')).status).toBe(202);
          } finally {
            moveClock(0);
          }
        });
      });
    });
  }
}

describe('server edge cases (in-process)', () => {
  it('PutSymlink without a target, PutObjectACL without an ACL: InvalidArgument', async () => {
    const { client } = inProcessClient({ buckets: ['edge-args'] }, { bucket: 'edge-args' });
    await client.put('o', 'x');
    for (const params of [
      { method: 'PUT', key: 'l', query: { symlink: null } },
      { method: 'PUT', key: 'o', query: { acl: null } },
    ]) {
      await expect(client.request({ ...params, bucket: 'edge-args' })).rejects.toMatchObject({ code: 'InvalidArgument', status: 400 });
    }
  });

  it('no symlinks in an Archive bucket', async () => {
    const { client } = inProcessClient();
    await client.putBucket('edge-archive', { storageClass: 'Archive' });
    await expect(client.putSymlink('l', 't', { bucket: 'edge-archive' })).rejects.toMatchObject({ name: 'OperationNotSupportedError', status: 400 });
  });

  it('a storage without appendObject answers NotImplemented', async () => {
    const storage = new MemoryStorage();
    Object.defineProperty(storage, 'appendObject', { value: undefined });
    const { client } = inProcessClient({ storage, buckets: ['edge-plain'] }, { bucket: 'edge-plain' });
    await expect(client.append('a', 'x')).rejects.toMatchObject({ code: 'NotImplemented', status: 501 });
  });
});

describe('restore delay default', () => {
  it('is a few seconds unless configured', async () => {
    const { client, handler } = inProcessClient({ buckets: ['delay-default'] }, { bucket: 'delay-default' });
    expect(handler.state.restoreDelayMs).toBe(3000);
    await client.put('a', 'a', { headers: { 'x-oss-storage-class': 'Archive' } });
    expect((await client.restore('a')).status).toBe(202);
    await expect(client.restore('a')).rejects.toMatchObject({ code: 'RestoreAlreadyInProgress' });
  });
});

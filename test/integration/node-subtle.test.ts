// nodeSubtle(): the node:crypto SubtleCrypto of oss-fetch/node. It must compute exactly what the
// platform's Web Crypto does, hand everything it does not speed up to the platform, and sign
// real requests the local server accepts, in both signature versions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSubtle } from '../../src/adapters/node.js';
import { OSSArgumentError, OSSClient } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { creds, httpServer, uniqueBucket } from '../helpers/server.js';
import { seededRandom } from '../helpers/seed.js';
import { SYNC_CRYPTO, syncCrypto, type SyncCrypto } from '../../src/core/crypto.js';
import { signV4Header } from '../../src/core/sign-v4.js';
import { signatureV1 } from '../../src/core/sign-v1.js';

/** `n` bytes from a seeded generator. */
const randomBytes = (random: () => number, n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));

const enc = new TextEncoder();
const platform = globalThis.crypto.subtle;
const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (v) => v.toString(16).padStart(2, '0')).join('');

describe('nodeSubtle', () => {
  const fast = nodeSubtle();

  it('gives the platform HMAC for every hash, key length and message', async () => {
    const { random } = seededRandom(0x4d4ac);
    for (const hash of ['SHA-1', 'SHA-256', 'SHA-512']) {
      for (const keyLength of [1, 32, 64, 65, 200]) {
        const raw = randomBytes(random, keyLength);
        const data = randomBytes(random, keyLength * 7);
        const ours = await fast.importKey('raw', raw, { name: 'HMAC', hash }, false, ['sign']);
        const theirs = await platform.importKey('raw', raw, { name: 'HMAC', hash }, false, ['sign']);
        // The fast path really ran: the key is ours, not a platform CryptoKey.
        expect(ours instanceof CryptoKey).toBe(false);
        expect(hex(await fast.sign('HMAC', ours, data))).toBe(hex(await platform.sign('HMAC', theirs, data)));
      }
    }
  });

  it('gives the platform digests, over views into larger buffers too', async () => {
    const buffer = randomBytes(seededRandom(0xd16e57).random, 4096);
    const view = new DataView(buffer.buffer, 100, 3000);
    for (const alg of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']) {
      expect(hex(await fast.digest(alg, view))).toBe(hex(await platform.digest(alg, view)));
      expect(hex(await fast.digest({ name: alg }, enc.encode('')))).toBe(hex(await platform.digest(alg, enc.encode(''))));
    }
  });

  it('hands platform keys and other algorithms to the platform', async () => {
    const platformKey = await platform.importKey('raw', enc.encode('k'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    expect(hex(await fast.sign('HMAC', platformKey, enc.encode('m')))).toBe(hex(await platform.sign('HMAC', platformKey, enc.encode('m'))));
    const aes = await fast.generateKey({ name: 'AES-GCM', length: 128 }, false, ['encrypt']);
    expect((aes as CryptoKey).algorithm.name).toBe('AES-GCM');
    const extractable = await fast.importKey('raw', enc.encode('k'), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
    expect(extractable instanceof CryptoKey).toBe(true);
  });

  it('signs synchronously (SYNC_CRYPTO) exactly as the platform does, non-ASCII and lone surrogates included', async () => {
    const sync = syncCrypto(fast)!.hmac;
    expect(typeof sync).toBe('function');
    const raw = enc.encode('secret-é');
    const ours = await fast.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
    const theirs = await platform.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
    for (const text of ['', 'GET\n\n\nWed, 02 Dec 2026 10:00:00 GMT\n/b/k', 'x-oss-meta-a:ü中\n', 'lone \ud800 surrogate \udfff', 'x'.repeat(300)]) {
      const mac = new Uint8Array(await platform.sign('HMAC', theirs, enc.encode(text)));
      expect(sync(ours, text, 'hex')).toBe(hex(mac.buffer));
      expect(sync(ours, text, 'base64')).toBe(btoa(String.fromCharCode(...mac)));
    }
    // A key it did not import: no answer, the caller takes the async path.
    expect(sync(theirs, 'm', 'hex')).toBeUndefined();
    expect(syncCrypto(platform)).toBeUndefined();
  });

  it('V1 signatures from the synchronous path equal those over the platform', async () => {
    let syncCalls = 0;
    const counting = new Proxy(fast, {
      get: (t, p) => (p === SYNC_CRYPTO ? { ...syncCrypto(t)!, hmac: (...a: Parameters<SyncCrypto['hmac']>) => (syncCalls++, syncCrypto(t)!.hmac(...a)) } : Reflect.get(t, p)),
    });
    for (const text of ['PUT\n\ntext/plain\nWed, 02 Dec 2026 10:00:00 GMT\nx-oss-meta-n:é\n/b/k', 'lone \ud800']) {
      const expected = await signatureV1('sync-secret', text, platform);
      expect(await signatureV1('sync-secret', text, counting)).toBe(expected); // imports the key
      expect(await signatureV1('sync-secret', text, counting)).toBe(expected); // the key is ready: synchronous
    }
    expect(syncCalls).toBeGreaterThan(0);
  });

  it('V4 signatures from the synchronous digest and HMAC equal those over the platform', async () => {
    const calls = { digest: 0, hmac: 0 };
    const counting = new Proxy(fast, {
      get: (t, p) => {
        if (p !== SYNC_CRYPTO) return Reflect.get(t, p);
        const real = syncCrypto(t)!;
        return {
          hmac: (...a: Parameters<SyncCrypto['hmac']>) => (calls.hmac++, real.hmac(...a)),
          digest: (...a: Parameters<SyncCrypto['digest']>) => (calls.digest++, real.digest(...a)),
        };
      },
    });
    const input = {
      method: 'PUT', bucket: 'b', key: 'dir/é \ud800.txt', accessKeyId: 'id', accessKeySecret: 'v4-sync-secret', region: 'cn-hangzhou',
      date: '20261202T100000Z', headers: { 'x-oss-date': '20261202T100000Z', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD', 'x-oss-meta-n': '中文' },
    };
    const expected = (await signV4Header(input, platform)).authorization;
    expect((await signV4Header(input, counting)).authorization).toBe(expected); // derives the key
    expect((await signV4Header(input, counting)).authorization).toBe(expected); // the key is ready: synchronous
    expect(calls.digest).toBeGreaterThan(0);
    expect(calls.hmac).toBeGreaterThan(0);
  });

  it('refuses something that is not a SubtleCrypto to delegate to', () => {
    expect(() => nodeSubtle({} as SubtleCrypto)).toThrow(OSSArgumentError);
    expect(() => nodeSubtle(null as never)).toThrow(/platform/);
  });

  it('never exposes the key material on the key object', async () => {
    const secret = 'super-secret-key-material';
    const key = await fast.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    expect(JSON.stringify(key)).not.toContain(secret);
    expect(Object.values(key).some((v) => v instanceof Uint8Array)).toBe(false);
  });
});

describe('a client signing with nodeSubtle', () => {
  let server: StartedServer;
  beforeAll(async () => {
    server = await httpServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  for (const signatureVersion of ['v4', 'v1'] as const) {
    it(`puts, gets, presigns and lists with ${signatureVersion}`, async () => {
      const bucket = uniqueBucket('subtle');
      const client = new OSSClient({ ...creds, endpoint: server.url, region: 'cn-hangzhou', bucket, signatureVersion, subtle: nodeSubtle() });
      await client.putBucket(bucket);
      await client.put('a/b c.txt', 'hello');
      expect(new TextDecoder().decode((await client.get('a/b c.txt')).content)).toBe('hello');
      const url = await client.signatureUrl('a/b c.txt', { expires: 60 });
      expect(await (await fetch(url)).text()).toBe('hello');
      expect((await client.list({ prefix: 'a/' })).objects.map((o) => o.name)).toEqual(['a/b c.txt']);
      // A wrong secret signs something the server refuses: the signature is really checked.
      const wrong = new OSSClient({ ...creds, accessKeySecret: 'not-the-secret', endpoint: server.url, region: 'cn-hangzhou', bucket, signatureVersion, subtle: nodeSubtle() });
      await expect(wrong.get('a/b c.txt')).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    });
  }

  it('refuses something that is not a SubtleCrypto before sending anything', () => {
    expect(() => new OSSClient({ ...creds, region: 'cn-hangzhou', subtle: {} as SubtleCrypto })).toThrow(OSSArgumentError);
    expect(() => new OSSClient({ ...creds, region: 'cn-hangzhou', subtle: {} as SubtleCrypto })).toThrow(/subtle/);
  });
});

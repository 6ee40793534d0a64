// A SubtleCrypto for Node whose HMAC and SHA digests run synchronously on node:crypto. Node's
// own crypto.subtle sends every call to the libuv thread pool, which costs more than hashing the
// few hundred bytes a signature covers; signing is then 2-4x faster (bench/run.ts, "sign" rows).
// Everything else is delegated to the platform's crypto.subtle.

// A namespace import: `hash` is looked up, not linked (Node before 20.12 has none).
import * as nodeCrypto from 'node:crypto';
import { OSSArgumentError } from '../core/errors.js';
import { SYNC_CRYPTO, type SyncCrypto } from '../core/crypto.js';

const HASHES: Record<string, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/** node:crypto's one-shot `hash()` (Node 20.12 and later): no Hash object per digest. */
const oneShot = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** Raw HMAC key material behind the keys this SubtleCrypto hands out. */
const material = new WeakMap<object, { raw: Uint8Array; hash: string }>();

type AlgorithmLike = string | { name: string; hash?: string | { name: string } };

const algorithmName = (alg: AlgorithmLike): string => (typeof alg === 'string' ? alg : alg.name).toUpperCase();
/** The HMAC key's hash as WebCrypto names it (`SHA-256`), when node:crypto has it. */
const hashOf = (alg: AlgorithmLike): string | undefined => {
  const hash = typeof alg === 'string' ? undefined : alg.hash;
  const name = hash === undefined ? undefined : (typeof hash === 'string' ? hash : hash.name).toUpperCase();
  return name !== undefined && name in HASHES ? name : undefined;
};

function bytes(data: BufferSource): Uint8Array {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** The digest's bytes as an ArrayBuffer: node:crypto gives each digest a buffer of its own, so usually no copy. */
function arrayBuffer(out: Uint8Array): ArrayBuffer {
  const whole = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength && out.buffer instanceof ArrayBuffer;
  return whole ? (out.buffer as ArrayBuffer) : (out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer);
}

/**
 * A SubtleCrypto for the client's `subtle` option that signs requests on node:crypto
 * synchronously instead of through Node's thread-pool-bound crypto.subtle.
 * @example new OSSClient({ region: 'oss-cn-hangzhou', bucket: 'b', accessKeyId, accessKeySecret, subtle: nodeSubtle() })
 */
export function nodeSubtle(platform: SubtleCrypto = globalThis.crypto.subtle): SubtleCrypto {
  if (!platform || typeof platform.importKey !== 'function' || typeof platform.sign !== 'function' || typeof platform.digest !== 'function') {
    throw new OSSArgumentError('platform', 'expected a SubtleCrypto to hand the other operations to');
  }
  const fast: Partial<SubtleCrypto> = {
    async importKey(format: KeyFormat, keyData: JsonWebKey | BufferSource, algorithm: AlgorithmLike, extractable: boolean, usages: KeyUsage[]) {
      const hash = hashOf(algorithm);
      if (format !== 'raw' || algorithmName(algorithm) !== 'HMAC' || !hash || extractable || !usages.every((u) => u === 'sign')) {
        return platform.importKey(format as 'raw', keyData as BufferSource, algorithm as HmacImportParams, extractable, usages);
      }
      // Looks like a non-extractable HMAC CryptoKey to whoever inspects it, holds no secret itself.
      const key = Object.freeze({ type: 'secret', extractable: false, algorithm: { name: 'HMAC', hash: { name: hash } }, usages: ['sign'] });
      material.set(key, { raw: new Uint8Array(bytes(keyData as BufferSource)), hash: HASHES[hash]! });
      return key as unknown as CryptoKey;
    },
    async sign(algorithm: AlgorithmLike, key: CryptoKey, data: BufferSource) {
      const held = material.get(key);
      if (!held || algorithmName(algorithm) !== 'HMAC') return platform.sign(algorithm as AlgorithmIdentifier, key, data);
      return arrayBuffer(nodeCrypto.createHmac(held.hash, held.raw).update(bytes(data)).digest());
    },
    async digest(algorithm: AlgorithmLike, data: BufferSource) {
      const hash = HASHES[algorithmName(algorithm)];
      if (!hash) return platform.digest(algorithm as AlgorithmIdentifier, data);
      return arrayBuffer(nodeCrypto.createHash(hash).update(bytes(data)).digest());
    },
  };
  // The signers' synchronous path (core/crypto.ts): the digest straight from node:crypto as text.
  const sync: SyncCrypto = {
    hmac(key, data, encoding) {
      const held = material.get(key);
      return held && nodeCrypto.createHmac(held.hash, held.raw).update(data, 'utf8').digest(encoding);
    },
    digest: oneShot
      ? (hash, data) => oneShot(HASHES[hash]!, data, 'hex')
      : (hash, data) => nodeCrypto.createHash(HASHES[hash]!).update(data, 'utf8').digest('hex'),
  };
  return new Proxy(platform, {
    get(target, prop) {
      if (prop === SYNC_CRYPTO) return sync;
      if (prop in fast) return fast[prop as keyof SubtleCrypto];
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

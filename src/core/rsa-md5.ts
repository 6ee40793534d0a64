// RSASSA-PKCS1-v1_5 with MD5 (RFC 8017 §8.2), the signature of OSS upload callbacks. Web Crypto has
// no MD5 variant, so the RSA step runs on BigInt over key numbers Web Crypto exports as JWK. Keys
// here are public data or a local server's throwaway key; nothing secret is compared.

/** An RSA key's numbers: n and e, and for signing d with the CRT values. */
export interface RsaNumbers {
  n: bigint;
  e: bigint;
  /** Modulus length in bytes. */
  bytes: number;
  d?: bigint;
  p?: bigint;
  q?: bigint;
  dp?: bigint;
  dq?: bigint;
  qi?: bigint;
}

// DER of DigestInfo { AlgorithmIdentifier md5, NULL } before the 16-byte digest (RFC 8017 §9.2).
const MD5_DIGEST_INFO = [0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05, 0x05, 0x00, 0x04, 0x10];

export function bigFromBytes(bytes: Uint8Array): bigint {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return BigInt(`0x${hex || '0'}`);
}

export function bytesFromBig(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** The key's numbers from its JWK (as `exportKey('jwk', key)` gives them). */
export function rsaNumbers(jwk: JsonWebKey, fromBase64Url: (s: string) => Uint8Array): RsaNumbers {
  const big = (s: string | undefined) => (s === undefined ? undefined : bigFromBytes(fromBase64Url(s)));
  const n = big(jwk.n)!;
  return {
    n, e: big(jwk.e)!, bytes: Math.ceil(n.toString(16).length / 2),
    d: big(jwk.d), p: big(jwk.p), q: big(jwk.q), dp: big(jwk.dp), dq: big(jwk.dq), qi: big(jwk.qi),
  };
}

/** EM = 00 01 FF…FF 00 DigestInfo(MD5) digest, `bytes` long. */
function encodedMessage(digest: Uint8Array, bytes: number): Uint8Array | undefined {
  const tail = [...MD5_DIGEST_INFO, ...digest];
  const padEnd = bytes - tail.length - 1;
  if (padEnd < 10) return undefined;
  const em = new Uint8Array(bytes).fill(0xff);
  em[0] = 0;
  em[1] = 1;
  em[padEnd] = 0;
  em.set(tail, padEnd + 1);
  return em;
}

/** Does `signature` sign this MD5 `digest` under the public key? */
export function rsaMd5Verify(key: RsaNumbers, digest: Uint8Array, signature: Uint8Array): boolean {
  if (signature.byteLength !== key.bytes) return false;
  const s = bigFromBytes(signature);
  if (s >= key.n) return false;
  const expected = encodedMessage(digest, key.bytes);
  if (!expected) return false;
  const got = bytesFromBig(modPow(s, key.e, key.n), key.bytes);
  let diff = 0;
  for (let i = 0; i < key.bytes; i++) diff |= got[i]! ^ expected[i]!;
  return diff === 0;
}

/** The signature of an MD5 `digest` with a private key (CRT when its values are known). */
export function rsaMd5Sign(key: RsaNumbers, digest: Uint8Array): Uint8Array {
  const em = encodedMessage(digest, key.bytes);
  if (!em || key.d === undefined) throw new TypeError('rsaMd5Sign needs a private key of at least 62 bytes');
  const m = bigFromBytes(em);
  let s: bigint;
  if (key.p && key.q && key.dp && key.dq && key.qi) {
    const m1 = modPow(m, key.dp, key.p);
    const m2 = modPow(m, key.dq, key.q);
    const h = (((m1 - m2) % key.p) + key.p) % key.p * key.qi % key.p;
    s = m2 + h * key.q;
  } else {
    s = modPow(m, key.d, key.n);
  }
  return bytesFromBig(s, key.bytes);
}

// HMAC / SHA-256 and byte helpers over Web Crypto only, so the same code runs in browsers,
// Deno, Bun, workerd and Node. Every async helper takes an injectable SubtleCrypto so tests
// can run the signers through a second implementation.

import { OSSArgumentError } from './errors.js';

export type HashName = 'SHA-1' | 'SHA-256';
export type HmacKey = string | Uint8Array | CryptoKey;

const encoder = new TextEncoder();

/** UTF-8 bytes of a string (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8(str: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(str);
}

/** The platform SubtleCrypto; fails loudly rather than signing with something else. */
export function defaultSubtle(): SubtleCrypto {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new TypeError('Web Crypto (crypto.subtle) is not available here; pass a SubtleCrypto explicitly');
  }
  return subtle;
}

// WebCrypto wants views over a plain ArrayBuffer; copy only when handed something else
// (a SharedArrayBuffer-backed view).
function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

function toBytes(data: string | Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof data === 'string') return utf8(data);
  if (!(data instanceof Uint8Array)) throw new OSSArgumentError('data', 'expected a string or a Uint8Array');
  return bufferSource(data);
}

// HMAC pads every key with zeros to the block size, so an empty key and a single zero byte
// give the same MAC. Some WebCrypto implementations (Node's) refuse zero-length keys.
const ZERO_BYTE = new Uint8Array(1);

/** Imports raw key material as a non-extractable HMAC signing key. */
export function importHmacKey(
  key: string | Uint8Array,
  hash: HashName,
  subtle: SubtleCrypto = defaultSubtle(),
): Promise<CryptoKey> {
  const raw = toBytes(key);
  return subtle.importKey('raw', raw.length === 0 ? ZERO_BYTE : raw, { name: 'HMAC', hash }, false, ['sign']);
}

/**
 * HMAC of `data` (UTF-8 when a string). A CryptoKey is used as is (it must be an HMAC key for
 * the same hash and come from the same SubtleCrypto); raw material is imported once per call.
 */
export async function hmac(
  key: HmacKey,
  data: string | Uint8Array,
  hash: HashName,
  subtle: SubtleCrypto = defaultSubtle(),
): Promise<Uint8Array> {
  const cryptoKey = typeof key === 'string' || key instanceof Uint8Array ? await importHmacKey(key, hash, subtle) : key;
  return new Uint8Array(await subtle.sign('HMAC', cryptoKey, toBytes(data)));
}

/**
 * A SubtleCrypto may carry, under this symbol, synchronous HMAC and digest functions over the
 * UTF-8 of a string: `hmac(key, data, encoding)` for keys it imported and `digest(hash, data)`
 * (hex), each undefined when it cannot. oss-fetch/node's nodeSubtle has them (node:crypto): a
 * signature then costs no promise, no ArrayBuffer and no encoding pass of ours.
 */
export const SYNC_CRYPTO = Symbol.for('oss-fetch.syncCrypto');
export interface SyncCrypto {
  hmac(key: CryptoKey, data: string, encoding: 'base64' | 'hex'): string | undefined;
  digest(hash: HashName, data: string): string | undefined;
}

/** The synchronous functions a SubtleCrypto offers (see SYNC_CRYPTO), if any. */
export const syncCrypto = (subtle: SubtleCrypto): SyncCrypto | undefined => (subtle as { [SYNC_CRYPTO]?: SyncCrypto })[SYNC_CRYPTO];

/** An imported key's promise, carrying the key itself once it resolved (for the synchronous paths). */
export type HeldKey = Promise<CryptoKey> & { ready?: CryptoKey };

export function holdKey(pending: HeldKey): HeldKey {
  pending.then((key) => void (pending.ready = key), () => {});
  return pending;
}

/** Lower-case hex SHA-256 of `data` (UTF-8 when a string). */
export async function sha256Hex(data: string | Uint8Array, subtle: SubtleCrypto = defaultSubtle()): Promise<string> {
  return toHex(new Uint8Array(await subtle.digest('SHA-256', toBytes(data))));
}

const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Lower-case hex, two digits per byte. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_PAIRS[bytes[i]!];
  return out;
}

// String.fromCharCode takes its bytes as arguments; chunk to stay far below engine limits.
const CHUNK = 0x8000;

/** Standard Base64 (with `+`, `/` and `=` padding). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** Decodes standard Base64; throws on characters outside the alphabet. */
export function fromBase64(str: string): Uint8Array<ArrayBuffer> {
  let binary: string;
  try {
    binary = atob(str);
  } catch {
    throw new OSSArgumentError('base64', 'not valid Base64');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Base64url (RFC 4648 §5), unpadded: JWK numbers, OSS's saveas targets. */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Bytes of base64url text, padded or not. */
export function fromBase64Url(str: string): Uint8Array<ArrayBuffer> {
  return fromBase64(str.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (str.length % 4)) % 4));
}

/**
 * Compares two strings in time that depends only on their lengths, for checking signatures
 * without leaking how many leading characters matched.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

// Check that an upload callback really comes from OSS, in any runtime an app's back end runs on.
// OSS signs MD5(url-decoded path + "?query" + "\n" + body) with RSA, PKCS#1 v1.5. Web Crypto has
// no MD5 variant of RSASSA, so the public-key operation (s^e mod n) is done here with BigInt; Web
// Crypto still parses the PEM for us (import as SPKI, export as JWK gives n and e).

import { readBodyBytes } from '../core/body-bytes.js';
import { fromBase64, fromBase64Url } from '../core/crypto.js';
import { decodeUriComponentSafe } from '../core/encoding.js';
import { OSSArgumentError, OSSError } from '../core/errors.js';
import { Md5 } from '../core/md5.js';
import { rsaMd5Verify, rsaNumbers, type RsaNumbers } from '../core/rsa-md5.js';

/** OSS's public-key host: the only one trusted unless `allowKeyUrl` says otherwise. */
export const OSS_CALLBACK_KEY_PREFIXES = Object.freeze(['https://gosspublic.alicdn.com/', 'http://gosspublic.alicdn.com/']);

export interface VerifyCallbackOptions {
  /**
   * Which `x-oss-pub-key-url` may be fetched. Default: URLs under OSS's key host
   * (`OSS_CALLBACK_KEY_PREFIXES`); a local server's key URL must be allowed here explicitly.
   */
  allowKeyUrl?: (url: string) => boolean;
  /** Largest callback body read, in bytes (default 1 MiB, OSS's own limit for callback bodies is far below). */
  maxBodyBytes?: number;
  /** Fetches the public key (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Parses the key (default `globalThis.crypto.subtle`). */
  subtle?: SubtleCrypto;
}

/** A callback that passed the signature check. */
export interface VerifiedCallback {
  /** The body OSS sent, exactly (the rendered `callbackBody`). */
  body: string;
  /** The body's fields: JSON parsed, or a form body as an object of strings. */
  fields: Record<string, unknown>;
  /** The public key URL the signature was checked with. */
  keyUrl: string;
}

type RsaKey = RsaNumbers;

const KEY_CACHE_LIMIT = 16;
const keyCache = new Map<string, Promise<RsaKey>>();

/**
 * Verify an OSS upload callback request and return its body. Refuses (OSSError
 * `CallbackSignatureMismatch`, status 400) a missing or wrong signature, a key URL outside the
 * allow-list, or an oversized body; public keys are fetched once per URL and cached.
 * @example
 * const { fields } = await verifyCallback(request); // in a Worker, Deno.serve or a Node handler on Request
 */
export async function verifyCallback(request: Request, options: VerifyCallbackOptions = {}): Promise<VerifiedCallback> {
  if (!(request instanceof Request)) throw new OSSArgumentError('request', 'expected a Request');
  const allow = options.allowKeyUrl ?? ((url: string) => OSS_CALLBACK_KEY_PREFIXES.some((p) => url.startsWith(p)));
  const signature = request.headers.get('authorization');
  const keyUrlHeader = request.headers.get('x-oss-pub-key-url');
  if (!signature || !keyUrlHeader) throw refused('the request carries no OSS callback signature');
  let keyUrl: string;
  try {
    keyUrl = new TextDecoder('utf-8', { fatal: true }).decode(fromBase64(keyUrlHeader.trim()));
  } catch {
    throw refused('x-oss-pub-key-url is not base64 of a URL');
  }
  if (!allow(keyUrl)) throw refused(`the public key URL ${JSON.stringify(keyUrl)} is not allowed`);

  const max = options.maxBodyBytes ?? 1024 * 1024;
  if (Number(request.headers.get('content-length') ?? NaN) > max) throw refused(`its body is larger than ${max} bytes`);
  const body = await readBodyBytes(request.body, max, () => refused(`its body is larger than ${max} bytes`));
  const url = new URL(request.url);
  // MD5 of the path as OSS saw it (url-decoded), the raw query with its "?", "\n" and the body.
  const digest = new Md5().update(new TextEncoder().encode(`${decodeUriComponentSafe(url.pathname)}${url.search}\n`)).update(body).digest();
  const key = await publicKey(keyUrl, options);
  let sig: Uint8Array;
  try {
    sig = fromBase64(signature.trim());
  } catch {
    throw refused('the signature is not base64');
  }
  if (!rsaMd5Verify(key, digest, sig)) throw refused('the signature does not match');
  const text = new TextDecoder().decode(body);
  return { body: text, fields: parseFields(text, request.headers.get('content-type')), keyUrl };
}

function refused(why: string): OSSError {
  return new OSSError({ code: 'CallbackSignatureMismatch', message: `Not an OSS callback: ${why}.`, status: 400 });
}

function publicKey(keyUrl: string, options: VerifyCallbackOptions): Promise<RsaKey> {
  let pending = keyCache.get(keyUrl);
  if (!pending) {
    pending = fetchKey(keyUrl, options);
    // A failed fetch is not cached: the next callback tries again.
    pending.catch(() => keyCache.delete(keyUrl));
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(keyUrl, pending);
  }
  return pending;
}

async function fetchKey(keyUrl: string, options: VerifyCallbackOptions): Promise<RsaKey> {
  const doFetch = options.fetch ?? globalThis.fetch;
  // No redirects: the allow-list judged this URL, not wherever it points (workerd has no 'error' mode).
  const response = await doFetch(keyUrl, { redirect: 'manual' });
  if (!response.ok) throw refused(`its public key could not be fetched (${response.status} from ${new URL(keyUrl).host})`);
  const pem = (await response.text()).slice(0, 16 * 1024);
  return parsePublicKey(pem, options.subtle ?? globalThis.crypto.subtle);
}

/** n and e of a PEM public key (SPKI `BEGIN PUBLIC KEY`), parsed by Web Crypto. */
async function parsePublicKey(pem: string, subtle: SubtleCrypto): Promise<RsaKey> {
  const b64 = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
  let der: Uint8Array<ArrayBuffer>;
  try {
    der = fromBase64(b64);
  } catch {
    throw refused('its public key is not a PEM key');
  }
  // The hash named here only satisfies importKey; it plays no part in the check below.
  const key = await subtle.importKey('spki', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify'])
    .catch(() => { throw refused('its public key is not an RSA key'); });
  return rsaNumbers(await subtle.exportKey('jwk', key), fromBase64Url);
}

function parseFields(text: string, contentType: string | null): Record<string, unknown> {
  if (contentType?.toLowerCase().includes('json')) {
    try {
      const value: unknown = JSON.parse(text);
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

// Alibaba Cloud RPC signatures (version 1.0, HMAC-SHA1), the scheme of STS's AssumeRole: every
// parameter but `Signature`, sorted by name, RFC 3986-encoded into a canonical query; the string
// to sign is `METHOD&%2F&<that query, encoded again>`, keyed by `<secret>&`. Shared by the STS
// client and the local server's STS endpoint.

import { hmac, toBase64 } from './crypto.js';
import { compareOrdinal, encodeRfc3986 } from './encoding.js';

/** The canonical query: `name=value` pairs sorted by name, both RFC 3986-encoded. */
export function canonicalQueryRpc(params: Iterable<readonly [string, string]>): string {
  return [...params]
    .filter(([name]) => name !== 'Signature')
    .map(([name, value]) => [encodeRfc3986(name), encodeRfc3986(value)] as const)
    .sort((a, b) => compareOrdinal(a[0], b[0]) || compareOrdinal(a[1], b[1]))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

export function stringToSignRpc(method: string, params: Iterable<readonly [string, string]>): string {
  return `${method.toUpperCase()}&${encodeRfc3986('/')}&${encodeRfc3986(canonicalQueryRpc(params))}`;
}

/** Base64 HMAC-SHA1 of the string to sign with `<secret>&` as key. */
export async function signatureRpc(accessKeySecret: string, stringToSign: string, subtle?: SubtleCrypto): Promise<string> {
  return toBase64(await hmac(`${accessKeySecret}&`, stringToSign, 'SHA-1', subtle));
}

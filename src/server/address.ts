// Which bucket and key a request addresses: virtual-hosted (`<bucket>.<host>`) or path-style
// (`<host>/<bucket>/<key>`), decided by the Host header as OSS's own emulator does.

import { decodeUriComponentSafe } from '../core/encoding.js';
import { ServerError } from './errors.js';

export interface Address {
  bucket: string | null;
  key: string | null;
  /** The key as sent was not UTF-8: every operation on it is refused with this error. */
  invalidKey?: ServerError;
  /** Host name without port, lower-case. */
  host: string;
  style: 'virtual' | 'path';
}

const IP_RE = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;

/**
 * `baseHosts` are the server's own names (`localhost`, `oss-cn-hangzhou.aliyuncs.com`, …):
 * a request to one of them or to an IP is path-style; `<label>.<anything else>` is
 * virtual-hosted with the first label as bucket.
 */
export function resolveAddress(url: URL, hostHeader: string | null, baseHosts: ReadonlySet<string>, rawPath = url.pathname): Address {
  const host = stripPort((hostHeader ?? url.host).toLowerCase());
  const virtualBucket = virtualHostBucket(host, baseHosts);
  if (virtualBucket !== undefined) {
    return { bucket: virtualBucket, ...addressedKey(rawPath.slice(1)), host, style: 'virtual' };
  }
  const slash = rawPath.indexOf('/', 1);
  const bucketPart = slash === -1 ? rawPath.slice(1) : rawPath.slice(1, slash);
  const keyPart = slash === -1 ? '' : rawPath.slice(slash + 1);
  return {
    bucket: bucketPart ? decodeUriComponentSafe(bucketPart) : null,
    ...addressedKey(keyPart),
    host,
    style: 'path',
  };
}

function addressedKey(raw: string): Pick<Address, 'key' | 'invalidKey'> {
  if (!raw) return { key: null };
  try {
    return { key: decodeObjectName(raw) };
  } catch (err) {
    return { key: null, invalidKey: err as ServerError };
  }
}

/**
 * A percent-encoded object name (from the path, x-oss-copy-source, x-oss-symlink-target) as
 * text. Bytes that are not UTF-8 are refused, as OSS refuses them, rather than turned into
 * U+FFFD, which would let `%ff` and `%fe` name the same object. A `%` that starts no escape
 * stays literal.
 */
export function decodeObjectName(raw: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
  } catch {
    throw new ServerError('InvalidObjectName', 'The object name is not valid UTF-8.', {}, 400, '0016-00000004');
  }
}

function virtualHostBucket(host: string, baseHosts: ReadonlySet<string>): string | null | undefined {
  if (baseHosts.has(host) || IP_RE.test(host)) return undefined;
  for (const base of baseHosts) {
    if (host.endsWith(`.${base}`)) return bucketLabel(host.slice(0, -base.length - 1));
  }
  // Unknown host with a dot: its first label is the bucket (custom region hosts, ali-oss's
  // `<bucket>.<ip>` Host header quirk).
  const dot = host.indexOf('.');
  if (dot > 0) return bucketLabel(host.slice(0, dot));
  return undefined;
}

// ali-oss writes an empty label (or, in older versions, `undefined`) for service-level calls.
function bucketLabel(label: string): string | null {
  return label === 'undefined' || label === '' ? null : label;
}

function stripPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

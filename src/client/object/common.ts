// Pieces shared by the object operations.

import { decodeHeaderByteString } from '../../core/encoding.js';

export interface CallOptions {
  /** Bucket of this call (default: the client's). */
  bucket?: string;
  signal?: AbortSignal;
  /** Timeout of this call in ms. */
  timeout?: number;
}

export function metaHeaders(meta: Record<string, string | number> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (meta) for (const [k, v] of Object.entries(meta)) out[`x-oss-meta-${k.toLowerCase()}`] = String(v);
  return out;
}

/** User metadata from response headers, names without the prefix. */
export function metaFromHeaders(headers: Record<string, string>): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k.startsWith('x-oss-meta-')) meta[k.slice(11)] = decodeHeaderByteString(v);
  return meta;
}

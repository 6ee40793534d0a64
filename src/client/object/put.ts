import { OSSArgumentError } from '../../core/errors.js';
import { assertMeta, assertObjectKey, assertPlainObject } from '../../core/validate.js';
import { normaliseBody, type BodyInput } from '../body.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { mimeFromKey } from '../mime.js';
import { discard } from '../read.js';
import { metaHeaders, type CallOptions } from './common.js';

export interface PutOptions extends CallOptions {
  /** Content-Type; default: from the key's extension, then the Blob's type, then octet-stream. */
  mime?: string;
  /** User metadata, sent as `x-oss-meta-*` (names: letters, digits, "-"; 8 KB in all). */
  meta?: Record<string, string | number>;
  /** Extra headers: Cache-Control, Content-Disposition, Content-Encoding, Expires, x-oss-*… */
  headers?: Record<string, string>;
}

export interface PutResult {
  name: string;
  url: string;
  etag: string;
  res: ResponseInfo;
}

/**
 * Upload an object in one request.
 * @example await put(core, 'photos/cat.jpg', file, { meta: { owner: 'ann' } })
 */
export async function put(core: OSSCore, name: string, body: BodyInput, options: PutOptions = {}): Promise<PutResult> {
  assertObjectKey(name);
  assertPlainObject(options, 'options');
  assertMeta(options.meta, 'options.meta');
  assertPlainObject(options.headers, 'options.headers');
  if (options.mime !== undefined && typeof options.mime !== 'string') throw new OSSArgumentError('options.mime', 'expected a string');
  const bucket = core.requireBucket(options.bucket);
  const normalised = normaliseBody(body);
  const headers: Record<string, string> = {
    'content-type': options.mime ?? mimeFromKey(name) ?? normalised.type ?? 'application/octet-stream',
    ...metaHeaders(options.meta),
    ...options.headers,
  };
  const raw = await core.request({ method: 'PUT', bucket, key: name, headers, body: normalised.body, signal: options.signal, timeout: options.timeout });
  const res = await discard(raw);
  return { name, url: core.url(bucket, name), etag: res.headers.etag ?? '', res };
}

import { OSSArgumentError } from '../../core/errors.js';
import { assertMeta, assertObjectKey, assertPlainObject } from '../../core/validate.js';
import { normalizeBody, type BodyInput } from '../body.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { mimeFromKey } from '../mime.js';
import { discard } from '../read.js';
import { metaHeaders, type CallOptions } from './common.js';
import { checkOptions } from '../call-options.js';
import type { AliOssUploadNames } from '../ali-oss-names.js';

export interface AppendOptions extends CallOptions, AliOssUploadNames {
  /** The object's current length: 0 creates it, then each result's `nextAppendPosition`. */
  position?: number | string;
  /** Content-Type (first append only); default from the key's extension, then the Blob's type. */
  mime?: string;
  /** User metadata (first append only). */
  meta?: Record<string, string | number>;
  /** Extra headers: Cache-Control, Content-Disposition, x-oss-object-acl… (first append only). */
  headers?: Record<string, string>;
}

export interface AppendResult {
  name: string;
  url: string;
  /** The object's length now: pass it as `position` to the next append. */
  nextAppendPosition: number;
  res: ResponseInfo;
}

function positionOf(position: unknown): number {
  const n = typeof position === 'string' && /^\d+$/.test(position) ? Number(position) : position;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new OSSArgumentError('options.position', 'expected the object\'s current length, a non-negative integer');
  }
  return n;
}

/**
 * Append to an Appendable object (creating it at position 0). A wrong position fails with
 * PositionNotEqualToLengthError, whose `headers['x-oss-next-append-position']` is the length;
 * appending to an object made by put fails with ObjectNotAppendableError.
 * @example
 * let { nextAppendPosition } = await append(core, 'logs/today.log', 'line 1\n')
 * ;({ nextAppendPosition } = await append(core, 'logs/today.log', 'line 2\n', { position: nextAppendPosition }))
 */
export async function append(core: OSSCore, name: string, body: BodyInput, options: AppendOptions = {}): Promise<AppendResult> {
  assertObjectKey(name);
  checkOptions(options, 'bucket position mime meta headers');
  const position = positionOf(options.position ?? 0);
  assertMeta(options.meta, 'options.meta');
  assertPlainObject(options.headers, 'options.headers');
  if (options.mime !== undefined && typeof options.mime !== 'string') throw new OSSArgumentError('options.mime', 'expected a string');
  const bucket = core.requireBucket(options.bucket);
  const normalized = normalizeBody(body);
  const headers: Record<string, string> = {
    'content-type': options.mime ?? mimeFromKey(name) ?? normalized.type ?? 'application/octet-stream',
    ...metaHeaders(options.meta),
    ...options.headers,
  };
  const raw = await core.request({
    method: 'POST', bucket, key: name, query: { append: null, position }, headers, body: normalized.body,
    signal: options.signal, timeout: options.timeout,
  });
  const res = await discard(raw);
  return { name, url: core.url(bucket, name), nextAppendPosition: Number(res.headers['x-oss-next-append-position']), res };
}

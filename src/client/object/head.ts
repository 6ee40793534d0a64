import { assertObjectKey } from '../../core/validate.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { discard } from '../read.js';
import { headerRecord, metaFromHeaders, versionOf, type VersionedCallOptions } from './common.js';
import { checkOptions } from '../call-options.js';

export interface HeadOptions extends VersionedCallOptions {
  /** Conditional headers: If-Modified-Since, If-Unmodified-Since, If-Match, If-None-Match. */
  headers?: Record<string, string>;
}

export interface HeadResult {
  /** 200, or 304 when a conditional header says it is unchanged. */
  status: number;
  /** User metadata (names without `x-oss-meta-`), or null when there is none (always for a 304). */
  meta: Record<string, string> | null;
  res: ResponseInfo;
}

/**
 * An object's headers and user metadata without its body. A failed `If-Match` /
 * `If-Unmodified-Since` throws PreconditionFailedError (decoded from OSS's `x-oss-err`).
 * @example const { meta, res } = await head(core, 'a.txt'); res.headers['content-length']
 */
export async function head(core: OSSCore, name: string, options: HeadOptions = {}): Promise<HeadResult> {
  assertObjectKey(name);
  checkOptions(options, 'bucket headers versionId');
  const headers = headerRecord(options.headers, 'options.headers');
  const query = { versionId: versionOf(options) };
  const bucket = core.requireBucket(options.bucket);
  const raw = await core.request({
    method: 'HEAD', bucket, key: name, headers, query, signal: options.signal, timeout: options.timeout, okStatuses: [304],
  });
  const res = await discard(raw);
  const meta = metaFromHeaders(res.headers);
  return { status: res.status, meta: Object.keys(meta).length ? meta : null, res };
}

import { assertObjectKey } from '../../core/validate.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { discard } from '../read.js';
import { versionOf, type VersionedCallOptions } from './common.js';
import { checkOptions } from '../call-options.js';

export interface ObjectMetaResult {
  status: number;
  etag: string;
  /** Bytes (Content-Length). */
  size: number;
  /** The Last-Modified header (RFC 1123). */
  lastModified: string;
  res: ResponseInfo;
}

/**
 * The basic facts of an object (ETag, size, Last-Modified, CRC-64) without its user metadata:
 * a cheaper HEAD (`?objectMeta`), whose size is exact even where HEAD is compressed.
 * @example const { size, etag } = await getObjectMeta(core, 'a.txt')
 */
export async function getObjectMeta(core: OSSCore, name: string, options: VersionedCallOptions = {}): Promise<ObjectMetaResult> {
  assertObjectKey(name);
  checkOptions(options, 'bucket versionId');
  const bucket = core.requireBucket(options.bucket);
  const raw = await core.request({
    method: 'HEAD', bucket, key: name, query: { objectMeta: null, versionId: versionOf(options) }, signal: options.signal, timeout: options.timeout,
  });
  const res = await discard(raw);
  return {
    status: res.status,
    etag: res.headers.etag ?? '',
    size: Number(res.headers['content-length'] ?? 0),
    lastModified: res.headers['last-modified'] ?? '',
    res,
  };
}

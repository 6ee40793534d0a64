import { OSSArgumentError } from '../../core/errors.js';
import { assertBucketName, assertMeta, assertObjectKey, typeName } from '../../core/validate.js';
import { child, text } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { discard, readXml } from '../read.js';
import { assertObjectAcl, type ObjectACL } from './acl.js';
import { encryptionRequestHeaders, type ServerSideEncryptionOptions } from './encryption.js';
import { mimeFromKey } from '../mime.js';
import { assertStorageClass, headerRecord, metaHeaders, copySourceHeader, type CallOptions, type StorageClass } from './common.js';
import { checkOptions } from '../call-options.js';

export interface CopyOptions extends CallOptions, ServerSideEncryptionOptions {
  /** New user metadata for the copy (switches to REPLACE: the source's metadata is dropped). */
  meta?: Record<string, string | number>;
  /**
   * Content headers for the copy (Content-Type, Cache-Control, Content-Disposition,
   * Content-Encoding, Content-Language, Expires: any of them switches to REPLACE), and
   * conditions on the source: `If-Match`, `If-None-Match`, `If-Modified-Since`,
   * `If-Unmodified-Since` (sent as `x-oss-copy-source-if-*`).
   */
  headers?: Record<string, string>;
  /** Fail with FileAlreadyExistsError instead of replacing an existing target. */
  forbidOverwrite?: boolean;
  storageClass?: StorageClass;
  acl?: ObjectACL;
  /** The version of the source to copy (default its current one). */
  versionId?: string;
}

export interface CopyResult {
  /** The copy's ETag and LastModified (ISO 8601); null when a condition answered 304. */
  data: { etag: string; lastModified: string } | null;
  res: ResponseInfo;
}

/** The conditions a copy may put on its source, sent as `x-oss-copy-source-<name>`. */
export const SOURCE_CONDITIONS = ['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since'];
const CONTENT_HEADERS = ['content-type', 'content-encoding', 'content-language', 'content-disposition', 'cache-control', 'expires'];

/** `key` (same bucket as the target) or `/bucket/key`. */
function parseSource(sourceName: unknown, targetBucket: string): { bucket: string; key: string } {
  if (typeof sourceName !== 'string') throw new OSSArgumentError('sourceName', `expected "key" or "/bucket/key", got ${typeName(sourceName)}`);
  if (!sourceName.startsWith('/')) {
    assertObjectKey(sourceName, 'sourceName');
    return { bucket: targetBucket, key: sourceName };
  }
  const m = /^\/([^/]+)\/(.+)$/s.exec(sourceName);
  if (!m) throw new OSSArgumentError('sourceName', `"${sourceName}" is neither "key" nor "/bucket/key"`);
  assertBucketName(m[1], 'sourceName');
  assertObjectKey(m[2], 'sourceName');
  return { bucket: m[1], key: m[2] };
}

/**
 * Copy an object on the server, within a bucket or from another (`/bucket/key`); `versionId`
 * picks an older version of the source. Metadata is copied unless `meta` or a content header is
 * given, which replaces all of it (Content-Type then defaults to the type of `name`'s extension,
 * as ali-oss sends it).
 * @example await copy(core, 'backup/a.txt', 'a.txt')
 * @example await copy(core, 'a.txt', '/other-bucket/a.txt', { meta: { owner: 'ann' } })
 * @example await copy(core, 'b.txt', 'a.txt', { headers: { 'If-Match': etag } })
 * @example await copy(core, 'a.txt', 'a.txt', { versionId }) // restore an older version
 */
export async function copy(core: OSSCore, name: string, sourceName: string, options: CopyOptions = {}): Promise<CopyResult> {
  assertObjectKey(name);
  checkOptions(options, 'bucket meta headers forbidOverwrite storageClass acl versionId serverSideEncryption serverSideEncryptionKeyId serverSideDataEncryption');
  assertMeta(options.meta, 'options.meta');
  const given = headerRecord(options.headers, 'options.headers');
  if (options.forbidOverwrite !== undefined && typeof options.forbidOverwrite !== 'boolean') {
    throw new OSSArgumentError('options.forbidOverwrite', 'expected a boolean');
  }
  assertStorageClass(options.storageClass, 'options.storageClass');
  if (options.acl !== undefined) assertObjectAcl(options.acl, 'options.acl');
  const bucket = core.requireBucket(options.bucket);
  const source = parseSource(sourceName, bucket);

  const headers: Record<string, string | undefined> = {};
  for (const [header, value] of Object.entries(given)) {
    headers[SOURCE_CONDITIONS.includes(header) ? `x-oss-copy-source-${header}` : header] = value;
  }
  const replace = options.meta !== undefined || Object.keys(given).some((h) => CONTENT_HEADERS.includes(h));
  headers['x-oss-metadata-directive'] ??= replace ? 'REPLACE' : 'COPY';
  // As ali-oss: the name's type, which a REPLACE stores (it resets every attribute).
  headers['content-type'] ??= mimeFromKey(name);
  Object.assign(headers, metaHeaders(options.meta));
  if (options.forbidOverwrite !== undefined) headers['x-oss-forbid-overwrite'] = String(options.forbidOverwrite);
  if (options.storageClass !== undefined) headers['x-oss-storage-class'] = options.storageClass;
  if (options.acl !== undefined) headers['x-oss-object-acl'] = options.acl;
  Object.assign(headers, encryptionRequestHeaders(options));
  headers['x-oss-copy-source'] = copySourceHeader(source.bucket, source.key, options);

  const raw = await core.request({
    method: 'PUT', bucket, key: name, headers, okStatuses: [304], signal: options.signal, timeout: options.timeout,
  });
  if (raw.response.status === 304) return { data: null, res: await discard(raw) };
  const { doc, res } = await readXml(raw);
  const result = doc.CopyObjectResult;
  return { data: { etag: text(child(result, 'ETag')) ?? '', lastModified: text(child(result, 'LastModified')) ?? '' }, res };
}

export interface PutMetaOptions extends CallOptions {
  /** Content headers to set at the same time (they are reset otherwise, as with any REPLACE). */
  headers?: Record<string, string>;
}

/**
 * Replace an object's user metadata (`null` clears it) by copying the object onto itself.
 * Cache-Control, Content-Disposition and the like are replaced too: pass them in
 * `options.headers` to keep them.
 * @example await putMeta(core, 'a.txt', { owner: 'bob' })
 * @example await putMeta(core, 'a.txt', null)
 */
export async function putMeta(
  core: OSSCore, name: string, meta: Record<string, string | number> | null, options: PutMetaOptions = {},
): Promise<CopyResult> {
  if (meta !== null) {
    if (meta === undefined) throw new OSSArgumentError('meta', 'expected an object, or null to clear the metadata');
    assertMeta(meta, 'meta');
  }
  checkOptions(options, 'bucket headers');
  const { headers, bucket, signal, timeout } = options;
  return copy(core, name, name, { meta: meta ?? {}, headers, bucket, signal, timeout });
}

import { OSSArgumentError } from '../../core/errors.js';
import { assertInteger, assertMeta, assertObjectKey } from '../../core/validate.js';
import { normalizeBody, type BodyInput } from '../body.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { discard } from '../read.js';
import type { UploadCallback } from '../callback.js';
import type { OnUploadProgress } from '../progress.js';
import { assertObjectAcl, type ObjectACL } from './acl.js';
import { encryptionRequestHeaders, type ServerSideEncryptionOptions } from './encryption.js';
import { assertStorageClass, headerRecord, metaHeaders, type CallOptions, type StorageClass } from './common.js';
import { checkOptions } from '../call-options.js';
import type { AliOssUploadNames } from '../ali-oss-names.js';

export interface PutOptions extends CallOptions, ServerSideEncryptionOptions, AliOssUploadNames {
  /**
   * Content-Type; default: from the key's extension (with the mimeTypes feature, which OSSClient
   * has), then the Blob's type, then application/octet-stream.
   */
  mime?: string;
  /** User metadata, sent as `x-oss-meta-*` (names: letters, digits, "-"; 8 KB in all). */
  meta?: Record<string, string | number>;
  /** Extra headers: Cache-Control, Content-Disposition, Content-Encoding, Expires, Content-MD5, x-oss-*… */
  headers?: Record<string, string>;
  /**
   * Upload progress `{ loaded, total, percent }` (XHR in browsers); 100% once the server confirmed.
   * Needs the uploadProgress feature (OSSClient has it).
   */
  onProgress?: OnUploadProgress;
  /** Fail with FileAlreadyExistsError instead of replacing an existing object. */
  forbidOverwrite?: boolean;
  storageClass?: StorageClass;
  /** The object's ACL (`x-oss-object-acl`); by default it follows the bucket's. */
  acl?: ObjectACL;
  /**
   * Have OSS call your app once the object is stored (ali-oss's option); the result's `data` is
   * the app's answer. A failed call is `CallbackFailedError` (OSS's 203), the object stored.
   * Needs the uploadCallbacks feature (OSSClient has it).
   */
  callback?: UploadCallback;
  /**
   * Byte length of a `ReadableStream` body, sent as Content-Length where the runtime allows it
   * (Node, Deno, Bun; browsers always stream chunked). Other bodies know their size.
   */
  contentLength?: number;
}

export interface PutResult {
  name: string;
  url: string;
  etag: string;
  res: ResponseInfo;
  /** The app's answer to `callback` (parsed JSON, else text). */
  data?: unknown;
}

/**
 * Upload an object in one request (at most 5 GB). A `ReadableStream` body is sent as it is
 * read, never buffered whole — and so it cannot be retried; large or unknown-size streams are
 * better sent with `multipartUpload`, which retries and resumes per part.
 * @example await put(core, 'photos/cat.jpg', file, { meta: { owner: 'ann' }, forbidOverwrite: true })
 */
export async function put(core: OSSCore, name: string, body: BodyInput, options: PutOptions = {}): Promise<PutResult> {
  assertObjectKey(name);
  checkOptions(options, 'bucket mime meta headers onProgress forbidOverwrite storageClass acl callback contentLength serverSideEncryption serverSideEncryptionKeyId serverSideDataEncryption');
  assertMeta(options.meta, 'options.meta');
  const extra = headerRecord(options.headers, 'options.headers');
  if (options.mime !== undefined && typeof options.mime !== 'string') throw new OSSArgumentError('options.mime', 'expected a string');
  if (options.forbidOverwrite !== undefined && typeof options.forbidOverwrite !== 'boolean') {
    throw new OSSArgumentError('options.forbidOverwrite', 'expected a boolean');
  }
  assertStorageClass(options.storageClass, 'options.storageClass');
  if (options.acl !== undefined) assertObjectAcl(options.acl, 'options.acl');
  const bucket = core.requireBucket(options.bucket);
  const normalized = normalizeBody(body);
  if (options.contentLength !== undefined) {
    if (normalized.size !== undefined) throw new OSSArgumentError('options.contentLength', 'only a ReadableStream body takes a length; this body knows its own');
    assertInteger(options.contentLength, 'options.contentLength', 0, Number.MAX_SAFE_INTEGER);
  }
  const callback = options.callback === undefined ? undefined : core.need('callback', 'options.callback');
  const headers: Record<string, string | number | undefined> = {
    ...extra,
    'content-type': options.mime ?? extra['content-type'] ?? core.feature('mime')?.fromKey(name) ?? normalized.type ?? 'application/octet-stream',
    ...metaHeaders(options.meta),
    'x-oss-forbid-overwrite': options.forbidOverwrite === undefined ? extra['x-oss-forbid-overwrite'] : String(options.forbidOverwrite),
    'x-oss-storage-class': options.storageClass ?? extra['x-oss-storage-class'],
    'x-oss-object-acl': options.acl ?? extra['x-oss-object-acl'],
    'content-length': options.contentLength ?? extra['content-length'],
    ...callback?.headers(options.callback),
    ...encryptionRequestHeaders(options),
  };
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new OSSArgumentError('options.onProgress', 'expected a function');
  }
  const total = normalized.size ?? options.contentLength;
  const tracked = options.onProgress && core.need('progress', 'options.onProgress').trackPut(core, options.onProgress, total);
  const progress = tracked?.progress;
  const transport = tracked?.transport;
  const raw = await core.request({ method: 'PUT', bucket, key: name, headers, body: normalized.body, signal: options.signal, timeout: options.timeout, transport });
  if (callback) {
    const { data, res } = await callback.readAnswer(raw, 'PUT');
    progress?.finish(total);
    return { name, url: core.url(bucket, name), etag: res.headers.etag ?? '', res, data };
  }
  const res = await discard(raw);
  progress?.finish(total);
  return { name, url: core.url(bucket, name), etag: res.headers.etag ?? '', res };
}

/** Only the encryption options of a larger options object (to hand them on). */
export function encryptionOf(options: ServerSideEncryptionOptions): ServerSideEncryptionOptions {
  const { serverSideEncryption, serverSideEncryptionKeyId, serverSideDataEncryption } = options;
  return { serverSideEncryption, serverSideEncryptionKeyId, serverSideDataEncryption };
}

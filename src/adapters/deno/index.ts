// oss-fetch/deno: what Deno adds to the Web-standard core — file paths (as oss-fetch/node has
// them) and settings from Deno's environment. The local server under Deno.serve is its own entry,
// oss-fetch/deno/server, so a client never loads server code.

import { OSSClient as PortableClient } from '../../client/client.js';
import type { BodyInput } from '../../client/body.js';
import type { OSSOptions, ResponseInfo } from '../../client/core.js';
import type { GetIntoOptions, GetIntoResult, GetOptions, GetResult } from '../../client/object/get.js';
import type { PutOptions, PutResult } from '../../client/object/put.js';
import type { MultipartUploadOptions, MultipartUploadResult } from '../../client/multipart/upload.js';
import { optionsFromEnv } from './env.js';
import { getFile, multipartUploadFile, putFile } from './files.js';

export * from '../../index.js';
export { optionsFromEnv } from './env.js';
export { getFile, multipartUploadFile, putFile } from './files.js';

/**
 * The client of `oss-fetch` with Deno's file paths, following ali-oss: a string where a body is
 * expected is a file path (`put(name, './a.txt')` uploads the file), never content — send text as
 * bytes or a Blob. `get(name, path)` downloads into a file.
 * @example const client = OSSClient.fromEnv({ bucket: 'photos' }); await client.put('a.jpg', './a.jpg')
 */
export class OSSClient extends PortableClient {
  /**
   * A client from OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_SESSION_TOKEN, OSS_REGION,
   * OSS_BUCKET and OSS_ENDPOINT (needs `--allow-env`); `overrides` win.
   * @example const client = OSSClient.fromEnv()
   */
  static fromEnv(overrides: OSSOptions = {}): OSSClient {
    return new OSSClient(optionsFromEnv(overrides));
  }

  /** Upload a body, or the file at a path (a string is always a path here). */
  override put(name: string, body: BodyInput, options?: PutOptions): Promise<PutResult> {
    return typeof body === 'string' ? putFile(this, name, body, options) : super.put(name, body, options);
  }

  /** {@inheritDoc get} */
  override get(name: string, options: GetIntoOptions): Promise<GetIntoResult>;
  override get(name: string, options?: GetOptions): Promise<GetResult>;
  override get(name: string, file: string, options?: GetOptions): Promise<{ res: ResponseInfo }>;
  override get(name: string, fileOrOptions?: string | GetOptions | GetIntoOptions, options?: GetOptions): Promise<GetResult | GetIntoResult | { res: ResponseInfo }> {
    return typeof fileOrOptions === 'string' ? getFile(this, name, fileOrOptions, options) : super.get(name, fileOrOptions as GetOptions);
  }

  /** A managed multipart upload of a body, or of the file at a path, read part by part. */
  override multipartUpload(name: string, body: BodyInput, options?: MultipartUploadOptions): Promise<MultipartUploadResult> {
    return typeof body === 'string' ? multipartUploadFile(this, name, body, options) : super.multipartUpload(name, body, options);
  }

  /** {@inheritDoc putFile} */
  putFile(name: string, path: string, options?: PutOptions): Promise<PutResult> {
    return putFile(this, name, path, options);
  }

  /** {@inheritDoc getFile} */
  getFile(name: string, path: string, options?: GetOptions): Promise<{ res: ResponseInfo }> {
    return getFile(this, name, path, options);
  }

  /** {@inheritDoc multipartUploadFile} */
  multipartUploadFile(name: string, path: string, options?: MultipartUploadOptions): Promise<MultipartUploadResult> {
    return multipartUploadFile(this, name, path, options);
  }
}

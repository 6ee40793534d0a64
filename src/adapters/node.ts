// oss-fetch/node: what Node adds to the Web-standard core — file paths, Node streams, and a
// client that sends over node:http and signs on node:crypto (both faster than Node's fetch and
// crypto.subtle; measured in bench/RESULTS.md).

import { createWriteStream, openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { open, rename, rm, stat } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { OSSClient as PortableClient } from '../client/client.js';
import { ImageClient as PortableImageClient, type ImageClientOptions, type ImageGetOptions } from '../client/image.js';
import { OSSCore as PortableCore, type OSSOptions } from '../client/core.js';
import { put, type PutOptions, type PutResult } from '../client/object/put.js';
import { get as portableGet, getStream, type GetIntoOptions, type GetIntoResult, type GetOptions, type GetResult } from '../client/object/get.js';
import { uploadBody, type MultipartUploadOptions, type MultipartUploadResult } from '../client/multipart/upload.js';
import type { ResponseInfo } from '../client/core.js';
import { OSSArgumentError } from '../core/errors.js';

import { fileParts } from './file-parts.js';
import { nodeFetch } from './node-fetch.js';
import { nodeSubtle } from './node-subtle.js';

export * from '../index.js';
export { nodeFetch, type NodeFetchOptions } from './node-fetch.js';
export { nodeSubtle } from './node-subtle.js';

let shared: { fetch: typeof fetch; subtle: SubtleCrypto } | undefined;

/**
 * The Node fast paths every client of this entry uses unless given its own: one `nodeFetch()`
 * (so all clients share one keep-alive pool) and one `nodeSubtle()`.
 * @example new OSSClient({ ...options, ...nodeDefaults() }) // the portable client from 'oss-fetch', made fast
 */
export function nodeDefaults(): { fetch: typeof fetch; subtle: SubtleCrypto } {
  return (shared ??= { fetch: nodeFetch(), subtle: nodeSubtle() });
}

function withNodeDefaults<T extends OSSOptions>(options: T): T {
  if (!options || typeof options !== 'object') return options; // the core explains what is wrong
  const { fetch, subtle } = nodeDefaults();
  return { ...options, fetch: options.fetch ?? fetch, subtle: options.subtle ?? subtle };
}

/**
 * The client of `oss-fetch`, sending through node:http (`nodeFetch`) and signing on node:crypto
 * (`nodeSubtle`) unless `fetch` or `subtle` is given.
 * @example const client = new OSSClient({ region: 'oss-cn-hangzhou', bucket: 'photos', accessKeyId, accessKeySecret })
 */
export class OSSClient extends PortableClient {
  constructor(options: OSSOptions = {}) {
    super(withNodeDefaults(options));
  }

  /**
   * `get` of the portable client with Node's conveniences: the content is a Buffer (the same
   * memory), and a file path as second argument downloads into that file (ali-oss's `get(name, file)`).
   * @example await client.get('backups/db.tar', './db.tar')
   */
  override get(name: string, options: GetIntoOptions): Promise<GetIntoResult>;
  override get(name: string, file: string, options?: GetOptions): Promise<{ res: ResponseInfo }>;
  override get(name: string, options?: GetOptions): Promise<NodeGetResult>;
  override get(name: string, fileOrOptions?: string | GetOptions | GetIntoOptions, options?: GetOptions) {
    return typeof fileOrOptions === 'string' ? get(this, name, fileOrOptions, options) : get(this, name, fileOrOptions as GetOptions);
  }

  /** {@inheritDoc multipartUploadFile} */
  multipartUploadFile(name: string, path: string, options?: MultipartUploadOptions): Promise<MultipartUploadResult> {
    return multipartUploadFile(this, name, path, options);
  }
}

/**
 * The ImageClient of `oss-fetch` with this entry's Node defaults, and image bytes as a Buffer.
 * @example const { content } = await new ImageClient({ region, bucket: 'photos', accessKeyId, accessKeySecret }).get('cat.jpg@200w_200h')
 */
export class ImageClient extends PortableImageClient {
  constructor(options: ImageClientOptions = {}) {
    super(withNodeDefaults(options));
  }

  /**
   * A processed image (`name@200w_200h`, `name@!style`) into memory as a Buffer, or into a WritableStream.
   * @example const { content } = await images.get('cat.jpg@100w_100h_90Q.webp')
   */
  override get(name: string, writable: WritableStream<Uint8Array>, options?: ImageGetOptions): Promise<GetIntoResult>;
  override get(name: string, options?: ImageGetOptions & { writable?: undefined }): Promise<NodeGetResult>;
  override get(name: string, options: ImageGetOptions & { writable: WritableStream<Uint8Array> }): Promise<GetIntoResult>;
  override async get(name: string, target?: WritableStream<Uint8Array> | (ImageGetOptions & { writable?: WritableStream<Uint8Array> }), options?: ImageGetOptions): Promise<NodeGetResult | GetIntoResult> {
    const result = await super.get(name, target as WritableStream<Uint8Array>, options);
    return 'content' in result ? withBuffer(result as GetResult) : result;
  }
}

/** The same result with its bytes viewed as a Buffer (no copy). */
function withBuffer(result: GetResult): NodeGetResult {
  const { content } = result;
  return { ...result, content: Buffer.from(content.buffer, content.byteOffset, content.byteLength) };
}

/**
 * The bare core of `oss-fetch` for the standalone functions, with the same Node defaults as this
 * entry's OSSClient.
 * @example const core = new OSSCore({ region: 'oss-cn-hangzhou', bucket: 'photos', accessKeyId, accessKeySecret })
 */
export class OSSCore extends PortableCore {
  constructor(options: OSSOptions = {}) {
    super(withNodeDefaults(options));
  }
}

/** A download's result with the bytes as a Buffer, as ali-oss gives them (`content.toString()`). */
export interface NodeGetResult extends GetResult {
  content: Buffer;
}

/**
 * `get` as in `oss-fetch`, with Node's conveniences: the content is a Buffer (the same memory, not
 * a copy), and a file path as second argument downloads into that file (ali-oss's
 * `get(name, file)`, see getFile).
 * @example const { content } = await get(client, 'notes.txt'); content.toString('utf8')
 */
export async function get(core: PortableCore, name: string, options: GetIntoOptions): Promise<GetIntoResult>;
export async function get(core: PortableCore, name: string, file: string, options?: GetOptions): Promise<{ res: ResponseInfo }>;
export async function get(core: PortableCore, name: string, options?: GetOptions): Promise<NodeGetResult>;
export async function get(core: PortableCore, name: string, fileOrOptions?: string | GetOptions | GetIntoOptions, options?: GetOptions): Promise<NodeGetResult | GetIntoResult | { res: ResponseInfo }> {
  if (typeof fileOrOptions === 'string') return getFile(core, name, fileOrOptions, options);
  const result = await portableGet(core, name, (fileOrOptions ?? {}) as GetOptions);
  return 'content' in result ? withBuffer(result as GetResult) : result;
}

/**
 * A managed multipart upload straight from a file on disk: parts are read with positional reads
 * into at most `parallel` part-sized buffers, each byte once, never the whole file. A file written
 * to while it uploads fails with FileChangedError. Checkpoints record the file's name, size and
 * modification time, so resuming refuses a file that changed since.
 * @example
 * const result = await multipartUploadFile(client, 'videos/a.mp4', './a.mp4', { onCheckpoint: save, checkpoint: saved })
 */
export async function multipartUploadFile(core: PortableCore, name: string, path: string, options: MultipartUploadOptions = {}): Promise<MultipartUploadResult> {
  if (typeof path !== 'string' || !path) throw new OSSArgumentError('path', 'expected a file path');
  const info = await stat(path);
  if (!info.isFile()) throw new OSSArgumentError('path', `"${path}" is not a regular file`);
  const handle = await open(path, 'r');
  try {
    return await uploadBody(core, name, {
      size: info.size,
      // The checkpoint's identity of the file: a resume refuses it once the name or date moved.
      file: { name: basename(path), lastModified: Math.floor(info.mtimeMs) },
      parts: (partSize) => fileParts({
        readAt: async (buffer, offset, length, position) => (await handle.read(buffer, offset, length, position)).bytesRead,
        stat: () => handle.stat(),
      }, path, info, partSize),
    }, options);
  } finally {
    await handle.close();
  }
}

/**
 * Upload a file from disk without reading it into memory.
 * @example await putFile(client, 'backups/db.tar', '/var/backups/db.tar')
 */
export async function putFile(core: PortableCore, name: string, path: string, options: PutOptions = {}): Promise<PutResult> {
  if (typeof path !== 'string' || !path) throw new OSSArgumentError('path', 'expected a file path');
  const info = await stat(path);
  if (!info.isFile()) throw new OSSArgumentError('path', `"${path}" is not a regular file`);
  // openAsBlob streams from disk and knows its size, so fetch sends a Content-Length.
  const blob = await openAsBlob(path);
  return put(core, name, blob, options);
}

/** Upload from a Node Readable (length unknown: sent chunked). */
export function putStream(core: PortableCore, name: string, stream: Readable, options: PutOptions = {}): Promise<PutResult> {
  if (!(stream instanceof Readable)) throw new OSSArgumentError('stream', 'expected a Node Readable');
  return put(core, name, Readable.toWeb(stream) as ReadableStream<Uint8Array>, options);
}

/**
 * Download an object into a file. The bytes land in a temporary file that is renamed into place
 * only when complete, so a failed download never leaves a truncated file behind.
 * @example await getFile(client, 'backups/db.tar', './db.tar')
 */
export async function getFile(core: PortableCore, name: string, path: string, options: GetOptions = {}): Promise<{ res: ResponseInfo }> {
  if (typeof path !== 'string' || !path) throw new OSSArgumentError('path', 'expected a file path');
  const { stream, res } = await getStream(core, name, options);
  const temp = `${path}.${process.pid}.${Date.now()}.part`;
  try {
    await stream.pipeTo(Writable.toWeb(createWriteStream(temp)) as WritableStream<Uint8Array>);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return { res };
}

/** A Node Readable of an object's bytes. */
export async function getNodeStream(core: PortableCore, name: string, options: GetOptions = {}): Promise<{ stream: Readable; res: ResponseInfo }> {
  const { stream, res } = await getStream(core, name, options);
  return { stream: Readable.fromWeb(stream as import('node:stream/web').ReadableStream<Uint8Array>), res };
}


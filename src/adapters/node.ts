// oss-fetch/node: what Node adds to the Web-standard core — file paths, Node streams, and a
// client that sends over node:http and signs on node:crypto (both faster than Node's fetch and
// crypto.subtle; measured in bench/RESULTS.md).

import { createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import { open, rename, rm } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { OSSClient as PortableClient } from '../client/client.js';
import { ImageClient as PortableImageClient, type ImageClientOptions, type ImageGetOptions } from '../client/image.js';
import { OSSCore as PortableCore, type OSSOptions } from '../client/core.js';
import { withAllFeatures } from '../client/all-features.js';
import { put, type PutOptions, type PutResult } from '../client/object/put.js';
import { get as portableGet, getStream, type GetIntoOptions, type GetIntoResult, type GetOptions, type GetResult } from '../client/object/get.js';
import { uploadBody, type MultipartUploadOptions, type MultipartUploadResult } from '../client/multipart/upload.js';
import type { UploadPartOptions, UploadPartResult } from '../client/multipart/primitives.js';
import type { AppendOptions, AppendResult } from '../client/object/append.js';
import type { ResponseInfo } from '../client/core.js';
import { OSSArgumentError } from '../core/errors.js';
import { mimeFromKey } from '../client/mime.js';
import { fileAt, portableBody, webWritable, withFileMime, type NodeBodyInput } from './node-body.js';

import { fileParts } from './file-parts.js';
import { nodeFetch } from './node-fetch.js';
import { nodeSubtle } from './node-subtle.js';

export * from '../index.js';
export { nodeFetch, type NodeFetchOptions } from './node-fetch.js';
export { nodeSubtle } from './node-subtle.js';
export type { NodeBodyInput } from './node-body.js';

let shared: { fetch: typeof fetch; subtle: SubtleCrypto } | undefined;

/**
 * The Node fast paths every client of this entry uses unless given its own: one `nodeFetch()`
 * (so all clients share one keep-alive pool) and one `nodeSubtle()`.
 * @example new OSSClient({ ...options, ...nodeDefaults() }) // the portable client from 'oss-fetch', made fast
 */
export function nodeDefaults(): { fetch: typeof fetch; subtle: SubtleCrypto } {
  return (shared ??= { fetch: nodeFetch(), subtle: nodeSubtle() });
}

/** Node's fast fetch and crypto, and every opt-in feature (CRC-64 checks included). */
function withNodeDefaults<T extends OSSOptions>(options: T): T {
  if (!options || typeof options !== 'object') return options; // the core explains what is wrong
  const { fetch, subtle } = nodeDefaults();
  return withAllFeatures({ ...options, fetch: options.fetch ?? fetch, subtle: options.subtle ?? subtle });
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
   * `put` of the portable client with ali-oss's reading of the body: a string is a file path (the
   * file is uploaded, typed by its extension; never stored as content), a Node Readable a stream,
   * bytes or a Blob the content (text goes as `Buffer.from(text)`).
   * @example await client.put('data/report.json', '/tmp/report.json') // uploads the file
   */
  override async put(name: string, body: NodeBodyInput, options?: PutOptions): Promise<PutResult> {
    const input = await portableBody(body);
    return super.put(name, input.body, withFileMime(options, input.mime));
  }

  /**
   * `append` of the portable client; a string body is a file path, a Node Readable a stream (as in ali-oss).
   * @example const { nextAppendPosition } = await client.append('logs/today.log', Buffer.from('line\n'))
   */
  override async append(name: string, body: NodeBodyInput, options?: AppendOptions): Promise<AppendResult> {
    const input = await portableBody(body);
    return super.append(name, input.body, withFileMime(options, input.mime));
  }

  /**
   * ali-oss's `putStream`: `put` of a Node Readable or Web ReadableStream (chunked unless `contentLength`).
   * @example await client.putStream('logs/big.log', createReadStream('./big.log'))
   */
  async putStream(name: string, stream: Readable | ReadableStream<Uint8Array>, options?: PutOptions): Promise<PutResult> {
    if (!(stream instanceof Readable) && !(stream instanceof ReadableStream)) throw new OSSArgumentError('stream', 'expected a Node Readable or a ReadableStream');
    return this.put(name, stream, options);
  }

  /**
   * `multipartUpload` of the portable client; a string body is a file path, read part by part
   * from disk (see multipartUploadFile), a Node Readable a stream of unknown length.
   * @example await client.multipartUpload('videos/a.mp4', './a.mp4', { partSize: 8 * 1024 * 1024 })
   */
  override async multipartUpload(name: string, body: NodeBodyInput, options?: MultipartUploadOptions): Promise<MultipartUploadResult> {
    if (typeof body === 'string') return multipartUploadFile(this, name, body, options);
    return super.multipartUpload(name, (await portableBody(body)).body, options);
  }

  /**
   * `uploadPart` of the portable client; ali-oss's shape is accepted too: `(name, uploadId,
   * partNumber, file, start, end, options)`, where `file` is a path, Buffer or Blob and the part
   * is its bytes `[start, end)`.
   * @example await client.uploadPart('videos/a.mp4', uploadId, 1, './a.mp4', 0, 8 * 1024 * 1024)
   */
  override uploadPart(name: string, uploadId: string, partNumber: number, body: NodeBodyInput, options?: UploadPartOptions): Promise<UploadPartResult>;
  override uploadPart(name: string, uploadId: string, partNumber: number, file: string | Uint8Array | Blob, start: number, end: number, options?: UploadPartOptions): Promise<UploadPartResult>;
  override async uploadPart(name: string, uploadId: string, partNumber: number, body: NodeBodyInput, ...rest: [UploadPartOptions?] | [number, number, UploadPartOptions?]): Promise<UploadPartResult> {
    const ranged = typeof rest[0] === 'number';
    const options = (ranged ? rest[2] : rest[0]) as UploadPartOptions | undefined;
    let { body: part } = await portableBody(body);
    if (ranged) {
      const [start, end] = rest as [number, number];
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start) throw new OSSArgumentError('start', 'expected integers 0 ≤ start ≤ end');
      if (part instanceof Blob) part = part.slice(start, end);
      else if (part instanceof Uint8Array) part = part.subarray(start, end);
      else throw new OSSArgumentError('file', 'start and end slice a path, Buffer or Blob');
    }
    return super.uploadPart(name, uploadId, partNumber, part, options);
  }

  /**
   * `get` of the portable client with Node's conveniences: the content is a Buffer (the same
   * memory), and a file path or Node Writable as second argument receives the bytes (ali-oss's `get(name, file)`).
   * @example await client.get('backups/db.tar', './db.tar')
   */
  override get(name: string, options: GetIntoOptions): Promise<GetIntoResult>;
  override get(name: string, file: string | Writable, options?: GetOptions): Promise<{ res: ResponseInfo }>;
  override get(name: string, options?: GetOptions): Promise<NodeGetResult>;
  override get(name: string, fileOrOptions?: string | Writable | GetOptions | GetIntoOptions, options?: GetOptions) {
    return get(this, name, fileOrOptions as string, options);
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
   * A processed image (`name@200w_200h`, `name@!style`) into memory as a Buffer, or into a
   * WritableStream, a Node Writable or a file path (as in ali-oss).
   * @example const { content } = await images.get('cat.jpg@100w_100h_90Q.webp')
   */
  override get(name: string, writable: WritableStream<Uint8Array> | Writable | string, options?: ImageGetOptions): Promise<GetIntoResult>;
  override get(name: string, options?: ImageGetOptions & { writable?: undefined }): Promise<NodeGetResult>;
  override get(name: string, options: ImageGetOptions & { writable: WritableStream<Uint8Array> }): Promise<GetIntoResult>;
  override async get(name: string, target?: WritableStream<Uint8Array> | Writable | string | (ImageGetOptions & { writable?: WritableStream<Uint8Array> }), options?: ImageGetOptions): Promise<NodeGetResult | GetIntoResult> {
    if (typeof target === 'string') return intoFile(target, (writable) => super.get(name, writable, options));
    const result = await super.get(name, (webWritable(target) ?? target) as WritableStream<Uint8Array>, options);
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
export async function get(core: PortableCore, name: string, file: string | Writable, options?: GetOptions): Promise<{ res: ResponseInfo }>;
export async function get(core: PortableCore, name: string, options?: GetOptions): Promise<NodeGetResult>;
export async function get(core: PortableCore, name: string, fileOrOptions?: string | Writable | GetOptions | GetIntoOptions, options?: GetOptions): Promise<NodeGetResult | GetIntoResult | { res: ResponseInfo }> {
  if (typeof fileOrOptions === 'string') return getFile(core, name, fileOrOptions, options);
  const writable = webWritable(fileOrOptions);
  if (writable) return portableGet(core, name, { ...options, writable });
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
  if (typeof path !== 'string') throw new OSSArgumentError('path', 'expected a file path');
  const info = await fileAt(path, 'path');
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
    }, withFileMime(options, mimeFromKey(path)));
  } finally {
    await handle.close();
  }
}

/**
 * Upload a file from disk without reading it into memory.
 * @example await putFile(client, 'backups/db.tar', '/var/backups/db.tar')
 */
export async function putFile(core: PortableCore, name: string, path: string, options: PutOptions = {}): Promise<PutResult> {
  if (typeof path !== 'string') throw new OSSArgumentError('path', 'expected a file path');
  // openAsBlob streams from disk and knows its size, so fetch sends a Content-Length.
  const input = await portableBody(path, 'path');
  return put(core, name, input.body, withFileMime(options, input.mime));
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
  return intoFile(path, async (writable) => {
    const { stream, res } = await getStream(core, name, options);
    await stream.pipeTo(writable);
    return { res };
  });
}

/** Run a download into a temporary file, renamed to `path` only once the download succeeded. */
async function intoFile<T>(path: string, download: (writable: WritableStream<Uint8Array>) => Promise<T>): Promise<T> {
  if (typeof path !== 'string' || !path) throw new OSSArgumentError('path', 'expected a file path');
  const temp = `${path}.${process.pid}.${Date.now()}.part`;
  try {
    const result = await download(Writable.toWeb(createWriteStream(temp)) as WritableStream<Uint8Array>);
    await rename(temp, path);
    return result;
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** A Node Readable of an object's bytes. */
export async function getNodeStream(core: PortableCore, name: string, options: GetOptions = {}): Promise<{ stream: Readable; res: ResponseInfo }> {
  const { stream, res } = await getStream(core, name, options);
  return { stream: Readable.fromWeb(stream as import('node:stream/web').ReadableStream<Uint8Array>), res };
}


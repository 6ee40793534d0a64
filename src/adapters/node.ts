// oss-fetch/node: what Node adds to the Web-standard core — file paths and Node streams.

import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import type { OSSCore } from '../client/core.js';
import { put, type PutOptions, type PutResult } from '../client/object/put.js';
import { getStream, type GetOptions } from '../client/object/get.js';
import type { ResponseInfo } from '../client/core.js';
import { OSSArgumentError } from '../core/errors.js';

export * from '../index.js';
export { nodeSubtle } from './node-subtle.js';

/**
 * Upload a file from disk without reading it into memory.
 * @example await putFile(client, 'backups/db.tar', '/var/backups/db.tar')
 */
export async function putFile(core: OSSCore, name: string, path: string, options: PutOptions = {}): Promise<PutResult> {
  if (typeof path !== 'string' || !path) throw new OSSArgumentError('path', 'expected a file path');
  const info = await stat(path);
  if (!info.isFile()) throw new OSSArgumentError('path', `"${path}" is not a regular file`);
  // openAsBlob streams from disk and knows its size, so fetch sends a Content-Length.
  const { openAsBlob } = await import('node:fs');
  const blob = await openAsBlob(path);
  return put(core, name, blob, options);
}

/** Upload from a Node Readable (length unknown: sent chunked). */
export function putStream(core: OSSCore, name: string, stream: Readable, options: PutOptions = {}): Promise<PutResult> {
  if (!(stream instanceof Readable)) throw new OSSArgumentError('stream', 'expected a Node Readable');
  return put(core, name, Readable.toWeb(stream) as ReadableStream<Uint8Array>, options);
}

/**
 * Download an object into a file. The bytes land in a temporary file that is renamed into place
 * only when complete, so a failed download never leaves a truncated file behind.
 * @example await getFile(client, 'backups/db.tar', './db.tar')
 */
export async function getFile(core: OSSCore, name: string, path: string, options: GetOptions = {}): Promise<{ res: ResponseInfo }> {
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
export async function getNodeStream(core: OSSCore, name: string, options: GetOptions = {}): Promise<{ stream: Readable; res: ResponseInfo }> {
  const { stream, res } = await getStream(core, name, options);
  return { stream: Readable.fromWeb(stream as import('node:stream/web').ReadableStream<Uint8Array>), res };
}


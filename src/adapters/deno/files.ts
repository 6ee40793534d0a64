// File paths in Deno: upload from and download to disk, and managed uploads that read a file part
// by part (positional reads into pooled buffers, as the Node entry does) and refuse a file that
// changed since its checkpoint.

import type { OSSCore, ResponseInfo } from '../../client/core.js';
import { getStream, type GetOptions } from '../../client/object/get.js';
import { put, type PutOptions, type PutResult } from '../../client/object/put.js';
import { uploadBody, type MultipartUploadOptions, type MultipartUploadResult } from '../../client/multipart/upload.js';
import { OSSArgumentError } from '../../core/errors.js';
import { fileParts, type FileSnapshot, type PositionalFile } from '../file-parts.js';
import { deno, type DenoFile, type DenoFileInfo } from './deno-api.js';

/** Files up to this size are read into memory for `putFile`, so a failed PUT can be retried. */
const BUFFERED_PUT_LIMIT = 8 * 1024 * 1024;

function assertPath(path: unknown): asserts path is string {
  if (typeof path !== 'string' || !path) throw new OSSArgumentError('path', 'expected a file path');
}

async function regularFile(path: string): Promise<DenoFileInfo> {
  const info = await deno().stat(path);
  if (!info.isFile) throw new OSSArgumentError('path', `"${path}" is not a regular file`);
  return info;
}

function snapshot(info: DenoFileInfo): FileSnapshot {
  return { size: info.size, mtimeMs: info.mtime?.getTime() ?? 0 };
}

function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

/**
 * Upload a file from disk. Files up to 8 MiB are read whole (so a failed PUT is retried); larger
 * ones stream from disk with their length and are not retried — use multipartUploadFile for those.
 * @example await putFile(client, 'backups/db.tar', './db.tar')
 */
export async function putFile(core: OSSCore, name: string, path: string, options: PutOptions = {}): Promise<PutResult> {
  assertPath(path);
  const info = await regularFile(path);
  if (info.size <= BUFFERED_PUT_LIMIT) return put(core, name, await deno().readFile(path), options);
  const file = await deno().open(path, { read: true });
  try {
    return await put(core, name, file.readable, { ...options, contentLength: info.size });
  } finally {
    try {
      file.close();
    } catch {
      // Reading the stream to its end closed it already.
    }
  }
}

/**
 * Download an object into a file: the bytes land in a temporary file renamed into place only
 * when complete, so a failed download leaves nothing behind.
 * @example await getFile(client, 'backups/db.tar', './db.tar')
 */
export async function getFile(core: OSSCore, name: string, path: string, options: GetOptions = {}): Promise<{ res: ResponseInfo }> {
  assertPath(path);
  const d = deno();
  const { stream, res } = await getStream(core, name, options);
  const temp = `${path}.${d.pid}.${Date.now()}.part`;
  try {
    const file = await d.open(temp, { write: true, create: true, truncate: true });
    await stream.pipeTo(file.writable); // closes the file
    await d.rename(temp, path);
  } catch (err) {
    await d.remove(temp).catch(() => {});
    throw err;
  }
  return { res };
}

/** Deno's file behind the positional reads the part reader wants. */
function positional(file: DenoFile): PositionalFile {
  return {
    async readAt(buffer, offset, length, position) {
      await file.seek(position, deno().SeekMode.Start);
      const read = await file.read(buffer.subarray(offset, offset + length));
      return read ?? 0;
    },
    async stat() {
      return snapshot(await file.stat());
    },
  };
}

/**
 * A managed multipart upload straight from a file: parts are read at their positions into at most
 * `parallel` part-sized buffers, never the whole file. A file written to while it uploads fails
 * with FileChangedError; checkpoints carry the file's name, size and date, so a resume refuses a
 * file that changed since.
 * @example const result = await multipartUploadFile(client, 'videos/a.mp4', './a.mp4', { onCheckpoint: save })
 */
export async function multipartUploadFile(core: OSSCore, name: string, path: string, options: MultipartUploadOptions = {}): Promise<MultipartUploadResult> {
  assertPath(path);
  const info = snapshot(await regularFile(path));
  const file = await deno().open(path, { read: true });
  try {
    return await uploadBody(core, name, {
      size: info.size,
      file: { name: baseName(path), lastModified: Math.floor(info.mtimeMs) },
      parts: (partSize) => fileParts(positional(file), path, info, partSize),
    }, options);
  } finally {
    file.close();
  }
}

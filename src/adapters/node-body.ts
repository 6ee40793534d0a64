// What a body argument means on oss-fetch/node, as in ali-oss: a string is a file path (never
// content: text goes as Buffer.from(text)), a Node Readable is a stream; the rest is as in
// oss-fetch. One rule for every call that uploads, so no path is ever stored as an object.

import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import type { BodyInput } from '../client/body.js';
import { mimeFromKey } from '../client/mime.js';
import { OSSArgumentError } from '../core/errors.js';
import { loadCrc64Wasm, WASM_LOAD_AT } from '../core/crc64.js';

/** A body of oss-fetch/node: a file path, a Node Readable, or any body of oss-fetch but a string. */
export type NodeBodyInput = string | Readable | Exclude<BodyInput, string>;

/** The regular file at `path`, or a typed error that says what a string means here. */
export async function fileAt(path: string, argument: string): Promise<{ size: number; mtimeMs: number }> {
  if (!path) throw new OSSArgumentError(argument, 'expected a file path');
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new OSSArgumentError(argument, `no file at "${path}" (${err.code ?? err.message}). oss-fetch/node reads a string body as a file path, as ali-oss does; upload text as Buffer.from(text)`);
  });
  if (!info.isFile()) throw new OSSArgumentError(argument, `"${path}" is not a regular file`);
  return info;
}

/**
 * The portable body for a Node one: a path becomes a Blob streamed from disk (typed by the file's
 * extension, which ali-oss's Content-Type follows too), a Readable a Web stream.
 */
export async function portableBody(body: NodeBodyInput, argument = 'body'): Promise<{ body: BodyInput; mime?: string }> {
  if (typeof body === 'string') {
    await fileAt(body, argument);
    return { body: await openAsBlob(body), mime: mimeFromKey(body) };
  }
  // A big body's CRC-64 runs on the wasm kernel from its first byte (loaded here, not once the
  // first MiB went through the slower JS kernel); a stream's first part takes a while to read.
  if (body instanceof Readable || body instanceof ReadableStream) void loadCrc64Wasm();
  else if ((body instanceof Blob ? body.size : body.byteLength) >= WASM_LOAD_AT) await loadCrc64Wasm();
  if (body instanceof Readable) return { body: Readable.toWeb(body) as ReadableStream<Uint8Array> };
  return { body };
}

/** ali-oss's `mime` from the file wins over the key's extension, unless the caller chose a type. */
export function withFileMime<T extends { mime?: string; headers?: Record<string, string> } | undefined>(options: T, mime: string | undefined): T {
  if (!mime || !options || typeof options !== 'object') return (mime ? { mime } : options) as T;
  const typed = options.mime !== undefined || Object.keys(options.headers ?? {}).some((h) => h.toLowerCase() === 'content-type');
  return typed ? options : { ...options, mime };
}

/** A Node Writable as the WritableStream the portable calls write into. */
export function webWritable(target: unknown): WritableStream<Uint8Array> | undefined {
  return target instanceof Writable ? (Writable.toWeb(target) as WritableStream<Uint8Array>) : undefined;
}

// A file's parts for a managed upload, read with positional reads into pooled part-sized
// buffers: each byte is read from disk once (the CRC-64 is taken from the same buffer the request
// sends), and no more buffers exist than parts are in flight.

import { OSSError } from '../core/errors.js';
import { loadCrc64Wasm, WASM_LOAD_AT } from '../core/crc64.js';
import { pooledPart, rangeSource, type PartSource } from '../client/multipart/source.js';

/** An open file read at positions: Node's FileHandle and Deno's FsFile both fit behind it. */
export interface PositionalFile {
  /** Read up to `length` bytes at `position` into `buffer` from `offset`; 0 at the end of the file. */
  readAt(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** The file's size and modification time now. */
  stat(): Promise<FileSnapshot>;
}

/** The file as it was when the upload started. */
export interface FileSnapshot {
  size: number;
  mtimeMs: number;
}

/**
 * Parts of an open file, `snapshot.size` bytes. A file that was written to while its parts were
 * read (it ended early, or its size or modification time moved by the last part) fails with
 * FileChangedError, so the object is never a mix of two versions of the file.
 */
export function fileParts(file: PositionalFile, path: string, snapshot: FileSnapshot, partSize: number): PartSource {
  const { size } = snapshot;
  const free: Uint8Array[] = [];
  const changed = (why: string) => new OSSError({ code: 'FileChanged', message: `"${path}" changed during the upload: ${why}` });
  // Each part's CRC-64 is taken as it is sent, on the wasm kernel once that is in: loaded first,
  // it takes every part, instead of the slower JS kernel taking those sent while it loads.
  const kernel = size >= WASM_LOAD_AT ? loadCrc64Wasm() : undefined;
  return rangeSource(size, partSize, async (start, end, number) => {
    if (kernel) await kernel;
    const buffer = free.pop() ?? new Uint8Array(Math.min(partSize, size)); // a small file needs no whole part
    try {
      for (let at = start; at < end; ) {
        const bytesRead = await file.readAt(buffer, at - start, end - at, at);
        if (bytesRead === 0) throw changed(`it ended after ${at} of its ${size} bytes`);
        at += bytesRead;
      }
      if (end === size) {
        const now = await file.stat();
        if (now.size !== size || now.mtimeMs !== snapshot.mtimeMs) throw changed(`it was written to while it was read (now ${now.size} bytes)`);
      }
    } catch (err) {
      free.push(buffer);
      throw err;
    }
    return pooledPart(number, buffer, end - start, free);
  });
}

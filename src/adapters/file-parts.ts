// A file's parts for a managed upload, read with positional reads into pooled part-sized
// buffers: each byte is read from disk once (the CRC-64 is taken from the same buffer the request
// sends), and no more buffers exist than parts are in flight.

import type { FileHandle } from 'node:fs/promises';
import { OSSError } from '../core/errors.js';
import { pooledPart, rangeSource, type PartSource } from '../client/multipart/source.js';

/** Parts of the first `size` bytes of an open file. */
export function fileParts(handle: FileHandle, path: string, size: number, partSize: number): PartSource {
  const free: Uint8Array[] = [];
  return rangeSource(size, partSize, async (start, end, number) => {
    const buffer = free.pop() ?? new Uint8Array(Math.min(partSize, size)); // a small file needs no whole part
    for (let at = start; at < end; ) {
      const { bytesRead } = await handle.read(buffer, at - start, end - at, at);
      if (bytesRead === 0) {
        free.push(buffer);
        throw new OSSError({ code: 'FileChanged', message: `"${path}" ended after ${at} of its ${size} bytes: it changed during the upload` });
      }
      at += bytesRead;
    }
    return pooledPart(number, buffer, end - start, free);
  });
}

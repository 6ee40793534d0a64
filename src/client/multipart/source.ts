// Where a managed upload's parts come from. A Blob or byte array is sliced (nothing read, nothing
// copied); a stream of unknown length is cut into part-sized buffers, of which no more exist than
// parts are in flight, so memory stays within parallel × partSize.

import { OSSArgumentError } from '../../core/errors.js';

export interface Part {
  /** 1-based, in body order. */
  number: number;
  body: Blob | Uint8Array;
  size: number;
  /** Done with the bytes: a stream's buffer goes back to the pool. */
  release(): void;
}

export interface PartSource {
  /** Total bytes when known up front (not for streams). */
  readonly size: number | undefined;
  /** Bytes handed out so far; the total once `ended`. */
  readonly read: number;
  /** No bytes are left after those handed out. */
  readonly ended: boolean;
  /** The next part, or undefined after the last. Not reentrant: one call at a time. */
  next(): Promise<Part | undefined>;
  /** Whether the body ends here (reads ahead one chunk of a stream to know). */
  atEnd(): Promise<boolean>;
  /** Stop reading; a stream is cancelled, so its producer learns. */
  cancel(reason: unknown): Promise<void>;
}

/** Parts as views of a Blob or bytes. */
export function sliceSource(body: Blob | Uint8Array, partSize: number): PartSource {
  const size = body instanceof Uint8Array ? body.byteLength : body.size;
  return rangeSource(size, partSize, (start, end, number) => ({
    number,
    body: body instanceof Uint8Array ? body.subarray(start, end) : body.slice(start, end),
    size: end - start,
    release() {},
  }));
}

/** Parts of a body of known size, each cut from its byte range by `cut` (a slice, or a read of a file). */
export function rangeSource(
  size: number, partSize: number, cut: (start: number, end: number, number: number) => Part | Promise<Part>,
): PartSource {
  let offset = 0;
  let number = 0;
  return {
    size,
    get read() {
      return offset;
    },
    get ended() {
      return offset >= size;
    },
    async next() {
      if (offset >= size) return undefined;
      const end = Math.min(offset + partSize, size);
      const part = await cut(offset, end, ++number);
      offset = end;
      return part;
    },
    async atEnd() {
      return offset >= size;
    },
    async cancel() {},
  };
}

/** A part of the first `size` bytes of a pooled buffer, which goes back to `free` once released. */
export function pooledPart(number: number, buffer: Uint8Array, size: number, free: Uint8Array[]): Part {
  let released = false;
  return {
    number,
    body: buffer.subarray(0, size),
    size,
    release() {
      if (!released) free.push(buffer);
      released = true;
    },
  };
}

/** A byte stream's BYOB reader, or undefined for a stream of chunks (the check locks nothing). */
function byobReader(stream: ReadableStream<Uint8Array>): ReadableStreamBYOBReader | undefined {
  try {
    return stream.getReader({ mode: 'byob' });
  } catch {
    return undefined;
  }
}

/**
 * Parts read from a stream into pooled part-sized buffers. A byte stream (a fetch body, a Blob's
 * or a file's stream) is read straight into them; any other is read chunk by chunk and copied.
 */
export function streamSource(stream: ReadableStream<Uint8Array>, partSize: number): PartSource {
  const byob = byobReader(stream);
  const reader = byob ?? stream.getReader();
  const free: Uint8Array[] = [];
  let pending: Uint8Array | undefined;
  let done = false;
  let read = 0;
  let number = 0;

  async function chunk(): Promise<Uint8Array | undefined> {
    if (pending) {
      const c = pending;
      pending = undefined;
      return c;
    }
    while (!done) {
      const { done: end, value } = await (byob ? byob.read(new Uint8Array(64 * 1024)) : (reader as ReadableStreamDefaultReader<Uint8Array>).read());
      if (end) done = true;
      else if (!(value instanceof Uint8Array)) throw new OSSArgumentError('body', 'stream chunks must be Uint8Array');
      else if (value.byteLength) return value;
    }
    return undefined;
  }

  return {
    size: undefined,
    get read() {
      return read;
    },
    get ended() {
      return done && !pending;
    },
    async next() {
      let buffer = free.pop() ?? new Uint8Array(partSize);
      let filled = 0;
      while (filled < partSize) {
        if (byob && !pending && !done) {
          // A BYOB read fills the part's buffer in place and moves it to a new ArrayBuffer, which
          // `value` views (pooled buffers start at offset 0).
          const { done: end, value } = await byob.read(buffer.subarray(filled));
          done = end;
          if (value) (buffer = new Uint8Array(value.buffer)), (filled += value.byteLength);
          continue;
        }
        const c = await chunk();
        if (!c) break;
        const n = Math.min(c.byteLength, partSize - filled);
        buffer.set(n === c.byteLength ? c : c.subarray(0, n), filled);
        filled += n;
        if (n < c.byteLength) pending = c.subarray(n);
      }
      if (filled === 0) {
        free.push(buffer);
        return undefined;
      }
      read += filled;
      return pooledPart(++number, buffer, filled, free);
    },
    async atEnd() {
      if (pending) return false;
      pending = await chunk();
      return !pending;
    },
    async cancel(reason) {
      done = true;
      pending = undefined;
      await reader.cancel(reason).catch(() => {});
    },
  };
}

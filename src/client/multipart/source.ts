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
      const slice = body instanceof Uint8Array ? body.subarray(offset, end) : body.slice(offset, end);
      offset = end;
      return { number: ++number, body: slice, size: slice instanceof Uint8Array ? slice.byteLength : slice.size, release() {} };
    },
    async atEnd() {
      return offset >= size;
    },
    async cancel() {},
  };
}

/** Parts read from a stream into pooled part-sized buffers. */
export function streamSource(stream: ReadableStream<Uint8Array>, partSize: number): PartSource {
  const reader = stream.getReader();
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
      const { done: end, value } = await reader.read();
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
      const buffer = free.pop() ?? new Uint8Array(partSize);
      let filled = 0;
      while (filled < partSize) {
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
      let released = false;
      return {
        number: ++number,
        body: buffer.subarray(0, filled),
        size: filled,
        release() {
          if (!released) free.push(buffer);
          released = true;
        },
      };
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

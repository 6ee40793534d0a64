// Measures a body while passing it on, so every store computes size, MD5 and CRC-64 the same
// way without ever holding the whole body.
import { Crc64 } from '../../core/crc64.js';
import { Md5 } from '../../core/md5.js';
import type { BodySource, WriteDigest } from './types.js';

/** Receives each chunk in order; a returned promise is awaited before the next chunk. */
export type ChunkSink = (chunk: Uint8Array) => void | Promise<void>;

/** The part of an MD5 implementation the digest needs (lets Node stores use `node:crypto`). */
export interface Md5Hash {
  update(chunk: Uint8Array): unknown;
  digest(): Uint8Array;
}

/**
 * Feeds `body` to `sink` chunk by chunk while hashing it. If the body errors or the sink
 * throws, the stream is cancelled and the error propagates.
 */
export async function digestBody(
  body: BodySource,
  sink: ChunkSink,
  md5: Md5Hash = new Md5(),
): Promise<WriteDigest> {
  const crc = new Crc64();
  let size = 0;
  const take = async (chunk: Uint8Array): Promise<void> => {
    // Start the sink first so an asynchronous write overlaps the CPU-bound hashing.
    const pending = sink(chunk);
    md5.update(chunk);
    crc.update(chunk);
    size += chunk.byteLength;
    await pending;
  };
  if (body instanceof Uint8Array) {
    if (body.byteLength > 0) await take(body);
  } else {
    await drain(body, take);
  }
  return { size, md5: new Uint8Array(md5.digest()), crc64: crc.toString() };
}

async function drain(
  stream: ReadableStream<Uint8Array>,
  take: (chunk: Uint8Array) => Promise<void>,
): Promise<void> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value.byteLength > 0) await take(value);
    }
  } catch (err) {
    // Tell the producer to stop (no-op if the stream itself errored).
    await reader.cancel(err).catch(() => {});
    throw err;
  } finally {
    reader.releaseLock();
  }
}

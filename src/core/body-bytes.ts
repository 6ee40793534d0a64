// Reading a body whole, with a size cap that refuses oversized bodies early (request bodies on the
// server, callback bodies in verifyCallback; downloads of unknown length with progress, uncapped).

/**
 * The body's bytes; `tooLarge()` is thrown (after cancelling the stream) past `maxBytes`.
 * `onBytes` hears the bytes read so far as they arrive (download progress), and each chunk.
 */
export async function readBodyBytes(
  body: ReadableStream<Uint8Array> | null, maxBytes: number, tooLarge: () => Error, onBytes?: (read: number, chunk: Uint8Array) => void,
): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
    onBytes?.(total, value);
  }
  return concatBytes(chunks, total);
}

/**
 * Chunks joined into one array of `total` bytes. A single chunk is not copied: a plain Uint8Array
 * over its memory is returned (never the chunk's own class: a runtime's subclass may have a slice() that does not copy).
 */
export function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return new Uint8Array(chunks[0]!.buffer, chunks[0]!.byteOffset, total);
  const all = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.byteLength;
  }
  return all;
}

// A request body stream as the chunks nodeFetch writes, over node:http or undici alike.

/** The chunks of a request body stream, and how to stop reading it. */
export interface RequestChunks {
  /** The stream's chunks, each checked to be a Uint8Array; the stream is cancelled if the writer stops early. */
  chunks: AsyncGenerator<Uint8Array>;
  /**
   * Cancel the stream (with the signal's reason once aborted) unless it has ended: for a request
   * over before its body (abort, failure, an early answer), even while a read waits on the source.
   */
  stop(): void;
}

export function requestChunks(stream: ReadableStream<Uint8Array>, signal: AbortSignal | null): RequestChunks {
  const reader = stream.getReader();
  let ended = false;
  const stop = () => {
    if (ended) return;
    ended = true;
    reader.cancel(signal?.aborted ? signal.reason : undefined).catch(() => {});
  };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          ended = true;
          return;
        }
        if (!(value instanceof Uint8Array)) throw new TypeError('a request body stream must yield Uint8Array chunks');
        yield value;
      }
    } finally {
      stop();
    }
  }
  return { chunks: chunks(), stop };
}

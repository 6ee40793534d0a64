// Byte-level upload progress, an opt-in feature (`features: [uploadProgress]`). Browsers get it
// from XMLHttpRequest (fetch reports none); other runtimes count the bytes as fetch pulls them
// from the body stream. Either way it is a per-request transport for OSSCore, so retries,
// signing and errors stay the core's.

import { progressEmitter, type OnUploadProgress, type ProgressEmitter } from './progress.js';
import { hasXhr, xhrTransport } from './transport-xhr.js';

/** What the transports need of a client: the fetch it was given, if any. */
type ClientWithFetch = { readonly options: { readonly fetch?: typeof fetch } };

/** One PUT's progress: the emitter and the transport that feeds it. */
export function trackPut(core: ClientWithFetch, onProgress: OnUploadProgress, total: number | undefined): { progress: ProgressEmitter; transport: typeof fetch } {
  const progress = progressEmitter(onProgress);
  return { progress, transport: progressTransport(core, (sent) => progress.update(sent, total)) };
}

/**
 * A transport for one request that calls `onBytes(sent)` as its body goes out: XHR where it
 * exists (and the client has no custom fetch), else the client's fetch over a counting stream.
 */
export function progressTransport(core: ClientWithFetch, onBytes: (sent: number) => void): typeof fetch {
  const custom = core.options.fetch;
  const counting = countingTransport(custom ?? ((input, init) => globalThis.fetch(input, init)), onBytes, custom !== undefined);
  if (!hasXhr() || custom !== undefined) return counting;
  const xhr = xhrTransport(onBytes);
  return (input, init) => (init?.body instanceof ReadableStream ? counting(input, init) : xhr(input, init));
}

const CHUNK = 64 * 1024;
/** Origins that refused a streamed body (Chromium over HTTP/1.1): send them whole bodies. */
const refusingOrigins = new Set<string>();
let streamsSupported: boolean | undefined;

/**
 * Whether fetch can send a ReadableStream body at all (Chromium ≥ 105, Node, Deno, Bun;
 * not Firefox or Safari, which would send the text "[object ReadableStream]"). Chromium still
 * refuses one over HTTP/1.1, which only a request can tell.
 * @example const body = requestStreamsSupported() ? stream : await new Response(stream).blob()
 */
export function requestStreamsSupported(): boolean {
  if (streamsSupported !== undefined) return streamsSupported;
  let duplexRead = false;
  try {
    const init = {
      method: 'POST',
      body: new ReadableStream(),
      get duplex() {
        duplexRead = true;
        return 'half';
      },
    };
    const hasType = new Request('http://localhost/', init as RequestInit).headers.has('content-type');
    streamsSupported = duplexRead && !hasType;
  } catch {
    streamsSupported = false;
  }
  return streamsSupported;
}

/** The error for a stream body this runtime will not send. */
function streamRefused(): TypeError {
  return new TypeError(
    'This runtime refuses a ReadableStream request body (Chromium sends one only over HTTP/2 or later; Firefox and Safari never). ' +
      'Send the stream with multipartUpload, which buffers it one part at a time.',
  );
}

/**
 * The platform's fetch sends body chunks and lets them go, so it gets views of the caller's
 * bytes; a custom fetch (an in-process server, a test double) may keep them, so it gets copies
 * and the caller stays free to reuse its buffer (multipartUpload does).
 */
function countingTransport(base: typeof fetch, onBytes: (sent: number) => void, copy: boolean): typeof fetch {
  return async (input, init = {}) => {
    const body = init.body;
    const origin = new URL(input instanceof Request ? input.url : String(input)).origin;
    const streamable = requestStreamsSupported() && !refusingOrigins.has(origin);
    if (body instanceof ReadableStream && !streamable) throw streamRefused();
    const counted = body === undefined || body === null || !streamable ? undefined : countingBody(body as CountableBody, onBytes, copy, init.signal);
    if (!counted || counted.size === 0) return base(input, init);
    const headers = new Headers(init.headers);
    if (counted.size !== undefined) headers.set('content-length', String(counted.size));
    try {
      return await base(input, { ...init, headers, body: counted.stream, duplex: 'half' } as RequestInit);
    } catch (err) {
      // Chromium rejects a streamed body over HTTP/1.1 with a TypeError, before reading it.
      if (!(err instanceof TypeError) || init.signal?.aborted) throw err;
      if (body instanceof ReadableStream) {
        if (counted.pulled()) throw err;
        refusingOrigins.add(origin);
        throw streamRefused();
      }
      // A whole body can be sent again as it is (without byte-level progress).
      const response = await base(input, init);
      refusingOrigins.add(origin);
      return response;
    }
  };
}

type CountableBody = Blob | ArrayBuffer | ArrayBufferView | string | ReadableStream<Uint8Array>;

interface CountingBody {
  stream: ReadableStream<Uint8Array>;
  size: number | undefined;
  /** Whether fetch has read anything yet. */
  pulled(): boolean;
}

function countingBody(
  body: CountableBody, onBytes: (sent: number) => void, copy: boolean, signal: AbortSignal | null | undefined,
): CountingBody {
  if (typeof body === 'string') return countingBody(new TextEncoder().encode(body), onBytes, false, signal);
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    const bytes = body instanceof ArrayBuffer ? new Uint8Array(body) : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    return { ...counting(bytesStream(bytes, copy), onBytes, signal), size: bytes.byteLength };
  }
  if (body instanceof ReadableStream) return { ...counting(body, onBytes, signal), size: undefined };
  return { ...counting(body.stream(), onBytes, signal), size: body.size };
}

/** A stream over `bytes` in 64 KiB pieces (views, or copies), so progress moves within one buffer. */
function bytesStream(bytes: Uint8Array, copy: boolean): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.byteLength) return controller.close();
        const end = Math.min(offset + CHUNK, bytes.byteLength);
        controller.enqueue(copy ? bytes.slice(offset, end) : bytes.subarray(offset, end));
        offset = end;
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Pulls from `source` only when fetch asks, in pieces of at most 64 KiB (Node's Blob streams
 * hand over the whole Blob at once), counting what it hands over. Once the request is aborted
 * it hands over nothing more: undici goes on draining an aborted request's body otherwise.
 */
function counting(
  source: ReadableStream<Uint8Array>, onBytes: (sent: number) => void, signal: AbortSignal | null | undefined,
): Omit<CountingBody, 'size'> {
  const reader = source.getReader();
  let pending: Uint8Array | undefined;
  let pulled = false;
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        pulled = true;
        if (signal?.aborted) {
          controller.error(signal.reason);
          await reader.cancel(signal.reason).catch(() => {});
          return;
        }
        if (!pending?.byteLength) {
          const { done, value } = await reader.read();
          if (done) return controller.close();
          pending = value;
        }
        const piece = pending.subarray(0, CHUNK);
        pending = pending.subarray(piece.byteLength);
        sent += piece.byteLength;
        controller.enqueue(piece);
        onBytes(sent);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

/** Byte-level upload progress (`onProgress` of put and uploadPart; within parts for multipartUpload). */
export const uploadProgress = { name: 'progress', trackPut, transport: progressTransport } as const;

// One request and its response through undici's dispatcher, nodeFetch's default transport in
// Node: no ClientRequest or IncomingMessage stream per request and no parsed header object, so
// oss-fetch/node's client spent 0.69x (get) and 0.71x (put) of the CPU per 1 KiB request it
// spent over node:http (bench/ab-node.ts). undici is Node's own fetch underneath; its package is
// loaded at the first request (~130 ms), and where it has no dispatcher (Bun's `undici` is fetch
// alone) nodeFetch keeps to node:http.

import { PassThrough } from 'node:stream';
import type http from 'node:http';
import type { Dispatcher } from 'undici';
import { concatBytes } from '../core/body-bytes.js';
import { decodedResponse } from './content-decoding.js';
import { requestChunks } from './request-chunks.js';
import { BODY_HIGH_WATER_MARK, BUFFER_LIMIT, NULL_BODY_STATUSES, redirectOf, type Outbound, type Reply } from './node-fetch-types.js';
import { bufferedResponse, failure, fetched, headerPairs, receivedHead, streamedBody, type ReceivedHead } from './node-fetch-response.js';

/** Idle keep-alive sockets close after this long, before a server would close them under us. */
export const FREE_SOCKET_TIMEOUT = 4_000;

/** A dispatcher once loaded, `null` where there is none to be had, or the load under way. */
export type DispatcherSlot = { ready: Dispatcher | null | undefined; load(): Promise<Dispatcher | null> };

/** undici's Agent with `connections` sockets per origin, loaded on first use. */
export function undiciAgent(connections: number): DispatcherSlot {
  let loading: Promise<Dispatcher | null> | undefined;
  const slot: DispatcherSlot = {
    ready: undefined,
    load: () =>
      (loading ??= import('undici').then(
        ({ Agent }) => {
          // No timeouts of undici's own on connecting (10 s by default), headers or body: the
          // client's `timeout` and signal end a request, as over node:http.
          const agent = new Agent({ connections, keepAliveTimeout: FREE_SOCKET_TIMEOUT, connectTimeout: 0, headersTimeout: 0, bodyTimeout: 0 });
          return (slot.ready = typeof agent.dispatch === 'function' ? agent : null);
        },
        () => (slot.ready = null),
      )),
  };
  return slot;
}

/** Send one request through `dispatcher`; resolves when the response head arrives (a small body: once it is read). */
export function undiciExchange(outbound: Outbound, dispatcher: Dispatcher, keepAlive: boolean): Promise<Reply> {
  return new Promise((resolve, reject) => new Exchange(outbound, resolve, reject).send(dispatcher, keepAlive));
}

type BodyMode = 'discard' | 'buffer' | 'stream' | 'decode';

/**
 * undici's handler of one request. It uses the handler hooks undici's own fetch uses (onConnect,
 * onHeaders, onData, onComplete, onError): the raw header list, read as Latin-1 as fetch reads it.
 */
class Exchange implements Dispatcher.DispatchHandler {
  readonly #outbound: Outbound;
  readonly #resolve: (reply: Reply) => void;
  readonly #reject: (reason: unknown) => void;
  /** The Response promise is settled. */
  #answered = false;
  /** The exchange is over: answered and its body ended, failed or cancelled. */
  #over = false;
  #abort: ((err: Error) => void) | undefined;
  #resume: (() => void) | undefined;
  #mode: BodyMode = 'discard';
  #status = 0;
  #statusText = '';
  #head: ReceivedHead | undefined;
  #chunks: Uint8Array[] = [];
  #size = 0;
  #stream: ReadableStreamDefaultController<Uint8Array> | undefined;
  #decoding: (PassThrough & { complete?: boolean }) | undefined;
  /** Cancels a streamed request body the exchange ends before. */
  #stopBody: (() => void) | undefined;

  constructor(outbound: Outbound, resolve: (reply: Reply) => void, reject: (reason: unknown) => void) {
    this.#outbound = outbound;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  send(dispatcher: Dispatcher, keepAlive: boolean): void {
    const { url, method, headers, body, signal } = this.#outbound;
    // Not `{ once: true }`: Node wraps such a listener, which costs more than removing it at the end.
    signal?.addEventListener('abort', this.#onAbort);
    let payload: Uint8Array | AsyncGenerator<Uint8Array> | null = null;
    if (body && 'bytes' in body) payload = body.bytes;
    else if (body) {
      const stream = requestChunks('blob' in body ? body.blob.stream() : body.stream, signal);
      this.#stopBody = stream.stop;
      payload = stream.chunks;
    }
    try {
      dispatcher.dispatch({ origin: url.origin, path: url.pathname + url.search, method: method as Dispatcher.HttpMethod, headers, body: payload as Uint8Array, reset: !keepAlive }, this);
    } catch (err) {
      this.onError(err as Error);
    }
  }

  readonly #onAbort = () => {
    const reason = this.#outbound.signal!.reason;
    this.#end(reason, reason);
    this.#abort?.(reason instanceof Error ? reason : new Error(String(reason)));
  };

  onConnect(abort: (err?: Error) => void): void {
    this.#abort = abort;
    const signal = this.#outbound.signal;
    if (signal?.aborted) abort(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    else if (this.#over) abort(new Error('the request is over'));
  }

  onHeaders(status: number, rawHeaders: Buffer[] | string[], resume: () => void, statusText: string): boolean {
    if (status < 200 || this.#over) return true; // informational answers are not the response
    this.#resume = resume;
    const raw: string[] = [];
    for (const item of rawHeaders) raw.push(typeof item === 'string' ? item : item.toString('latin1'));
    const head = receivedHead(raw);
    const outbound = this.#outbound;
    const redirect = redirectOf(outbound, status, head.location);
    if (redirect) return this.#answer(redirect), true; // its body is drained: the loop sends the next request
    this.#status = status;
    this.#statusText = statusText ?? '';
    this.#head = head;
    if (outbound.method === 'HEAD' || NULL_BODY_STATUSES.has(status)) return this.#respond(null), true;
    if (head.encoding) {
      // Decoded as fetch decodes, by the same zlib chain as over node:http (rare: no stream of our own).
      const encoded = new PassThrough() as PassThrough & { complete?: boolean };
      const decoded = decodedResponse(encoded as unknown as http.IncomingMessage, head.encoding);
      if (decoded) {
        this.#mode = 'decode';
        this.#decoding = encoded;
        encoded.once('close', () => {
          if (!encoded.complete) this.#cancel();
        });
        this.#respond(streamedBody(decoded, outbound.signal));
        return true;
      }
    }
    if (Number(head.length) <= BUFFER_LIMIT) {
      this.#mode = 'buffer';
      return true;
    }
    this.#mode = 'stream';
    this.#respond(this.#bodyStream());
    return true;
  }

  onData(chunk: Buffer): boolean {
    switch (this.#mode) {
      case 'buffer':
        this.#chunks.push(chunk);
        this.#size += chunk.byteLength;
        return true;
      case 'stream': {
        const stream = this.#stream;
        if (!stream || this.#over) return true;
        stream.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        return (stream.desiredSize ?? 0) > 0; // false pauses the socket until the consumer pulls
      }
      case 'decode': {
        const encoded = this.#decoding!;
        if (encoded.destroyed || encoded.write(chunk)) return true;
        encoded.once('drain', () => this.#resume?.());
        return false;
      }
      default:
        return true;
    }
  }

  onComplete(): void {
    if (this.#over) return;
    const mode = this.#mode;
    if (mode === 'buffer') {
      let reply: Reply;
      try {
        reply = bufferedResponse(concatBytes(this.#chunks, this.#size) as Uint8Array<ArrayBuffer>, this.#status, this.#statusText, this.#head!, this.#outbound.url);
      } catch (err) {
        return this.#end(err, err);
      }
      this.#answer(reply);
    } else if (mode === 'stream') this.#stream?.close();
    else if (mode === 'decode') {
      this.#decoding!.complete = true;
      this.#decoding!.end();
    }
    this.#finish();
  }

  onError(err: Error): void {
    const signal = this.#outbound.signal;
    this.#end(failure(signal, 'fetch failed', err), failure(signal, 'terminated', err));
  }

  /** Settle the Response promise once. */
  #answer(reply: Reply): void {
    if (this.#answered) return;
    this.#answered = true;
    this.#resolve(reply);
  }

  /** Fail what is still open: the Response promise with `before`, a body already handed out with `after`. */
  #end(before: unknown, after: unknown): void {
    if (this.#over) return;
    if (!this.#answered) {
      this.#answered = true;
      this.#reject(before);
    } else if (this.#mode === 'stream') this.#stream?.error(after);
    else if (this.#mode === 'decode') this.#decoding!.destroy(after instanceof Error ? after : new Error(String(after)));
    this.#finish();
  }

  /** The exchange is over: a later abort has nothing to stop. */
  #finish(): void {
    this.#over = true;
    this.#chunks = [];
    this.#stopBody?.();
    this.#outbound.signal?.removeEventListener('abort', this.#onAbort);
  }

  /** The reader gave up on the body: stop the download. */
  #cancel(): void {
    if (this.#over) return;
    this.#finish();
    this.#abort?.(new Error('the response body was cancelled'));
  }

  /** Answer with the Response of this head; one fetch cannot make (a status past 599, say) fails the fetch and stops the download. */
  #respond(body: ReadableStream<Uint8Array> | null): void {
    let response: Response;
    try {
      response = fetched(new Response(body, { status: this.#status, statusText: this.#statusText, headers: headerPairs(this.#head!.raw) }), this.#outbound.url);
    } catch (err) {
      this.#end(new TypeError('fetch failed', { cause: err }), undefined);
      this.#abort?.(new Error('the response cannot be represented'));
      return;
    }
    this.#answer(response);
  }

  /** The body as a Web stream whose consumer's pace pauses and resumes the socket. */
  #bodyStream(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#stream = controller;
        },
        pull: () => this.#resume?.(),
        cancel: () => this.#cancel(),
      },
      { highWaterMark: BODY_HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
    );
  }
}

// The Responses nodeFetch hands back, whatever sent the request (node:http or undici): the head
// as fetch reads it, and a small body's Response, already read whole.

import type http from 'node:http';
import { BUFFERED_BODY } from '../core/transport-shortcuts.js';
import { BODY_HIGH_WATER_MARK } from './node-fetch-types.js';

/** A response head as fetch reads it, from node's raw header list in one pass (node's `res.headers` is parsed lazily, at a cost, and keeps only the first of some repeated names). */
export interface ReceivedHead {
  /** Names and values alternating, as received: what a Headers is made from when one must be. */
  raw: readonly string[];
  /** Lower-case name → value, repeated names joined with ", " as Headers joins them; undefined when a Headers must be made after all (a Set-Cookie, a value with surrounding white space). */
  values: Map<string, string> | undefined;
  length: string | undefined;
  encoding: string | undefined;
  location: string | undefined;
}

export function receivedHead(raw: readonly string[]): ReceivedHead {
  let values: Map<string, string> | undefined = new Map();
  for (let i = 0; i < raw.length && values; i += 2) {
    const lower = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    if (lower === 'set-cookie' || value !== value.trim()) values = undefined;
    else {
      const before = values.get(lower);
      values.set(lower, before === undefined ? value : `${before}, ${value}`);
    }
  }
  const header = (name: string) => (values ? values.get(name) : headerPairs(raw).filter(([n]) => n.toLowerCase() === name).map(([, v]) => v).join(', ') || undefined);
  return { raw, values, length: header('content-length'), encoding: header('content-encoding'), location: header('location') };
}

/** The head as [name, value] pairs, for a Headers to join (made only when a Headers is). */
export function headerPairs(raw: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}

/** A Response made by nodeFetch: its url is the one it was fetched from, as fetch's are. */
export function fetched<R extends Response>(response: R, url: URL): R {
  Object.defineProperty(response, 'url', { value: url.href });
  return response;
}

/** A small body read whole as a Response, or a TypeError as fetch fails an impossible one. */
export function bufferedResponse(bytes: Uint8Array<ArrayBuffer>, status: number, statusText: string, head: ReceivedHead, url: URL): Response {
  try {
    return fetched(new BufferedResponse(bytes, { status, statusText, headers: head.values ?? headerPairs(head.raw) }), url);
  } catch (err) {
    throw new TypeError('fetch failed', { cause: err });
  }
}

/** Why a response failed: the abort reason, else a network error as fetch reports it. */
export function failure(signal: AbortSignal | null, message: 'fetch failed' | 'terminated', cause: unknown): unknown {
  return signal?.aborted ? signal.reason : new TypeError(message, { cause });
}

/** The body as a Web stream that pauses the socket while its consumer is behind. */
export function streamedBody(res: http.IncomingMessage, signal: AbortSignal | null): ReadableStream<Uint8Array> {
  let settled = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const fail = (cause: unknown) => {
          if (settled) return;
          settled = true;
          controller.error(failure(signal, 'terminated', cause));
        };
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) res.pause();
        });
        res.once('end', () => {
          if (settled) return;
          settled = true;
          controller.close();
        });
        res.once('error', fail);
        res.once('close', () => {
          if (!res.complete) fail(new Error('connection closed before the body ended'));
        });
      },
      pull() {
        res.resume();
      },
      cancel() {
        settled = true;
        res.destroy();
      },
    },
    { highWaterMark: BODY_HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );
}

const unusable = () => new TypeError('Body is unusable: Body has already been read');

/** A header name as Headers accepts it (an HTTP token); anything else goes to Headers to refuse. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The Headers of a received response, answering get, has and forEach from the values as read
 * (lower-case names, repeats joined) until anything else is asked: the first other call fills
 * the platform's Headers underneath and hands every call to it from then on. Filling undici's
 * Headers validates and copies every header, a few µs per response whose headers the client
 * reads only with get and forEach.
 */
class ReceivedHeaders extends Headers {
  #values: Map<string, string> | undefined;
  #sorted: [string, string][] | undefined;

  constructor(values: Map<string, string>) {
    super();
    this.#values = values;
  }

  /** The platform's Headers from now on. */
  #filled(): this {
    const values = this.#values;
    if (values) {
      this.#values = undefined;
      for (const [name, value] of values) super.append(name, value);
    }
    return this;
  }

  override get(name: string): string | null {
    if (this.#values && typeof name === 'string' && TOKEN.test(name)) return this.#values.get(name.toLowerCase()) ?? null;
    return super.get.call(this.#filled(), name);
  }

  override has(name: string): boolean {
    if (this.#values && typeof name === 'string' && TOKEN.test(name)) return this.#values.has(name.toLowerCase());
    return super.has.call(this.#filled(), name);
  }

  override forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    if (!this.#values || typeof callback !== 'function') return super.forEach.call(this.#filled(), callback, thisArg);
    // Sorted by name, as Headers iterates.
    this.#sorted ??= [...this.#values].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    for (const [name, value] of this.#sorted) callback.call(thisArg, value, name, this);
  }

  override append(name: string, value: string): void {
    super.append.call(this.#filled(), name, value);
  }

  override set(name: string, value: string): void {
    super.set.call(this.#filled(), name, value);
  }

  override delete(name: string): void {
    super.delete.call(this.#filled(), name);
  }

  override getSetCookie(): string[] {
    return super.getSetCookie.call(this.#filled());
  }

  override entries(): HeadersIterator<[string, string]> {
    return super.entries.call(this.#filled());
  }

  override keys(): HeadersIterator<string> {
    return super.keys.call(this.#filled());
  }

  override values(): HeadersIterator<string> {
    return super.values.call(this.#filled());
  }

  // Not Headers.prototype.entries itself: undici would then read the (unfilled) list underneath
  // directly when these headers initialise another Headers or Response.
  override [Symbol.iterator](): HeadersIterator<[string, string]> {
    return super.entries.call(this.#filled());
  }

  [Symbol.for('nodejs.util.inspect.custom')](...args: unknown[]): unknown {
    const inspect = (Headers.prototype as unknown as Record<symbol, (...a: unknown[]) => unknown>)[Symbol.for('nodejs.util.inspect.custom')];
    return inspect ? inspect.apply(this.#filled(), args) : this;
  }
}

/**
 * The Response of a small body already read whole: a real Response (instanceof, status,
 * headers, url) made with no body, whose body methods serve the bytes directly. Building
 * undici's Response over bytes costs a byte stream, its transfer hooks and a copy, about a tenth
 * of a small request's CPU; the stream here is made only when `body` is asked for. Its headers
 * are ReceivedHeaders when `headers` is the map of values.
 */
export class BufferedResponse extends Response {
  #bytes: Uint8Array<ArrayBuffer> | undefined;
  #stream: ReadableStream<Uint8Array> | undefined;
  #used = false;
  #headers: Headers | undefined;

  constructor(bytes: Uint8Array<ArrayBuffer>, init: { status: number; statusText: string; headers: Map<string, string> | HeadersInit }) {
    const { headers, ...rest } = init;
    const received = headers instanceof Map;
    super(null, received ? rest : init as ResponseInit);
    this.#bytes = bytes;
    if (received) this.#headers = new ReceivedHeaders(headers);
  }

  override get headers(): Headers {
    return this.#headers ?? super.headers;
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> {
    if (!this.#stream) {
      const taken = this.#take(false);
      // Pulled only when read: the first read (or a cancel) is what makes the body used.
      this.#stream = new ReadableStream<Uint8Array>(
        {
          pull: (controller) => {
            this.#used = true;
            if (taken && taken.byteLength) controller.enqueue(taken);
            controller.close();
          },
          cancel: () => {
            this.#used = true;
          },
        },
        { highWaterMark: 0 },
      );
    }
    return this.#stream as ReadableStream<Uint8Array<ArrayBuffer>>;
  }

  override get bodyUsed(): boolean {
    return this.#used;
  }

  /** The bytes, once: later reads fail as fetch's do. Through `body` once that was asked for. */
  #take(consume: boolean): Uint8Array<ArrayBuffer> | undefined {
    if (this.#used) throw unusable();
    const bytes = this.#bytes;
    this.#bytes = undefined;
    if (consume) this.#used = true;
    return bytes;
  }

  /** The whole body at once, as arrayBuffer() gives it, for the client's readers (core/body-bytes.ts); undefined once streamed or read. */
  [BUFFERED_BODY](): Uint8Array<ArrayBuffer> | undefined {
    if (this.#stream || this.#used) return undefined;
    return ownBuffer(this.#take(true) ?? new Uint8Array(0));
  }

  async #read(): Promise<Uint8Array<ArrayBuffer>> {
    if (!this.#stream) return this.#take(true) ?? new Uint8Array(0);
    if (this.#used || this.#stream.locked) throw unusable();
    return new Uint8Array(await new Response(this.#stream).arrayBuffer());
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    return ownBuffer(await this.#read()).buffer;
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.arrayBuffer());
  }

  override async text(): Promise<string> {
    return new TextDecoder().decode(await this.#read());
  }

  override async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  // Rarely asked for: the platform's Response parses the type (a Blob's is the serialised MIME type).
  override async blob(): Promise<Blob> {
    return new Response(await this.#read(), { headers: this.headers }).blob();
  }

  override async formData(): Promise<FormData> {
    return new Response(await this.#read(), { headers: this.headers }).formData();
  }

  override clone(): Response {
    if (this.#used || this.#stream?.locked) throw new TypeError('Response.clone: Body has already been consumed.');
    if (this.#stream) {
      const [mine, theirs] = this.#stream.tee();
      this.#stream = mine;
      const copy = new Response(theirs, { status: this.status, statusText: this.statusText, headers: this.headers });
      Object.defineProperty(copy, 'url', { value: this.url });
      return copy;
    }
    const copy = new BufferedResponse(this.#bytes!.slice(), { status: this.status, statusText: this.statusText, headers: this.headers });
    Object.defineProperty(copy, 'url', { value: this.url });
    return copy;
  }
}

/** The bytes over an ArrayBuffer of exactly their size (a view into a socket read is copied out). */
function ownBuffer(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole ? bytes : bytes.slice();
}

// nodeFetch: a fetch-shaped function over node:http / node:https with a keep-alive Agent. Node's
// built-in fetch (undici) costs more per request than node:http does; an OSSClient given this
// fetch sends the same requests through plain node:http sockets instead.

import http from 'node:http';
import https from 'node:https';
import { OSSArgumentError } from '../core/errors.js';
import { decodedResponse } from './content-decoding.js';
import { ABORT_CONTROLLER, BUFFERED_BODY } from '../core/transport-shortcuts.js';

export interface NodeFetchOptions {
  /**
   * An Agent of your own: an `https.Agent` serves `https:` URLs, any other `http.Agent` serves
   * `http:` ones; the other protocol gets a default agent. `maxSockets` and `keepAlive` then only
   * shape that default.
   */
  agent?: http.Agent;
  /** Sockets per host of the default agents (default 64). */
  maxSockets?: number;
  /** Keep sockets open between requests (default true). */
  keepAlive?: boolean;
}

const DEFAULT_MAX_SOCKETS = 64;
/** Idle keep-alive sockets close after this long, before a server would close them under us. */
const FREE_SOCKET_TIMEOUT = 4_000;
/**
 * Bodies with a Content-Length up to this are read whole before the Response is made (so such a
 * fetch settles once its body is in, and a failure mid-body rejects it): for a 1 KiB GET that
 * took ~8% less CPU than a stream; from 32 KiB on (several socket chunks) the stream was cheaper.
 */
const BUFFER_LIMIT = 16 * 1024;
/** Bytes the response body stream holds before the socket is paused. */
const BODY_HIGH_WATER_MARK = 64 * 1024;
const MAX_REDIRECTS = 20;
/** Statuses whose responses never have a body (as the Fetch standard lists them). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** A request body in the form it is written: whole bytes, a Blob to stream, or a stream. */
type Outgoing = { bytes: Uint8Array } | { blob: Blob } | { stream: ReadableStream<Uint8Array> };

interface Outbound {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Outgoing | null;
  signal: AbortSignal | null;
  redirect: RequestRedirect;
}

/**
 * A `fetch` over node:http / node:https with keep-alive sockets, for `new OSSClient({ fetch })`.
 * It behaves as fetch does where the client relies on it (bodies, abort reasons, `TypeError`
 * network failures, null bodies, joined header values, redirects, and a body with a
 * `Content-Encoding` of gzip, deflate or br is decoded as fetch decodes it). It never asks for
 * compression (no Accept-Encoding of its own).
 * @example
 * import { OSSClient, nodeFetch } from 'oss-fetch/node';
 * const client = new OSSClient({ region: 'oss-cn-hangzhou', bucket: 'photos', accessKeyId, accessKeySecret, fetch: nodeFetch() });
 */
export function nodeFetch(options: NodeFetchOptions = {}): typeof fetch {
  if (!options || typeof options !== 'object') throw new OSSArgumentError('options', 'expected an options object');
  const { agent, maxSockets, keepAlive } = options;
  if (agent !== undefined && !(agent instanceof http.Agent)) throw new OSSArgumentError('agent', 'expected an http.Agent or https.Agent');
  if (maxSockets !== undefined && (!Number.isInteger(maxSockets) || maxSockets < 1)) throw new OSSArgumentError('maxSockets', 'expected a positive integer');
  if (keepAlive !== undefined && typeof keepAlive !== 'boolean') throw new OSSArgumentError('keepAlive', 'expected a boolean');
  const agentFor = agentPicker(options);
  return Object.assign(async function fetchOverNodeHttp(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const outbound = outboundRequest(input, init);
    for (let redirects = 0; ; redirects++) {
      outbound.signal?.throwIfAborted();
      const { res, req } = await exchange(outbound, agentFor(outbound.url));
      const location = REDIRECT_STATUSES.has(res.statusCode!) ? res.headers.location : undefined;
      if (location === undefined || outbound.redirect === 'manual') return toResponse(res, req, outbound);
      res.resume(); // a redirect's body is not read: drain it so the socket can serve the next request
      if (outbound.redirect === 'error') throw new TypeError('fetch failed', { cause: new Error(`unexpected redirect to ${location}`) });
      if (redirects === MAX_REDIRECTS) throw new TypeError('fetch failed', { cause: new Error('too many redirects') });
      followRedirect(outbound, res.statusCode!, location);
    }
  }, { [ABORT_CONTROLLER]: () => new RequestAbort() as unknown as AbortController });
}

/**
 * The abort controller the client's core takes for requests it sends through nodeFetch (see
 * core/transport-shortcuts.ts): its signal has what nodeFetch reads of one (state, reason, abort
 * listeners) and none of an EventTarget's cost. Any other signal still works as always.
 */
class RequestAbort {
  readonly signal = new RequestAbortSignal();
  abort(reason: unknown = new DOMException('This operation was aborted', 'AbortError')): void {
    this.signal.fire(reason);
  }
}

class RequestAbortSignal {
  aborted = false;
  reason: unknown = undefined;
  #listeners: Array<() => void> = [];
  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }
  addEventListener(type: string, listener: () => void): void {
    if (type === 'abort' && !this.aborted) this.#listeners.push(listener);
  }
  removeEventListener(type: string, listener: () => void): void {
    const at = this.#listeners.indexOf(listener);
    if (type === 'abort' && at >= 0) this.#listeners.splice(at, 1);
  }
  /** Abort once: later calls keep the first reason, as AbortController's do. */
  fire(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    for (const listener of this.#listeners.splice(0)) listener();
  }
}

function agentPicker(options: NodeFetchOptions): (url: URL) => http.Agent {
  const shape = { keepAlive: options.keepAlive ?? true, maxSockets: options.maxSockets ?? DEFAULT_MAX_SOCKETS, timeout: FREE_SOCKET_TIMEOUT };
  const own = options.agent;
  let plain = own && !(own instanceof https.Agent) ? own : undefined;
  let secure = own instanceof https.Agent ? own : undefined;
  return (url) => (url.protocol === 'https:' ? (secure ??= new https.Agent(shape)) : (plain ??= new http.Agent(shape)));
}

/** The request fetch(input, init) describes, with its body in a writable form. */
function outboundRequest(input: RequestInfo | URL, init: RequestInit | undefined): Outbound {
  if (typeof Request !== 'undefined' && input instanceof Request) {
    const request = init ? new Request(input, init) : input;
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => (headers[k] = v));
    return {
      url: parseUrl(request.url),
      method: request.method,
      headers,
      body: request.body ? { stream: request.body } : null,
      signal: request.signal,
      redirect: request.redirect,
    };
  }
  const url = parseUrl(String(input));
  const method = normaliseMethod(init?.method ?? 'GET');
  const headers = headerRecord(init?.headers);
  const body = init?.body == null ? null : outgoingBody(init.body, headers);
  if (body && (method === 'GET' || method === 'HEAD')) throw new TypeError('Request with GET/HEAD method cannot have body.');
  return { url, method, headers, body, signal: init?.signal ?? null, redirect: init?.redirect ?? 'follow' };
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (err) {
    throw new TypeError(`Failed to parse URL from ${text}`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('fetch failed', { cause: new Error(`unsupported protocol ${url.protocol}`) });
  return url;
}

const STANDARD_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
function normaliseMethod(method: string): string {
  const upper = method.toUpperCase();
  return STANDARD_METHODS.has(upper) ? upper : method;
}

/** Header names lowered, repeated names joined with ", " as Headers does. */
function headerRecord(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!init) return out;
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    out[key] = key in out ? `${out[key]}, ${value}` : value;
  };
  if (init instanceof Headers) init.forEach((v, k) => add(k, v));
  else if (Array.isArray(init)) for (const [k, v] of init) add(k!, v!);
  else for (const k of Object.keys(init)) add(k, String(init[k]));
  return out;
}

/** The body to write, filling in the Content-Type and Content-Length fetch would send with it. */
function outgoingBody(body: BodyInit, headers: Record<string, string>): Outgoing {
  const typed = (type: string) => {
    if (type && !('content-type' in headers)) headers['content-type'] = type;
  };
  const sized = (bytes: Uint8Array): Outgoing => {
    headers['content-length'] = String(bytes.byteLength);
    return { bytes };
  };
  if (body instanceof Uint8Array) return sized(body);
  if (body instanceof ArrayBuffer) return sized(new Uint8Array(body));
  if (ArrayBuffer.isView(body)) return sized(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
  if (typeof body === 'string') {
    typed('text/plain;charset=UTF-8');
    return sized(Buffer.from(body, 'utf8'));
  }
  if (body instanceof Blob) {
    typed(body.type);
    headers['content-length'] = String(body.size);
    return { blob: body };
  }
  if (body instanceof ReadableStream) return { stream: body as ReadableStream<Uint8Array> };
  // FormData, URLSearchParams…: let the platform encode them, then stream the result.
  const encoded = new Response(body);
  typed(encoded.headers.get('content-type') ?? '');
  return { stream: encoded.body! };
}

/** Send one request; resolves when the response head arrives. */
function exchange(outbound: Outbound, agent: http.Agent): Promise<{ req: http.ClientRequest; res: http.IncomingMessage }> {
  const { url, method, headers, body, signal } = outbound;
  // A stream of unknown length goes chunked whatever the method (Node picks chunked only for some).
  if (body && 'stream' in body && !('content-length' in headers)) headers['transfer-encoding'] = 'chunked';
  return new Promise((resolve, reject) => {
    let req: http.ClientRequest;
    try {
      req = (url.protocol === 'https:' ? https : http).request({
        protocol: url.protocol,
        // URL keeps IPv6 literals bracketed; the socket wants them bare.
        hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers,
        agent,
      });
    } catch (err) {
      reject(new TypeError(err instanceof Error ? err.message : String(err), { cause: err }));
      return;
    }
    // A stream that ends short of (or runs past) its declared Content-Length fails, as in fetch,
    // instead of leaving the server waiting for bytes that never come.
    (req as http.ClientRequest & { strictContentLength: boolean }).strictContentLength = true;
    let responded = false;
    const onAbort = () => {
      reject(signal!.reason);
      req.destroy();
    };
    if (signal) {
      // Not `{ once: true }`: Node wraps such a listener, which costs more than removing it at close.
      signal.addEventListener('abort', onAbort);
      // The exchange is over (response read, cancelled or failed): a later abort has nothing to stop.
      req.once('close', () => signal.removeEventListener('abort', onAbort));
    }
    req.on('error', (err) => {
      if (!responded) reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: err }));
    });
    req.once('response', (res) => {
      responded = true;
      resolve({ req, res });
    });
    if (!body) req.end();
    else if ('bytes' in body) req.end(body.bytes);
    else void pump('blob' in body ? body.blob.stream() : body.stream, req, signal);
  });
}

/** Write a stream into the request with backpressure; stop reading it once the request is gone. */
async function pump(stream: ReadableStream<Uint8Array>, req: http.ClientRequest, signal: AbortSignal | null): Promise<void> {
  const reader = stream.getReader();
  let ended = false;
  req.once('close', () => {
    if (!ended) reader.cancel(signal?.aborted ? signal.reason : undefined).catch(() => {});
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || req.destroyed) break;
      if (!(value instanceof Uint8Array)) throw new TypeError('a request body stream must yield Uint8Array chunks');
      if (!req.write(value)) await drained(req);
    }
    ended = true;
    if (!req.destroyed) req.end();
  } catch (err) {
    ended = true;
    req.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}

function drained(req: http.ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      req.off('drain', done);
      req.off('close', done);
      resolve();
    };
    req.on('drain', done);
    req.on('close', done);
  });
}

/** Point the request at a redirect's target, changing method and headers as fetch does. */
function followRedirect(outbound: Outbound, status: number, location: string): void {
  const next = parseUrl(new URL(location, outbound.url).href);
  const becomesGet = (status === 303 && outbound.method !== 'GET' && outbound.method !== 'HEAD') || ((status === 301 || status === 302) && outbound.method === 'POST');
  if (becomesGet) {
    outbound.method = 'GET';
    outbound.body = null;
    for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location', 'transfer-encoding']) delete outbound.headers[name];
  } else if (outbound.body && 'stream' in outbound.body) {
    throw new TypeError('fetch failed', { cause: new Error('cannot follow a redirect with a streamed body') });
  }
  // Credentials stay with the origin they were meant for.
  if (next.origin !== outbound.url.origin) for (const name of ['authorization', 'cookie', 'proxy-authorization']) delete outbound.headers[name];
  outbound.url = next;
}

/** A response head as fetch reads it, from node's raw header list in one pass (node's `res.headers` is parsed lazily, at a cost, and keeps only the first of some repeated names). */
interface ReceivedHead {
  /** [name, value] as received, for a Headers to join. */
  pairs: [string, string][];
  /** Lower-case name → value, repeated names joined with ", " as Headers joins them; undefined when a Headers must be made after all (a Set-Cookie, a value with surrounding white space). */
  values: Map<string, string> | undefined;
  length: string | undefined;
  encoding: string | undefined;
}

function receivedHead(raw: string[]): ReceivedHead {
  const pairs: [string, string][] = [];
  let values: Map<string, string> | undefined = new Map();
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    pairs.push([name, value]);
    if (!values) continue;
    const lower = name.toLowerCase();
    if (lower === 'set-cookie' || value !== value.trim()) values = undefined;
    else {
      const before = values.get(lower);
      values.set(lower, before === undefined ? value : `${before}, ${value}`);
    }
  }
  const header = (name: string) => (values ? values.get(name) : pairs.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v).join(', ') || undefined);
  return { pairs, values, length: header('content-length'), encoding: header('content-encoding') };
}

/** The Web Response of a node:http response: headers as fetch joins them, the body streamed or (small) buffered. */
function toResponse(res: http.IncomingMessage, req: http.ClientRequest, outbound: Outbound): Response | Promise<Response> {
  const status = res.statusCode!;
  const head = receivedHead(res.rawHeaders);
  const make = (body: BodyInit | null) => {
    try {
      const response = new Response(body, { status, statusText: res.statusMessage ?? '', headers: head.pairs });
      Object.defineProperty(response, 'url', { value: outbound.url.href });
      return response;
    } catch (err) {
      req.destroy();
      throw new TypeError('fetch failed', { cause: err });
    }
  };
  if (outbound.method === 'HEAD' || NULL_BODY_STATUSES.has(status)) {
    res.resume();
    return make(null);
  }
  // Decoded as fetch decodes (the Content-Length is then the encoded one: stream it).
  const decoded = decodedResponse(res, head.encoding);
  if (decoded) return make(streamedBody(decoded, outbound.signal));
  const length = Number(head.length);
  if (length <= BUFFER_LIMIT) {
    return readWhole(res, outbound.signal).then((bytes) => {
      try {
        const response = new BufferedResponse(bytes, { status, statusText: res.statusMessage ?? '', headers: head.values ?? head.pairs });
        Object.defineProperty(response, 'url', { value: outbound.url.href });
        return response;
      } catch (err) {
        throw new TypeError('fetch failed', { cause: err });
      }
    });
  }
  return make(streamedBody(res, outbound.signal));
}

/** Why a response failed: the abort reason, else a network error as fetch reports it. */
function failure(signal: AbortSignal | null, message: 'fetch failed' | 'terminated', cause: unknown): unknown {
  return signal?.aborted ? signal.reason : new TypeError(message, { cause });
}

/** A small body read whole, without copying when it arrives in one chunk. */
function readWhole(res: http.IncomingMessage, signal: AbortSignal | null): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.byteLength;
    });
    res.once('end', () => {
      if (chunks.length === 1) return resolve(new Uint8Array(chunks[0]!.buffer as ArrayBuffer, chunks[0]!.byteOffset, size));
      const whole = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) {
        whole.set(c, at);
        at += c.byteLength;
      }
      resolve(whole);
    });
    // The promise of the Response is still pending: fail it as a request that got no response.
    res.once('error', (err) => reject(failure(signal, 'fetch failed', err)));
    res.once('close', () => {
      if (!res.complete) reject(failure(signal, 'fetch failed', new Error('connection closed before the body ended')));
    });
  });
}

/** The body as a Web stream that pauses the socket while its consumer is behind. */
function streamedBody(res: http.IncomingMessage, signal: AbortSignal | null): ReadableStream<Uint8Array> {
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
class BufferedResponse extends Response {
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

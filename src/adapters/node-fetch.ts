// nodeFetch: a fetch-shaped function for Node with keep-alive sockets. Node's built-in fetch costs
// more per request than the layers under it; an OSSClient given this fetch sends the same requests
// through undici's dispatcher (undici-exchange.ts), or through node:http when given an Agent of
// its own (node-http-exchange.ts). This module is the fetch in front: options, the request as
// fetch reads it, redirects.

import http from 'node:http';
import https from 'node:https';
import { OSSArgumentError } from '../core/errors.js';
import { ABORT_CONTROLLER } from '../core/transport-shortcuts.js';
import type { Outbound, Outgoing, Reply } from './node-fetch-types.js';
import { httpExchange } from './node-http-exchange.js';
import { FREE_SOCKET_TIMEOUT, undiciAgent, undiciExchange } from './undici-exchange.js';

export interface NodeFetchOptions {
  /**
   * An Agent of your own, for requests sent through node:http instead of undici: an `https.Agent`
   * serves `https:` URLs, any other `http.Agent` serves `http:` ones; the other protocol gets a
   * default agent. `maxSockets` and `keepAlive` then only shape that default.
   */
  agent?: http.Agent;
  /** Sockets per host (default 64). */
  maxSockets?: number;
  /** Keep sockets open between requests (default true). */
  keepAlive?: boolean;
}

const DEFAULT_MAX_SOCKETS = 64;
const MAX_REDIRECTS = 20;

/**
 * A `fetch` for Node with keep-alive sockets, for `new OSSClient({ fetch })`: requests go through
 * undici's dispatcher (loaded at the first request), or through node:http / node:https with an
 * `agent` of your own (and where undici has no dispatcher, as in Bun). It behaves as fetch does
 * where the client relies on it (bodies, abort reasons, `TypeError` network failures, null bodies,
 * joined header values, redirects, and a body with a `Content-Encoding` of gzip, deflate or br is
 * decoded as fetch decodes it). It never asks for compression (no Accept-Encoding of its own).
 * @example
 * import { OSSClient, nodeFetch } from 'oss-fetch/node';
 * const client = new OSSClient({ region: 'oss-cn-hangzhou', bucket: 'photos', accessKeyId, accessKeySecret, fetch: nodeFetch() });
 */
export function nodeFetch(options: NodeFetchOptions = {}): typeof fetch {
  if (!options || typeof options !== 'object') throw new OSSArgumentError('options', 'expected an options object');
  const { agent, maxSockets = DEFAULT_MAX_SOCKETS, keepAlive = true } = options;
  if (agent !== undefined && !(agent instanceof http.Agent)) throw new OSSArgumentError('agent', 'expected an http.Agent or https.Agent');
  if (!Number.isInteger(maxSockets) || maxSockets < 1) throw new OSSArgumentError('maxSockets', 'expected a positive integer');
  if (typeof keepAlive !== 'boolean') throw new OSSArgumentError('keepAlive', 'expected a boolean');
  const agentFor = agentPicker(options);
  // undici unless the caller chose node:http by giving an Agent.
  const undici = agent === undefined ? undiciAgent(maxSockets) : undefined;
  // Not async: once undici is loaded (or known absent), a request waits on nothing but itself.
  const exchange = (outbound: Outbound): Promise<Reply> => {
    if (undici && undici.ready === undefined) return undici.load().then(() => exchange(outbound));
    const dispatcher = undici?.ready;
    return dispatcher ? undiciExchange(outbound, dispatcher, keepAlive) : httpExchange(outbound, agentFor(outbound.url));
  };
  return Object.assign(async function nodeFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const outbound = outboundRequest(input, init);
    for (let redirects = 0; ; redirects++) {
      outbound.signal?.throwIfAborted();
      const reply = await exchange(outbound);
      if (reply instanceof Response) return reply;
      if (outbound.redirect === 'error') throw new TypeError('fetch failed', { cause: new Error(`unexpected redirect to ${reply.location}`) });
      if (redirects === MAX_REDIRECTS) throw new TypeError('fetch failed', { cause: new Error('too many redirects') });
      followRedirect(outbound, reply.status, reply.location);
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


// One request and its response over node:http / node:https (nodeFetch given an Agent of its own,
// and where undici's dispatcher is not there: Bun's `undici` is fetch alone).

import http from 'node:http';
import https from 'node:https';
import { concatBytes } from '../core/body-bytes.js';
import { decodedResponse } from './content-decoding.js';
import { requestChunks, type RequestChunks } from './request-chunks.js';
import { BUFFER_LIMIT, NULL_BODY_STATUSES, redirectOf, type Outbound, type Reply } from './node-fetch-types.js';
import { bufferedResponse, failure, fetched, headerPairs, receivedHead, streamedBody } from './node-fetch-response.js';

/** Send one request through `agent`; resolves when the response head arrives (a small body: once it is read). */
export async function httpExchange(outbound: Outbound, agent: http.Agent): Promise<Reply> {
  const { res, req } = await send(outbound, agent);
  const redirect = redirectOf(outbound, res.statusCode!, res.headers.location);
  if (!redirect) return toResponse(res, req, outbound);
  res.resume(); // a redirect's body is not read: drain it so the socket can serve the next request
  return redirect;
}

function send(outbound: Outbound, agent: http.Agent): Promise<{ req: http.ClientRequest; res: http.IncomingMessage }> {
  const { url, method, headers, body, signal } = outbound;
  // A stream of unknown length goes chunked whatever the method (Node picks chunked only for some).
  if (body && !('bytes' in body) && !('content-length' in headers)) headers['transfer-encoding'] = 'chunked';
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
    else void pump(requestChunks('blob' in body ? body.blob.stream() : body.stream, signal), req);
  });
}

/** Write a body stream into the request with backpressure; stop reading it once the request is gone. */
async function pump(body: RequestChunks, req: http.ClientRequest): Promise<void> {
  req.once('close', body.stop);
  try {
    for await (const chunk of body.chunks) {
      if (req.destroyed) break;
      if (!req.write(chunk)) await drained(req);
    }
    if (!req.destroyed) req.end();
  } catch (err) {
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

/** The Web Response of a node:http response: headers as fetch joins them, the body streamed or (small) buffered. */
function toResponse(res: http.IncomingMessage, req: http.ClientRequest, outbound: Outbound): Response | Promise<Response> {
  const status = res.statusCode!;
  const statusText = res.statusMessage ?? '';
  const head = receivedHead(res.rawHeaders);
  const make = (body: BodyInit | null) => {
    try {
      return fetched(new Response(body, { status, statusText, headers: headerPairs(head.raw) }), outbound.url);
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
  if (Number(head.length) <= BUFFER_LIMIT) return readWhole(res, outbound.signal).then((bytes) => bufferedResponse(bytes, status, statusText, head, outbound.url));
  return make(streamedBody(res, outbound.signal));
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
    res.once('end', () => resolve(concatBytes(chunks, size) as Uint8Array<ArrayBuffer>));
    // The promise of the Response is still pending: fail it as a request that got no response.
    res.once('error', (err) => reject(failure(signal, 'fetch failed', err)));
    res.once('close', () => {
      if (!res.complete) reject(failure(signal, 'fetch failed', new Error('connection closed before the body ended')));
    });
  });
}

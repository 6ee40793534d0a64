// The thin Node listener: node:http ⇄ Request/Response around the Web-standard handler.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { rememberRawPath } from './raw-path.js';

export type FetchHandler = (request: Request) => Promise<Response>;

export interface ListenOptions {
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
}

export interface RunningServer {
  /** e.g. `http://127.0.0.1:9000` */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** A Web `Request` for a node:http request (raw path and headers kept, body streamed). */
export function toRequest(req: IncomingMessage, controller: AbortController): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: controller.signal };
  if (method !== 'GET' && method !== 'HEAD') {
    init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
    init.duplex = 'half';
  }
  // The URL's host is a placeholder: routing reads the Host header, and the raw path (with
  // `//`, encoded bytes and dot segments, which the URL parser folds) must survive untouched.
  const target = req.url ?? '/';
  const request = new Request(`http://oss.local${target}`, init);
  const query = target.indexOf('?');
  // (node:http refuses bytes outside ASCII in the target: what arrives is ASCII.)
  if (target.startsWith('/')) rememberRawPath(request, query === -1 ? target : target.slice(0, query));
  return request;
}

/** Write a Web `Response` to a node:http response with backpressure; a short body ends the connection. */
export async function writeResponse(response: Response, res: ServerResponse, headOnly: boolean, requestDone = true): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  // Answered before the request body was read (an early error): close the connection, or the
  // unread body would stall the next request on it.
  if (!requestDone) headers.connection = 'close';
  res.writeHead(response.status, headers);
  if (headOnly || !response.body) {
    res.end();
    await response.body?.cancel().catch(() => {});
    return;
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  let written = 0;
  const reader = response.body.getReader();
  // A client that hangs up must free what the body holds (an open data file, a read lock that
  // defers its deletion) now, not when the reader is garbage-collected: cancel on close.
  const gone = res.destroyed ? Promise.resolve() : new Promise<void>((resolve) => res.once('close', resolve));
  let finished = false;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), gone.then(() => undefined)]);
      if (!next || res.destroyed) break;
      if (next.done) {
        finished = true;
        break;
      }
      written += next.value.byteLength;
      // Chunks at hand (an XML reply's) go out together in one writev, not one write each.
      res.cork();
      process.nextTick(uncork, res);
      if (!res.write(next.value)) await Promise.race([once(res, 'drain'), gone]);
    }
    // A body shorter than its Content-Length (a truncation fault) must end the connection, or
    // the client would wait for the missing bytes.
    if (!finished || (Number.isFinite(declared) && written < declared)) res.destroy();
    else res.end();
  } catch (err) {
    res.destroy(err instanceof Error ? err : new Error(String(err)));
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

const uncork = (res: ServerResponse) => res.uncork();

/** Resolves on the next `event`. */
function once(emitter: ServerResponse, event: string): Promise<void> {
  return new Promise((resolve) => emitter.once(event, () => resolve()));
}

/** Serve a fetch-style handler on node:http. */
export function listen(handler: FetchHandler, options: ListenOptions = {}): Promise<RunningServer> {
  const server = createServer(async (req, res) => {
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    try {
      const response = await handler(toRequest(req, controller));
      await writeResponse(response, res, req.method === 'HEAD', req.complete);
    } catch (err) {
      if (err instanceof Error && err.name === 'ConnectionReset') {
        res.destroy(); // req.socket is null once the socket was detached: destroying it crashed the listener
        return;
      }
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error');
      } else {
        res.destroy(err instanceof Error ? err : undefined);
      }
    }
  });
  server.keepAliveTimeout = 30_000;
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
      resolve({
        url: `http://${shownHost}:${port}`,
        port,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

// Test fixtures: the local server in-process (a fetch that calls the handler) and over HTTP.

import { OSSClient, type OSSOptions } from '../../src/index.js';
import { createHandler, DEV_CREDENTIALS, startServer, type ServerOptions, type StartedServer } from '../../src/server/index.js';

export const creds = { accessKeyId: DEV_CREDENTIALS.accessKeyId, accessKeySecret: DEV_CREDENTIALS.accessKeySecret };

/** A client whose fetch calls the handler directly: no sockets. */
export function inProcessClient(serverOptions: ServerOptions = {}, clientOptions: OSSOptions = {}) {
  const handler = createHandler(serverOptions);
  const client = new OSSClient({
    ...creds,
    endpoint: 'http://127.0.0.1:1',
    region: 'cn-hangzhou',
    fetch: (input, init) => inProcessFetch(handler, input, init),
    ...clientOptions,
  });
  return { handler, client };
}

export async function httpServer(options: Parameters<typeof startServer>[0] = {}): Promise<StartedServer> {
  return startServer({ port: 0, ...options });
}

let counter = 0;
/** A bucket name no other test uses. */
export function uniqueBucket(prefix = 'b'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

/** Like fetch, but answered by the handler in this process; honours the request's signal as fetch does. */
export function inProcessFetch(handler: (r: Request) => Promise<Response>, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const signal = init?.signal;
  if (!signal) return handler(request);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    handler(request)
      .then((response) => resolve(abortableBody(response, signal)), reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

// fetch errors a response body whose request is aborted; so must the stand-in.
function abortableBody(response: Response, signal: AbortSignal): Response {
  if (!response.body) return response;
  let ctrl!: TransformStreamDefaultController<Uint8Array>;
  const t = new TransformStream<Uint8Array, Uint8Array>({ start: (c) => void (ctrl = c) });
  const onAbort = () => ctrl.error(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  response.body.pipeTo(t.writable).catch(() => {}).finally(() => signal.removeEventListener('abort', onAbort));
  return new Response(t.readable, { status: response.status, headers: response.headers });
}

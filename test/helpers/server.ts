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
    fetch: (input, init) => handler(new Request(input, init)),
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

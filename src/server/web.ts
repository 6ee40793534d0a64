// oss-fetch/server where there is no node:http (browsers, Cloudflare Workers, service workers):
// the Web-standard handler and in-memory storage. Serve it with the runtime's own `fetch` event,
// or call it in-process: `createHandler()` is a `(Request) => Promise<Response>` function.

import { createHandler, type ServerOptions } from './handler.js';

export { createHandler, DEV_CREDENTIALS } from './handler.js';
export type { OSSHandler, ServerOptions, ServerState, RequestContext } from './handler.js';
export { MemoryStorage } from './storage/memory.js';
export type { Storage, ObjectRecord, BucketRecord, WriteDigest } from './storage/types.js';
export { Faults, ConnectionReset } from './faults.js';
export type { FaultRule, FaultKind, FaultStats } from './faults.js';

/**
 * The local server as a Worker module (`export default serverWorker({ buckets: ['test'] })`):
 * one in-memory server per isolate, for tests of Workers code that talk to OSS.
 * @example export default serverWorker({ buckets: ['uploads'] })
 */
export function serverWorker(options: ServerOptions = {}): { fetch(request: Request): Promise<Response> } {
  let handler: ReturnType<typeof createHandler> | undefined;
  // Created on the first request: Workers allow no I/O or timers at module load.
  return { fetch: (request) => (handler ??= createHandler(options))(request) };
}

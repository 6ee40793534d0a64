// oss-fetch/server where there is no node:http (browsers, Cloudflare Workers, service workers):
// the Web-standard handler and in-memory storage. Serve it with the runtime's own `fetch` event,
// or call it in-process: `createHandler()` is a `(Request) => Promise<Response>` function.

export { createHandler, DEV_CREDENTIALS } from './handler.js';
export type { OSSHandler, ServerOptions, ServerState, RequestContext } from './handler.js';
export { MemoryStorage } from './storage/memory.js';
export type { Storage, ObjectRecord, BucketRecord, WriteDigest } from './storage/types.js';
export { Faults, ConnectionReset } from './faults.js';
export type { FaultRule, FaultKind, FaultStats } from './faults.js';

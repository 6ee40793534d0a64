// oss-fetch/server: the local OSS-compatible server.

import { createHandler as createWebHandler, DEV_CREDENTIALS, type OSSHandler, type ServerOptions } from './handler.js';
import { listen, type RunningServer } from './node.js';
import { openStorage } from './storage/index.js';
import { createHash } from 'node:crypto';
import { nodeSubtle } from '../adapters/node-subtle.js';

export { DEV_CREDENTIALS } from './handler.js';
export type { OSSHandler, ServerOptions, ServerState, RequestContext } from './handler.js';
export { listen, toRequest, writeResponse } from './node.js';
export type { ListenOptions, RunningServer, FetchHandler } from './node.js';
export { MemoryStorage } from './storage/memory.js';
export { SinkStorage } from './storage/sink.js';
export { Faults, ConnectionReset } from './faults.js';
export { applyLifecycle } from './ops/bucket/lifecycle.js';
export type { LifecycleReport } from './ops/bucket/lifecycle.js';
export type { FaultRule, FaultKind, FaultStats } from './faults.js';
export { openStorage } from './storage/index.js';
export type {
  Storage, ExtendedStorage, ObjectRecord, ObjectType, BucketRecord, WriteDigest, UploadRecord, PartRecord,
  BodySource, WriteOptions, ListOptions, ByteRange, VersioningMode,
} from './storage/types.js';
export type { OpenStorageOptions } from './storage/index.js';
export type { Md5Hash } from './storage/digest.js';
export type { AccessKey, Principal } from './auth.js';
export type { CorsMode } from './cors.js';

/** The optional image engine, imported on the first image request. */
const loadSharp = () => import('sharp');

/**
 * The server as a `(Request) => Promise<Response>` function, in Node: image requests are
 * rendered with the optional package `sharp` (give `imageEngine` to use another loader).
 * @example const handler = createHandler({ buckets: ['test'] }); const res = await handler(new Request('http://localhost/test/'))
 */
export function createHandler(options: ServerOptions = {}): OSSHandler {
  return createWebHandler({ imageEngine: loadSharp, ...options });
}

export interface StartOptions extends Omit<ServerOptions, 'storage'> {
  port?: number;
  host?: string;
  /** Keep objects in this directory (durable); default: in memory. */
  dir?: string;
  /** Keep no bytes: uploads are measured and dropped, objects read back as zeros (for benchmarks). */
  sink?: boolean;
}

export interface StartedServer extends RunningServer {
  handler: OSSHandler;
  /** Options for an oss-fetch (or ali-oss) client pointed at this server. */
  clientOptions: { endpoint: string; accessKeyId: string; accessKeySecret: string; region: string };
}

/** Start the server on node:http (in-memory unless `dir` is given). */
export async function startServer(options: StartOptions = {}): Promise<StartedServer> {
  const { port, host, dir, sink, ...serverOptions } = options;
  // node:crypto's MD5 is ~3x the portable one: it is what every stored byte goes through.
  const md5 = () => createHash('md5');
  const storage = await openStorage(dir ? { dir, sink } : sink ? { sink, md5 } : { memory: true, md5 });
  // Node's crypto.subtle queues every HMAC on the thread pool; node:crypto checks a signature inline.
  const handler = createHandler({ subtle: nodeSubtle(), ...serverOptions, storage });
  await handler.ready;
  const running = await listen(handler, { port, host });
  handler.state.endpoint = running.url;
  const cred = serverOptions.credentials?.[0] ?? DEV_CREDENTIALS;
  return {
    ...running,
    close: async () => {
      await running.close();
      await storage.close?.();
    },
    handler,
    clientOptions: {
      endpoint: running.url,
      accessKeyId: cred.accessKeyId,
      accessKeySecret: cred.accessKeySecret,
      region: handler.state.region,
    },
  };
}

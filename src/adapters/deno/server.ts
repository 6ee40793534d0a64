// The local OSS server under Deno.serve, so Deno users develop against it without Node:
//   deno run --allow-net src/adapters/deno/server.ts [--port 9000] [--bucket demo]…
// It keeps objects in memory; the handler is the same `createHandler` Node serves.

import { createHandler, DEV_CREDENTIALS, type OSSHandler, type ServerOptions } from '../../server/handler.js';
import { deno } from './deno-api.js';

export { createHandler, DEV_CREDENTIALS } from '../../server/handler.js';

export interface DenoServeOptions extends ServerOptions {
  /** Port (default 9000; 0 picks a free one). */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  hostname?: string;
  /** Stops the server when aborted. */
  signal?: AbortSignal;
}

export interface DenoServer {
  /** `http://host:port`: the endpoint clients use. */
  url: string;
  handler: OSSHandler;
  /** Options for a client pointed at this server. */
  clientOptions: { endpoint: string; accessKeyId: string; accessKeySecret: string; region: string };
  /** Stop accepting requests and wait for those in flight. */
  close(): Promise<void>;
}

/**
 * Serve the local OSS server with Deno.serve (in-memory storage unless `storage` is given).
 * @example const server = await serve({ port: 0, buckets: ['demo'] }); console.log(server.url)
 */
export async function serve(options: DenoServeOptions = {}): Promise<DenoServer> {
  const { port = 9000, hostname = '127.0.0.1', signal, ...serverOptions } = options;
  const handler = createHandler(serverOptions);
  await handler.ready;
  let bound!: { hostname: string; port: number };
  let listened!: () => void;
  const listening = new Promise<void>((resolve) => (listened = resolve));
  const server = deno().serve({ port, hostname, signal, onListen: (addr) => { bound = addr; listened(); } }, handler);
  await listening;
  const host = bound.hostname.includes(':') ? `[${bound.hostname}]` : bound.hostname;
  const url = `http://${host}:${bound.port}`;
  handler.state.endpoint = url;
  const key = serverOptions.credentials?.[0] ?? DEV_CREDENTIALS;
  return {
    url, handler, close: () => server.shutdown(),
    clientOptions: { endpoint: url, accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret, region: handler.state.region },
  };
}

/** `--port 9000 --host 127.0.0.1 --bucket a --bucket b` */
function parseArgs(args: string[]): DenoServeOptions {
  const options: DenoServeOptions = { buckets: [] };
  for (let i = 0; i < args.length; i++) {
    const [flag, value] = [args[i], args[i + 1]];
    if (flag === '--port' && value !== undefined) options.port = Number(value);
    else if (flag === '--host' && value !== undefined) options.hostname = value;
    else if (flag === '--bucket' && value !== undefined) options.buckets!.push(value);
    else throw new Error(`unknown or incomplete option "${flag}" (expected --port N, --host H, --bucket NAME)`);
    i++;
  }
  return options;
}

if ((import.meta as ImportMeta & { main?: boolean }).main) {
  const server = await serve(parseArgs(deno().args));
  console.log(`oss-fetch server (Deno) on ${server.url} — key ${server.clientOptions.accessKeyId}, region ${server.clientOptions.region}`);
}

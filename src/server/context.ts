// The types the whole server shares: the server's state and what an operation knows about one
// request. In their own module so that operations, policies and CORS need not import the handler
// (which imports them all).

import type { AccessKey, Principal } from './auth.js';
import type { Faults } from './faults.js';
import type { ExtendedStorage } from './storage/types.js';

/** `permissive`: buckets the server creates get an allow-all CORS rule; `off`: none. */
export type CorsMode = 'off' | 'permissive';

/** What the server keeps between requests. */
export interface ServerState {
  storage: ExtendedStorage;
  region: string;
  now: () => number;
  keys: Map<string, AccessKey>;
  baseHosts: Set<string>;
  cors: CorsMode;
  restoreDelayMs: number;
  faults: Faults;
  admin: boolean;
  /** Owner of buckets created before any request (the first configured key's). */
  defaultOwner: { id: string; displayName: string };
  /** The server's own URL where known (startServer sets it): where callbacks say its public key is. */
  endpoint?: string;
  /** Non-loopback hosts upload callbacks may go to. */
  callbackHosts: ReadonlySet<string>;
  /** Sends upload callbacks. */
  fetch: typeof fetch;
  /** Loads sharp for image processing (ServerOptions.imageEngine); none on the Web entry. */
  imageEngine?: () => Promise<unknown>;
}

/** Everything an operation needs to know about one request. */
export interface RequestContext {
  /** The request (its body may be wrapped by fault injection). */
  request: Request;
  url: URL;
  method: string;
  bucket: string | null;
  key: string | null;
  query: URLSearchParams;
  /** Lower-case names, values decoded back to text (UTF-8 metadata). */
  headers: Map<string, string>;
  requestId: string;
  hostId: string;
  principal: Principal | null;
  state: ServerState;
}

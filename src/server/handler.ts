// The local OSS server as one function: (Request) => Promise<Response>. Web-standard, so tests
// call it in-process and node.ts serves it over HTTP.

import { loadCrc64Wasm } from '../core/crc64.js';
import { decodeHeaderByteString } from '../core/encoding.js';
import { normalizeRegion } from '../core/validate.js';
import { decorate, preflight } from './cors.js';
import type { CorsMode, RequestContext, ServerState } from './context.js';
import { authenticate, type AccessKey } from './auth.js';
import { ServerError, errorResponse, serverError } from './errors.js';
import { ConnectionReset, Faults, injectedError, underFault, type FaultRule } from './faults.js';
import { adminRequest, isAdminPath } from './admin.js';
import { applyLifecycle, type LifecycleReport } from './ops/bucket/lifecycle.js';
import { resolveAddress } from './address.js';
import { rawPathOf } from './raw-path.js';
import { isStsRequest, stsRequest, temporaryKey } from './sts.js';
import { CALLBACK_KEY_PATH, callbackKeyResponse } from './upload-callback.js';
import { MemoryStorage } from './storage/memory.js';
import type { ExtendedStorage } from './storage/types.js';
import { dispatch } from './ops/dispatch.js';
import { isValidBucketName } from './ops/bucket/buckets.js';

/** The documented development key pair the server accepts by default. */
export const DEV_CREDENTIALS = Object.freeze({
  accessKeyId: 'ossfetch-dev-key',
  accessKeySecret: 'ossfetch-dev-secret',
});

export interface ServerOptions {
  /** Where objects live (default: in memory). */
  storage?: ExtendedStorage;
  /** Accepted keys (default: DEV_CREDENTIALS). */
  credentials?: Array<{ accessKeyId: string; accessKeySecret: string; ownerId?: string; displayName?: string }>;
  /** Region the server pretends to be (default `cn-hangzhou`). */
  region?: string;
  /** Extra host names served path-style; `<bucket>.<host>` is virtual-hosted. */
  hosts?: string[];
  /** Buckets created at start when missing. */
  buckets?: string[];
  /** The server clock in ms (tests move it). */
  now?: () => number;
  /** Faults to inject from the start (tests add more through `handler.state.faults`). */
  faults?: FaultRule[];
  /** Serve the admin endpoints under `/-/` (fault injection, clock skew). Default false. */
  admin?: boolean;
  /** `permissive`: buckets the server creates get an allow-all CORS rule (`DEV_CORS`, the `oss-fetch serve` default). Default `off`. */
  cors?: CorsMode;
  /** How long RestoreObject takes to make an archived object readable, in ms (default 3000). */
  restoreDelayMs?: number;
  /**
   * Hosts the server may send upload callbacks to, besides loopback ones (`localhost`,
   * 127.0.0.0/8). Anyone who may write to a bucket picks the callback URL, so others are refused.
   */
  callbackHosts?: string[];
  /** The fetch upload callbacks are sent with (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /**
   * Loads the image engine (the optional package `sharp`) for `x-oss-process` image requests. The
   * Node entry's `createHandler` and `startServer` pass `() => import('sharp')`; a server without
   * one (the Web entry: Workers, browsers) answers image requests 501 NotImplemented.
   */
  imageEngine?: () => Promise<unknown>;
  /** The Web Crypto that checks signatures (default `crypto.subtle`; `startServer` uses oss-fetch/node's faster `nodeSubtle()`). */
  subtle?: SubtleCrypto;
}

export type { RequestContext, ServerState } from './context.js';

export interface OSSHandler {
  (request: Request): Promise<Response>;
  readonly state: ServerState;
  /** Resolves when start-up work (default buckets) is done. */
  readonly ready: Promise<void>;
  /** Test hooks that are not part of OSS. */
  readonly admin: {
    /** Apply the buckets' lifecycle rules as if the clock read `now` (expire, transition, abort uploads). */
    applyLifecycle(now?: number): Promise<LifecycleReport>;
  };
}

/** Create the local OSS server as a `(Request) => Promise<Response>` function (in-memory storage unless `storage` is given). */
export function createHandler(options: ServerOptions = {}): OSSHandler {
  // The server checksums every body it stores: have the fast CRC-64 kernel ready from the start.
  void loadCrc64Wasm();
  const creds: NonNullable<ServerOptions['credentials']> = options.credentials ?? [DEV_CREDENTIALS];
  const keys = new Map<string, AccessKey>();
  for (const c of creds) {
    keys.set(c.accessKeyId, {
      accessKeyId: c.accessKeyId,
      accessKeySecret: c.accessKeySecret,
      ownerId: c.ownerId ?? '1000000000000000',
      displayName: c.displayName ?? c.ownerId ?? '1000000000000000',
    });
  }
  const region = normalizeRegion(options.region ?? 'cn-hangzhou');
  const first = keys.values().next().value;
  const faults = new Faults();
  for (const rule of options.faults ?? []) faults.add(rule);
  const clock = options.now ?? Date.now;
  const state: ServerState = {
    storage: options.storage ?? new MemoryStorage(),
    region,
    now: () => clock() + faults.clockSkew,
    faults,
    admin: options.admin ?? false,
    keys,
    baseHosts: new Set([
      'localhost',
      `oss-${region}.aliyuncs.com`,
      `oss-${region}-internal.aliyuncs.com`,
      ...(options.hosts ?? []).map((h) => h.toLowerCase()),
    ]),
    cors: options.cors ?? 'off',
    restoreDelayMs: options.restoreDelayMs ?? 3000,
    defaultOwner: { id: first?.ownerId ?? '1000000000000000', displayName: first?.displayName ?? '1000000000000000' },
    callbackHosts: new Set((options.callbackHosts ?? []).map((h) => h.toLowerCase())),
    imageEngine: options.imageEngine,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  };
  for (const name of options.buckets ?? []) {
    if (typeof name !== 'string' || !isValidBucketName(name)) {
      throw new TypeError(`buckets: ${JSON.stringify(name)} is not a valid bucket name (3-63 lower-case letters, digits and "-", starting and ending with a letter or digit)`);
    }
  }
  const ready = createBuckets(state, options.buckets ?? []);

  const handler = async (request: Request): Promise<Response> => {
    await ready;
    const url = new URL(request.url);
    if (state.admin && isAdminPath(url)) return adminRequest(request, url, state);
    if (isStsRequest(request, url)) return stsRequest(request, url, state);
    if (url.pathname === CALLBACK_KEY_PATH && request.method === 'GET') return callbackKeyResponse(state);
    const requestId = newRequestId();
    const method = request.method.toUpperCase();
    const headers = new Map<string, string>();
    request.headers.forEach((value, name) => headers.set(name, decodeHeaderByteString(value)));
    const r = resolveAddress(url, request.headers.get('host'), state.baseHosts, rawPathOf(request, url));
    const hostId = r.bucket ? `${r.bucket}.oss-${region}.aliyuncs.com` : `oss-${region}.aliyuncs.com`;
    if (r.invalidKey) return errorResponse(r.invalidKey, { requestId, hostId, method });
    const ctx: RequestContext = {
      request, url, method, bucket: r.bucket, key: r.key, query: url.searchParams, headers, requestId, hostId, principal: null, state,
    };
    const pre = await preflight(ctx);
    if (pre) return pre;
    const fault = state.faults.take(method, r.key);
    if (fault?.kind === 'status') return errorResponse(injectedError(fault), { requestId, hostId, method });
    const response = await underFault(fault, request, async (request) => {
      ctx.request = request;
      try {
        ctx.principal = await authenticate({
          method, bucket: r.bucket, key: r.key, url, headers, now: state.now(), region: state.region, lookupKey: (id) => state.keys.get(id) ?? temporaryKey(state, id), subtle: options.subtle,
        });
        return await dispatch(ctx);
      } catch (err) {
        if (isReset(err)) throw new ConnectionReset();
        return errorResponse(asServerError(err, request.signal.aborted), { requestId, hostId, method });
      }
    });
    response.headers.set('x-oss-request-id', requestId);
    response.headers.set('server', 'AliyunOSS');
    response.headers.set('date', new Date(state.now()).toUTCString());
    await decorate(ctx, response);
    return response;
  };
  const admin = { applyLifecycle: (now?: number) => applyLifecycle(state, now) };
  return Object.assign(handler, { state, ready, admin });
}

function isReset(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof ConnectionReset) return true;
  return false;
}

function asServerError(err: unknown, clientGone = false): ServerError {
  if (err instanceof ServerError) return err;
  // A bug or an I/O failure: answer like OSS does, without leaking internals. A client that
  // hung up mid-body is not news.
  if (!clientGone) console.error('[oss-fetch server] internal error:', err);
  return serverError('InternalError', {}, 'We encountered an internal error. Please try again.');
}

async function createBuckets(state: ServerState, names: string[]): Promise<void> {
  for (const name of names) {
    if (await state.storage.getBucket(name)) continue;
    await state.storage.putBucket({
      name,
      creationDate: state.now(),
      location: `oss-${state.region}`,
      storageClass: 'Standard',
      acl: 'private',
      config: { owner: state.defaultOwner },
    });
  }
}

// Request ids are 24 upper-case hex digits, like OSS's: a random prefix per process and a
// counter, unique without a call into the random source per request. The prefix is drawn on
// first use (Workers refuse random values at module scope).
let requestIdPrefix: string | undefined;
let requestCount = 0;

function newRequestId(): string {
  requestIdPrefix ??= Array.from(crypto.getRandomValues(new Uint8Array(5)), (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
  requestCount = (requestCount + 1) % 2 ** 52;
  return requestIdPrefix + requestCount.toString(16).toUpperCase().padStart(14, '0');
}

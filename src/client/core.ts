// OSSCore: options, endpoint resolution, credentials, and request(): sign, send with a timeout,
// measure, and turn error responses into OSSError. Operations are plain functions over it.

import { OSSArgumentError, OSSError } from '../core/errors.js';
import { assertBucketName, assertObjectKey, normalizeRegion } from '../core/validate.js';
import { buildQueryString, encodeHeaderByteString, encodeUriPath, formatIso8601Basic, formatRfc1123 } from '../core/encoding.js';
import { signV1Header } from '../core/sign-v1.js';
import { signV4Header } from '../core/sign-v4.js';
import { CredentialsProvider, type Credentials, type RefreshCredentials } from './credentials.js';
import { errorFromResponse, transportError } from './response-error.js';

export interface OSSOptions {
  accessKeyId?: string;
  accessKeySecret?: string;
  /** STS token of temporary keys (alias: `securityToken`). */
  stsToken?: string;
  securityToken?: string;
  /** Called for fresh STS keys before they expire and after an expired-token error. */
  refreshSTSToken?: RefreshCredentials;
  /** Also refresh after this many ms, whatever the expiry says (ali-oss option). */
  refreshSTSTokenInterval?: number;
  bucket?: string;
  /** `oss-cn-hangzhou` or `cn-hangzhou`; default `oss-cn-hangzhou`. */
  region?: string;
  /** A custom endpoint: `https://oss-cn-hangzhou.aliyuncs.com`, `http://127.0.0.1:9000`, a CNAME… */
  endpoint?: string;
  /** The endpoint is a custom domain bound to the bucket. */
  cname?: boolean;
  /** Put the bucket in the path instead of the host (alias: ali-oss's `sldEnable`). */
  pathStyle?: boolean;
  sldEnable?: boolean;
  /** HTTPS (default true; an endpoint with an explicit scheme wins). */
  secure?: boolean;
  /** Use the region's internal (VPC) endpoint. */
  internal?: boolean;
  /** Use the global transfer-acceleration endpoint. */
  accelerate?: boolean;
  /** Per-request timeout in ms (default 60 000). */
  timeout?: number;
  /** `v4` (default) or `v1`. */
  signatureVersion?: 'v4' | 'v1';
  /** ali-oss spelling of `signatureVersion: 'v4'`. */
  authorizationV4?: boolean;
  /** A fetch implementation (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

/** ali-oss's response summary, carried by every result. */
export interface ResponseInfo {
  status: number;
  headers: Record<string, string>;
  /** Bytes of the response body (Content-Length when the body is streamed). */
  size: number;
  /** Round-trip time in ms. */
  rt: number;
}

export type RequestBody = Blob | ArrayBuffer | ArrayBufferView | string | ReadableStream<Uint8Array>;

export interface RequestParams {
  method: string;
  bucket?: string | null;
  key?: string | null;
  /** Query parameters; `null` is a parameter without value (`?acl`), `undefined` is skipped. */
  query?: Record<string, string | number | boolean | null | undefined>;
  headers?: Record<string, string | number | undefined>;
  body?: RequestBody;
  signal?: AbortSignal;
  /** Overrides the client timeout for this call (ms). */
  timeout?: number;
  /** Non-2xx statuses that are results, not errors (e.g. 304). */
  okStatuses?: number[];
  /** The caller streams the body: the timeout covers only until the response headers arrive. */
  streaming?: boolean;
}

export interface RawResponse {
  response: Response;
  /** performance.now() at the start, for `rt`. */
  started: number;
  /** Call when the body is read (or handed over) to release the timeout. */
  done(): void;
}

const DEFAULT_REGION = 'cn-hangzhou';
const DEFAULT_TIMEOUT = 60_000;

interface ResolvedEndpoint {
  protocol: string;
  host: string;
  /** Bucket goes in the path: explicit path-style, or an IP / localhost endpoint. */
  pathStyle: boolean;
  cname: boolean;
}

export class OSSCore {
  readonly options: Readonly<Omit<OSSOptions, 'accessKeySecret' | 'stsToken' | 'securityToken' | 'refreshSTSToken'>>;
  /** Region id without the `oss-` prefix (the V4 scope's form). */
  readonly region: string;
  readonly #credentials: CredentialsProvider;
  readonly #endpoint: ResolvedEndpoint;
  readonly #fetch: typeof fetch;
  #bucket: string | undefined;
  /** Server time minus local time, in ms (learnt from RequestTimeTooSkewed). */
  clockOffset = 0;

  constructor(options: OSSOptions = {}) {
    if (!options || typeof options !== 'object') throw new OSSArgumentError('options', 'expected an options object');
    const { accessKeyId, accessKeySecret, refreshSTSToken } = options;
    if ((accessKeyId === undefined) !== (accessKeySecret === undefined)) {
      throw new OSSArgumentError(accessKeyId === undefined ? 'accessKeyId' : 'accessKeySecret', 'accessKeyId and accessKeySecret go together');
    }
    if (accessKeyId !== undefined && (typeof accessKeyId !== 'string' || !accessKeyId)) {
      throw new OSSArgumentError('accessKeyId', 'expected a non-empty string');
    }
    if (accessKeySecret !== undefined && (typeof accessKeySecret !== 'string' || !accessKeySecret)) {
      throw new OSSArgumentError('accessKeySecret', 'expected a non-empty string');
    }
    if (refreshSTSToken !== undefined && typeof refreshSTSToken !== 'function') {
      throw new OSSArgumentError('refreshSTSToken', 'expected a function returning a promise of credentials');
    }
    const token = options.stsToken ?? options.securityToken;
    if (token !== undefined && typeof token !== 'string') throw new OSSArgumentError('stsToken', 'expected a string');
    const timeout = options.timeout ?? DEFAULT_TIMEOUT;
    if (typeof timeout !== 'number' || !(timeout > 0)) throw new OSSArgumentError('timeout', 'expected a positive number of milliseconds');
    const version = options.signatureVersion ?? (options.authorizationV4 === false ? 'v1' : 'v4');
    if (version !== 'v4' && version !== 'v1') throw new OSSArgumentError('signatureVersion', 'expected "v4" or "v1"');
    if (options.bucket !== undefined) assertBucketName(options.bucket);
    if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new OSSArgumentError('fetch', 'expected a fetch function');

    this.region = normalizeRegion(options.region ?? DEFAULT_REGION);
    const initial: Credentials | undefined =
      accessKeyId && accessKeySecret ? { accessKeyId, accessKeySecret, ...(token ? { securityToken: token } : {}) } : undefined;
    this.#credentials = new CredentialsProvider(initial, refreshSTSToken, options.refreshSTSTokenInterval);
    this.#endpoint = resolveEndpoint(options, this.region);
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#bucket = options.bucket;
    const { accessKeySecret: _s, stsToken: _t, securityToken: _u, refreshSTSToken: _r, ...safe } = options;
    this.options = Object.freeze({ ...safe, timeout, signatureVersion: version });
  }

  /** The default bucket of operations that take none. */
  get bucket(): string | undefined {
    return this.#bucket;
  }

  /** Switch the default bucket (ali-oss `useBucket`). */
  useBucket(name: string): this {
    assertBucketName(name, 'name');
    this.#bucket = name;
    return this;
  }

  /** The bucket to use: the argument, else the default, else a clear error. */
  requireBucket(bucket?: string): string {
    const name = bucket ?? this.#bucket;
    if (name === undefined) throw new OSSArgumentError('bucket', 'no bucket given and no default set (options.bucket or useBucket())');
    assertBucketName(name);
    return name;
  }

  /** Replace fixed credentials, e.g. after the page fetched new STS keys itself. */
  setCredentials(creds: { accessKeyId: string; accessKeySecret: string; stsToken?: string }): void {
    this.#credentials.set({ accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret, ...(creds.stsToken ? { securityToken: creds.stsToken } : {}) });
  }

  /** @internal The credentials provider (signers and presigners read it). */
  credentials(): Promise<Credentials | undefined> {
    return this.#credentials.get(this.now().getTime());
  }

  /** @internal Force an STS refresh (after an expired-token error). */
  refreshCredentials(): Promise<Credentials> {
    return this.#credentials.refresh();
  }

  /** The current time corrected by the learnt clock offset. */
  now(): Date {
    return new Date(Date.now() + this.clockOffset);
  }

  /** The URL of an object or bucket (no signature). */
  url(bucket?: string | null, key?: string | null, query?: RequestParams['query']): string {
    const ep = this.#endpoint;
    let host = ep.host;
    let path = '/';
    if (bucket && !ep.cname) {
      if (ep.pathStyle) path += `${bucket}/`;
      else host = `${bucket}.${host}`;
    }
    if (key) {
      // fetch normalises "." and ".." path segments away, which would address another object.
      if (key.split('/').some((s) => s === '.' || s === '..')) {
        throw new OSSArgumentError('name', `"${key}" has a "." or ".." path segment, which URLs cannot carry unchanged`);
      }
      path += encodeUriPath(key);
    }
    const qs = query ? buildQueryString(normaliseQuery(query)) : '';
    return `${ep.protocol}//${host}${path}${qs ? `?${qs}` : ''}`;
  }

  /** Endpoint facts presigners need. */
  endpointInfo(): { origin: string; pathStyle: boolean; cname: boolean } {
    const ep = this.#endpoint;
    return { origin: `${ep.protocol}//${ep.host}`, pathStyle: ep.pathStyle, cname: ep.cname };
  }

  /**
   * Sign and send one request. Resolves with the response when its status is 2xx (or listed in
   * `okStatuses`), rejects with an OSSError otherwise. The caller reads the body and calls done().
   */
  async request(params: RequestParams): Promise<RawResponse> {
    const bucket = params.bucket ?? null;
    const key = params.key ?? null;
    if (bucket !== null) assertBucketName(bucket);
    if (key !== null) assertObjectKey(key);
    const query = normaliseQuery(params.query ?? {});
    const headers: Record<string, string> = {};
    for (const [n, v] of Object.entries({ ...this.options.headers, ...params.headers })) {
      if (v !== undefined) headers[n.toLowerCase()] = String(v);
    }
    const method = params.method.toUpperCase();
    const url = this.url(bucket, key, query);
    const creds = await this.credentials();
    if (creds) await this.#sign(method, bucket, key, query, headers, creds);
    // Signed as text; sent as the UTF-8 bytes fetch accepts for non-ASCII values (user metadata).
    for (const name in headers) headers[name] = encodeHeaderByteString(headers[name]!);

    const timeout = params.timeout ?? this.options.timeout ?? DEFAULT_TIMEOUT;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException(`no response within ${timeout} ms`, 'TimeoutError')), timeout);
    const onCallerAbort = () => controller.abort(params.signal?.reason ?? new DOMException('aborted', 'AbortError'));
    if (params.signal?.aborted) onCallerAbort();
    params.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      params.signal?.removeEventListener('abort', onCallerAbort);
    };

    const started = performance.now();
    let response: Response;
    try {
      const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: controller.signal, redirect: 'manual' };
      if (params.body !== undefined) {
        init.body = params.body as BodyInit;
        if (params.body instanceof ReadableStream) init.duplex = 'half';
      }
      response = await this.#fetch(url, init);
    } catch (err) {
      done();
      throw transportError(err, controller.signal, { bucket, key, method });
    }
    const ok = (response.status >= 200 && response.status < 300) || params.okStatuses?.includes(response.status);
    if (!ok) {
      try {
        throw await errorFromResponse(response, { bucket, key, method });
      } finally {
        done();
      }
    }
    // A streamed body belongs to the caller: keep honouring its signal, drop the timer.
    if (params.streaming) clearTimeout(timer);
    return { response, started, done };
  }

  async #sign(
    method: string,
    bucket: string | null,
    key: string | null,
    query: Record<string, string | null>,
    headers: Record<string, string>,
    creds: Credentials,
  ): Promise<void> {
    const now = this.now();
    if (creds.securityToken) headers['x-oss-security-token'] = creds.securityToken;
    const base = { accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret, bucket, key, method, query, headers };
    if (this.options.signatureVersion === 'v1') {
      const date = formatRfc1123(now);
      headers['x-oss-date'] = date;
      headers.authorization = (await signV1Header({ ...base, date })).authorization;
    } else {
      const date = formatIso8601Basic(now);
      headers['x-oss-date'] = date;
      headers['x-oss-content-sha256'] = 'UNSIGNED-PAYLOAD';
      headers.authorization = (await signV4Header({ ...base, date, region: this.region })).authorization;
    }
  }

  /** Never leak keys through JSON.stringify or console.log of a client. */
  toJSON(): Record<string, unknown> {
    return { ...this.options, bucket: this.#bucket, region: this.region, credentials: '[hidden]' };
  }
}

/** Read the response summary ali-oss results carry. */
export function responseInfo(raw: RawResponse, size?: number): ResponseInfo {
  const headers: Record<string, string> = {};
  raw.response.headers.forEach((v, k) => {
    headers[k] = v;
  });
  const length = Number(headers['content-length']);
  return {
    status: raw.response.status,
    headers,
    size: size ?? (Number.isFinite(length) ? length : 0),
    rt: Math.round(performance.now() - raw.started),
  };
}

function normaliseQuery(query: NonNullable<RequestParams['query']>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    out[k] = v === null ? null : String(v);
  }
  return out;
}

const IPV4_RE = /^\d{1,3}(?:\.\d{1,3}){3}$/;

function resolveEndpoint(options: OSSOptions, region: string): ResolvedEndpoint {
  const secure = options.secure ?? true;
  const pathStyle = Boolean(options.pathStyle ?? options.sldEnable);
  const cname = Boolean(options.cname);
  if (options.endpoint !== undefined) {
    if (typeof options.endpoint !== 'string' || !options.endpoint) throw new OSSArgumentError('endpoint', 'expected a URL or host name');
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(options.endpoint)
      ? options.endpoint
      : `${secure ? 'https' : 'http'}://${options.endpoint}`;
    let url: URL;
    try {
      url = new URL(withScheme);
    } catch {
      throw new OSSArgumentError('endpoint', `"${options.endpoint}" is not a valid URL or host name`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OSSArgumentError('endpoint', 'only http and https endpoints are supported');
    if (url.pathname !== '/' || url.search) throw new OSSArgumentError('endpoint', 'an endpoint has no path or query');
    const hostname = url.hostname;
    const local = IPV4_RE.test(hostname) || hostname.startsWith('[') || hostname === 'localhost';
    return { protocol: url.protocol, host: url.host, pathStyle: pathStyle || (local && !cname), cname };
  }
  const host = options.accelerate
    ? 'oss-accelerate.aliyuncs.com'
    : `oss-${region}${options.internal ? '-internal' : ''}.aliyuncs.com`;
  return { protocol: secure ? 'https:' : 'http:', host, pathStyle, cname };
}

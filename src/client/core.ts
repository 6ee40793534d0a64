// OSSCore: options, endpoint resolution, credentials, and request(): sign, send with a timeout,
// measure, and turn error responses into OSSError. Operations are plain functions over it.

import { OSSArgumentError, OSSError } from '../core/errors.js';
import { assertBucketName, assertInteger, assertObjectKey, assertPlainObject, normalizeRegion } from '../core/validate.js';
import { buildQueryString, encodeHeaderByteString, encodeUriPath, formatIso8601Basic } from '../core/encoding.js';
import { authorizeV4 } from '../core/sign-v4.js';
import { CredentialsProvider, type Credentials, type RefreshCredentials } from './credentials.js';
import { errorFromResponse } from './response-error.js';
import { normalizeBody, type RequestBody, type SendableBody } from './body.js';
import type { RawResponse } from './request-types.js';
import type { ResponseInfo } from './response-info.js';

export type { RequestBody } from './body.js';
export type { RawResponse } from './request-types.js';
export type { AbortState } from '../core/transport-shortcuts.js';
export type { CrcCheck } from './crc64-checks.js';
export { responseInfo, type ResponseInfo } from './response-info.js';
import { redactSecrets } from './redact.js';
import { release } from './release.js';
import { abortedError, transportError } from './network-error.js';
import { backoff, isTransient, retryPolicy, sleep, type RetryInfo } from './retry.js';
import { featureTable, missingFeature, type Feature, type FeatureMap, type FeatureName } from './features.js';
import { parseDuration, parseTimeout, type Duration } from '../core/duration.js';
import { startTimer } from './timer.js';
import { ABORT_CONTROLLER, type MaybeAbortMaker } from '../core/transport-shortcuts.js';
import { checkOptions } from './call-options.js';
import type { AliOssClientNames } from './ali-oss-names.js';

export interface OSSOptions extends AliOssClientNames {
  accessKeyId?: string;
  accessKeySecret?: string;
  /** STS token of temporary keys (alias: `securityToken`). */
  stsToken?: string;
  securityToken?: string;
  /** Called for fresh STS keys before they expire and after an expired-token error. */
  refreshSTSToken?: RefreshCredentials;
  /** Also refresh after this long, whatever the expiry says (ali-oss option; ms or `'5m'`). */
  refreshSTSTokenInterval?: Duration;
  /** When the STS keys given stop working (as `refreshSTSToken` states it): the first refresh comes before. */
  expiration?: string | number | Date;
  bucket?: string;
  /** `oss-cn-hangzhou` or `cn-hangzhou`; default `oss-cn-hangzhou`. */
  region?: string;
  /**
   * A custom endpoint: `https://oss-cn-hangzhou.aliyuncs.com`, `http://127.0.0.1:9000`, a CNAME…
   * Without a scheme, `secure` decides; when it is not given, localhost and IP literals
   * (`127.0.0.1:9000`, `[::1]:9000`) get `http:` and host names `https:` (ali-oss: always `http:`).
   */
  endpoint?: string;
  /** The endpoint is a custom domain bound to the bucket. */
  cname?: boolean;
  /** Put the bucket in the path instead of the host (alias: ali-oss's `sldEnable`). */
  pathStyle?: boolean;
  sldEnable?: boolean;
  /** HTTPS (default true; an endpoint with an explicit scheme wins; see `endpoint` for one without). */
  secure?: boolean;
  /** Use the region's internal (VPC) endpoint. */
  internal?: boolean;
  /** Use the global transfer-acceleration endpoint. */
  accelerate?: boolean;
  /**
   * Per-request timeout: milliseconds or ali-oss's duration strings (`'60s'`, `'2m'`, `'500ms'`);
   * default 60 000. `0` or `Infinity` means no timeout; any finite length works (no 2^31 ms cap).
   */
  timeout?: Duration;
  /** `v4` (default) or `v1`. */
  signatureVersion?: 'v4' | 'v1';
  /** ali-oss spelling of `signatureVersion: 'v4'`. */
  authorizationV4?: boolean;
  /** ali-oss's switch from XHR to fetch in browsers: oss-fetch always uses fetch. */
  useFetch?: boolean;
  /** A fetch implementation (default `globalThis.fetch`; in Node, oss-fetch/node's faster `nodeFetch()`). */
  fetch?: typeof fetch;
  /**
   * The Web Crypto that signs requests (default `globalThis.crypto.subtle`): `@peculiar/webcrypto`'s
   * where a runtime has none, or oss-fetch/node's faster `nodeSubtle()`.
   */
  subtle?: SubtleCrypto;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Send `x-oss-request-payer: requester` with every request: pay for requests to other accounts' Requester-pays buckets (ali-oss option). */
  isRequestPay?: boolean;
  /** Retries of transient failures (network, 5xx, 429, RequestTimeout) of idempotent requests; default 3. */
  retries?: number;
  /** Base of the exponential backoff in ms or a duration string (default 200); each wait is uniform in [0, base·2^n]. */
  retryDelay?: Duration;
  /** Cap of one backoff wait in ms or a duration string (default 5000; `Infinity`: no cap). */
  maxRetryDelay?: Duration;
  /** Called before each retry (for logs and metrics): the same as `hooks: { beforeRetry: [onRetry] }`. */
  onRetry?: (info: RetryInfo) => void;
  /** Functions called around every request: see {@link Hooks}. */
  hooks?: Hooks;
  /**
   * Check CRC-64 of uploads and whole downloads against the server's: default on when the client
   * has the `crc64Checks` feature (OSSClient and oss-fetch/node always do), `false` turns it off.
   */
  crc64?: boolean;
  /**
   * Opt-in features this page imports: `v1Signing`, `crc64Checks`, `uploadProgress`, `mimeTypes`,
   * `uploadCallbacks` (OSSClient and oss-fetch/node have them all). An option that needs a
   * feature the client lacks is refused with an error naming the import.
   */
  features?: readonly Feature[];
  /**
   * Abort a streamed download when a read waits this long for data: ms or a duration string
   * (default 30 000; `0` or `Infinity`: never; a slow reader's pauses do not count).
   */
  idleTimeout?: Duration;
}


export interface RequestParams {
  method: string;
  bucket?: string | null;
  key?: string | null;
  /** Query parameters; `null` is a parameter without value (`?acl`), `undefined` is skipped. */
  query?: Record<string, string | number | boolean | null | undefined>;
  headers?: Record<string, string | number | undefined>;
  body?: RequestBody;
  signal?: AbortSignal;
  /** Overrides the client timeout for this call (ms or a duration string; `0`/`Infinity`: none). */
  timeout?: Duration;
  /** Non-2xx statuses that are results, not errors (e.g. 304). */
  okStatuses?: number[];
  /** The caller streams the body: the timeout covers only until the response headers arrive. */
  streaming?: boolean;
  /** May be sent again after a transient failure (default: every method but POST). */
  idempotent?: boolean;
  /** Override the client's CRC-64 checking for this call (checks need the crc64Checks feature). */
  crc64?: boolean;
  /** This request's fetch instead of the client's (the XHR transport that reports upload progress). */
  transport?: typeof fetch;
}

/** What `beforeRequest` hooks get: the request about to be signed and sent. */
export interface HookRequest {
  method: string;
  url: string;
  /** Lower-case names; a hook may add or change headers, and they are signed with the rest. */
  headers: Record<string, string>;
  /** 1 for the first attempt, 2 for the first retry… */
  attempt: number;
}

/** What `afterResponse` hooks get: a response's status and headers, before it becomes a result or an error. */
export interface HookResponse {
  method: string;
  url: string;
  status: number;
  headers: Headers;
  attempt: number;
}

/**
 * Functions called around every request, in order (ky's hooks, in the spirit of AWS SDK v3's
 * middleware): for tracing headers, logs and metrics. A hook that throws fails the call.
 */
export interface Hooks {
  /** Before each attempt is signed: may add headers (e.g. a trace id), which are signed too. */
  beforeRequest?: Array<(request: HookRequest) => void | Promise<void>>;
  /** Before a transient failure is retried, with the delay it will wait (`onRetry` is the first). */
  beforeRetry?: Array<(info: RetryInfo) => void | Promise<void>>;
  /** When a response's headers arrive, success or not. */
  afterResponse?: Array<(response: HookResponse) => void | Promise<void>>;
}

/** One request across its attempts: what the steps and the recoveries read and change. */
interface Exchange {
  params: RequestParams;
  method: string;
  bucket: string | null;
  key: string | null;
  timeout: number;
  /** 1 for the first attempt; repairs do not count. */
  attempt: number;
  /** The credentials' generation the attempt signed with. */
  generation: number;
  /** Repairs done already (each at most once). */
  repaired: { clock?: boolean; keys?: boolean };
  replayable: boolean;
  idempotent: boolean;
}

/** A request ready to sign: its query, where it goes, its headers and body. */
interface PreparedRequest {
  query: Record<string, string | null>;
  url: string;
  origin: string;
  host: string;
  headers: Record<string, string>;
  body: SendableBody | undefined;
}

/** What a recovery decided: send again as a repair (not counted) or as a retry. */
type Recovery = 'repaired' | 'retry';

/** The names OSSOptions has (a misspelt or ali-oss-only option is refused, not ignored). */
const CLIENT_OPTIONS = 'accessKeyId accessKeySecret stsToken securityToken refreshSTSToken refreshSTSTokenInterval expiration bucket region endpoint cname pathStyle sldEnable secure internal accelerate signatureVersion authorizationV4 isRequestPay useFetch fetch subtle headers retries retryDelay maxRetryDelay onRetry hooks crc64 idleTimeout features';
const DEFAULT_REGION = 'cn-hangzhou';
/** Options checked by their type (an empty string is refused too). */
const TYPED_OPTIONS = [
  ['string', 'accessKeyId accessKeySecret stsToken securityToken'],
  ['function', 'refreshSTSToken fetch onRetry'],
  ['boolean', 'isRequestPay cname pathStyle sldEnable secure internal accelerate authorizationV4 useFetch crc64'],
] as const;
/** What OSS answers for STS keys past their expiry. */
const EXPIRED_KEY_CODES = new Set(['SecurityTokenExpired', 'InvalidAccessKeyId']);
// workerd encodes header values as UTF-8 itself; everywhere else they must be byte strings.
const SENDS_UTF8_HEADERS = typeof navigator !== 'undefined' && navigator.userAgent === 'Cloudflare-Workers';

interface ResolvedEndpoint {
  protocol: string;
  host: string;
  /** Bucket goes in the path: explicit path-style, or an IP / localhost endpoint. */
  pathStyle: boolean;
  cname: boolean;
}

/** The duration options, as the client holds them once parsed: milliseconds. */
type DurationOptions = 'timeout' | 'retryDelay' | 'maxRetryDelay' | 'idleTimeout' | 'refreshSTSTokenInterval';
/** The options a client keeps: no secrets, durations in ms, `timeout` always set (`Infinity`: none). */
export type ClientOptions = Readonly<
  Omit<OSSOptions, 'accessKeySecret' | 'stsToken' | 'securityToken' | 'refreshSTSToken' | 'features' | DurationOptions> &
  { timeout: number } & Partial<Record<Exclude<DurationOptions, 'timeout'>, number>>
>;

/** The bare client core (options, endpoint, credentials, signed requests) that the standalone operation functions take first; bundles only what a page imports. */
export class OSSCore {
  readonly options: ClientOptions;
  /** Region id without the `oss-` prefix (the V4 scope's form). */
  readonly region: string;
  readonly #credentials: CredentialsProvider;
  readonly #endpoint: ResolvedEndpoint;
  readonly #fetch: typeof fetch;
  readonly #features: Partial<FeatureMap>;
  readonly #hooks: Required<Hooks>;
  #bucket: string | undefined;
  /** Server time minus local time, in ms (learnt from RequestTimeTooSkewed). */
  clockOffset = 0;

  constructor(options: OSSOptions = {}) {
    if (!options || typeof options !== 'object') throw new OSSArgumentError('options', 'expected an options object');
    checkOptions(options, CLIENT_OPTIONS);
    const o = options as Record<string, unknown>;
    for (const [kind, names] of TYPED_OPTIONS) {
      for (const name of names.split(' ')) {
        if (o[name] !== undefined && (typeof o[name] !== kind || o[name] === '')) throw new OSSArgumentError(name, `expected a ${kind === 'string' ? 'non-empty string' : kind}`);
      }
    }
    const { accessKeyId, accessKeySecret } = options;
    if (!accessKeyId !== !accessKeySecret) throw new OSSArgumentError(accessKeyId ? 'accessKeySecret' : 'accessKeyId', 'accessKeyId and accessKeySecret go together');
    const token = options.stsToken ?? options.securityToken;
    const durations = parseDurationOptions(options);
    const version = options.signatureVersion ?? (options.authorizationV4 === false ? 'v1' : 'v4');
    if (version !== 'v4' && version !== 'v1') throw new OSSArgumentError('signatureVersion', 'expected "v4" or "v1"');
    if (options.bucket !== undefined) assertBucketName(options.bucket);
    if (options.subtle !== undefined && !['importKey', 'sign', 'digest'].every((m) => typeof (options.subtle as unknown as Record<string, unknown>)?.[m] === 'function')) {
      throw new OSSArgumentError('subtle', 'expected a SubtleCrypto (importKey, sign and digest)');
    }
    if (options.retries !== undefined) assertInteger(options.retries, 'retries', 0, 20);
    const features = (this.#features = featureTable(options.features));
    this.#hooks = hookLists(options.hooks, options.onRetry);
    if (version === 'v1' && !features.v1) throw missingFeature('v1', 'signatureVersion');
    if (options.crc64 && !features.crc64) throw missingFeature('crc64', 'crc64');

    this.region = normalizeRegion(options.region ?? DEFAULT_REGION);
    this.#credentials = new CredentialsProvider(
      accessKeyId && accessKeySecret ? { accessKeyId, accessKeySecret, ...(token ? { securityToken: token } : {}) } : undefined,
      options.refreshSTSToken, durations.refreshSTSTokenInterval, options.expiration,
    );
    this.#endpoint = resolveEndpoint(options, this.region);
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#bucket = options.bucket;
    const { accessKeySecret: _s, stsToken: _t, securityToken: _u, refreshSTSToken: _r, features: _f, hooks: _h, timeout: _d1, retryDelay: _d2, maxRetryDelay: _d3, idleTimeout: _d4, refreshSTSTokenInterval: _d5, ...safe } = options;
    this.options = Object.freeze({ ...safe, ...durations, signatureVersion: version });
  }

  /** The feature registered under `name`, when the client was given it. */
  feature<K extends FeatureName>(name: K): FeatureMap[K] | undefined {
    return this.#features[name];
  }

  /** The feature an option (`argument`) needs, or an error naming the import that provides it. */
  need<K extends FeatureName>(name: K, argument: string): FeatureMap[K] {
    const feature = this.#features[name];
    if (!feature) throw missingFeature(name, argument);
    return feature;
  }

  /** The CRC-64 checks when they are on (for this call: `override`, else the client's `crc64`). */
  crc(override?: boolean): FeatureMap['crc64'] | undefined {
    return (override ?? this.options.crc64) === false ? undefined : this.#features.crc64;
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
    return this.#locate(bucket, key, query ? normalizeQuery(query) : undefined).url;
  }

  /** The origin (scheme, host, port) and whole URL of a request: parsed by nobody, built once. */
  #locate(bucket?: string | null, key?: string | null, query?: Record<string, string | null>): { origin: string; host: string; url: string } {
    const ep = this.#endpoint;
    let host = ep.host;
    let path = '/';
    if (bucket && !ep.cname) {
      if (ep.pathStyle) path += `${bucket}/`;
      else host = `${bucket}.${host}`;
    }
    if (key) {
      // fetch normalizes "." and ".." path segments away, which would address another object.
      if (key.split('/').some((s) => s === '.' || s === '..')) {
        throw new OSSArgumentError('name', `"${key}" has a "." or ".." path segment, which URLs cannot carry unchanged`);
      }
      path += encodeUriPath(key);
    }
    const qs = query ? buildQueryString(query) : '';
    const origin = `${ep.protocol}//${host}`;
    return { origin, host, url: `${origin}${path}${qs ? `?${qs}` : ''}` };
  }

  /** Endpoint facts presigners need. */
  endpointInfo(): { origin: string; pathStyle: boolean; cname: boolean } {
    const ep = this.#endpoint;
    return { origin: `${ep.protocol}//${ep.host}`, pathStyle: ep.pathStyle, cname: ep.cname };
  }

  /**
   * Sign and send one request. Resolves with the response when its status is 2xx (or listed in
   * `okStatuses`), rejects with an OSSError otherwise. The caller reads the body and calls done().
   * Transient failures are retried with jittered backoff when the request is idempotent and its
   * body can be sent again; a RequestTimeTooSkewed answer teaches the clock offset and is retried
   * once.
   */
  request(params: RequestParams): Promise<RawResponse> {
    return this.send(params, async (raw) => raw);
  }

  /**
   * request(), then `read` the response, retried as one: a failure while the body is read (a
   * connection reset mid-body, a download whose CRC-64 does not match) is retried like one before
   * the headers, under the same rules. `read` must release the response (done()) however it ends.
   */
  async send<T>(params: RequestParams, read: (raw: RawResponse) => Promise<T>): Promise<T> {
    const bucket = params.bucket ?? null;
    const key = params.key ?? null;
    if (bucket !== null) assertBucketName(bucket);
    if (key !== null) assertObjectKey(key);
    const method = params.method.toUpperCase();
    // Normalized once for every attempt (a call that normalized it already passes bytes, a Blob or a stream through unchanged).
    if (params.body !== undefined) params = { ...params, body: normalizeBody(params.body).body };
    const timeout = params.timeout === undefined ? this.options.timeout : parseTimeout(params.timeout, 'options.timeout');
    const exchange: Exchange = {
      params, method, bucket, key, timeout, attempt: 0, generation: 0, repaired: {},
      replayable: !(params.body instanceof ReadableStream),
      idempotent: params.idempotent ?? method !== 'POST',
    };
    for (;;) {
      exchange.attempt++;
      exchange.generation = this.#credentials.generation;
      try {
        return await read(await this.#attempt(exchange));
      } catch (err) {
        if (!(err instanceof OSSError)) throw err;
        let next: Recovery | undefined;
        for (const recover of this.#recoveries) if ((next = await recover(err, exchange))) break;
        if (!next) throw err;
        if (next === 'repaired') exchange.attempt--; // a repair is not a retry
      }
    }
  }

  /**
   * What may follow a failed attempt, in order; the first that applies decides: a repair (send
   * again, not counted as a retry) or a retry (after its backoff). None: the error stands.
   */
  readonly #recoveries: Array<(err: OSSError, x: Exchange) => Promise<Recovery | undefined>> = [
    // The server's clock, learnt from RequestTimeTooSkewed, corrects the signing time (once).
    async (err, x) => {
      if (err.code !== 'RequestTimeTooSkewed' || x.repaired.clock || !x.replayable || !this.#learnClockOffset(err)) return undefined;
      x.repaired.clock = true;
      return 'repaired';
    },
    // Expired STS keys were refused before anything happened: refresh (once for all the requests
    // that hit this together) and send again.
    async (err, x) => {
      if (!EXPIRED_KEY_CODES.has(err.code) || x.repaired.keys || !x.replayable || !this.#credentials.refreshable) return undefined;
      x.repaired.keys = true;
      await this.#credentials.renew(x.generation);
      return 'repaired';
    },
    // Transient failures of requests that can be sent again, within the retry budget.
    async (err, x) => {
      const policy = retryPolicy(this.options);
      if (x.attempt > policy.retries || !x.idempotent || !x.replayable || !isTransient(err)) return undefined;
      const delay = backoff(x.attempt, policy);
      await this.beforeRetry({ attempt: x.attempt, delay, error: err, method: x.method, bucket: x.bucket, key: x.key });
      try {
        await sleep(delay, x.params.signal);
      } catch {
        throw abortedError(`Request aborted while waiting to retry: ${x.method}${x.key ? ` "${x.key}"` : ''}`, { cause: err });
      }
      return 'retry';
    },
  ];

  /** @internal Run the beforeRetry hooks (onRetry first): the core's retries and a resumed download's. */
  async beforeRetry(info: RetryInfo): Promise<void> {
    for (const hook of this.#hooks.beforeRetry) await hook(info);
  }

  /** Server time from a RequestTimeTooSkewed error; false when it carries none. */
  #learnClockOffset(err: OSSError): boolean {
    const serverTime = Date.parse(err.details.ServerTime ?? err.headers?.date ?? '');
    if (!Number.isFinite(serverTime)) return false;
    this.clockOffset = serverTime - Date.now();
    return true;
  }

  /** One attempt: the steps of a request in their order, each small and named. */
  async #attempt(x: Exchange): Promise<RawResponse> {
    const request = await this.#prepare(x);
    const creds = await this.credentials();
    if (creds) await this.#sign(x.method, x.bucket, x.key, request.query, request.headers, creds);
    // Signed as text; sent as the UTF-8 bytes fetch accepts for non-ASCII values (user metadata).
    if (!SENDS_UTF8_HEADERS) for (const name in request.headers) request.headers[name] = encodeHeaderByteString(request.headers[name]!);
    const secrets = [creds?.accessKeySecret, creds?.securityToken];
    // Uploads of whole bodies (PUT object, UploadPart) are checked against the server's CRC.
    const upload = request.body !== undefined && x.method === 'PUT' && !request.headers['x-oss-copy-source'] ? this.crc(x.params.crc64)?.upload(request.body) : undefined;
    const { raw, stopTimer } = await this.#transmit(x, request, upload?.body ?? request.body, secrets);
    await this.#inspect(x, raw, secrets);
    await upload?.verify(raw);
    // A streamed body belongs to the caller: the total timer stops at the headers, and the
    // download's own guards (get.ts) watch for stalls and check the CRC.
    if (x.params.streaming) stopTimer();
    return raw;
  }

  /** The request to sign: query, URL, headers (the client's, the call's, the beforeRequest hooks'), body. */
  async #prepare(x: Exchange): Promise<PreparedRequest> {
    const { params, method, bucket, key } = x;
    const query = normalizeQuery(params.query ?? {});
    const headers: Record<string, string> = {};
    for (const [n, v] of Object.entries({ ...this.options.headers, ...params.headers })) {
      if (v !== undefined) headers[n.toLowerCase()] = String(v);
    }
    if (this.options.isRequestPay) headers['x-oss-request-payer'] ??= 'requester';
    const { url, origin, host } = this.#locate(bucket, key, query);
    // fetch would add a typed Blob's type after we signed: decide it here.
    const body = params.body as SendableBody | undefined;
    if (typeof Blob !== 'undefined' && body instanceof Blob && body.type && !headers['content-type']) {
      headers['content-type'] = body.type;
    }
    if (this.#hooks.beforeRequest.length) {
      const request = { method, url, headers, attempt: x.attempt };
      for (const hook of this.#hooks.beforeRequest) await hook(request);
      // A hook may have written a name in another case: the request path reads lower-case names.
      for (const name of Object.keys(headers)) {
        const lower = name.toLowerCase();
        if (lower !== name) {
          headers[lower] = String(headers[name]);
          delete headers[name];
        }
      }
    }
    return { query, url, origin, host, headers, body };
  }

  /** Send with the timeout and the caller's signal wired to one controller; a failure on the wire is a typed error. */
  async #transmit(
    x: Exchange, request: PreparedRequest,
    body: SendableBody | undefined, secrets: Array<string | undefined>,
  ): Promise<{ raw: RawResponse; stopTimer(): void }> {
    const { params, method, bucket, key, timeout } = x;
    const { origin, host, query, url } = request;
    const context = { bucket, key, method, origin, host, query, url };
    const send: MaybeAbortMaker = params.transport ?? this.#fetch;
    const controller = send[ABORT_CONTROLLER]?.() ?? new AbortController();
    const stopTimer = startTimer(timeout, () => controller.abort(new DOMException(`no response within ${timeout} ms`, 'TimeoutError')));
    const onCallerAbort = () => controller.abort(params.signal?.reason ?? new DOMException('aborted', 'AbortError'));
    if (params.signal?.aborted) onCallerAbort();
    params.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const done = () => {
      stopTimer();
      params.signal?.removeEventListener('abort', onCallerAbort);
    };
    const started = performance.now();
    try {
      const init: RequestInit & { duplex?: 'half' } = { method, headers: request.headers, signal: controller.signal, redirect: 'manual' };
      if (body !== undefined) {
        init.body = body as BodyInit;
        if (body instanceof ReadableStream) init.duplex = 'half';
      }
      const response = await send(request.url, init);
      return { raw: { response, started, done, abort: (reason) => controller.abort(reason), signal: controller.signal, context }, stopTimer };
    } catch (err) {
      done();
      throw redactSecrets(await transportError(err, controller.signal, context), secrets);
    }
  }

  /** The afterResponse hooks, then a status that is no result becomes its OSSError (secrets redacted). */
  async #inspect(x: Exchange, raw: RawResponse, secrets: Array<string | undefined>): Promise<void> {
    const { response } = raw;
    try {
      for (const hook of this.#hooks.afterResponse) await hook({ method: x.method, url: raw.context.url, status: response.status, headers: response.headers, attempt: x.attempt });
    } catch (err) {
      await release(raw);
      throw err;
    }
    const ok = (response.status >= 200 && response.status < 300) || x.params.okStatuses?.includes(response.status);
    if (ok) return;
    try {
      throw redactSecrets(await errorFromResponse(response, raw.context), secrets);
    } finally {
      raw.done();
    }
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
    const { subtle } = this.options;
    if (creds.securityToken) headers['x-oss-security-token'] = creds.securityToken;
    const request = { accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret, bucket, key, method, query, headers };
    // The constructor refused 'v1' without the feature.
    if (this.options.signatureVersion === 'v1') return this.#features.v1!.sign(request, now, subtle);
    const date = (headers['x-oss-date'] = formatIso8601Basic(now));
    headers['x-oss-content-sha256'] = 'UNSIGNED-PAYLOAD';
    headers.authorization = (await authorizeV4({ ...request, date, region: this.region }, subtle)).authorization;
  }

  /** Never leak keys through JSON.stringify or console.log of a client. */
  toJSON(): Record<string, unknown> {
    return { ...this.options, bucket: this.#bucket, region: this.region, credentials: '[hidden]' };
  }
}

function normalizeQuery(query: NonNullable<RequestParams['query']>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    out[k] = v === null ? null : String(v);
  }
  return out;
}

/** The hook lists, checked: arrays of functions under the three names; onRetry runs first. */
function hookLists(hooks: Hooks | undefined, onRetry: OSSOptions['onRetry']): Required<Hooks> {
  assertPlainObject(hooks, 'hooks');
  const lists = { beforeRequest: [], beforeRetry: onRetry ? [onRetry] : [], afterResponse: [] } as Required<Hooks>;
  for (const [name, list] of Object.entries(hooks ?? {})) {
    if (list === undefined) continue;
    if (!Object.hasOwn(lists, name)) throw new OSSArgumentError(`hooks.${name}`, 'not a hook (they are beforeRequest, beforeRetry, afterResponse)');
    if (!Array.isArray(list) || !list.every((h) => typeof h === 'function')) throw new OSSArgumentError(`hooks.${name}`, 'expected an array of functions');
    (lists[name as keyof Hooks] as unknown[]).push(...list);
  }
  return lists;
}

/** The duration options in ms (strings parsed, `timeout` defaulted), or OSSArgumentError. */
function parseDurationOptions(options: OSSOptions): Pick<ClientOptions, DurationOptions> {
  const out: { -readonly [K in DurationOptions]?: number } = {
    timeout: parseTimeout(options.timeout, 'timeout'),
  };
  for (const name of ['retryDelay', 'maxRetryDelay', 'idleTimeout', 'refreshSTSTokenInterval'] as const) {
    if (options[name] !== undefined) out[name] = parseDuration(options[name], name);
  }
  if (out.retryDelay === Infinity) throw new OSSArgumentError('retryDelay', 'expected a finite duration');
  return out as Pick<ClientOptions, DurationOptions>;
}

const IPV4_RE = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** An IP literal or localhost: a local or private server, addressed path-style and by default over http. */
function isIpOrLocalhost(hostname: string): boolean {
  return IPV4_RE.test(hostname) || hostname.startsWith('[') || hostname === 'localhost' || hostname.endsWith('.localhost');
}

/**
 * The scheme of an endpoint written without one: `secure` when given; otherwise `http:` for
 * localhost and IP literals (a local server rarely has a certificate for them) and `https:` for
 * host names. ali-oss assumes http for every scheme-less endpoint unless `secure: true`.
 */
function schemeFor(hostname: string, secure: boolean | undefined): string {
  if (secure !== undefined) return secure ? 'https:' : 'http:';
  return isIpOrLocalhost(hostname) ? 'http:' : 'https:';
}

function resolveEndpoint(options: OSSOptions, region: string): ResolvedEndpoint {
  const secure = options.secure ?? true;
  const pathStyle = Boolean(options.pathStyle ?? options.sldEnable);
  const cname = Boolean(options.cname);
  if (options.endpoint !== undefined) {
    if (typeof options.endpoint !== 'string' || !options.endpoint) throw new OSSArgumentError('endpoint', 'expected a URL or host name');
    const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(options.endpoint);
    let url: URL;
    try {
      url = new URL(hasScheme ? options.endpoint : `http://${options.endpoint}`);
    } catch {
      throw new OSSArgumentError('endpoint', `"${options.endpoint}" is not a valid URL or host name`);
    }
    if (!hasScheme) url.protocol = schemeFor(url.hostname, options.secure);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OSSArgumentError('endpoint', 'only http and https endpoints are supported');
    if (url.pathname !== '/' || url.search) throw new OSSArgumentError('endpoint', 'an endpoint has no path or query');
    const local = isIpOrLocalhost(url.hostname);
    return { protocol: url.protocol, host: url.host, pathStyle: pathStyle || (local && !cname), cname };
  }
  const host = options.accelerate
    ? 'oss-accelerate.aliyuncs.com'
    : `oss-${region}${options.internal ? '-internal' : ''}.aliyuncs.com`;
  return { protocol: secure ? 'https:' : 'http:', host, pathStyle, cname };
}

// STS for back ends: AssumeRole turns a long-term key into short-lived keys (optionally narrowed
// by a policy) that a web page may hold. Same call shape and result as ali-oss's `STS`, built on
// fetch and Web Crypto, so it also runs in workers, Deno and Bun.

import { OSSArgumentError, OSSError } from '../core/errors.js';
import { signatureRpc, stringToSignRpc } from '../core/rpc-sign.js';
import { assertInteger, assertOptionalString, typeName } from '../core/validate.js';
import type { ResponseInfo } from './core.js';
import { transportError } from './network-error.js';
import { redactSecrets } from './redact.js';
import { parseTimeout, type Duration } from '../core/duration.js';
import { startTimer } from './timer.js';
import { checkOptions } from './call-options.js';

export interface STSOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** Default `https://sts.aliyuncs.com`; the local server answers on `http://127.0.0.1:9000/sts`. */
  endpoint?: string;
  /** Per-request timeout: ms or a duration string like `'60s'` (default 60 000; `0`/`Infinity`: none). */
  timeout?: Duration;
  fetch?: typeof fetch;
}

/** The temporary keys, as STS names them (ali-oss's `result.credentials`). */
export interface STSCredentials {
  AccessKeyId: string;
  AccessKeySecret: string;
  SecurityToken: string;
  /** ISO 8601, e.g. `2024-01-02T03:04:05Z`. */
  Expiration: string;
}

export interface AssumeRoleResult {
  credentials: STSCredentials;
  assumedRoleUser?: { Arn: string; AssumedRoleId: string };
  requestId?: string;
  res: ResponseInfo;
}

export interface AssumeRoleOptions {
  signal?: AbortSignal;
  /** This call's timeout: ms or a duration string. */
  timeout?: Duration;
}

/** A policy is a RAM policy object or its JSON text. */
export type STSPolicy = object | string;

const SESSION_NAME_RE = /^[\w.@-]{2,64}$/;

/** Server-side STS client: `new STS({ accessKeyId, accessKeySecret }).assumeRole(roleArn, policy, seconds, sessionName)` vends temporary keys for a browser. */
export class STS {
  readonly #accessKeyId: string;
  readonly #accessKeySecret: string;
  readonly #endpoint: string;
  readonly #timeout: number;
  readonly #fetch: typeof fetch;

  constructor(options: STSOptions) {
    checkOptions(options, 'accessKeyId accessKeySecret endpoint fetch');
    if (!options) throw new OSSArgumentError('options', 'expected { accessKeyId, accessKeySecret }');
    for (const name of ['accessKeyId', 'accessKeySecret'] as const) {
      if (typeof options[name] !== 'string' || !options[name]) throw new OSSArgumentError(name, 'expected a non-empty string');
    }
    assertOptionalString(options.endpoint, 'endpoint');
    const endpoint = options.endpoint ?? 'https://sts.aliyuncs.com';
    if (!/^https?:\/\/[^/]+/i.test(endpoint)) throw new OSSArgumentError('endpoint', `"${endpoint}" is not an http(s) URL`);
    if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new OSSArgumentError('fetch', 'expected a fetch function');
    this.#accessKeyId = options.accessKeyId;
    this.#accessKeySecret = options.accessKeySecret;
    this.#endpoint = endpoint;
    this.#timeout = parseTimeout(options.timeout, 'timeout');
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /**
   * Assume a RAM role: temporary keys valid for `expirationSeconds` (900–43200; the role's
   * maximum applies), limited to what both the role and `policy` allow.
   * @example
   * const sts = new STS({ accessKeyId, accessKeySecret });
   * const { credentials } = await sts.assumeRole('acs:ram::1234567890:role/uploader', {
   *   Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:PutObject'], Resource: ['acs:oss:*:*:demo/uploads/*'] }],
   * }, 900, 'web-upload');
   */
  async assumeRole(
    roleArn: string,
    policy?: STSPolicy | null,
    expirationSeconds = 3600,
    sessionName = 'app',
    options: AssumeRoleOptions = {},
  ): Promise<AssumeRoleResult> {
    if (typeof roleArn !== 'string' || !/^acs:ram::[^:]+:role\/.+/i.test(roleArn)) {
      throw new OSSArgumentError('roleArn', 'expected a role ARN like "acs:ram::<account id>:role/<role name>"');
    }
    const policyText = policy === undefined || policy === null || policy === '' ? undefined : policyJson(policy);
    assertInteger(expirationSeconds, 'expirationSeconds', 900, 43_200);
    if (typeof sessionName !== 'string' || !SESSION_NAME_RE.test(sessionName)) {
      throw new OSSArgumentError('sessionName', 'expected 2-64 characters of letters, digits, ".", "@", "-" and "_"');
    }
    checkOptions(options, '');

    const params: Array<[string, string]> = [
      ['Action', 'AssumeRole'],
      ['RoleArn', roleArn],
      ['RoleSessionName', sessionName],
      ['DurationSeconds', String(expirationSeconds)],
      ...(policyText ? [['Policy', policyText] as [string, string]] : []),
      ['Format', 'JSON'],
      ['Version', '2015-04-01'],
      ['AccessKeyId', this.#accessKeyId],
      ['SignatureMethod', 'HMAC-SHA1'],
      ['SignatureVersion', '1.0'],
      ['SignatureNonce', crypto.randomUUID()],
      ['Timestamp', new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')],
    ];
    params.push(['Signature', await signatureRpc(this.#accessKeySecret, stringToSignRpc('POST', params))]);

    const timeout = options.timeout === undefined ? this.#timeout : parseTimeout(options.timeout, 'options.timeout');
    const controller = new AbortController();
    const stopTimer = startTimer(timeout, () => controller.abort(new DOMException(`no response within ${timeout} ms`, 'TimeoutError')));
    const onAbort = () => controller.abort(options.signal?.reason ?? new DOMException('aborted', 'AbortError'));
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    try {
      let response: Response;
      let body: string;
      try {
        response = await this.#fetch(this.#endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(params).toString(),
          signal: controller.signal,
        });
        body = await response.text();
      } catch (err) {
        // The form carries the signature and key id: none of it goes into the error (query stays empty).
        const { origin, host } = new URL(this.#endpoint);
        throw redactSecrets(await transportError(err, controller.signal, { bucket: null, key: null, method: 'POST', origin, host, query: {} }), [this.#accessKeySecret]);
      }
      const headers: Record<string, string> = {};
      response.headers.forEach((v, k) => {
        headers[k] = v;
      });
      const { status } = response;
      const res: ResponseInfo = { status, statusCode: status, headers, size: body.length, rt: Math.round(performance.now() - started), requestUrls: [this.#endpoint] };
      const data = parseJson(body);
      if (!response.ok || !data?.Credentials) {
        const code = typeof data?.Code === 'string' ? data.Code : `Http${response.status}`;
        throw redactSecrets(new OSSError({
          code,
          message: `${code}: ${typeof data?.Message === 'string' ? data.Message : `AssumeRole failed with HTTP ${response.status}`}`,
          status: response.status,
          requestId: typeof data?.RequestId === 'string' ? data.RequestId : undefined,
          hostId: typeof data?.HostId === 'string' ? data.HostId : undefined,
          headers,
        }), [this.#accessKeySecret]);
      }
      return {
        credentials: data.Credentials as STSCredentials,
        assumedRoleUser: data.AssumedRoleUser as AssumeRoleResult['assumedRoleUser'],
        requestId: data.RequestId as string | undefined,
        res,
      };
    } finally {
      stopTimer();
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Never leak the secret through JSON.stringify or console.log. */
  toJSON(): Record<string, unknown> {
    return { endpoint: this.#endpoint, accessKeyId: this.#accessKeyId, accessKeySecret: '[hidden]' };
  }
}

function policyJson(policy: unknown): string {
  if (typeof policy === 'string') {
    try {
      return JSON.stringify(JSON.parse(policy));
    } catch {
      throw new OSSArgumentError('policy', 'the policy string is not valid JSON');
    }
  }
  if (typeof policy !== 'object' || Array.isArray(policy)) throw new OSSArgumentError('policy', `expected a policy object or JSON string, got ${typeName(policy)}`);
  return JSON.stringify(policy);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

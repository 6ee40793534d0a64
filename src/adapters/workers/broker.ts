// The upload broker: the back end of the `<input type=file>` flow as one Worker handler. It keeps
// the long-term key to itself and hands a page only what one upload needs, scoped to a key prefix
// the app decides per caller: short-lived STS keys, a presigned PUT URL or a POST form policy. It
// also receives OSS's upload callbacks, checking that OSS signed them.

import { verifyCallback, type VerifiedCallback, type VerifyCallbackOptions } from '../../client/callback-verify.js';
import { OSSCore, type OSSOptions } from '../../client/core.js';
import { signatureUrl } from '../../client/object/presign.js';
import { signPostObjectPolicy } from '../../client/post-policy.js';
import { STS } from '../../client/sts.js';
import { OSSArgumentError, OSSError } from '../../core/errors.js';
import { assertObjectKey } from '../../core/validate.js';

/** What the app grants one caller. */
export interface UploadGrant {
  /** Keys the caller may write start with this (e.g. `uploads/<user id>/`). */
  prefix: string;
}

export interface UploadBrokerOptions {
  /**
   * The Worker's own long-term key, bucket and region or endpoint (e.g. `optionsFromEnv(env)`):
   * it signs URLs and policies and calls STS, and never leaves the Worker.
   */
  keys: OSSOptions;
  /** Who may upload where: a grant, or null to refuse (401). Runs for every request but callbacks. */
  authorize(request: Request): UploadGrant | null | Promise<UploadGrant | null>;
  /** Vend STS keys at `POST <base>credentials` (absent: that route answers 404). */
  sts?: {
    /** The RAM role to assume, `acs:ram::<account>:role/<name>`. */
    roleArn: string;
    /** STS endpoint (default Alibaba Cloud's; the local server's is `<its url>/sts`). */
    endpoint?: string;
    /** Session name (default `upload-broker`). */
    sessionName?: string;
  };
  /** Lifetime of keys, URLs and policies in seconds (default 900, STS's minimum). */
  expires?: number;
  /** Largest upload a POST policy allows, in bytes (default 5 GiB). */
  maxBytes?: number;
  /** Called with each verified OSS upload callback (`POST <base>callback`); its result is the JSON OSS passes back to the uploader. */
  onUpload?(callback: VerifiedCallback, request: Request): unknown;
  /** How callbacks are checked (e.g. `allowKeyUrl` for the local server's key). */
  callback?: VerifyCallbackOptions;
  /** Where the routes live (default `/oss/`). */
  basePath?: string;
}

const ROUTES = ['credentials', 'presign', 'post-policy', 'callback'] as const;

/**
 * A `fetch` handler with four routes under `basePath`: `POST credentials` (STS keys limited to the
 * caller's prefix), `POST presign` `{ key, contentType? }` (a presigned PUT URL), `POST post-policy`
 * (form fields for a browser POST under the prefix), and `POST callback` (OSS's upload callback,
 * signature checked). Other paths answer 404, so it can sit in front of an app's own routes.
 * @example
 * export default { fetch: (request, env) => uploadBroker({ keys: optionsFromEnv(env), authorize: () => ({ prefix: 'uploads/' }) })(request) }
 */
export function uploadBroker(options: UploadBrokerOptions): (request: Request) => Promise<Response> {
  if (!options || typeof options !== 'object') throw new OSSArgumentError('options', 'expected { keys, authorize }');
  if (typeof options.authorize !== 'function') throw new OSSArgumentError('options.authorize', 'expected a function that returns { prefix } or null');
  if (!options.keys || typeof options.keys !== 'object') throw new OSSArgumentError('options.keys', 'expected client options with accessKeyId, accessKeySecret and bucket, e.g. optionsFromEnv(env)');
  const base = options.basePath ?? '/oss/';
  if (typeof base !== 'string' || !base.startsWith('/') || !base.endsWith('/')) throw new OSSArgumentError('options.basePath', 'expected a path that starts and ends with "/"');
  const expires = options.expires ?? 900;
  if (!Number.isInteger(expires) || expires < 900 || expires > 43_200) throw new OSSArgumentError('options.expires', 'expected whole seconds from 900 to 43200');
  const maxBytes = options.maxBytes ?? 5 * 1024 ** 3;
  const client = new OSSCore(options.keys);
  const bucket = client.requireBucket();
  const sts = options.sts && new STS({ ...longTermKey(options.keys), endpoint: options.sts.endpoint });

  return async (request) => {
    const path = new URL(request.url).pathname;
    const route = path.startsWith(base) ? ROUTES.find((r) => path.slice(base.length) === r) : undefined;
    if (!route) return reply(404, { error: 'NotFound' });
    if (request.method !== 'POST') return reply(405, { error: 'MethodNotAllowed', message: 'use POST' });
    try {
      if (route === 'callback') {
        const verified = await verifyCallback(request, options.callback);
        return reply(200, (await options.onUpload?.(verified, request)) ?? { ok: true });
      }
      const grant = await options.authorize(request);
      if (!grant) return reply(401, { error: 'Unauthorized' });
      const prefix = grantPrefix(grant);
      if (route === 'credentials') {
        if (!sts || !options.sts) return reply(404, { error: 'NotFound', message: 'this broker vends no STS keys' });
        const { credentials: c } = await sts.assumeRole(options.sts.roleArn, uploadPolicy(bucket, prefix), expires, options.sts.sessionName ?? 'upload-broker');
        return reply(200, {
          accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken, expiration: c.Expiration,
          bucket, region: client.region, prefix,
        });
      }
      const input = await jsonBody(request);
      if (route === 'presign') {
        const key = keyUnder(input.key, prefix);
        const contentType = optionalString(input.contentType, 'contentType');
        const url = await signatureUrl(client, key, { method: 'PUT', expires, ...(contentType ? { 'Content-Type': contentType } : {}) });
        return reply(200, { url, method: 'PUT', key, headers: contentType ? { 'content-type': contentType } : {}, expires });
      }
      const signed = await signPostObjectPolicy(client, { keyPrefix: prefix, expires, contentLengthRange: [0, maxBytes] });
      return reply(200, { url: signed.url, fields: signed.fields, prefix });
    } catch (err) {
      if (err instanceof OSSArgumentError) return reply(400, { error: 'InvalidArgument', message: err.message });
      if (err instanceof OSSError && err.code === 'CallbackSignatureMismatch') return reply(400, { error: err.code, message: err.message });
      // Upstream failures (STS, key fetch) are the broker's problem, not the caller's: say little.
      return reply(502, { error: 'UpstreamError', message: err instanceof OSSError ? err.code : 'upstream request failed' });
    }
  };
}

function reply(status: number, body: unknown): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

function longTermKey(keys: OSSOptions): { accessKeyId: string; accessKeySecret: string } {
  const { accessKeyId, accessKeySecret, stsToken, securityToken } = keys;
  if (!accessKeyId || !accessKeySecret) throw new OSSArgumentError('options.keys', 'needs a long-term key (accessKeyId and accessKeySecret) to call STS');
  if (stsToken || securityToken) throw new OSSArgumentError('options.keys', 'holds temporary keys; AssumeRole needs the long-term key of a RAM user');
  return { accessKeyId, accessKeySecret };
}

function grantPrefix(grant: UploadGrant): string {
  if (!grant || typeof grant.prefix !== 'string' || !grant.prefix || grant.prefix.startsWith('/') || /[*?]/.test(grant.prefix)) {
    throw new TypeError('authorize() must return { prefix } with a non-empty key prefix (no leading "/", no wildcards) or null');
  }
  return grant.prefix;
}

/** What STS keys may do: write (and resume multipart uploads) under the prefix, nothing else. */
export function uploadPolicy(bucket: string, prefix: string): object {
  return {
    Version: '1',
    Statement: [{
      Effect: 'Allow',
      Action: ['oss:PutObject', 'oss:AbortMultipartUpload', 'oss:ListParts'],
      Resource: [`acs:oss:*:*:${bucket}/${prefix}*`],
    }],
  };
}

async function jsonBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.length > 16 * 1024) throw new OSSArgumentError('body', 'larger than 16 KiB');
  let value: unknown;
  try {
    value = text ? JSON.parse(text) : {};
  } catch {
    throw new OSSArgumentError('body', 'expected JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new OSSArgumentError('body', 'expected a JSON object');
  return value as Record<string, unknown>;
}

function keyUnder(key: unknown, prefix: string): string {
  if (typeof key !== 'string') throw new OSSArgumentError('key', 'expected a string');
  assertObjectKey(key, 'key');
  // A "." or ".." segment would be folded away by URL parsing and could leave the prefix.
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) throw new OSSArgumentError('key', 'must not contain "." or ".." path segments');
  if (!key.startsWith(prefix) || key.length === prefix.length) throw new OSSArgumentError('key', `must start with "${prefix}" and name an object under it`);
  return key;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new OSSArgumentError(name, 'expected a string');
  return value;
}

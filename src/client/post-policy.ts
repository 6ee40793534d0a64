// Browser form uploads (PostObject): a back end signs a POST policy, the page posts a plain
// multipart form with the file last. `signPostObjectPolicy` builds the whole set of form fields
// for V4 or V1; `calculatePostSignature` and `signPostObjectPolicyV4` are ali-oss's lower-level
// helpers for a policy you wrote yourself.

import { OSSArgumentError } from '../core/errors.js';
import { encodeCallback, type UploadCallback } from './callback.js';
import { formatIso8601Basic } from '../core/encoding.js';
import { signPostPolicyV1, signPostPolicyV4, type PostPolicy } from '../core/post-policy.js';
import { V4_ALGORITHM } from '../core/sign-v4.js';
import { assertInteger, assertObjectKey, assertPlainObject, typeName } from '../core/validate.js';
import type { OSSCore } from './core.js';
import type { Credentials } from './credentials.js';
import { checkOptions } from './call-options.js';
import { assertOneOf } from './one-of.js';

export interface PostSignatureV1 {
  OSSAccessKeyId: string;
  Signature: string;
  /** The Base64 policy (the `policy` form field). */
  policy: string;
  /** With STS keys: the `x-oss-security-token` form field. */
  'x-oss-security-token'?: string;
}

export interface SignPostObjectPolicyOptions {
  /** Seconds the form stays valid (default 3600), or the moment it expires. */
  expires?: number | Date;
  /** The object key, pinned exactly; may contain `${filename}` (the picked file's name). */
  key?: string;
  /** Allow any key under this prefix; the `key` field defaults to `<prefix>${filename}`. */
  keyPrefix?: string;
  /** Smallest and largest file in bytes. */
  contentLengthRange?: [min: number, max: number];
  /** 200, 201 (answers with a PostResponse XML) or 204 (the default). */
  successActionStatus?: 200 | 201 | 204;
  /** Redirect the browser here after the upload (303), with bucket, key and etag in the query. */
  successActionRedirect?: string;
  /** More form fields, each pinned by an `eq` condition: Content-Type, Cache-Control, x-oss-meta-*… */
  fields?: Record<string, string>;
  /** More policy conditions, verbatim (e.g. `['in', '$content-type', ['image/png', 'image/jpeg']]`). */
  conditions?: unknown[];
  /** Have OSS call your app once the file is stored: a `callback` field and one `x:<name>` field per custom value, all pinned by the policy. */
  callback?: UploadCallback;
  /** Signature version (default: the client's). */
  version?: 'v4' | 'v1';
  bucket?: string;
}

export interface SignedPostObjectPolicy {
  /** Where the form posts: the bucket's URL. */
  url: string;
  /** Every form field but the file, in order; append the file last. */
  fields: Record<string, string>;
  /** The signed policy document. */
  policy: { expiration: string; conditions: unknown[] };
}

/**
 * ali-oss's V1 form signature of a policy you wrote: `{ OSSAccessKeyId, Signature, policy }`.
 * @example
 * const { OSSAccessKeyId, Signature, policy } = await calculatePostSignature(core, {
 *   expiration: new Date(Date.now() + 3600_000).toISOString(),
 *   conditions: [['content-length-range', 0, 10 * 1024 * 1024]],
 * });
 */
export async function calculatePostSignature(core: OSSCore, policy: PostPolicy): Promise<PostSignatureV1> {
  const text = policyText(policy);
  const creds = await keys(core);
  const signed = await signPostPolicyV1({ policy: text, accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret }, core.options.subtle);
  return {
    OSSAccessKeyId: signed.OSSAccessKeyId,
    Signature: signed.signature,
    policy: signed.policy,
    ...(creds.securityToken ? { 'x-oss-security-token': creds.securityToken } : {}),
  };
}

/**
 * ali-oss's V4 form signature (lower-case hex) of a policy you wrote, for `date`. The policy
 * should pin `x-oss-signature-version`, `x-oss-credential` and `x-oss-date` itself.
 * @example const signature = await signPostObjectPolicyV4(core, policy, new Date());
 */
export async function signPostObjectPolicyV4(core: OSSCore, policy: PostPolicy, date: Date): Promise<string> {
  const text = policyText(policy);
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new OSSArgumentError('date', 'expected a valid Date');
  const creds = await keys(core);
  const signed = await signPostPolicyV4({ policy: text, accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret, region: core.region, date }, core.options.subtle);
  return signed.signature;
}

/**
 * Everything a browser form needs to upload one file: the URL and the signed fields.
 * @example
 * // back end
 * const { url, fields } = await signPostObjectPolicy(core, { keyPrefix: 'uploads/', contentLengthRange: [1, 10_000_000] });
 * // page
 * const form = new FormData();
 * for (const [name, value] of Object.entries(fields)) form.append(name, value);
 * form.append('file', file);                       // the file is always last
 * await fetch(url, { method: 'POST', body: form });
 */
export async function signPostObjectPolicy(core: OSSCore, options: SignPostObjectPolicyOptions = {}): Promise<SignedPostObjectPolicy> {
  checkOptions(options, 'expires key keyPrefix contentLengthRange successActionStatus successActionRedirect fields conditions callback version bucket');
  const bucket = core.requireBucket(options.bucket);
  const version = options.version ?? core.options.signatureVersion ?? 'v4';
  assertOneOf(version, ['v4', 'v1'], 'options.version');
  const now = core.now();
  const expiration = expiryOf(options.expires, now);
  const key = formKey(options);
  const fields: Record<string, string> = { key };
  const conditions: unknown[] = [{ bucket }, options.keyPrefix !== undefined ? ['starts-with', '$key', options.keyPrefix] : ['eq', '$key', key]];
  if (options.contentLengthRange !== undefined) {
    const range = options.contentLengthRange;
    if (!Array.isArray(range) || range.length !== 2) throw new OSSArgumentError('options.contentLengthRange', 'expected [min, max]');
    assertInteger(range[0], 'options.contentLengthRange[0]', 0, Number.MAX_SAFE_INTEGER);
    assertInteger(range[1], 'options.contentLengthRange[1]', range[0], Number.MAX_SAFE_INTEGER);
    conditions.push(['content-length-range', range[0], range[1]]);
  }
  if (options.successActionStatus !== undefined) {
    if (![200, 201, 204].includes(options.successActionStatus)) throw new OSSArgumentError('options.successActionStatus', 'expected 200, 201 or 204');
    fields.success_action_status = String(options.successActionStatus);
  }
  if (options.successActionRedirect !== undefined) {
    if (typeof options.successActionRedirect !== 'string' || !/^https?:\/\//i.test(options.successActionRedirect)) {
      throw new OSSArgumentError('options.successActionRedirect', 'expected an http(s) URL');
    }
    fields.success_action_redirect = options.successActionRedirect;
  }
  assertPlainObject(options.fields, 'options.fields');
  for (const [name, value] of Object.entries(options.fields ?? {})) {
    if (typeof value !== 'string') throw new OSSArgumentError(`options.fields.${name}`, `expected a string, got ${typeName(value)}`);
    if (RESERVED_FIELDS.has(name.toLowerCase())) throw new OSSArgumentError(`options.fields.${name}`, 'this field is set by the signer');
    fields[name] = value;
  }
  if (options.callback !== undefined) {
    const { callback } = encodeCallback(options.callback);
    fields.callback = callback;
    // A form carries each custom variable as its own field, not as callback-var.
    for (const [name, value] of Object.entries(options.callback.customValue ?? {})) fields[`x:${name}`] = String(value);
  }
  for (const [name, value] of Object.entries(fields)) if (name !== 'key') conditions.push(['eq', `$${name}`, value]);
  if (options.conditions !== undefined) {
    if (!Array.isArray(options.conditions)) throw new OSSArgumentError('options.conditions', 'expected an array');
    conditions.push(...options.conditions);
  }

  const creds = await keys(core);
  if (creds.securityToken) {
    fields['x-oss-security-token'] = creds.securityToken;
    conditions.push({ 'x-oss-security-token': creds.securityToken });
  }
  const policy = { expiration, conditions };
  if (version === 'v1') {
    const signed = await signPostPolicyV1({ policy, accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret }, core.options.subtle);
    Object.assign(fields, { OSSAccessKeyId: signed.OSSAccessKeyId, policy: signed.policy, Signature: signed.signature });
  } else {
    const date = formatIso8601Basic(now);
    const credential = `${creds.accessKeyId}/${date.slice(0, 8)}/${core.region}/oss/aliyun_v4_request`;
    conditions.push({ 'x-oss-signature-version': V4_ALGORITHM }, { 'x-oss-credential': credential }, { 'x-oss-date': date });
    const signed = await signPostPolicyV4({ policy, accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret, region: core.region, date }, core.options.subtle);
    Object.assign(fields, {
      'x-oss-signature-version': V4_ALGORITHM,
      'x-oss-credential': signed.credential,
      'x-oss-date': date,
      policy: signed.policy,
      'x-oss-signature': signed.signature,
    });
  }
  return { url: core.url(bucket), fields, policy };
}

const RESERVED_FIELDS = new Set([
  'file', 'key', 'policy', 'ossaccesskeyid', 'signature', 'x-oss-signature', 'x-oss-signature-version', 'x-oss-credential',
  'x-oss-date', 'x-oss-security-token', 'success_action_status', 'success_action_redirect',
]);

function formKey(options: SignPostObjectPolicyOptions): string {
  if (options.keyPrefix !== undefined && typeof options.keyPrefix !== 'string') throw new OSSArgumentError('options.keyPrefix', 'expected a string');
  const key = options.key ?? (options.keyPrefix !== undefined ? `${options.keyPrefix}\${filename}` : undefined);
  if (key === undefined) throw new OSSArgumentError('options.key', 'give key or keyPrefix');
  assertObjectKey(key, 'options.key');
  if (options.keyPrefix !== undefined && !key.startsWith(options.keyPrefix)) throw new OSSArgumentError('options.key', 'must start with options.keyPrefix');
  return key;
}

function expiryOf(expires: SignPostObjectPolicyOptions['expires'], now: Date): string {
  if (expires instanceof Date) {
    if (Number.isNaN(expires.getTime())) throw new OSSArgumentError('options.expires', 'expected a valid Date');
    return expires.toISOString();
  }
  const seconds = expires ?? 3600;
  assertInteger(seconds, 'options.expires', 1, 365 * 24 * 3600);
  return new Date(now.getTime() + seconds * 1000).toISOString();
}

function policyText(policy: unknown): PostPolicy {
  if (typeof policy === 'string') {
    try {
      JSON.parse(policy);
    } catch {
      throw new OSSArgumentError('policy', 'the policy string is not valid JSON');
    }
    return policy;
  }
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) {
    throw new OSSArgumentError('policy', `expected a policy object or JSON string, got ${typeName(policy)}`);
  }
  return policy;
}

async function keys(core: OSSCore): Promise<Credentials> {
  const creds = await core.credentials();
  if (!creds) throw new OSSArgumentError('accessKeyId', 'signing a POST policy needs keys (accessKeyId/accessKeySecret or refreshSTSToken)');
  return creds;
}

// PostObject (browser form upload) policy signatures. The form carries the Base64 policy and
// a signature over that Base64 text: HMAC-SHA1 with the secret for V1, HMAC-SHA256 with the
// V4 signing key for V4 (the Base64 policy is the whole string to sign).

import { hmac, toBase64, toHex, utf8 } from './crypto.js';
import { OSSArgumentError } from './errors.js';
import { formatIso8601Basic } from './encoding.js';
import { normalizeV4Region, signingKeyV4, v4Scope } from './sign-v4.js';

/** A policy object is serialised compactly; a string is used as the exact JSON text. */
export type PostPolicy = object | string;

export interface PostPolicyV1Input {
  policy: PostPolicy;
  accessKeyId: string;
  accessKeySecret: string;
}

export interface PostPolicyV1Result {
  /** Base64 of the UTF-8 policy JSON: the `policy` form field. */
  policy: string;
  /** The `Signature` form field (Base64). */
  signature: string;
  OSSAccessKeyId: string;
}

export interface PostPolicyV4Input {
  policy: PostPolicy;
  accessKeyId: string;
  accessKeySecret: string;
  /** Region id; a leading `oss-` is dropped. */
  region: string;
  /** ISO 8601 basic, equal to the policy's x-oss-date condition (a Date is formatted). */
  date: string | Date;
  product?: string;
}

export interface PostPolicyV4Result {
  policy: string;
  /** The `x-oss-signature` form field (lower-case hex). */
  signature: string;
  /** The `x-oss-credential` form field and policy condition: `<AK>/<scope>`. */
  credential: string;
}

/** The exact policy text that gets Base64-encoded. */
export function postPolicyText(policy: PostPolicy): string {
  if (typeof policy === 'string') return policy;
  if (policy === null || typeof policy !== 'object') throw new TypeError('policy must be an object or a JSON string');
  return JSON.stringify(policy);
}

/** Base64 of the UTF-8 policy text (the `policy` form field). */
export function encodePostPolicy(policy: PostPolicy): string {
  return toBase64(utf8(postPolicyText(policy)));
}

/** V1 PostObject signature: base64 HMAC-SHA1 of the base64 policy; returns the `policy`, `Signature` and `OSSAccessKeyId` form fields. */
export async function signPostPolicyV1(input: PostPolicyV1Input, subtle?: SubtleCrypto): Promise<PostPolicyV1Result> {
  const policy = encodePostPolicy(input.policy);
  const signature = toBase64(await hmac(input.accessKeySecret, policy, 'SHA-1', subtle));
  return { policy, signature, OSSAccessKeyId: input.accessKeyId };
}

/** V4 PostObject signature: hex HMAC-SHA256 of the base64 policy with the V4 signing key; returns `policy`, `signature` and `credential`. */
export async function signPostPolicyV4(input: PostPolicyV4Input, subtle?: SubtleCrypto): Promise<PostPolicyV4Result> {
  const date = input.date instanceof Date ? formatIso8601Basic(input.date) : input.date;
  if (!/^\d{8}T\d{6}Z$/.test(date)) throw new OSSArgumentError('date', `date must be ISO 8601 basic like 20240102T030405Z, got ${JSON.stringify(date)}`);
  const region = normalizeV4Region(input.region);
  const product = input.product ?? 'oss';
  const date8 = date.slice(0, 8);
  const policy = encodePostPolicy(input.policy);
  const key = await signingKeyV4(input.accessKeySecret, date8, region, product, subtle);
  const signature = toHex(await hmac(key, policy, 'SHA-256', subtle));
  return { policy, signature, credential: `${input.accessKeyId}/${v4Scope(date8, region, product)}` };
}

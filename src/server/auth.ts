// Verifying who sent a request: V1/V4 header signatures, V1/V4 presigned URLs, or nobody
// (anonymous). Uses the same string builders as the client's signers, so the pair stays honest
// only because the official ali-oss client is tested against it too.

import { sha256Hex, toHex, utf8 } from '../core/crypto.js';
import { parseIso8601Basic } from '../core/encoding.js';
import { parseV1Authorization, signatureV1, stringToSignV1 } from '../core/sign-v1.js';
import {
  canonicalRequestPartsV4, parseV4Authorization, parseV4Credential, signatureV4, stringToSignV4, v4Scope, V4_ALGORITHM,
  V4_MAX_EXPIRES,
} from '../core/sign-v4.js';
import { ServerError, serverError } from './errors.js';
import type { SessionPolicy } from './session-policy.js';

export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
  ownerId: string;
  displayName: string;
  /** STS: the token that must accompany this key, and when it stops working (ms). */
  securityToken?: string;
  expiresAt?: number;
  /** STS: what the session may do (AssumeRole's Policy); absent = everything the owner may. */
  sessionPolicy?: SessionPolicy;
}

export interface Principal {
  accessKeyId: string;
  ownerId: string;
  displayName: string;
  /** How the request proved it: header signature or presigned URL. */
  via: 'v1-header' | 'v4-header' | 'v1-url' | 'v4-url' | 'v1-post' | 'v4-post';
  sessionPolicy?: SessionPolicy;
}

export interface AuthInput {
  method: string;
  bucket: string | null;
  key: string | null;
  url: URL;
  /** Lower-case names, values decoded back to text. */
  headers: Map<string, string>;
  now: number;
  /** The server's region: a V4 credential scope must name it (and the product `oss`). */
  region: string;
  lookupKey(accessKeyId: string): AccessKey | undefined;
  /** Web Crypto for the signature checks (default the platform's). */
  subtle?: SubtleCrypto;
}

const MAX_SKEW_MS = 15 * 60_000;

/** Where a V4 credential came from, for the error OSS gives a scope that is not this server's. */
export type V4CredentialSource = 'header' | 'url' | 'post';

// OSS's error-center codes for a wrong region / product in the scope. The presigned-URL product
// code is not documented, so that case carries none.
const SCOPE_EC: Record<V4CredentialSource, { region: string; product?: string }> = {
  header: { region: '0002-00000228', product: '0002-00000227' },
  url: { region: '0002-00000226' },
  post: { region: '0002-00000715', product: '0002-00000716' },
};

/**
 * A V4 signature is bound to its scope: one signed for another region or another product (an
 * `s3` scope) is refused with OSS's InvalidArgument, not verified.
 */
export function checkV4Scope(cred: { region: string; product: string }, region: string, source: V4CredentialSource, credential: string): void {
  const ec = SCOPE_EC[source];
  const extra = { ArgumentName: source === 'header' ? 'Authorization' : 'x-oss-credential', ArgumentValue: credential };
  if (cred.region !== region) throw new ServerError('InvalidArgument', 'The signing region in credential is invalid.', extra, 400, ec.region);
  if (cred.product !== 'oss') throw new ServerError('InvalidArgument', 'The signing product in credential is invalid.', extra, 400, ec.product);
}

/** The verified principal, `null` for an anonymous request, or a thrown ServerError. */
export async function authenticate(input: AuthInput): Promise<Principal | null> {
  const authorization = input.headers.get('authorization');
  const q = input.url.searchParams;
  if (authorization) {
    if (q.has('OSSAccessKeyId') || q.has('x-oss-signature')) {
      throw serverError('InvalidArgument', {}, 'Only one auth mechanism allowed; only the X-OSS-Signature, the Signature query parameter, or the Authorization header should be specified.');
    }
    if (authorization.startsWith(`${V4_ALGORITHM} `)) return verifyV4Header(input, authorization);
    if (authorization.startsWith('OSS ')) return verifyV1Header(input, authorization);
    throw serverError('InvalidArgument', {}, 'Authorization header is invalid.');
  }
  if (q.get('x-oss-signature-version') === V4_ALGORITHM) return verifyV4Url(input);
  if (q.has('OSSAccessKeyId') || q.has('Signature')) return verifyV1Url(input);
  return null;
}

export function keyFor(input: Pick<AuthInput, 'lookupKey' | 'now'>, accessKeyId: string, token: string | undefined): AccessKey {
  const key = input.lookupKey(accessKeyId);
  if (!key) throw serverError('InvalidAccessKeyId', { OSSAccessKeyId: accessKeyId });
  if (key.securityToken !== undefined) {
    if (!token) throw serverError('InvalidAccessKeyId', { OSSAccessKeyId: accessKeyId }, 'The temporary key needs its security token (x-oss-security-token).');
    if (token !== key.securityToken) throw serverError('InvalidSecurityToken', {}, 'The security token you provided is invalid.');
    if (key.expiresAt !== undefined && input.now >= key.expiresAt) {
      throw new ServerError('SecurityTokenExpired', 'The security token you provided has expired.', {}, 403);
    }
  } else if (token) {
    throw serverError('InvalidSecurityToken', {}, 'The security token you provided is invalid.');
  }
  return key;
}

export function principal(key: AccessKey, via: Principal['via']): Principal {
  return { accessKeyId: key.accessKeyId, ownerId: key.ownerId, displayName: key.displayName, via, ...(key.sessionPolicy ? { sessionPolicy: key.sessionPolicy } : {}) };
}

function checkSkew(signedAt: number, now: number): void {
  if (!Number.isFinite(signedAt)) throw serverError('AccessDenied', {}, 'The request date is missing or malformed.');
  if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
    throw serverError('RequestTimeTooSkewed', {
      RequestTime: new Date(signedAt).toUTCString(),
      ServerTime: new Date(now).toUTCString(),
      MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
    });
  }
}

function mismatch(accessKeyId: string, provided: string, stringToSign: string, canonicalRequest?: string): ServerError {
  return serverError('SignatureDoesNotMatch', {
    OSSAccessKeyId: accessKeyId,
    SignatureProvided: provided,
    StringToSign: stringToSign,
    StringToSignBytes: hexBytes(stringToSign),
    CanonicalRequest: canonicalRequest,
  });
}

function hexBytes(s: string): string {
  return toHex(utf8(s)).toUpperCase().replace(/(..)(?!$)/g, '$1 ');
}

async function verifyV1Header(input: AuthInput, authorization: string): Promise<Principal> {
  const parsed = parseV1Authorization(authorization);
  if (!parsed) throw serverError('InvalidArgument', {}, 'Authorization header is invalid.');
  const key = keyFor(input, parsed.accessKeyId, input.headers.get('x-oss-security-token'));
  const date = input.headers.get('x-oss-date') ?? input.headers.get('date');
  checkSkew(date ? Date.parse(date) : NaN, input.now);
  const stringToSign = stringToSignV1({
    method: input.method, bucket: input.bucket, key: input.key, query: input.url.searchParams, headers: Object.fromEntries(input.headers),
  });
  if ((await signatureV1(key.accessKeySecret, stringToSign, input.subtle)) !== parsed.signature) {
    throw mismatch(parsed.accessKeyId, parsed.signature, stringToSign);
  }
  return principal(key, 'v1-header');
}

async function verifyV1Url(input: AuthInput): Promise<Principal> {
  const q = input.url.searchParams;
  const accessKeyId = q.get('OSSAccessKeyId');
  const expires = q.get('Expires');
  const provided = q.get('Signature');
  if (!accessKeyId || !expires || !provided) {
    throw serverError('AccessDenied', {}, 'Presigned URLs need OSSAccessKeyId, Expires and Signature.');
  }
  const key = keyFor(input, accessKeyId, q.get('security-token') ?? undefined);
  const expiresAt = Number(expires) * 1000;
  if (!/^\d+$/.test(expires) || input.now > expiresAt) {
    throw serverError('AccessDenied', { Expires: expires, ServerTime: new Date(input.now).toISOString() }, 'Request has expired.');
  }
  const query = [...q].filter(([n]) => n !== 'OSSAccessKeyId' && n !== 'Expires' && n !== 'Signature');
  const stringToSign = stringToSignV1({
    method: input.method, bucket: input.bucket, key: input.key, query, headers: Object.fromEntries(input.headers), date: expires,
  });
  if ((await signatureV1(key.accessKeySecret, stringToSign, input.subtle)) !== provided) throw mismatch(accessKeyId, provided, stringToSign);
  return principal(key, 'v1-url');
}

async function verifyV4(
  input: AuthInput,
  cred: { accessKeyId: string; date: string; region: string; product: string },
  date: string | null,
  additionalHeaders: string[],
  query: Array<[string, string | null]>,
  provided: string,
  key: AccessKey,
): Promise<void> {
  if (!date || !date.startsWith(cred.date)) {
    throw serverError('AccessDenied', {}, 'x-oss-date must be given and be the same day as the credential scope.');
  }
  const scope = v4Scope(cred.date, cred.region, cred.product);
  const headers = Object.fromEntries(input.headers);
  const attempt = async (q: Array<[string, string | null]>) => {
    const { canonicalRequest } = canonicalRequestPartsV4({
      method: input.method, bucket: input.bucket, key: input.key, query: q, headers, additionalHeaders,
    });
    const stringToSign = stringToSignV4(date, scope, await sha256Hex(canonicalRequest, input.subtle));
    const expected = await signatureV4(key.accessKeySecret, cred.date, cred.region, stringToSign, cred.product, input.subtle);
    return { ok: expected === provided.toLowerCase(), canonicalRequest, stringToSign };
  };
  // `?acl=` on the wire is signed as bare `acl` by every SDK; a client that signed an empty
  // value as `name=` (ali-oss with a '' parameter) gets a second chance.
  const first = await attempt(query.map(([n, v]) => [n, v === '' ? null : v]));
  if (first.ok) return;
  if (query.some(([, v]) => v === '') && (await attempt(query)).ok) return;
  throw mismatch(cred.accessKeyId, provided, first.stringToSign, first.canonicalRequest);
}

async function verifyV4Header(input: AuthInput, authorization: string): Promise<Principal> {
  const parsed = parseV4Authorization(authorization);
  if (!parsed) throw serverError('InvalidArgument', {}, 'Authorization header is invalid.');
  checkV4Scope(parsed, input.region, 'header', `${parsed.accessKeyId}/${parsed.date}/${parsed.region}/${parsed.product}/aliyun_v4_request`);
  const key = keyFor(input, parsed.accessKeyId, input.headers.get('x-oss-security-token'));
  const date = input.headers.get('x-oss-date') ?? null;
  checkSkew(date ? parseIso8601Basic(date)?.getTime() ?? NaN : NaN, input.now);
  const payload = input.headers.get('x-oss-content-sha256');
  if (payload !== 'UNSIGNED-PAYLOAD') {
    throw serverError('InvalidArgument', {}, 'x-oss-content-sha256 must be UNSIGNED-PAYLOAD.');
  }
  await verifyV4(input, parsed, date, parsed.additionalHeaders, [...input.url.searchParams], parsed.signature, key);
  return principal(key, 'v4-header');
}

async function verifyV4Url(input: AuthInput): Promise<Principal> {
  const q = input.url.searchParams;
  const cred = parseV4Credential(q.get('x-oss-credential') ?? '');
  const provided = q.get('x-oss-signature');
  const date = q.get('x-oss-date');
  const expires = q.get('x-oss-expires');
  if (!cred || !provided || !date || !expires) {
    throw serverError('AccessDenied', {}, 'V4 presigned URLs need x-oss-credential, x-oss-date, x-oss-expires and x-oss-signature.');
  }
  checkV4Scope(cred, input.region, 'url', q.get('x-oss-credential')!);
  const key = keyFor(input, cred.accessKeyId, q.get('x-oss-security-token') ?? undefined);
  const signedAt = parseIso8601Basic(date)?.getTime() ?? NaN;
  const seconds = Number(expires);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > V4_MAX_EXPIRES) {
    throw serverError('InvalidArgument', {}, `x-oss-expires must be an integer from 1 to ${V4_MAX_EXPIRES}.`);
  }
  if (!Number.isFinite(signedAt) || signedAt - input.now > MAX_SKEW_MS) checkSkew(signedAt, input.now);
  if (input.now > signedAt + seconds * 1000) {
    throw serverError('AccessDenied', { Expires: expires, ServerTime: new Date(input.now).toISOString() }, 'Request has expired.');
  }
  const additional = (q.get('x-oss-additional-headers') ?? '').split(';').filter(Boolean);
  const query = [...q].filter(([n]) => n !== 'x-oss-signature');
  await verifyV4(input, cred, date, additional, query, provided, key);
  return principal(key, 'v4-url');
}

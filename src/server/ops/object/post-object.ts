// PostObject: `POST /` on a bucket with a multipart/form-data body, the upload a plain HTML form
// (or FormData) can do. The form carries the key, the object's headers as fields, a Base64 POST
// policy and its signature (V1 `Signature` or V4 `x-oss-signature`), and the file last. The
// write itself is PutObject's, with the form fields in the headers' role.

import { hmac, toBase64, toHex } from '../../../core/crypto.js';
import { encodeUriPath, parseIso8601Basic } from '../../../core/encoding.js';
import { parseV4Credential, signingKeyV4, V4_ALGORITHM } from '../../../core/sign-v4.js';
import { checkV4Scope, keyFor, principal, type Principal } from '../../auth.js';
import { serverError } from '../../errors.js';
import { formBoundary, readPostForm, type PostFile } from '../../form-data.js';
import type { RequestContext } from '../../context.js';
import { checkPostPolicy } from '../../post-conditions.js';
import { temporaryKey } from '../../sts.js';
import { loadBucket, xmlResponse } from '../common.js';
import { checkKey } from './common.js';
import { putObject } from './put-get.js';
import { withUploadCallback } from '../../upload-callback.js';
import { defineRoute, type RouteDef } from '../routes.js';

const LIMITS = { maxFieldBytes: 8 * 1024 * 1024, maxNameBytes: 8 * 1024 };
const MAX_SKEW_MS = 15 * 60_000;
const MAX_V4_AGE_MS = 7 * 24 * 3600_000;
/** Form fields that become the object's headers, as PutObject's request headers would. */
const HEADER_FIELDS = new Set([
  'cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires', 'content-md5',
  'x-oss-object-acl', 'x-oss-storage-class', 'x-oss-forbid-overwrite',
]);

async function postObject(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  const boundary = formBoundary(ctx.headers.get('content-type'));
  if (!boundary || !ctx.request.body) {
    throw serverError('MalformedPOSTRequest', {}, 'The body of your POST request is not well-formed multipart/form-data.');
  }
  const { fields, file } = await readPostForm(ctx.request.body, boundary, LIMITS);
  if (!file) throw serverError('InvalidArgument', {}, 'The form has no file field; it must be the last field of the form.');
  const template = fields.get('key');
  if (!template) throw serverError('InvalidArgument', { ArgumentName: 'key' }, 'The form has no key field.');
  const key = checkKey(template.replaceAll('${filename}', baseName(file.filename)));

  const policy = fields.get('policy');
  const signer = await formPrincipal(ctx, fields, policy);
  const sizeRange = policy !== undefined ? checkPostPolicy(policy, fields, bucket.name, ctx.state.now()).sizeRange : undefined;

  const headers = new Map<string, string>();
  for (const [name, value] of fields) if (HEADER_FIELDS.has(name) || name.startsWith('x-oss-meta-')) headers.set(name, value);
  const contentType = fields.get('x-oss-content-type') ?? file.contentType ?? fields.get('content-type');
  if (contentType) headers.set('content-type', contentType);
  const body = sizeRange ? limitSize(file.body, sizeRange) : file.body;
  const request = new Request(ctx.request.url, { method: 'PUT', body, duplex: 'half', signal: ctx.request.signal } as RequestInit);
  // As PutObject of the form's key, by the form's signer (so ACLs and session policies apply).
  const putCtx = { ...ctx, request, key, headers, principal: signer };
  const put = await withUploadCallback(putCtx, 'PostObject', key, () => putObject(putCtx), fields);
  // With a callback, the uploader gets the app's answer (or 203 CallbackFailed) instead of the form's.
  if (requestedCallbackField(fields)) return put;

  const etag = put.headers.get('etag') ?? '';
  const result = new Headers({ etag, 'x-oss-hash-crc64ecma': put.headers.get('x-oss-hash-crc64ecma') ?? '' });
  const redirect = fields.get('success_action_redirect');
  if (redirect && /^https?:\/\//i.test(redirect)) {
    const target = new URL(redirect);
    target.searchParams.set('bucket', bucket.name);
    target.searchParams.set('key', key);
    target.searchParams.set('etag', etag);
    result.set('location', target.href);
    result.set('content-length', '0');
    return new Response(null, { status: 303, headers: result });
  }
  const status = Number(fields.get('success_action_status'));
  if (status === 201) {
    return xmlResponse('PostResponse', { Bucket: bucket.name, Location: objectUrl(ctx, bucket.name, key), Key: key, ETag: etag }, 201, result);
  }
  result.set('content-length', '0');
  return new Response(null, { status: status === 200 ? 200 : 204, headers: result });
}

function requestedCallbackField(fields: Map<string, string>): boolean {
  return fields.has('callback');
}

/** Who signed the form: V4 fields, V1 fields, or nobody (an anonymous form). */
async function formPrincipal(ctx: RequestContext, fields: Map<string, string>, policy: string | undefined): Promise<Principal | null> {
  const lookup = { now: ctx.state.now(), lookupKey: (id: string) => ctx.state.keys.get(id) ?? temporaryKey(ctx.state, id) };
  const token = fields.get('x-oss-security-token');
  const v4 = fields.get('x-oss-signature');
  const v1 = fields.get('signature');
  if (v4 !== undefined || fields.has('x-oss-credential')) {
    const cred = parseV4Credential(fields.get('x-oss-credential') ?? '');
    const date = fields.get('x-oss-date') ?? '';
    if (fields.get('x-oss-signature-version') !== V4_ALGORITHM || !cred || !v4 || !policy) {
      throw serverError('InvalidArgument', {}, `V4 form uploads need policy, x-oss-signature-version (${V4_ALGORITHM}), x-oss-credential, x-oss-date and x-oss-signature.`);
    }
    checkV4Scope(cred, ctx.state.region, 'post', fields.get('x-oss-credential')!);
    const signedAt = parseIso8601Basic(date)?.getTime();
    if (signedAt === undefined || !date.startsWith(cred.date)) {
      throw serverError('AccessDenied', {}, 'x-oss-date must be an ISO 8601 basic time on the day of the credential scope.');
    }
    if (signedAt - lookup.now > MAX_SKEW_MS) throw serverError('RequestTimeTooSkewed', {}, 'x-oss-date is more than 15 minutes in the future.');
    if (lookup.now - signedAt > MAX_V4_AGE_MS) throw serverError('AccessDenied', {}, 'Request has expired: x-oss-date is more than 7 days old.');
    const key = keyFor(lookup, cred.accessKeyId, token);
    const signingKey = await signingKeyV4(key.accessKeySecret, cred.date, cred.region, cred.product);
    const expected = toHex(await hmac(signingKey, policy, 'SHA-256'));
    if (expected !== v4.toLowerCase()) throw mismatch(cred.accessKeyId, v4, policy);
    return principal(key, 'v4-post');
  }
  const accessKeyId = fields.get('ossaccesskeyid');
  if (v1 !== undefined || accessKeyId !== undefined) {
    if (!v1 || !accessKeyId || !policy) throw serverError('InvalidArgument', {}, 'The form fields OSSAccessKeyId, policy and Signature go together.');
    const key = keyFor(lookup, accessKeyId, token);
    if (toBase64(await hmac(key.accessKeySecret, policy, 'SHA-1')) !== v1) throw mismatch(accessKeyId, v1, policy);
    return principal(key, 'v1-post');
  }
  return null;
}

function mismatch(accessKeyId: string, provided: string, policy: string) {
  return serverError('SignatureDoesNotMatch', { OSSAccessKeyId: accessKeyId, SignatureProvided: provided, StringToSign: policy });
}

/** Enforce `content-length-range` on the streaming file: too large stops at once. */
function limitSize(body: ReadableStream<Uint8Array>, range: { min: number; max: number }): ReadableStream<Uint8Array> {
  let size = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > range.max) throw serverError('EntityTooLarge', { MaxSizeAllowed: String(range.max) }, 'Your proposed upload exceeds the maximum allowed size.');
        controller.enqueue(chunk);
      },
      flush() {
        if (size < range.min) throw serverError('EntityTooSmall', { MinSizeAllowed: String(range.min) }, 'Your proposed upload is smaller than the minimum allowed size.');
      },
    }),
  );
}

/** A browser may send a full path (old IE): only the last segment is the file name. */
function baseName(filename: PostFile['filename']): string {
  return filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
}

function objectUrl(ctx: RequestContext, bucket: string, key: string): string {
  const host = ctx.headers.get('host') ?? ctx.url.host;
  const virtual = host.toLowerCase().startsWith(`${bucket}.`);
  return `${ctx.url.protocol}//${host}/${virtual ? '' : `${bucket}/`}${encodeUriPath(key)}`;
}

export const postObjectRoutes: RouteDef[] = [defineRoute('bucket', 'POST', '', postObject)];

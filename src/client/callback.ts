// Upload callbacks on the uploader's side: ask OSS to call the app after an upload (ali-oss's
// `callback` option), and read what the app answered (`data`) or why the call failed (OSS's 203).

import { toBase64, utf8 } from '../core/crypto.js';
import { OSSArgumentError } from '../core/errors.js';
import { typeName } from '../core/validate.js';
import type { RawResponse } from './request-types.js';
import { responseInfo, type ResponseInfo } from './response-info.js';
import { errorFromResponse } from './response-error.js';

/** What OSS calls after the upload (ali-oss's `options.callback`). */
export interface UploadCallback {
  /** The app's URL (up to 5, joined by ";"); OSS POSTs there once the object is stored. */
  url: string;
  /** Host header of the call (default: the URL's host). */
  host?: string;
  /** The body OSS sends, with `${bucket}`, `${object}`, `${etag}`, `${size}`, `${mimeType}`, `${x:name}`… replaced. */
  body: string;
  /** `application/x-www-form-urlencoded` (default) or `application/json`. */
  contentType?: string;
  /** Send SNI to the app's host over TLS. */
  callbackSNI?: boolean;
  /** Custom variables, `${x:name}` in the body. */
  customValue?: Record<string, string | number | boolean>;
}

const BODY_TYPES = ['application/x-www-form-urlencoded', 'application/json'];

/** `{ callback, callbackVar? }`: base64 JSON as OSS specifies, for headers, query or form fields. */
export function encodeCallback(value: unknown, argument = 'options.callback'): { callback: string; callbackVar?: string } {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new OSSArgumentError(argument, `expected { url, body, host?, contentType?, customValue? }, got ${typeName(value)}`);
  const cb = value as Partial<UploadCallback>;
  if (typeof cb.url !== 'string' || !cb.url) throw new OSSArgumentError(`${argument}.url`, 'expected the URL OSS calls back');
  if (typeof cb.body !== 'string' || !cb.body) throw new OSSArgumentError(`${argument}.body`, 'expected the body template, e.g. "bucket=${bucket}&object=${object}"');
  if (cb.host !== undefined && (typeof cb.host !== 'string' || !cb.host)) throw new OSSArgumentError(`${argument}.host`, 'expected a host name');
  if (cb.contentType !== undefined && !BODY_TYPES.includes(cb.contentType)) throw new OSSArgumentError(`${argument}.contentType`, `expected ${BODY_TYPES.join(' or ')}`);
  if (cb.callbackSNI !== undefined && typeof cb.callbackSNI !== 'boolean') throw new OSSArgumentError(`${argument}.callbackSNI`, 'expected a boolean');
  const doc: Record<string, unknown> = { callbackUrl: encodeURI(cb.url), callbackBody: cb.body };
  if (cb.host) doc.callbackHost = cb.host;
  if (cb.contentType) doc.callbackBodyType = cb.contentType;
  if (cb.callbackSNI !== undefined) doc.callbackSNI = cb.callbackSNI;
  const out: { callback: string; callbackVar?: string } = { callback: toBase64(utf8(JSON.stringify(doc))) };
  if (cb.customValue !== undefined) {
    if (!cb.customValue || typeof cb.customValue !== 'object' || Array.isArray(cb.customValue)) throw new OSSArgumentError(`${argument}.customValue`, 'expected an object of names to values');
    const vars: Record<string, string> = {};
    for (const [name, v] of Object.entries(cb.customValue)) {
      if (!/^[a-z0-9_-]+$/.test(name)) throw new OSSArgumentError(`${argument}.customValue.${name}`, 'names are lower-case letters, digits, "_" and "-" (OSS sends them as x:<name>)');
      if (!['string', 'number', 'boolean'].includes(typeof v)) throw new OSSArgumentError(`${argument}.customValue.${name}`, 'expected a string or number');
      vars[`x:${name}`] = String(v);
    }
    out.callbackVar = toBase64(utf8(JSON.stringify(vars)));
  }
  return out;
}

/** The callback as `x-oss-callback` / `x-oss-callback-var` headers (none without a callback). */
export function callbackHeaders(value: unknown, argument = 'options.callback'): Record<string, string> {
  if (value === undefined) return {};
  const { callback, callbackVar } = encodeCallback(value, argument);
  return callbackVar ? { 'x-oss-callback': callback, 'x-oss-callback-var': callbackVar } : { 'x-oss-callback': callback };
}

/**
 * The app's answer to a callback upload: its JSON (or text), with the response summary. OSS's 203
 * (upload stored, callback failed) is a `CallbackFailedError` whose `headers` still carry the
 * stored object's ETag and CRC-64.
 */
export async function readCallbackAnswer(raw: RawResponse, method: string): Promise<{ data: unknown; res: ResponseInfo }> {
  const { response } = raw;
  if (response.status === 203) {
    try {
      throw await errorFromResponse(response, { ...raw.context, method });
    } finally {
      raw.done();
    }
  }
  let body: string;
  try {
    body = await response.text();
  } finally {
    raw.done();
  }
  let data: unknown = body;
  try {
    data = JSON.parse(body);
  } catch {
    // An XML answer (OSS allows it) stays text.
  }
  return { data, res: responseInfo(raw, body.length) };
}

/** Upload callbacks (the `callback` option of put, multipartUpload and completeMultipartUpload). */
export const uploadCallbacks = { name: 'callback', encode: encodeCallback, headers: callbackHeaders, readAnswer: readCallbackAnswer } as const;

// Upload callbacks as OSS performs them: after PutObject, PostObject or CompleteMultipartUpload
// succeeds, POST a body rendered from the callback's template to the app's URL, signed with the
// server's RSA key (public half served at /callback_pub_key_v1.pem), and answer the uploader with
// the app's reply (200) or 203 CallbackFailed — the object stays stored either way.
//
// The local server only calls hosts it is told to trust (loopback by default, `callbackHosts`
// for more), since anyone who may write to a bucket chooses the URL.

import { fromBase64, fromBase64Url, toBase64 } from '../core/crypto.js';
import { decodeUriComponentSafe } from '../core/encoding.js';
import { md5, md5Base64 } from '../core/md5.js';
import { rsaMd5Sign, rsaNumbers, type RsaNumbers } from '../core/rsa-md5.js';
import { readBodyBytes } from '../core/body-bytes.js';
import { errorResponse, ServerError } from './errors.js';
import type { RequestContext } from './context.js';
import { imageFacts } from './image-engine.js';

/** Where the server serves its callback public key. */
export const CALLBACK_KEY_PATH = '/callback_pub_key_v1.pem';
const MAX_PARAM_BYTES = 5 * 1024;
const MAX_REPLY_BYTES = 3 * 1024 * 1024;
const TIMEOUT_MS = 5_000;
const BODY_TYPES = ['application/x-www-form-urlencoded', 'application/json'];

export type CallbackOperation = 'PutObject' | 'PostObject' | 'CompleteMultipartUpload';

export interface CallbackSpec {
  urls: URL[];
  /** callbackHost: OSS's Host header for the call; fetch cannot set Host, so the local server only checks it. */
  host?: string;
  body: string;
  bodyType: string;
  vars: Record<string, string>;
}

function invalid(message: string): ServerError {
  return new ServerError('InvalidArgument', message, {}, 400);
}

function decodeParam(value: string, name: string): Record<string, unknown> {
  if (value.length > MAX_PARAM_BYTES) throw invalid(`The ${name} is too large.`);
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64(value)));
  } catch {
    throw invalid(`The ${name} is not a base64 encoded json string.`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalid(`The ${name} is not a json object.`);
  return doc as Record<string, unknown>;
}

/**
 * The callback a request asks for, from `x-oss-callback`/`x-oss-callback-var` headers or
 * `callback`/`callback-var` query parameters (presigned URLs); undefined when it asks for none.
 * Refuses malformed parameters before anything is stored, as OSS does.
 */
export function requestedCallback(ctx: RequestContext, form?: Map<string, string>): CallbackSpec | undefined {
  const header = ctx.headers.get('x-oss-callback');
  const query = ctx.query.get('callback');
  const field = form?.get('callback');
  const carriers = [header, query, field].filter((v) => v !== undefined && v !== null);
  if (carriers.length === 0) return undefined;
  if (carriers.length > 1) throw invalid('The callback must be given once: in a header, the query or the form.');
  const doc = decodeParam(carriers[0]!, 'callback');
  const rawVars = form ? formVars(form) : (ctx.headers.get('x-oss-callback-var') ?? ctx.query.get('callback-var'));
  const vars: Record<string, string> = {};
  if (typeof rawVars === 'string' && rawVars) {
    for (const [name, value] of Object.entries(decodeParam(rawVars, 'callback-var'))) {
      if (!/^x:[a-z0-9_-]+$/.test(name) || typeof value !== 'string') throw invalid('The callback-var must map lower-case "x:" names to strings.');
      vars[name] = value;
    }
  } else if (rawVars && typeof rawVars === 'object') {
    Object.assign(vars, rawVars);
  }

  const urlText = doc.callbackUrl;
  if (typeof urlText !== 'string' || !urlText) throw invalid('The callbackUrl is empty.');
  const parts = urlText.split(';');
  if (parts.length > 5) throw invalid('There are more than 5 callback URLs.');
  const urls = parts.map((u) => {
    let url: URL;
    try {
      url = new URL(u.includes('://') ? u : `http://${u}`);
    } catch {
      throw invalid(`The callbackUrl "${u}" is not a URL.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`The callbackUrl "${u}" is not http or https.`);
    if (url.hostname.startsWith('[')) throw invalid('The callbackUrl must not be an IPv6 address.');
    return url;
  });
  const body = doc.callbackBody;
  if (typeof body !== 'string' || !body) throw invalid('The callbackBody is empty.');
  const bodyType = doc.callbackBodyType ?? BODY_TYPES[0];
  if (typeof bodyType !== 'string' || !BODY_TYPES.includes(bodyType)) throw invalid(`The callbackBodyType must be ${BODY_TYPES.join(' or ')}.`);
  const host = typeof doc.callbackHost === 'string' && doc.callbackHost ? doc.callbackHost : undefined;
  return { urls, host, body, bodyType, vars };
}

/** PostObject carries custom variables as one `x:<name>` form field each. */
function formVars(form: Map<string, string>): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [name, value] of form) if (name.startsWith('x:')) vars[name] = value;
  return vars;
}

/** The largest image whose facts a callback gets (OSS's image processing limit). */
const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

export interface UploadFacts {
  bucket: string;
  key: string;
  etag: string;
  size: number;
  mimeType: string;
  crc64: string;
  contentMd5: string;
  operation: CallbackOperation;
  /** The stored object's image facts, when it is an image (`imageInfo.*`; empty otherwise, as OSS leaves them). */
  imageInfo?: { height: number; width: number; format: string };
}

/** The callback body: `${var}` replaced, URL-encoded for form bodies, as JSON values for JSON ones. */
export function renderCallbackBody(spec: CallbackSpec, facts: UploadFacts, ctx: RequestContext): string {
  const system: Record<string, string | number> = {
    bucket: facts.bucket,
    object: facts.key,
    etag: facts.etag.replace(/"/g, ''),
    size: facts.size,
    mimeType: facts.mimeType,
    crc64: facts.crc64,
    contentMd5: facts.contentMd5,
    'imageInfo.height': facts.imageInfo?.height ?? '',
    'imageInfo.width': facts.imageInfo?.width ?? '',
    'imageInfo.format': facts.imageInfo?.format ?? '',
    vpcId: '',
    clientIp: ctx.headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? '127.0.0.1',
    reqId: ctx.requestId,
    operation: facts.operation,
  };
  const json = spec.bodyType === 'application/json';
  return spec.body.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    const value = name.startsWith('x:') ? spec.vars[name] : system[name];
    if (value === undefined) return name.startsWith('x:') ? '' : whole;
    if (json) return typeof value === 'number' ? String(value) : JSON.stringify(value);
    return encodeURIComponent(String(value));
  });
}

interface SigningKey {
  numbers: RsaNumbers;
  pem: string;
}

const keys = new WeakMap<object, Promise<SigningKey>>();

/** The server's callback signing key, made once per server (per `state`). */
export function callbackKey(state: object): Promise<SigningKey> {
  let key = keys.get(state);
  if (!key) {
    key = makeKey();
    keys.set(state, key);
  }
  return key;
}

async function makeKey(): Promise<SigningKey> {
  const pair = await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify'],
  ) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  const b64 = toBase64(spki).replace(/.{1,64}/g, '$&\n');
  return {
    numbers: rsaNumbers(jwk, fromBase64Url),
    pem: `-----BEGIN PUBLIC KEY-----\n${b64}-----END PUBLIC KEY-----\n`,
  };
}

/** `GET /callback_pub_key_v1.pem`: the key apps verify this server's callbacks with. */
export async function callbackKeyResponse(state: object): Promise<Response> {
  const { pem } = await callbackKey(state);
  return new Response(pem, { headers: { 'content-type': 'application/x-pem-file' } });
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3})$/i;

/**
 * Call the app back and build the uploader's answer: 200 with the app's JSON (and the upload's
 * own headers), or 203 CallbackFailed with those headers when no URL answered properly.
 */
export async function performCallback(
  ctx: RequestContext, spec: CallbackSpec, facts: UploadFacts, upload: Response,
): Promise<Response> {
  const { callbackHosts, fetch: send } = ctx.state;
  const body = renderCallbackBody(spec, facts, ctx);
  const key = await callbackKey(ctx.state);
  // Where the app can fetch the key: the server's own URL, else the host the uploader reached.
  const origin = ctx.state.endpoint ?? `${ctx.url.protocol}//${ctx.request.headers.get('host') ?? ctx.url.host}`;
  const keyUrl = `${origin}${CALLBACK_KEY_PATH}`;
  let failure = '';
  for (const url of spec.urls) {
    if (!LOOPBACK.test(url.hostname) && !callbackHosts.has(url.hostname.toLowerCase())) {
      failure = `Error status : -1. OSS can not connect to your callbackUrl (the local server calls back only loopback hosts and those given with --callback-host: ${url.hostname} is neither).`;
      continue;
    }
    const signed = `${decodeUriComponentSafe(url.pathname)}${url.search}\n${body}`;
    const signature = toBase64(rsaMd5Sign(key.numbers, md5(signed)));
    let reply: Response;
    try {
      reply = await send(url, {
        method: 'POST',
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: {
          authorization: signature,
          'content-md5': md5Base64(body),
          'content-type': spec.bodyType,
          date: new Date(ctx.state.now()).toUTCString(),
          'user-agent': 'aliyun-oss-callback',
          'x-oss-bucket': facts.bucket,
          'x-oss-pub-key-url': toBase64(new TextEncoder().encode(keyUrl)),
          'x-oss-request-id': ctx.requestId,
          'x-oss-requester': ctx.principal?.ownerId ?? '',
          'x-oss-signature-version': '1.0',
          'x-oss-tag': 'CALLBACK',
        },
      });
    } catch (err) {
      failure = (err as Error)?.name === 'TimeoutError'
        ? 'Cost too long time: the callback server did not answer within 5 seconds.'
        : 'Error status : -1. OSS can not connect to your callbackUrl.';
      continue;
    }
    const text = await boundedText(reply).catch(() => null);
    if (text === null) {
      failure = 'Error status : -1. OSS can not connect to your callbackUrl.';
      continue;
    }
    if (reply.status !== 200) {
      failure = `Error status : ${reply.status}.`;
      continue;
    }
    if (text === undefined) {
      failure = `Error Status : 400.User server return too long content-length value`;
      continue;
    }
    const type = reply.headers.get('content-type') ?? 'application/json';
    if (!type.includes('xml')) {
      try {
        JSON.parse(text);
      } catch {
        failure = 'Response body is not valid json format.';
        continue;
      }
    }
    const headers = uploadHeaders(upload);
    headers.set('content-type', type);
    return new Response(text, { status: 200, headers });
  }
  const err = new ServerError('CallbackFailed', failure, {}, 203, '0007-00000203');
  return errorResponse(err, { requestId: ctx.requestId, hostId: ctx.hostId, method: ctx.method }, uploadHeaders(upload));
}

/** The upload's own headers (ETag, CRC-64, MD5, version), which both answers keep. */
function uploadHeaders(upload: Response): Headers {
  const headers = new Headers();
  for (const name of ['etag', 'x-oss-hash-crc64ecma', 'content-md5', 'x-oss-version-id']) {
    const value = upload.headers.get(name);
    if (value) headers.set(name, value);
  }
  return headers;
}

/** The app's reply as text, or undefined when it is over OSS's 3 MB limit. */
async function boundedText(response: Response): Promise<string | undefined> {
  const tooLarge = new Error('callback reply too large');
  try {
    return new TextDecoder().decode(await readBodyBytes(response.body, MAX_REPLY_BYTES, () => tooLarge));
  } catch (err) {
    if (err === tooLarge) return undefined;
    throw err;
  }
}

/**
 * Run an upload operation and, when the request asked for a callback, call the app back with
 * what was stored. The callback's parameters are checked before the upload runs.
 */
export async function withUploadCallback(
  ctx: RequestContext, operation: CallbackOperation, key: string, run: () => Promise<Response>, form?: Map<string, string>,
): Promise<Response> {
  const spec = requestedCallback(ctx, form);
  const upload = await run();
  if (!spec || upload.status < 200 || upload.status >= 300 || !ctx.bucket) return upload;
  await upload.body?.cancel();
  const record = await ctx.state.storage.getObject(ctx.bucket, key);
  const facts: UploadFacts = {
    bucket: ctx.bucket, key, operation,
    etag: upload.headers.get('etag') ?? record?.etag ?? '',
    size: record?.size ?? 0,
    mimeType: record?.contentType ?? '',
    crc64: upload.headers.get('x-oss-hash-crc64ecma') ?? record?.crc64 ?? '',
    contentMd5: upload.headers.get('content-md5') ?? '',
  };
  // Image facts only for a body that asks for them: they cost a read of the object.
  if (record && spec.body.includes('${imageInfo.') && record.size <= MAX_IMAGE_BYTES) {
    const { storage } = ctx.state;
    const stream = record.versionId === undefined ? await storage.readObject(ctx.bucket, key) : await storage.readObjectVersion(ctx.bucket, key, record.versionId);
    const tooLarge = new Error('image too large');
    const bytes = await readBodyBytes(stream, MAX_IMAGE_BYTES, () => tooLarge).catch(() => undefined);
    const info = bytes && (await imageFacts(ctx.state.imageEngine, bytes));
    if (info) facts.imageInfo = info;
  }
  return performCallback(ctx, spec, facts, upload);
}

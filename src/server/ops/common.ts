// Helpers shared by the server's operations: bucket lookup, XML replies (and, re-exported,
// the permission checks of ./authorization.ts).

import { encodeHeaderByteString } from '../../core/encoding.js';
import { writeXml, XML_DECLARATION, type XmlBuildValue, type XmlNode } from '../../core/xml.js';
import { serverError } from '../errors.js';
import { parseXmlBody } from '../xml-body.js';
import { readBodyBytes } from '../../core/body-bytes.js';
import type { RequestContext } from '../context.js';
import type { BucketRecord, ObjectRecord } from '../storage/types.js';
// Authorization lives in its own module; re-exported because every operation imports it here.
export { authorize, authorizeResource, bucketOwner, requireSigned, sourceAccess, type Access, type Owner } from './authorization.js';

export function requireBucketName(ctx: RequestContext): string {
  if (!ctx.bucket) throw serverError('InvalidBucketName', { BucketName: '' });
  return ctx.bucket;
}

export async function loadBucket(ctx: RequestContext): Promise<BucketRecord> {
  const name = requireBucketName(ctx);
  const bucket = await ctx.state.storage.getBucket(name);
  if (!bucket) throw serverError('NoSuchBucket', { BucketName: name });
  return bucket;
}

const encoder = new TextEncoder();
/** Characters per chunk of an XML reply. */
const XML_CHUNK = 16 * 1024;

/**
 * An XML reply, encoded in chunks of about 16 KiB: a 1000-key listing is ~220 KiB, and as one
 * string it cost a fresh large allocation (page faults) per reply. Measured with bench/xml.bench.ts.
 */
export function xmlResponse(root: string, body: XmlBuildValue, status = 200, headers?: HeadersInit): Response {
  const chunks: Array<Uint8Array<ArrayBuffer>> = [];
  let size = 0;
  let text = XML_DECLARATION;
  const flush = () => {
    const bytes = encoder.encode(text);
    chunks.push(bytes);
    size += bytes.byteLength;
    text = '';
  };
  writeXml(root, body, (piece) => {
    text += piece;
    if (text.length >= XML_CHUNK) flush();
  });
  flush();
  const h = new Headers(headers);
  h.set('content-type', 'application/xml');
  h.set('content-length', String(size));
  if (chunks.length === 1) return new Response(chunks[0], { status, headers: h });
  let next = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull: (controller) => (next < chunks.length ? controller.enqueue(chunks[next++]!) : controller.close()),
  });
  return new Response(stream, { status, headers: h });
}

export function emptyResponse(status = 200, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  if (!h.has('content-length')) h.set('content-length', '0');
  return new Response(null, { status, headers: h });
}

/** Header values may hold any text: send non-ASCII as raw UTF-8 bytes, as OSS does. */
export function setHeader(headers: Headers, name: string, value: string): void {
  headers.set(name, encodeHeaderByteString(value));
}

const MAX_XML_BODY = 1024 * 1024;

/** Read and parse an XML request body, refusing oversized, DTD-bearing or malformed ones. */
export async function readXmlBody(ctx: RequestContext, maxBytes = MAX_XML_BODY): Promise<XmlNode> {
  return parseXmlBody(await readTextBody(ctx, maxBytes));
}

export async function readTextBody(ctx: RequestContext, maxBytes: number): Promise<string> {
  const bytes = await readBodyBytes(ctx.request.body, maxBytes, () =>
    serverError('InvalidArgument', {}, `The request body is larger than ${maxBytes} bytes.`));
  return new TextDecoder().decode(bytes);
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** An integer query parameter in [min, max], or `fallback` when absent. */
export function intParam(ctx: RequestContext, name: string, min: number, max: number, fallback: number): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    throw serverError('InvalidArgument', { ArgumentName: name, ArgumentValue: raw }, `Argument ${name} must be an integer from ${min} to ${max}.`);
  }
  return n;
}

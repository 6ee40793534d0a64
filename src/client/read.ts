// Reading response bodies with the request's failure mapping (a timeout mid-body is still a
// TimeoutError, not a bare DOMException).

import { OSSError } from '../core/errors.js';
import { decodedByFetch } from './integrity.js';
import { readBodyBytes } from '../core/body-bytes.js';
import { BUFFERED_BODY, type MaybeBuffered } from '../core/transport-shortcuts.js';
import { parseXml, type XmlNode } from '../core/xml.js';
import { responseInfo, type RawResponse, type ResponseInfo } from './core.js';
import { transportError } from './network-error.js';

async function guarded<T>(raw: RawResponse, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    throw await bodyError(err, raw);
  } finally {
    raw.done();
  }
}

/**
 * A failure while reading a response body, typed as the request's own failures are: TimeoutError
 * (the timeout or idle watch fired), AbortError (the caller aborted), else RequestError naming
 * the cause. OSSErrors (a CRC-64 mismatch) pass unchanged.
 */
export async function bodyError(err: unknown, raw: RawResponse): Promise<OSSError> {
  return err instanceof OSSError ? err : transportError(err, raw.signal, raw.context, raw.response.status);
}

/** From this size on a body is read chunk by chunk into one buffer (below, arrayBuffer() is cheaper). */
const PREALLOCATE_FROM = 256 * 1024;

/**
 * A whole response body as bytes, checked against `raw.crcCheck` when there is one. `onBytes`
 * hears the bytes read so far as they arrive (download progress).
 */
export async function readBytes(raw: RawResponse, onBytes?: (read: number) => void): Promise<{ content: Uint8Array; res: ResponseInfo }> {
  const { response } = raw;
  const length = bodyLength(response);
  // `body` is asked for only when it is read as a stream: a transport may make it lazily
  // (nodeFetch's small bodies), and arrayBuffer() is then cheaper without it.
  let content: Uint8Array;
  let actual: string | undefined;
  if (length !== undefined && (length >= PREALLOCATE_FROM || onBytes) && response.body) {
    // Each chunk goes straight to its place and through the CRC while the next one is on the
    // wire: one copy instead of two, and the checksum overlaps the download.
    const crc = raw.crcCheck?.checks.hasher();
    content = await guarded(raw, () => readInto(response.body!, length, crc, onBytes));
    actual = crc?.toString();
  } else if (onBytes && response.body) {
    // Unknown length: chunk by chunk for the progress, into one buffer at the end.
    content = await guarded(raw, () => readBodyBytes(response.body, Infinity, () => new RangeError('unreachable'), onBytes));
    actual = raw.crcCheck?.checks.of(content);
  } else {
    // A body the transport holds already (nodeFetch's small ones, see BUFFERED_BODY) is taken at once.
    content = await guarded(raw, async () => (response as MaybeBuffered)[BUFFERED_BODY]?.() ?? new Uint8Array(await response.arrayBuffer()));
    actual = raw.crcCheck?.checks.of(content);
  }
  const check = raw.crcCheck;
  if (check && actual !== check.expected) throw check.checks.mismatch('download', check.expected, actual!, raw.context);
  return { content, res: responseInfo(raw, content.byteLength) };
}

/** The body's length in bytes as it will be read: Content-Length, unless fetch decodes the body. */
export function bodyLength(response: Response): number | undefined {
  const length = Number(response.headers.get('content-length') ?? NaN);
  return Number.isSafeInteger(length) && !decodedByFetch(response) ? length : undefined;
}

/** Read exactly `length` bytes from the stream: a body shorter or longer than its Content-Length fails. */
async function readInto(
  body: ReadableStream<Uint8Array>, length: number, crc: { update(bytes: Uint8Array): unknown } | undefined, onBytes?: (read: number) => void,
): Promise<Uint8Array> {
  const reader = body.getReader();
  let at = 0;
  let out: Uint8Array;
  try {
    out = new Uint8Array(length); // a length too large to hold fails here, and the body is cancelled
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (at + value.byteLength > out.byteLength) throw new TypeError(`the body is longer than its Content-Length (${out.byteLength} bytes)`);
      out.set(value, at);
      crc?.update(value);
      at += value.byteLength;
      onBytes?.(at);
    }
  } catch (err) {
    await reader.cancel(err).catch(() => {});
    throw err;
  }
  if (at !== out.byteLength) throw new TypeError(`the body ended after ${at} of its ${out.byteLength} bytes`);
  return out;
}

/** Sees a body's text as it arrives (`done` once whole) until it answers true. */
export type BodyWatch = (soFar: string, done: boolean) => boolean;

/** An XML response body parsed; `watch` sees its text as it arrives, before the parse. */
export async function readXml(raw: RawResponse, watch?: BodyWatch): Promise<{ doc: XmlNode; res: ResponseInfo }> {
  const body = await guarded(raw, () => (watch ? watchedText(raw.response, watch) : raw.response.text()));
  let doc: XmlNode = {};
  try {
    if (body) doc = await parseXml(body);
  } catch (err) {
    // A proxy's or captive portal's HTML page, or a body cut short: never half a result.
    const { status, headers } = raw.response;
    throw new OSSError({
      code: 'InvalidResponse',
      message: `The HTTP ${status} response is not the XML OSS sends: ${err instanceof Error ? err.message : String(err)}`,
      status,
      requestId: headers.get('x-oss-request-id') ?? undefined,
      cause: err,
    });
  }
  return { doc, res: responseInfo(raw, body.length) };
}

/** The body as text, its head shown to `watch` chunk by chunk (a body the transport holds already: once, whole). */
async function watchedText(response: Response, watch: BodyWatch): Promise<string> {
  const held = (response as MaybeBuffered)[BUFFERED_BODY]?.();
  if (held || !response.body) {
    const whole = held ? new TextDecoder().decode(held) : await response.text();
    watch(whole, true);
    return whole;
  }
  // Only what the watch looks at is decoded as it comes; the body is decoded once, whole, at the
  // end (as text() does: cheaper than decoding and joining it a chunk at a time).
  const headDecoder = new TextDecoder();
  let head = '';
  let watching = true;
  const bytes = await readBodyBytes(response.body, Infinity, Error, (_, chunk) => {
    if (watching) watching = !watch((head += headDecoder.decode(chunk, { stream: true })), false);
  });
  const whole = new TextDecoder().decode(bytes);
  if (watching) watch(whole, true);
  return whole;
}

/** For responses whose body does not matter (PUT, DELETE…): drain it and summarise. */
export async function discard(raw: RawResponse): Promise<ResponseInfo> {
  // A null body reads as no bytes; not asking for `body` spares a lazy transport its stream.
  const size = await guarded(raw, async () => (await raw.response.arrayBuffer()).byteLength);
  return responseInfo(raw, size);
}

import { OSSArgumentError } from '../../core/errors.js';
import { assertObjectKey, assertPlainObject } from '../../core/validate.js';
import { responseInfo, type OSSCore, type RawResponse, type ResponseInfo } from '../core.js';
import { readBytes } from '../read.js';
import { Crc64 } from '../../core/crc64.js';
import { CRC_HEADER, crcMismatch, decodedByFetch } from '../integrity.js';
import { headerRecord, responseQuery, versionOf, type ResponseHeaderOverrides, type VersionedCallOptions } from './common.js';

export interface GetOptions extends VersionedCallOptions {
  /** Request headers: `Range`, `If-Modified-Since`, `If-Unmodified-Since`, `If-Match`, `If-None-Match`… */
  headers?: Record<string, string>;
  /** Headers the server should answer with instead of the stored ones (sent as `response-*`). */
  response?: ResponseHeaderOverrides;
  /** An `x-oss-process` instruction (e.g. `image/resize,w_100`), passed through as is. */
  process?: string;
}

export interface GetIntoOptions extends GetOptions {
  /** Write the body here instead of returning it; closed at the end, aborted on failure. */
  writable: WritableStream<Uint8Array>;
}

export interface GetResult {
  /** The object's bytes (the range's for a 206, empty for a 304). */
  content: Uint8Array;
  /** `status` is 200, 206 (a range) or 304 (unchanged, per a conditional header). */
  res: ResponseInfo;
}

export interface GetIntoResult {
  res: ResponseInfo;
}

export interface GetStreamResult {
  stream: ReadableStream<Uint8Array>;
  res: ResponseInfo;
}

/**
 * Download an object into memory, or with `{ writable }` into a WritableStream. A 304 (from
 * `If-None-Match` / `If-Modified-Since`) is a result with `res.status === 304`; a failed
 * `If-Match` / `If-Unmodified-Since` throws PreconditionFailedError.
 * @example const { content } = await get(core, 'notes.txt', { headers: { Range: 'bytes=0-99' } })
 * @example await get(core, 'video.mp4', { writable: await fileHandle.createWritable() })
 */
export async function get(core: OSSCore, name: string, options: GetIntoOptions): Promise<GetIntoResult>;
export async function get(core: OSSCore, name: string, options?: GetOptions): Promise<GetResult>;
export async function get(core: OSSCore, name: string, options: GetOptions & { writable?: unknown } = {}): Promise<GetResult | GetIntoResult> {
  if (typeof WritableStream !== 'undefined' && options instanceof WritableStream) {
    throw new OSSArgumentError('options', 'pass the stream as an option: get(name, { writable })');
  }
  assertPlainObject(options, 'options');
  const { writable } = options;
  if (writable === undefined) return readBytes(await sendGet(core, name, options, false));
  if (typeof WritableStream === 'undefined' || !(writable instanceof WritableStream)) {
    throw new OSSArgumentError('options.writable', 'expected a WritableStream');
  }
  let raw: RawResponse;
  try {
    raw = await sendGet(core, name, options, true);
  } catch (err) {
    // The sink learns the download failed (a file writer can then discard what it holds).
    await writable.abort(err).catch(() => {});
    throw err;
  }
  try {
    const body = raw.response.body;
    if (body) await body.pipeTo(writable);
    else await writable.close();
  } finally {
    raw.done();
  }
  return { res: responseInfo(raw) };
}

/**
 * Download an object as a stream: nothing is buffered, the caller pulls. Takes the same options
 * as `get`. The client timeout covers only the wait for the response headers.
 * @example const { stream } = await getStream(core, 'video.mp4'); await stream.pipeTo(sink)
 */
export async function getStream(core: OSSCore, name: string, options: GetOptions = {}): Promise<GetStreamResult> {
  assertPlainObject(options, 'options');
  const raw = await sendGet(core, name, options, true);
  const res = responseInfo(raw);
  const stream = raw.response.body;
  if (stream) return { stream, res };
  raw.done();
  return { stream: new ReadableStream<Uint8Array>({ start: (c) => c.close() }), res };
}

async function sendGet(core: OSSCore, name: string, options: GetOptions, streaming: boolean): Promise<RawResponse> {
  assertObjectKey(name);
  const headers = headerRecord(options.headers, 'options.headers');
  const query: Record<string, string | undefined> = { ...responseQuery(options.response, 'options.response'), versionId: versionOf(options) };
  if (options.process !== undefined) {
    if (typeof options.process !== 'string' || !options.process) throw new OSSArgumentError('options.process', 'expected a non-empty string');
    query['x-oss-process'] = options.process;
  }
  const bucket = core.requireBucket(options.bucket);
  const raw = await core.request({
    method: 'GET', bucket, key: name, headers, query, signal: options.signal, timeout: options.timeout, okStatuses: [304], streaming,
  });
  return guardDownload(core, raw, streaming, options.process === undefined);
}

/** Abort a streamed download after this many ms without data (default of `idleTimeout`). */
const DEFAULT_IDLE_TIMEOUT = 30_000;

/**
 * Check a whole object's bytes against the server's CRC-64 (a buffered body once read, by
 * readBytes; a streamed one as it passes) and end a streamed download that stalls.
 */
function guardDownload(core: OSSCore, raw: RawResponse, streaming: boolean, stored: boolean): RawResponse {
  const { response } = raw;
  const serverCrc = response.headers.get(CRC_HEADER);
  // A processed image is not the stored bytes, nor is a body fetch decoded.
  const verify = (core.options.crc64 ?? true) && response.status === 200 && serverCrc && stored && !decodedByFetch(response);
  if (!streaming) return verify ? { ...raw, expectedCrc64: serverCrc } : raw;
  if (!response.body) return raw;
  const body = guardedBody(raw, verify ? serverCrc : undefined, core.options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT);
  return { ...raw, response: new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers }) };
}

/**
 * A streamed download's body in one pull-through layer: each chunk goes through the CRC-64 (when
 * `expectedCrc` is given; a mismatch errors the body at its end), a read that waits `idle` ms for
 * data aborts the request with TimeoutError, and the request is released however the body ends:
 * read out, failed or cancelled. It pulls only when the caller reads, so the network's
 * backpressure reaches the socket unchanged, and a slow reader is never taken for a stall.
 */
function guardedBody(raw: RawResponse, expectedCrc: string | undefined, idle: number): ReadableStream<Uint8Array> {
  const reader = raw.response.body!.getReader();
  const crc = expectedCrc === undefined ? undefined : new Crc64();
  const watch = idle > 0 && Number.isFinite(idle);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const timer = watch ? setTimeout(() => raw.abort(new DOMException(`no data for ${idle} ms`, 'TimeoutError')), idle) : undefined;
        try {
          const { done, value } = await reader.read();
          if (!done) {
            crc?.update(value);
            controller.enqueue(value);
            return;
          }
          raw.done();
          const actual = crc?.toString();
          if (actual !== undefined && actual !== expectedCrc) throw crcMismatch('download', expectedCrc!, actual, raw.context);
          controller.close();
        } catch (err) {
          raw.done();
          throw err;
        } finally {
          clearTimeout(timer);
        }
      },
      cancel(reason) {
        raw.done();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

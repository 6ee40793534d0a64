import { OSSArgumentError } from '../../core/errors.js';
import { assertObjectKey, assertPlainObject } from '../../core/validate.js';
import { responseInfo, type OSSCore, type RawResponse, type ResponseInfo } from '../core.js';
import { readBytes } from '../read.js';
import { CRC_HEADER, decodedByFetch, idleGuard, verifiedDownload } from '../integrity.js';
import { headerRecord, responseQuery, type CallOptions, type ResponseHeaderOverrides } from './common.js';

export interface GetOptions extends CallOptions {
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
  return { stream: releasedAtEnd(raw), res };
}

/** The body, releasing the request (timers, the caller-signal listener) however the stream ends: read to the end, errored or cancelled. */
function releasedAtEnd(raw: RawResponse): ReadableStream<Uint8Array> {
  const body = raw.response.body;
  if (!body) {
    raw.done();
    return new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  }
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            raw.done();
            controller.close();
          } else {
            controller.enqueue(value);
          }
        } catch (err) {
          raw.done();
          throw err;
        }
      },
      cancel(reason) {
        raw.done();
        return reader.cancel(reason);
      },
    },
    // Pull only when the caller reads: the network's backpressure reaches the socket unchanged.
    { highWaterMark: 0 },
  );
}

async function sendGet(core: OSSCore, name: string, options: GetOptions, streaming: boolean): Promise<RawResponse> {
  assertObjectKey(name);
  const headers = headerRecord(options.headers, 'options.headers');
  const query: Record<string, string> = responseQuery(options.response, 'options.response');
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
  let { response } = raw;
  const serverCrc = response.headers.get(CRC_HEADER);
  // A processed image is not the stored bytes, nor is a body fetch decoded.
  const verify = (core.options.crc64 ?? true) && response.status === 200 && serverCrc && stored && !decodedByFetch(response);
  if (!streaming) return verify ? { ...raw, expectedCrc64: serverCrc } : raw;
  if (verify) response = verifiedDownload(response, serverCrc, raw.context);
  const idle = core.options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT;
  const guard = idleGuard(response, idle, () => raw.abort(new DOMException(`no data for ${idle} ms`, 'TimeoutError')));
  return {
    ...raw,
    response: guard.response,
    done: () => {
      raw.done();
      guard.stop();
    },
  };
}

import { OSSArgumentError } from '../../core/errors.js';
import { assertObjectKey } from '../../core/validate.js';
import { responseInfo, type CrcCheck, type OSSCore, type RawResponse, type RequestParams, type ResponseInfo } from '../core.js';
import { bodyLength, readBytes } from '../read.js';
import { CRC_HEADER, decodedByFetch } from '../integrity.js';
import { downloadBody } from './download-body.js';
import { headerRecord, responseQuery, versionOf, type ResponseHeaderOverrides, type VersionedCallOptions } from './common.js';
import { checkOptions } from '../call-options.js';
import { assertProgressCallback, progressEmitter, type OnUploadProgress } from '../progress.js';

export interface GetOptions extends VersionedCallOptions {
  /** Request headers: `Range`, `If-Modified-Since`, `If-Unmodified-Since`, `If-Match`, `If-None-Match`… */
  headers?: Record<string, string>;
  /** Headers the server should answer with instead of the stored ones (sent as `response-*`). */
  response?: ResponseHeaderOverrides;
  /** An `x-oss-process` instruction (e.g. `image/resize,w_100`), passed through as is. */
  process?: string;
  /**
   * Download progress `{ loaded, total, percent }`, the shape of upload progress: bytes read so
   * far (never backwards, also across a resumed download), `total` from Content-Length (undefined
   * when unknown), 100% once the whole body has arrived and been checked.
   */
  onProgress?: OnUploadProgress;
  /** @deprecated ali-oss's browser cache switch: use `response: { 'cache-control': … }`. */
  responseCacheControl?: never;
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
 * `If-Match` / `If-Unmodified-Since` throws PreconditionFailedError. A body that fails midway
 * (a reset, a CRC-64 mismatch) is fetched again whole, within `retries`; with `writable` the
 * download is resumed from the byte it broke at, as getStream's.
 * @example const { content } = await get(core, 'notes.txt', { headers: { Range: 'bytes=0-99' } })
 * @example await get(core, 'video.mp4', { writable: await fileHandle.createWritable() })
 */
export async function get(core: OSSCore, name: string, options: GetIntoOptions): Promise<GetIntoResult>;
export async function get(core: OSSCore, name: string, options?: GetOptions): Promise<GetResult>;
export async function get(core: OSSCore, name: string, options: GetOptions & { writable?: unknown } = {}): Promise<GetResult | GetIntoResult> {
  if (typeof WritableStream !== 'undefined' && options instanceof WritableStream) {
    throw new OSSArgumentError('options', 'pass the stream as an option: get(name, { writable })');
  }
  checkOptions(options, 'bucket headers response process versionId writable onProgress');
  const { writable } = options;
  if (writable === undefined) return getBuffered(core, name, options);
  if (typeof WritableStream === 'undefined' || !(writable instanceof WritableStream)) {
    throw new OSSArgumentError('options.writable', 'expected a WritableStream');
  }
  let raw: RawResponse;
  try {
    raw = await sendGet(core, name, options);
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
 * as `get`. The client timeout covers only the wait for the response headers; `idleTimeout` ends
 * a read that waits too long for data. A connection that fails midway is resumed (within
 * `retries`) with `Range` from the next byte and `If-Match` on the ETag, so the stream goes on
 * unbroken; if the object changed meanwhile it fails with ObjectChangedError. Every failure is an
 * OSSError: RequestError, TimeoutError, AbortError, CRC64MismatchError.
 * @example const { stream } = await getStream(core, 'video.mp4'); await stream.pipeTo(sink)
 */
export async function getStream(core: OSSCore, name: string, options: GetOptions = {}): Promise<GetStreamResult> {
  checkOptions(options, 'bucket headers response process versionId onProgress');
  const raw = await sendGet(core, name, options);
  const res = responseInfo(raw);
  const stream = raw.response.body;
  if (stream) return { stream, res };
  raw.done();
  return { stream: new ReadableStream<Uint8Array>({ start: (c) => c.close() }), res };
}

/** Abort a streamed download after this many ms without data (default of `idleTimeout`). */
const DEFAULT_IDLE_TIMEOUT = 30_000;

/** The request of a GET, checked before anything is sent. */
function getRequest(core: OSSCore, name: string, options: GetOptions, streaming: boolean): RequestParams {
  assertObjectKey(name);
  assertProgressCallback(options.onProgress, 'options.onProgress');
  const headers = headerRecord(options.headers, 'options.headers');
  const query: Record<string, string | undefined> = { ...responseQuery(options.response, 'options.response'), versionId: versionOf(options) };
  if (options.process !== undefined) {
    if (typeof options.process !== 'string' || !options.process) throw new OSSArgumentError('options.process', 'expected a non-empty string');
    query['x-oss-process'] = options.process;
  }
  const bucket = core.requireBucket(options.bucket);
  return { method: 'GET', bucket, key: name, headers, query, signal: options.signal, timeout: options.timeout, okStatuses: [304], streaming };
}

/** The server's CRC-64 when checks are on and this response's bytes are the whole stored object. */
function checkableCrc(core: OSSCore, response: Response, params: RequestParams): CrcCheck | undefined {
  const expected = response.headers.get(CRC_HEADER);
  const checks = core.crc();
  // A processed image is not the stored bytes, nor is a body fetch decoded.
  return checks && expected && response.status === 200 && storedBytes(response, params) ? { expected, checks } : undefined;
}

/** The body is the stored bytes (or a range of them): not an image process's output, not decoded by fetch. */
function storedBytes(response: Response, params: RequestParams): boolean {
  return params.query?.['x-oss-process'] === undefined && !decodedByFetch(response);
}

/** A buffered GET, sent again whole when its body fails midway (within the client's retries). */
async function getBuffered(core: OSSCore, name: string, options: GetOptions): Promise<GetResult> {
  const params = getRequest(core, name, options, false);
  const progress = options.onProgress && progressEmitter(options.onProgress);
  const result = await core.send(params, (raw) => {
    const crcCheck = checkableCrc(core, raw.response, params);
    const total = progress && bodyLength(raw.response);
    return readBytes(crcCheck === undefined ? raw : { ...raw, crcCheck }, progress && ((read) => progress.update(read, total)));
  });
  progress?.finish(result.content.byteLength);
  return result;
}

/** A streamed GET: its body checked, watched for stalls, and resumed where it broke (download-body.ts). */
async function sendGet(core: OSSCore, name: string, options: GetOptions): Promise<RawResponse> {
  const params = getRequest(core, name, options, true);
  const raw = await core.request(params);
  const { response } = raw;
  const progress = options.onProgress && progressEmitter(options.onProgress);
  if (!response.body) {
    progress?.finish(0);
    return raw;
  }
  const body = downloadBody(core, raw, params, {
    progress,
    total: bodyLength(response),
    crcCheck: checkableCrc(core, response, params),
    idle: core.options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT,
    resumable: storedBytes(response, params),
  });
  return { ...raw, response: new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers }) };
}

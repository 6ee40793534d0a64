import { assertObjectKey, assertPlainObject } from '../../core/validate.js';
import { responseInfo, type OSSCore, type ResponseInfo } from '../core.js';
import { readBytes } from '../read.js';
import type { CallOptions } from './common.js';

export interface GetOptions extends CallOptions {
  /** Request headers: Range, If-Modified-Since, If-None-Match… */
  headers?: Record<string, string>;
}

export interface GetResult {
  /** The object's bytes (empty for a 304). */
  content: Uint8Array;
  res: ResponseInfo;
}

export interface GetStreamResult {
  stream: ReadableStream<Uint8Array>;
  res: ResponseInfo;
}

/**
 * Download an object into memory.
 * @example const { content } = await get(core, 'notes.txt')
 */
export async function get(core: OSSCore, name: string, options: GetOptions = {}): Promise<GetResult> {
  const raw = await sendGet(core, name, options, false);
  return readBytes(raw);
}

/**
 * Download an object as a stream: nothing is buffered, the caller pulls.
 * The client timeout covers only the wait for the response headers.
 * @example const { stream } = await getStream(core, 'video.mp4'); await stream.pipeTo(sink)
 */
export async function getStream(core: OSSCore, name: string, options: GetOptions = {}): Promise<GetStreamResult> {
  const raw = await sendGet(core, name, options, true);
  const res = responseInfo(raw);
  const body = raw.response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  // Release the caller-signal listener once the stream ends, however it ends.
  const stream = body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ flush: () => raw.done() }));
  return { stream, res };
}

function sendGet(core: OSSCore, name: string, options: GetOptions, streaming: boolean) {
  assertObjectKey(name);
  assertPlainObject(options, 'options');
  assertPlainObject(options.headers, 'options.headers');
  const bucket = core.requireBucket(options.bucket);
  return core.request({
    method: 'GET', bucket, key: name, headers: options.headers, signal: options.signal, timeout: options.timeout,
    okStatuses: [304], streaming,
  });
}

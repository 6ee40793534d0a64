// Resuming a streamed download after a failure mid-body: `Range` from the next byte and `If-Match`
// on the first response's ETag (for download-body.ts).

import { OSSError } from '../../core/errors.js';
import { abortedError } from '../network-error.js';
import type { OSSCore, RawResponse, RequestParams } from '../core.js';
import { backoff, retryPolicy, sleep } from '../retry.js';
import { release } from '../release.js';

/** `bytes start-end/total` of a 206 (one range), or of a whole 200 body. */
interface Span {
  start: number;
  /** Inclusive; undefined when the length is unknown (a 200 without Content-Length). */
  end: number | undefined;
}

/**
 * The rest of the body `first` started, from byte `delivered` of it: a new response (206), after
 * the client's backoff. Throws the error that ends the download instead: `error` itself when the
 * response cannot be resumed (no ETag, no single range), ObjectChangedError when the object
 * changed (412 on If-Match), InvalidResponse when the server does not answer with the next bytes.
 */
export async function resumeDownload(
  core: OSSCore, first: Response, params: RequestParams, delivered: number, attempt: number, error: OSSError, context: RawResponse['context'],
): Promise<RawResponse> {
  const etag = first.headers.get('etag');
  const span = spanOf(first);
  if (!etag || !span) throw error;
  const { bucket, key, host } = context;
  const next = span.start + delivered;
  const delay = backoff(attempt, retryPolicy(core.options));
  await core.beforeRetry({ attempt, delay, error, method: 'GET', bucket, key });
  try {
    await sleep(delay, params.signal);
  } catch (reason) {
    throw abortedError(`Request aborted while waiting to resume: GET "${key}"`, { cause: reason, bucket: bucket ?? undefined, key: key ?? undefined, host });
  }
  const range = `bytes=${next}-${span.end ?? ''}`;
  let raw: RawResponse;
  try {
    raw = await core.request({ ...params, headers: { ...params.headers, range, 'if-match': etag }, okStatuses: [], streaming: true });
  } catch (err) {
    if (!(err instanceof OSSError) || err.status !== 412) throw err;
    throw new OSSError({
      code: 'ObjectChanged', name: 'ObjectChangedError', status: 412, bucket: bucket ?? undefined, key: key ?? undefined, host, cause: err, requestId: err.requestId,
      message: `The object changed while it was being downloaded: its ETag is no longer ${etag}, so the download stopped after ${delivered} bytes instead of mixing two versions (key "${key}")`,
      details: { etag, delivered: String(delivered) },
    });
  }
  const got = raw.response.status === 206 ? spanOf(raw.response) : undefined;
  if (got && got.start === next && (span.end === undefined || got.end === span.end) && raw.response.body) return raw;
  await release(raw);
  throw new OSSError({
    code: 'InvalidResponse', status: raw.response.status, bucket: bucket ?? undefined, key: key ?? undefined, host, cause: error,
    message: `Resuming the download at byte ${next} failed: the server answered ${raw.response.status} ${raw.response.headers.get('content-range') ?? 'without Content-Range'} to Range ${range} (key "${key}")`,
  });
}

/** The byte span a 200 or single-range 206 response carries, or undefined when it cannot be resumed. */
function spanOf(response: Response): Span | undefined {
  if (response.status === 200) {
    const length = Number(response.headers.get('content-length') ?? NaN);
    return { start: 0, end: Number.isSafeInteger(length) && length > 0 ? length - 1 : undefined };
  }
  const match = /^bytes (\d+)-(\d+)\/(?:\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
  return match ? { start: Number(match[1]), end: Number(match[2]) } : undefined;
}

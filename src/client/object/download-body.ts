// A streamed download's body: checked (CRC-64 over the whole object), watched for stalls, and
// resumed after a failure mid-body with `Range` + `If-Match` from the byte it had delivered, so
// the reader sees one unbroken stream of one version of the object, or a typed error.

import { Crc64 } from '../../core/crc64.js';
import { OSSError } from '../../core/errors.js';
import type { OSSCore, RawResponse, RequestParams } from '../core.js';
import { crcMismatch } from '../integrity.js';
import { bodyError } from '../read.js';
import { backoff, isTransient, retryPolicy, sleep } from '../retry.js';
import { startTimer } from '../timer.js';

export interface DownloadBodyOptions {
  /** The server's CRC-64 of the whole object, to check at the end (undefined: no check). */
  expectedCrc?: string;
  /** Abort a read that waits this many ms for data (0 or Infinity: never). */
  idle: number;
  /** Whether a failed body may be fetched again from where it broke (the stored bytes, not decoded or processed). */
  resumable: boolean;
}

/** `bytes start-end/total` of a 206 (one range), or of a whole 200 body. */
interface Span {
  start: number;
  /** Inclusive; undefined when the length is unknown (a 200 without Content-Length). */
  end: number | undefined;
}

/**
 * The body of a streamed GET, in one pull-through layer: each chunk goes through the CRC-64, a
 * read that waits `idle` ms aborts with TimeoutError, and a transient failure (a reset, a socket
 * closed) is resumed with `Range: bytes=<next>-<end>` and `If-Match: <etag>` within the client's
 * retries. If the object changed meanwhile, the stream fails with ObjectChangedError: two
 * versions are never spliced. It pulls only when the caller reads, so a slow reader is never
 * taken for a stall and backpressure reaches the socket; the request is released however the
 * body ends (read out, failed, cancelled).
 */
export function downloadBody(core: OSSCore, first: RawResponse, params: RequestParams, options: DownloadBodyOptions): ReadableStream<Uint8Array> {
  const crc = options.expectedCrc === undefined ? undefined : new Crc64();
  const etag = first.response.headers.get('etag');
  const span = options.resumable && etag ? spanOf(first.response) : undefined;
  const policy = retryPolicy(core.options);
  let current = first;
  let reader = first.response.body!.getReader();
  let delivered = 0;
  let resumes = 0;

  /** Fetch the rest of the object after `error`, or throw the error that ends the stream. */
  const resume = async (error: OSSError): Promise<void> => {
    const next = span!.start + delivered;
    resumes += 1;
    const delay = backoff(resumes, policy);
    core.options.onRetry?.({ attempt: resumes, delay, error, method: 'GET', bucket: current.context.bucket, key: current.context.key });
    try {
      await sleep(delay, params.signal);
    } catch (reason) {
      throw new OSSError({ code: 'RequestAborted', name: 'AbortError', message: `Request aborted while waiting to resume: GET "${current.context.key}"`, cause: reason, bucket: current.context.bucket ?? undefined, key: current.context.key ?? undefined });
    }
    const range = `bytes=${next}-${span!.end ?? ''}`;
    let raw: RawResponse;
    try {
      raw = await core.request({ ...params, headers: { ...params.headers, range, 'if-match': etag! }, okStatuses: [], streaming: true });
    } catch (err) {
      if (err instanceof OSSError && err.status === 412) throw objectChanged(err, current, etag!, delivered);
      throw err;
    }
    const got = raw.response.status === 206 ? spanOf(raw.response) : undefined;
    if (!got || got.start !== next || (span!.end !== undefined && got.end !== span!.end) || !raw.response.body) {
      raw.done();
      await raw.response.body?.cancel().catch(() => {});
      throw new OSSError({
        code: 'InvalidResponse', status: raw.response.status, bucket: raw.context.bucket ?? undefined, key: raw.context.key ?? undefined, host: raw.context.host, cause: error,
        message: `Resuming the download at byte ${next} failed: the server answered ${raw.response.status} ${raw.response.headers.get('content-range') ?? 'without Content-Range'} to Range ${range} (key "${raw.context.key}")`,
      });
    }
    current = raw;
    reader = raw.response.body!.getReader();
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          const watching = current;
          const stopWatch = options.idle > 0 ? startTimer(options.idle, () => watching.abort(new DOMException(`no data for ${options.idle} ms`, 'TimeoutError'))) : undefined;
          try {
            const { done, value } = await reader.read();
            if (!done) {
              crc?.update(value);
              delivered += value.byteLength;
              controller.enqueue(value);
              return;
            }
            current.done();
            const actual = crc?.toString();
            if (actual !== undefined && actual !== options.expectedCrc) throw crcMismatch('download', options.expectedCrc!, actual, current.context);
            controller.close();
            return;
          } catch (err) {
            current.done();
            const error = bodyError(err, current);
            // A CRC mismatch is found only at the end: the bytes are delivered, nothing to resume.
            if (!span || error.code === 'CRC64Mismatch' || !isTransient(error) || resumes >= policy.retries || params.signal?.aborted) throw error;
            await resume(error);
          } finally {
            stopWatch?.();
          }
        }
      },
      cancel(reason) {
        current.done();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
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

function objectChanged(cause: OSSError, raw: RawResponse, etag: string, delivered: number): OSSError {
  const { bucket, key, host } = raw.context;
  return new OSSError({
    code: 'ObjectChanged', name: 'ObjectChangedError', status: 412, bucket: bucket ?? undefined, key: key ?? undefined, host, cause,
    requestId: cause.requestId,
    message: `The object changed while it was being downloaded: its ETag is no longer ${etag}, so the download stopped after ${delivered} bytes instead of mixing two versions (key "${key}")`,
    details: { etag, delivered: String(delivered) },
  });
}

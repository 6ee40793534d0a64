// A streamed download's body: checked (CRC-64 over the whole object), watched for stalls, and
// resumed after a failure mid-body (download-resume.ts), so the reader sees one
// unbroken stream of one version of the object, or a typed error.

import type { CrcCheck, OSSCore, RawResponse, RequestParams } from '../core.js';
import type { ProgressEmitter } from '../progress.js';
import { bodyError } from '../read.js';
import { isTransient, retryPolicy } from '../retry.js';
import { startTimer } from '../timer.js';
import { resumeDownload } from './download-resume.js';

export interface DownloadBodyOptions {
  /** The server's CRC-64 of the whole object, to check at the end (undefined: no check). */
  crcCheck?: CrcCheck;
  /** Abort a read that waits this many ms for data (0 or Infinity: never). */
  idle: number;
  /** Whether a failed body may be fetched again from where it broke (the stored bytes, not decoded or processed). */
  resumable: boolean;
  /** Download progress: bytes delivered so far, and once the body ended whole, its total. */
  progress?: ProgressEmitter;
  /** Bytes in all, when known (the progress events' `total`). */
  total?: number;
}

/**
 * The body of a streamed GET, in one pull-through layer: each chunk goes through the CRC-64, a
 * read that waits `idle` ms aborts with TimeoutError, and a transient failure (a reset, a socket
 * closed) is resumed with `Range` from the next byte and `If-Match` on the ETag, within the
 * client's retries; if the object changed meanwhile, the stream fails with ObjectChangedError (two
 * versions are never spliced). It pulls only when the caller reads, so a slow reader is never
 * taken for a stall and backpressure reaches the socket; the request is released however the body
 * ends (read out, failed, cancelled).
 */
export function downloadBody(core: OSSCore, first: RawResponse, params: RequestParams, options: DownloadBodyOptions): ReadableStream<Uint8Array> {
  const check = options.crcCheck;
  const crc = check?.checks.hasher();
  let current = first;
  let reader = first.response.body!.getReader();
  let delivered = 0;
  let resumes = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          const watched = current;
          const stopWatch = options.idle > 0 ? startTimer(options.idle, () => watched.abort(new DOMException(`no data for ${options.idle} ms`, 'TimeoutError'))) : undefined;
          try {
            const { done, value } = await reader.read();
            if (!done) {
              crc?.update(value);
              delivered += value.byteLength;
              controller.enqueue(value);
              options.progress?.update(delivered, options.total);
              return;
            }
            current.done();
            const actual = crc?.toString();
            if (check && actual !== check.expected) throw check.checks.mismatch('download', check.expected, actual!, current.context);
            controller.close();
            options.progress?.finish(delivered);
            return;
          } catch (err) {
            current.done();
            const error = await bodyError(err, current);
            // A CRC mismatch is found only at the end: the bytes are delivered, nothing to resume.
            const retriable = options.resumable && error.code !== 'CRC64Mismatch' && isTransient(error);
            if (!retriable || resumes >= retryPolicy(core.options).retries || params.signal?.aborted) throw error;
            current = await resumeDownload(core, first.response, params, delivered, ++resumes, error, current.context);
            reader = current.response.body!.getReader();
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

// Content-Encoding undone as fetch undoes it (gzip, deflate, br), so that nodeFetch hands back the
// same bytes as every other fetch: browsers cannot be told not to decode, and ali-oss (urllib)
// decodes gzip and deflate too. An object stored with `Content-Encoding: gzip` is then read as
// its decoded bytes from both entries of oss-fetch.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import zlib from 'node:zlib';

/** The decoders of a Content-Encoding list, in the order to apply them; undefined when there is nothing fetch would decode. */
function decoders(header: string | undefined): Duplex[] | undefined {
  if (!header) return undefined;
  const codings = header.toLowerCase().split(',').map((c) => c.trim()).filter((c) => c && c !== 'identity');
  const steps: Duplex[] = [];
  // Codings are listed in the order they were applied: undo the last first.
  for (const coding of codings.reverse()) {
    if (coding === 'gzip' || coding === 'x-gzip') steps.push(zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH }));
    else if (coding === 'deflate') steps.push(zlib.createUnzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH }));
    else if (coding === 'br') steps.push(zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH }));
    else return undefined; // an unknown coding: fetch leaves the body as it came
  }
  return steps.length ? steps : undefined;
}

/**
 * The response body decoded as fetch would (per its Content-Encoding header), or undefined when it needs no decoding. The result
 * is a stream with the events and `complete` flag of the response it reads, so it streams and
 * fails like one; a corrupt body fails it.
 */
export function decodedResponse(res: IncomingMessage, contentEncoding: string | undefined): IncomingMessage | undefined {
  const steps = decoders(contentEncoding);
  if (!steps) return undefined;
  let out: NodeJS.ReadableStream & Duplex = res as unknown as Duplex;
  for (const step of steps) {
    out.on('error', (err) => step.destroy(err));
    out = out.pipe(step);
  }
  const decoded = out as Duplex & { complete?: boolean };
  // Ended is complete: a premature close of the socket surfaces as an error of the chain.
  decoded.once('end', () => (decoded.complete = true));
  res.once('close', () => {
    if (!res.complete) decoded.destroy(new Error('connection closed before the body ended'));
  });
  // A reader that cancels the decoded body cancels the download under it.
  decoded.once('close', () => {
    if (!res.complete) res.destroy();
  });
  return decoded as unknown as IncomingMessage;
}

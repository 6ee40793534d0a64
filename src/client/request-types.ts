// The types of a request in flight, shared by the core, the readers and the features (in a
// module of their own, so that none of them has to import the core for a type).

import type { CrcCheck } from './crc64-checks.js';
import type { AbortState } from '../core/transport-shortcuts.js';
import type { RequestContext } from './response-error.js';

/** A response the core answered with: the caller reads its body and calls done(). */
export interface RawResponse {
  response: Response;
  /** performance.now() at the start, for `rt`. */
  started: number;
  /** Call when the body is read (or handed over) to release the timeout. */
  done(): void;
  /** Abort the request (and its body) with this reason. */
  abort(reason: unknown): void;
  /** The request's abort state: aborted by the caller, a timeout or abort(), with the reason. */
  signal: AbortState;
  /** A whole buffered download's check: the server's CRC-64 and the feature that computes ours (readBytes checks). */
  crcCheck?: CrcCheck;
  /** @internal The request (for errors) and its URL (for `res.requestUrls`). */
  context: RequestContext & { url: string };
}

// What nodeFetch's parts share: the request as it is about to be sent, and what an exchange
// (over node:http or undici) answers with.

/** A request body in the form it is written: whole bytes, a Blob to stream, or a stream. */
export type Outgoing = { bytes: Uint8Array } | { blob: Blob } | { stream: ReadableStream<Uint8Array> };

export interface Outbound {
  url: URL;
  method: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Outgoing | null;
  signal: AbortSignal | null;
  redirect: RequestRedirect;
}

/** A redirect to follow: its body is being drained, the loop sends the next request. */
export interface Redirect {
  status: number;
  location: string;
}

/** What one exchange answers: the Response, or a redirect the loop follows. */
export type Reply = Response | Redirect;

/**
 * Bodies with a Content-Length up to this are read whole before the Response is made (so such a
 * fetch settles once its body is in, and a failure mid-body rejects it): for a 1 KiB GET that
 * took ~8% less CPU than a stream; from 32 KiB on (several socket chunks) the stream was cheaper.
 */
export const BUFFER_LIMIT = 16 * 1024;
/** Bytes the response body stream holds before the socket is paused. */
export const BODY_HIGH_WATER_MARK = 64 * 1024;
/** Statuses whose responses never have a body (as the Fetch standard lists them). */
export const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The redirect this answer asks the loop to follow (redirect: 'error' included: the loop refuses it), or undefined. */
export function redirectOf(outbound: Outbound, status: number, location: string | undefined): Redirect | undefined {
  return location !== undefined && REDIRECT_STATUSES.has(status) && outbound.redirect !== 'manual' ? { status, location } : undefined;
}

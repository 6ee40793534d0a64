// What a person needs to act on a request that failed on the wire: fetch says only "fetch failed"
// or "terminated"; Node's fetch (undici) and nodeFetch keep the reason in `err.cause` (refused
// connection, DNS, TLS, socket closed), and browsers keep none at all.

import type { AbortState } from '../core/transport-shortcuts.js';
import { OSSError, type OSSErrorInit } from '../core/errors.js';
import { requestFields, type RequestContext } from './response-error.js';

/**
 * A request that failed on the wire: timeout, caller abort, or a network failure, before the
 * response (`status` undefined) or while its body was read (`status` of the response). The
 * message names the method, the origin, the key and the cause chain.
 */
export function transportError(err: unknown, signal: AbortState, ctx: RequestContext, status?: number): OSSError {
  const where = `${ctx.method} ${ctx.origin}${ctx.key !== null ? ` "${ctx.key}"` : ''}`;
  const reading = status === undefined ? '' : ' while reading the response body';
  const fields = { cause: err, status, ...requestFields(ctx) };
  const reason = signal.aborted ? signal.reason : undefined;
  if (reason instanceof DOMException && reason.name === 'TimeoutError') {
    return new OSSError({ ...fields, code: 'Timeout', name: 'TimeoutError', message: `Request timed out${reading}: ${where}: ${reason.message}` });
  }
  if (signal.aborted) return abortedError(`Request aborted${reading}: ${where}`, { ...fields, cause: reason ?? err });
  return new OSSError({ ...fields, code: 'RequestError', name: 'RequestError', message: `Network error${reading}: ${where}: ${describeNetworkFailure(err)}` });
}

/** The AbortError of anything its caller stopped (a request, a wait to retry, an upload): the one place it is built. */
export function abortedError(message: string, fields: Omit<OSSErrorInit, 'code' | 'name' | 'message'> = {}): OSSError {
  return new OSSError({ ...fields, code: 'RequestAborted', name: 'AbortError', message });
}

/** What browsers say for a fetch or XHR they refuse to explain (CORS or the network). */
const OPAQUE_BROWSER_FAILURE = /^(?:Failed to fetch|NetworkError when attempting to fetch resource\.?|Load failed|Network request failed)$/;

/** How deep into `cause` to look (undici nests two or three levels). */
const MAX_DEPTH = 6;

/**
 * The failure and its causes in one line, e.g. `fetch failed: connect ECONNREFUSED 127.0.0.1:9000`,
 * `terminated: other side closed (UND_ERR_SOCKET)`. A browser's bare "Failed to fetch" gets the two
 * likely reasons. Query strings are cut from any URL in it (they may carry a signature or token).
 */
export function describeNetworkFailure(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < MAX_DEPTH; depth++) {
    const text = describeOne(current);
    if (text && !parts.some((p) => p.includes(text))) parts.push(text);
    current = (current as { cause?: unknown }).cause;
  }
  let line = parts.join(': ') || 'unknown failure';
  if (isOpaqueBrowserFailure(err)) {
    line += ' (the browser gives no reason: the bucket\'s CORS rules refused this page, its method or headers — see CORS in docs/buckets.md — or the network failed)';
  }
  return withoutQueries(line);
}

/** A TypeError with no cause and one of the messages browsers use to hide why a request failed. */
export function isOpaqueBrowserFailure(err: unknown): boolean {
  return err instanceof TypeError && err.cause === undefined && OPAQUE_BROWSER_FAILURE.test(err.message);
}

/** One level of the chain: its message with its code (`UND_ERR_SOCKET`, `CERT_HAS_EXPIRED`) when the message lacks it. */
function describeOne(err: unknown): string {
  if (typeof err !== 'object') return String(err);
  const { code, message, errors } = err as { code?: unknown; message?: unknown; errors?: unknown };
  // An AggregateError: one failure per address tried (IPv6 and IPv4 of localhost, say).
  if (Array.isArray(errors) && errors.length) return [...new Set(errors.map(describeOne))].join(', ');
  const text = typeof message === 'string' ? message : '';
  if (typeof code !== 'string' || text.includes(code)) return text;
  return text ? `${text} (${code})` : code;
}

function withoutQueries(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#"'<>]*)\?[^\s#"'<>]*/gi, '$1?…');
}

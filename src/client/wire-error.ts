// Errors of requests that failed on the wire (network, timeout, abort). The module that words
// them (network-error.ts: cause chains, browser hints) loads only when one happens, and is kept.

import type { OSSError } from '../core/errors.js';
import type { RequestContext } from './response-error.js';

let build: typeof import('./network-error.js').transportError | undefined;

/** The typed OSSError of a request that failed before its response (`status` undefined) or while its body was read. */
export async function transportError(err: unknown, signal: AbortSignal, ctx: RequestContext, status?: number): Promise<OSSError> {
  build ??= (await import('./network-error.js')).transportError;
  return build(err, signal, ctx, status);
}

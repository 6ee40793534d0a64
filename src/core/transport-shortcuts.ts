// What a transport (a fetch function and the Responses it makes) may offer the client beyond
// fetch, each under a symbol the client looks for and does without when it is absent.
// oss-fetch/node's nodeFetch offers both:
//   - ABORT_CONTROLLER: the abort controllers of the requests sent through it. Creating an
//     AbortSignal costs about 6 µs in Node 20 and its listeners 2 µs more: per request, more
//     than the signing. nodeFetch reads only a signal's state and abort listeners, so its
//     controllers have no EventTarget machinery (any other fetch gets a real AbortController).
//   - BUFFERED_BODY: a small body it has already read whole, handed over without a promise chain.

/** What a request's signal tells the code that reads its response: whether and why it was aborted. */
export interface AbortState {
  readonly aborted: boolean;
  readonly reason: unknown;
}

/**
 * A fetch function may carry, under this symbol, a factory of AbortController-shaped objects
 * whose `signal` that same function accepts as `init.signal` (and no other function need).
 */
export const ABORT_CONTROLLER = Symbol.for('oss-fetch.abort');

/** A fetch function, maybe with its own abort controllers. */
export type MaybeAbortMaker = typeof fetch & { [ABORT_CONTROLLER]?: () => AbortController };

/**
 * A transport's Response may carry, under this symbol, a method that hands over a body it has
 * already read whole, synchronously: the bytes `new Uint8Array(await response.arrayBuffer())`
 * would give (marking the body used), or undefined when it cannot (streamed, already read), and
 * the caller reads the body as usual.
 */
export const BUFFERED_BODY = Symbol.for('oss-fetch.bytes');

/** A Response, maybe with a body its transport holds already. */
export type MaybeBuffered = Response & { [BUFFERED_BODY]?: () => Uint8Array | undefined };

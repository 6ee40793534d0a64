// The loop under every listAll-style walker. A page is requested only when the loop needs it,
// until the loop has gone through one whole page: it is then a scan, and each next page is
// requested as soon as its cursor is known, so the server (and the network) work while the loop
// does. A loader may hint the next cursor early (from the head of a reply still being read, see
// listing-head.ts): the next request then leaves before this page is parsed, and the parsed page
// confirms the hint or cancels that request. At most one page beyond the one the loop is in is
// ever requested. A loop that stops early cancels it; one that ends in its first page sends one
// request.

import { OSSArgumentError } from '../core/errors.js';
import { compareUtf8 } from '../core/order.js';

/** One page of a listing: what it holds, and where the next one starts (none: the last page). */
export interface Page<E, C> {
  entries: E[];
  next?: C;
}

export interface ReadAheadOption {
  /**
   * Once the loop has gone through a whole page, request each next page as soon as its marker is
   * known, while the loop works through the current one (default true). A loop that breaks
   * cancels the page read ahead. `false`: each page is requested only when the loop reaches it.
   */
  readAhead?: boolean;
}

/**
 * Fetches the page at `cursor` (undefined: the first). `hint(next)` may be called once, before
 * the page is returned, with what its `next` will be: a hint is confirmed by `===`, so only
 * loaders whose cursors are strings or numbers give one.
 */
export type PageLoader<E, C> = (cursor: C | undefined, signal: AbortSignal, hint: (next: C) => void) => Promise<Page<E, C>>;

/** A page requested: its answer, the next cursor hinted, and the request started on that hint. */
interface Requested<E, C> {
  cursor: C | undefined;
  page: Promise<Page<E, C>>;
  cancel: () => void;
  hinted?: C;
  ahead?: Requested<E, C>;
  /** The loop has gone through every page before this one. */
  reached?: boolean;
}

/** The entries of every page, in order. */
export async function* walkPages<E, C>(load: PageLoader<E, C>, options: { signal?: AbortSignal } & ReadAheadOption): AsyncGenerator<E, void, undefined> {
  // One controller for the walk, tied to the caller's signal; each request has its own, tied to
  // the walk's: a request made on a wrong hint is cancelled alone, and the walk ending early
  // cancels the page read ahead (the pages before it have arrived).
  const { signal: outer, readAhead = true } = options;
  if (typeof readAhead !== 'boolean') throw new OSSArgumentError('options.readAhead', 'expected a boolean');
  const walk = new AbortController();
  const onAbort = () => walk.abort(outer!.reason);
  if (outer?.aborted) onAbort();
  outer?.addEventListener('abort', onAbort, { once: true });
  let scanning = false;

  const request = (cursor: C | undefined): Requested<E, C> => {
    const own = new AbortController();
    const follow = () => own.abort(walk.signal.reason);
    if (walk.signal.aborted) follow();
    walk.signal.addEventListener('abort', follow);
    // Once answered, its signal has nothing left to stop: drop the link (a long walk would pile them up).
    const unlink = () => walk.signal.removeEventListener('abort', follow);
    const requested: Requested<E, C> = { cursor, page: undefined!, cancel: () => (unlink(), own.abort()) };
    requested.page = load(cursor, own.signal, (next) => {
      requested.hinted ??= next;
      if (requested.reached) requestOnHint(requested);
    });
    // A page the loop never reaches must not fail unhandled; one it reaches throws there.
    requested.page.then(unlink, unlink);
    return requested;
  };
  const requestOnHint = (requested: Requested<E, C>) => {
    if (requested.hinted !== undefined && !requested.ahead && scanning && readAhead) requested.ahead = request(requested.hinted);
  };

  let current = request(undefined);
  try {
    for (;;) {
      current.reached = true;
      requestOnHint(current);
      const page = await current.page;
      const cursor = page.next;
      let next = current.ahead;
      if (next && next.cursor !== cursor) {
        next.cancel();
        next = undefined;
      }
      if (!next && cursor !== undefined && scanning && readAhead) next = request(cursor);
      yield* page.entries;
      if (cursor === undefined) return;
      scanning = true;
      current = next ?? request(cursor);
    }
  } finally {
    outer?.removeEventListener('abort', onAbort);
    walk.abort();
  }
}

/** A page's items and common prefixes (`{ name, isPrefix: true }`) merged in key order, as one listing shows them. */
export function inKeyOrder<T extends { name: string }>(items: T[], prefixes: string[]): Array<T | { name: string; isPrefix: true }> {
  const entries: Array<T | { name: string; isPrefix: true }> = [...items, ...prefixes.map((name) => ({ name, isPrefix: true as const }))];
  // The sort is stable: items of one key (uploads) keep their order.
  if (prefixes.length) entries.sort((a, b) => compareUtf8(a.name, b.name));
  return entries;
}

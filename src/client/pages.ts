// The loop under every listAll-style walker. A page is requested only when the loop needs it,
// until the loop has gone through one whole page: it is then a scan, and each next page is
// requested as soon as the current one arrives, so the server (and the network) work while the
// loop does. A loop that stops early cancels the page read ahead; one that ends in its first page
// sends one request.

import { OSSArgumentError } from '../core/errors.js';
import { compareUtf8 } from '../core/order.js';

/** One page of a listing: what it holds, and where the next one starts (none: the last page). */
export interface Page<E, C> {
  entries: E[];
  next?: C;
}

export interface ReadAheadOption {
  /**
   * Once the loop has gone through a whole page, request each next page as soon as the current
   * one arrives, while the loop works through it (default true). A loop that breaks cancels the
   * page read ahead. `false`: each page is requested only when the loop reaches it.
   */
  readAhead?: boolean;
}

/** The entries of every page, in order: `load(cursor, signal)` fetches the page at `cursor` (undefined: the first). */
export async function* walkPages<E, C>(
  load: (cursor: C | undefined, signal: AbortSignal) => Promise<Page<E, C>>,
  options: { signal?: AbortSignal } & ReadAheadOption,
): AsyncGenerator<E, void, undefined> {
  // One controller for the walk, tied to the caller's signal: aborting it when the walk ends
  // early cancels the page read ahead (the pages before it have arrived).
  const { signal: outer, readAhead = true } = options;
  if (typeof readAhead !== 'boolean') throw new OSSArgumentError('options.readAhead', 'expected a boolean');
  const walk = new AbortController();
  const onAbort = () => walk.abort(outer!.reason);
  if (outer?.aborted) onAbort();
  outer?.addEventListener('abort', onAbort, { once: true });
  let scanning = false;
  let next = load(undefined, walk.signal);
  try {
    for (;;) {
      const page = await next;
      const cursor = page.next;
      const ahead = cursor !== undefined && scanning && readAhead;
      if (ahead) {
        next = load(cursor, walk.signal);
        next.catch(() => {}); // a page the loop never reaches must not fail unhandled; one it reaches throws there
      }
      yield* page.entries;
      if (cursor === undefined) return;
      scanning = true;
      if (!ahead) next = load(cursor, walk.signal);
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

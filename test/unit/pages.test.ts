// walkPages, the loop under every listAll-style walker: when it requests each page, what a loop
// that breaks or fails leaves behind, and how the caller's signal reaches the requests.
import { describe, expect, it } from 'vitest';
import { walkPages, type Page } from '../../src/client/pages.js';

/** Pages of `size` numbers up to `total`, each load logged and answered when `answer(n)` is called (or at once). */
function pager(total: number, size: number, options: { hold?: boolean } = {}) {
  const log: string[] = [];
  const signals: AbortSignal[] = [];
  const pending: Array<() => void> = [];
  const load = (cursor: number | undefined, signal: AbortSignal): Promise<Page<number, number>> => {
    const start = cursor ?? 0;
    log.push(`load ${start}`);
    signals.push(signal);
    const page = { entries: Array.from({ length: Math.min(size, total - start) }, (_, i) => start + i), next: start + size < total ? start + size : undefined };
    if (!options.hold) return Promise.resolve(page);
    return new Promise((resolve, reject) => {
      // As fetch does: an aborted signal rejects, including one aborted before the call.
      if (signal.aborted) return reject(signal.reason);
      pending.push(() => resolve(page));
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  };
  /** Answers the oldest load held, once the walk has made it. */
  const answer = async () => {
    while (!pending.length) await tick();
    pending.shift()!();
  };
  return { log, signals, load, answer };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('walkPages', () => {
  it('yields every entry in order, one load per page', async () => {
    const p = pager(7, 3);
    const seen: number[] = [];
    for await (const n of walkPages(p.load, {})) seen.push(n);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(p.log).toEqual(['load 0', 'load 3', 'load 6']);
  });

  it('reads the next page ahead only once the loop has gone through a whole page', async () => {
    const p = pager(9, 3);
    for await (const n of walkPages(p.load, {})) p.log.push(`got ${n}`);
    expect(p.log).toEqual([
      'load 0', 'got 0', 'got 1', 'got 2',
      'load 3', 'load 6', 'got 3', 'got 4', 'got 5', // page 3 is requested before page 2 is worked through
      'got 6', 'got 7', 'got 8',
    ]);
  });

  it('with readAhead: false, requests a page only when the loop reaches it', async () => {
    const p = pager(9, 3);
    for await (const n of walkPages(p.load, { readAhead: false })) p.log.push(`got ${n}`);
    expect(p.log).toEqual(['load 0', 'got 0', 'got 1', 'got 2', 'load 3', 'got 3', 'got 4', 'got 5', 'load 6', 'got 6', 'got 7', 'got 8']);
  });

  it('a loop that ends in its first page sends one request', async () => {
    const p = pager(9, 3);
    for await (const n of walkPages(p.load, {})) if (n === 2) break;
    expect(p.log).toEqual(['load 0']);
  });

  it('a loop that breaks cancels the page read ahead, and starts nothing after', async () => {
    const p = pager(12, 3, { hold: true });
    const walk = walkPages(p.load, {});
    const first = walk.next();
    await p.answer();
    expect((await first).value).toBe(0);
    await walk.next();
    await walk.next();
    const fourth = walk.next(); // page 2 requested
    await p.answer();
    expect((await fourth).value).toBe(3); // and page 3 read ahead
    expect(p.log).toEqual(['load 0', 'load 3', 'load 6']);
    expect(p.signals[2]!.aborted).toBe(false);
    await walk.return(undefined); // the loop breaks
    expect(p.signals[2]!.aborted).toBe(true);
    await tick();
    expect(p.log).toHaveLength(3);
  });

  it('a page read ahead that fails throws when the loop reaches it, not before', async () => {
    const failing = (cursor: number | undefined): Promise<Page<number, number>> => {
      const start = cursor ?? 0;
      if (start === 4) return Promise.reject(new Error('page 3 failed'));
      return Promise.resolve({ entries: [start, start + 1], next: start + 2 });
    };
    const seen: number[] = [];
    await expect((async () => {
      for await (const n of walkPages(failing, {})) {
        seen.push(n);
        await tick(); // the failure lands while the loop works through page 2
      }
    })()).rejects.toThrow('page 3 failed');
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('a page read ahead that fails after the loop broke fails nowhere', async () => {
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', note);
    try {
      const failing = (cursor: number | undefined): Promise<Page<number, number>> =>
        (cursor ?? 0) === 4 ? Promise.reject(new Error('never reached')) : Promise.resolve({ entries: [cursor ?? 0, (cursor ?? 0) + 1], next: (cursor ?? 0) + 2 });
      for await (const n of walkPages(failing, {})) if (n === 2) break;
      await tick();
      await tick();
    } finally {
      process.off('unhandledRejection', note);
    }
    expect(unhandled).toEqual([]);
  });

  it("the caller's abort reaches the request in flight, with the caller's reason", async () => {
    const p = pager(12, 3, { hold: true });
    const caller = new AbortController();
    const walk = walkPages(p.load, { signal: caller.signal });
    const first = walk.next();
    caller.abort(new Error('stop, says the caller'));
    await expect(first).rejects.toThrow('stop, says the caller');
    expect(p.signals[0]!.aborted).toBe(true);
  });

  it('an already aborted signal aborts the first request', async () => {
    const p = pager(3, 3, { hold: true });
    const walk = walkPages(p.load, { signal: AbortSignal.abort(new Error('too late')) });
    await expect(walk.next()).rejects.toThrow('too late');
  });

  it("leaves no listener on the caller's signal once the walk ends", async () => {
    const caller = new AbortController();
    let added = 0;
    let removed = 0;
    const add = caller.signal.addEventListener.bind(caller.signal);
    const remove = caller.signal.removeEventListener.bind(caller.signal);
    caller.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => (added++, add(...args))) as AbortSignal['addEventListener'];
    caller.signal.removeEventListener = ((...args: Parameters<AbortSignal['removeEventListener']>) => (removed++, remove(...args))) as AbortSignal['removeEventListener'];
    for await (const n of walkPages(pager(6, 3).load, { signal: caller.signal })) if (n === 4) break;
    expect([added, removed]).toEqual([1, 1]);
  });
});

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

/** As pager, held, but each load hints its next cursor at once (`hintFor` may say otherwise). */
function hinting(total: number, size: number, hintFor: (start: number, next: number | undefined) => number | undefined = (_, next) => next) {
  const log: string[] = [];
  const signals = new Map<number, AbortSignal>();
  const pending: Array<{ start: number; resolve: () => void }> = [];
  const load = (cursor: number | undefined, signal: AbortSignal, hint: (next: number) => void): Promise<Page<number, number>> => {
    const start = cursor ?? 0;
    log.push(`load ${start}`);
    signals.set(start, signal);
    const next = start + size < total ? start + size : undefined;
    const page = { entries: Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => start + i), next };
    const hinted = hintFor(start, next);
    if (hinted !== undefined) hint(hinted);
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      pending.push({ start, resolve: () => resolve(page) });
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  };
  /** Answers the load of page `start`, once the walk has made it. */
  const answer = async (start: number) => {
    for (;;) {
      const at = pending.findIndex((p) => p.start === start);
      if (at >= 0) return pending.splice(at, 1)[0]!.resolve();
      await tick();
    }
  };
  return { log, signals, load, answer };
}

describe('walkPages, with a loader that hints the next cursor from the head of a reply', () => {
  it('requests the next page on the hint, before this one is answered, once the loop is scanning', async () => {
    const p = hinting(12, 3);
    const walk = walkPages(p.load, {});
    const first = walk.next();
    await tick();
    expect(p.log).toEqual(['load 0']); // the first page's hint is not used: a loop may end in it
    await p.answer(0);
    expect((await first).value).toBe(0);
    await walk.next();
    await walk.next();
    const fourth = walk.next();
    await tick();
    // Page 3 is requested as the loop reaches it, and page 6 on its hint, page 3 still unanswered.
    expect(p.log).toEqual(['load 0', 'load 3', 'load 6']);
    await p.answer(3);
    expect((await fourth).value).toBe(3);
    await tick();
    // Page 6's hint waits until the loop is in page 6: never two pages beyond.
    expect(p.log).toEqual(['load 0', 'load 3', 'load 6']);
    await walk.next();
    await walk.next();
    const seventh = walk.next();
    await tick();
    expect(p.log).toEqual(['load 0', 'load 3', 'load 6', 'load 9']);
    await p.answer(6);
    expect((await seventh).value).toBe(6);
    await walk.return(undefined);
    expect(p.signals.get(9)!.aborted).toBe(true); // a loop that breaks cancels the page requested on a hint
  });

  it('a wrong hint: the request made on it is cancelled and the right page loaded, every entry once', async () => {
    const p = hinting(12, 3, (start, next) => (start === 3 ? 100 : next));
    const seen: number[] = [];
    const walking = (async () => {
      for await (const n of walkPages(p.load, {})) seen.push(n);
    })();
    for (const start of [0, 3, 6, 9]) await p.answer(start);
    await walking;
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(p.log).toEqual(['load 0', 'load 3', 'load 100', 'load 6', 'load 9']);
    expect(p.signals.get(100)!.aborted).toBe(true);
  });

  it('a hint on the last page: the request made on it is cancelled and the walk ends', async () => {
    const p = hinting(6, 3, (start, next) => next ?? start + 3);
    const seen: number[] = [];
    const walking = (async () => {
      for await (const n of walkPages(p.load, {})) seen.push(n);
    })();
    for (const start of [0, 3]) await p.answer(start);
    await walking;
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(p.log).toEqual(['load 0', 'load 3', 'load 6']);
    expect(p.signals.get(6)!.aborted).toBe(true);
  });

  it('with readAhead: false, hints are not used', async () => {
    const p = hinting(9, 3);
    const walking = (async () => {
      for await (const n of walkPages(p.load, { readAhead: false })) p.log.push(`got ${n}`);
    })();
    for (const start of [0, 3, 6]) await p.answer(start);
    await walking;
    expect(p.log).toEqual(['load 0', 'got 0', 'got 1', 'got 2', 'load 3', 'got 3', 'got 4', 'got 5', 'load 6', 'got 6', 'got 7', 'got 8']);
  });

  it('a long walk leaves no listener behind on a signal for each page it requested', async () => {
    const p = hinting(300, 3);
    // Every listener added to any signal while the walk runs, counted per signal.
    const live = new Map<AbortSignal, number>();
    let most = 0;
    const { addEventListener: add, removeEventListener: remove } = AbortSignal.prototype;
    AbortSignal.prototype.addEventListener = function (this: AbortSignal, ...args: Parameters<AbortSignal['addEventListener']>) {
      live.set(this, (live.get(this) ?? 0) + 1);
      most = Math.max(most, live.get(this)!);
      return add.apply(this, args);
    } as AbortSignal['addEventListener'];
    AbortSignal.prototype.removeEventListener = function (this: AbortSignal, ...args: Parameters<AbortSignal['removeEventListener']>) {
      live.set(this, (live.get(this) ?? 0) - 1);
      return remove.apply(this, args);
    } as AbortSignal['removeEventListener'];
    try {
      const walking = (async () => {
        let n = 0;
        for await (const _ of walkPages(p.load, {})) n++;
        return n;
      })();
      for (let start = 0; start < 300; start += 3) await p.answer(start);
      expect(await walking).toBe(300);
    } finally {
      Object.assign(AbortSignal.prototype, { addEventListener: add, removeEventListener: remove });
    }
    expect(p.log).toHaveLength(100);
    // At most the page in hand and the one ahead are linked to the walk at a time: not one per page.
    expect(most).toBeLessThanOrEqual(3);
  });
});

// Median and spread of repeated measurements, and interleaved rounds: every round runs each
// contender once, in a rotated order, so drift on a noisy machine hits all of them alike.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface Summary {
  median: number;
  /** (max - min) / median over the rounds, as a fraction. */
  spread: number;
  runs: number[];
}

export function summarize(runs: number[]): Summary {
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, spread: median ? (sorted[sorted.length - 1]! - sorted[0]!) / median : 0, runs };
}

/**
 * The median of round-by-round ratios `a[r] / b[r]` (two contenders measured in the same
 * interleaved rounds); undefined when a round has no usable pair.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number | undefined {
  if (!a.length || a.length !== b.length || b.some((x) => !x)) return undefined;
  return summarize(a.map((x, r) => x / b[r]!)).median;
}

/** Runs `measure(name)` for each contender, `rounds` times, rotating the order each round. */
export async function interleaved<N extends string>(
  names: readonly N[],
  rounds: number,
  measure: (name: N, round: number) => Promise<number>,
): Promise<Record<N, Summary>> {
  const runs = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<N, number[]>;
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length]!;
      runs[name].push(await measure(name, r));
    }
  }
  return Object.fromEntries(names.map((n) => [n, summarize(runs[n])])) as Record<N, Summary>;
}

/** `total` calls of `op(i)` with `concurrency` in flight; returns operations per second. */
export async function opsPerSecond(total: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < total) await op(next++);
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total / ((performance.now() - started) / 1000);
}

/** Bytes per second → MB/s (10^6). */
export const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

/** One measurement: throughput (ops/s, MB/s, …) and the client's CPU per unit of work. */
export interface Measured {
  value: number;
  cpu: number;
}
export interface Cost {
  value: Summary;
  cpu: Summary;
}

/** This process's CPU time (user + system, µs) while `fn` runs. */
export async function cpuDuring<T>(fn: () => Promise<T>): Promise<{ result: T; cpuMicros: number }> {
  const before = process.cpuUsage();
  const result = await fn();
  const used = process.cpuUsage(before);
  return { result, cpuMicros: used.user + used.system };
}

/** As `interleaved`, for measurements that also report client CPU. */
export async function interleavedCost<N extends string>(
  names: readonly N[],
  rounds: number,
  measure: (name: N, round: number) => Promise<Measured>,
): Promise<Record<N, Cost>> {
  const runs = Object.fromEntries(names.map((n) => [n, [] as Measured[]])) as Record<N, Measured[]>;
  await interleaved(names, rounds, async (name, round) => {
    runs[name].push(await measure(name, round));
    return 0;
  });
  return Object.fromEntries(names.map((n) => [n, { value: summarize(runs[n].map((m) => m.value)), cpu: summarize(runs[n].map((m) => m.cpu)) }])) as Record<N, Cost>;
}

/** V8's full collection, exposed at run time (the benchmark runs without --expose-gc). */
let collect: (() => void) | undefined;
function fullGc(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

/**
 * cpuDuring for one large operation, with the garbage it makes collected inside the window and
 * everything before it collected outside: a single 64 MiB get otherwise leaves its collection
 * (or inherits the previous contender's) at random, which made one contender look 5x cheaper.
 */
export async function cpuDuringCollected<T>(fn: () => Promise<T>): Promise<{ result: T; cpuMicros: number; ms: number }> {
  fullGc();
  let ms = 0;
  const { result, cpuMicros } = await cpuDuring(async () => {
    const t = performance.now();
    const out = await fn();
    ms = performance.now() - t; // throughput: the operation only
    fullGc();
    return out;
  });
  return { result, cpuMicros, ms };
}

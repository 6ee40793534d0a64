// Timers of any length. setTimeout takes at most 2^31-1 ms: a longer delay (or Infinity) fires at
// once, after Node's TimeoutOverflowWarning. Long delays are chained; Infinity never fires.

/** The longest delay one setTimeout honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Call `fire` after `ms` milliseconds (any length; `Infinity` never). Returns the cancel function. */
export function startTimer(ms: number, fire: () => void): () => void {
  if (!(ms < Infinity)) return () => {};
  let handle: ReturnType<typeof setTimeout>;
  const wait = (left: number) => {
    handle = setTimeout(left > MAX_TIMER_MS ? () => wait(left - MAX_TIMER_MS) : fire, Math.min(left, MAX_TIMER_MS));
  };
  wait(ms);
  return () => clearTimeout(handle);
}

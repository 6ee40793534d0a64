// A tiny test harness for programs that run outside vitest (Deno, workerd): each test prints a
// ✓/✗ line, and the last line is `ADAPTER-REPORT {json}` for scripts/adapters/run.mjs to count.

export interface Outcome {
  name: string;
  ok: boolean;
  error?: string;
}

export async function runTests(tests: Array<[string, () => Promise<void>]>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const [name, fn] of tests) {
    try {
      await fn();
      outcomes.push({ name, ok: true });
    } catch (err) {
      outcomes.push({ name, ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    }
  }
  return outcomes;
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Deterministic bytes (xorshift), so a failure can be reproduced. */
export function patternBytes(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export async function rejects(promise: Promise<unknown>, check: (err: any) => boolean, message: string): Promise<void> {
  try {
    await promise;
  } catch (err) {
    if (check(err)) return;
    throw new Error(`${message}: got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
  throw new Error(`${message}: it succeeded`);
}

// A tiny test runner and assertion set for the conformance suite. It uses nothing but the
// language, so the same suite runs under vitest, in Deno, Bun and workerd, and in a browser.

export interface ConformanceTest {
  name: string;
  fn: () => Promise<void> | void;
}

export interface TestOutcome {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

export interface RunReport {
  runtime: string;
  passed: number;
  failed: number;
  tests: TestOutcome[];
}

export class AssertionError extends Error {
  override name = 'AssertionError';
}

/** Run tests one after another; a failing test never stops the others. */
export async function runTests(runtime: string, tests: ConformanceTest[], log: (line: string) => void = () => {}): Promise<RunReport> {
  const outcomes: TestOutcome[] = [];
  for (const t of tests) {
    const started = Date.now();
    try {
      await t.fn();
      outcomes.push({ name: t.name, ok: true, ms: Date.now() - started });
      log(`  ✓ ${t.name} (${Date.now() - started} ms)`);
    } catch (err) {
      const error = describeError(err);
      outcomes.push({ name: t.name, ok: false, ms: Date.now() - started, error });
      log(`  ✗ ${t.name} (${Date.now() - started} ms)\n      ${error.replace(/\n/g, '\n      ')}`);
    }
  }
  const passed = outcomes.filter((o) => o.ok).length;
  return { runtime, passed, failed: outcomes.length - passed, tests: outcomes };
}

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return `${err.name}${code ? ` [${String(code)}]` : ''}: ${err.message}`;
  }
  return String(err);
}

function show(value: unknown): string {
  if (value instanceof Uint8Array) {
    const head = Array.from(value.subarray(0, 16)).join(',');
    return `Uint8Array(${value.length})[${head}${value.length > 16 ? ',…' : ''}]`;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function ok(value: unknown, message = 'expected a truthy value'): asserts value {
  if (!value) throw new AssertionError(message);
}

export function equal<T>(actual: T, expected: T, what = 'value'): void {
  if (!Object.is(actual, expected)) throw new AssertionError(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

export function match(actual: string | undefined, pattern: RegExp, what = 'value'): void {
  if (typeof actual !== 'string' || !pattern.test(actual)) throw new AssertionError(`${what}: expected ${pattern}, got ${show(actual)}`);
}

/** Deep equality of plain data (objects, arrays, strings, numbers, booleans, null). */
export function deepEqual(actual: unknown, expected: unknown, what = 'value'): void {
  if (show(sortKeys(actual)) !== show(sortKeys(expected))) {
    throw new AssertionError(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export function bytesEqual(actual: Uint8Array, expected: Uint8Array, what = 'bytes'): void {
  if (!(actual instanceof Uint8Array)) throw new AssertionError(`${what}: expected a Uint8Array, got ${show(actual)}`);
  if (actual.length !== expected.length) throw new AssertionError(`${what}: expected ${expected.length} bytes, got ${actual.length}`);
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) throw new AssertionError(`${what}: first difference at byte ${i} (${actual[i]} ≠ ${expected[i]})`);
  }
}

/** The call must reject; returns the error for further checks. `name` is checked when given. */
export async function rejects(fn: () => Promise<unknown> | unknown, name?: string, what = 'call'): Promise<Error & Record<string, unknown>> {
  let result: unknown;
  try {
    result = await fn();
  } catch (err) {
    if (!(err instanceof Error)) throw new AssertionError(`${what}: rejected with a non-Error ${show(err)}`);
    if (name !== undefined && err.name !== name) throw new AssertionError(`${what}: expected ${name}, got ${describeError(err)}`);
    return err as Error & Record<string, unknown>;
  }
  throw new AssertionError(`${what}: expected ${name ?? 'an error'}, but it resolved with ${show(result)}`);
}

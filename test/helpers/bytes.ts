// Comparing byte arrays without vitest's element-by-element deep equality, which takes seconds
// (and a huge diff) on megabytes.
import { expect } from 'vitest';

/** `actual` holds exactly `expected`'s bytes; a mismatch names the lengths and the first differing offset. */
export function expectBytes(actual: Uint8Array, expected: Uint8Array, what = 'bytes'): void {
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  if (a.equals(b)) return;
  expect(a.byteLength, `${what}: length`).toBe(b.byteLength);
  const first = a.findIndex((byte, i) => byte !== b[i]);
  expect(first, `${what}: first differing byte`).toBe(-1);
}

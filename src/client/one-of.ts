// One check for the arguments that take one of a few fixed strings, so each call site is a list
// rather than a condition and a message of its own.

import { OSSArgumentError } from '../core/errors.js';

/** Refuse anything but one of `allowed`: `expected "A" or "B"` for two choices, `expected one of A, B, C` for more. */
export function assertOneOf<T extends string>(value: unknown, allowed: readonly T[], argument: string): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new OSSArgumentError(argument, allowed[2] ? `expected one of ${allowed.join(', ')}` : `expected "${allowed[0]}" or "${allowed[1]}"`);
  }
}

// Rules checked before anything is sent, so bad input fails fast with the argument named.

import { OSSArgumentError } from './errors.js';

const BUCKET_RE = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const REGION_RE = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;
const encoder = new TextEncoder();

export function assertBucketName(name: unknown, argument = 'bucket'): asserts name is string {
  if (typeof name !== 'string') throw new OSSArgumentError(argument, `expected a string, got ${typeName(name)}`);
  if (!BUCKET_RE.test(name)) {
    throw new OSSArgumentError(
      argument,
      `"${name}" is not a valid bucket name (3-63 characters: lower-case letters, digits and "-", starting and ending with a letter or digit)`,
    );
  }
}

/** Object keys: UTF-8, 1-1023 bytes, not starting with "/" or "\". */
export function assertObjectKey(key: unknown, argument = 'name'): asserts key is string {
  if (typeof key !== 'string') throw new OSSArgumentError(argument, `expected an object key string, got ${typeName(key)}`);
  if (key.length === 0) throw new OSSArgumentError(argument, 'the object key must not be empty');
  if (key[0] === '/' || key[0] === '\\') {
    throw new OSSArgumentError(argument, `the object key must not start with "${key[0]}"`);
  }
  if (!key.isWellFormed()) throw new OSSArgumentError(argument, 'the object key contains a lone surrogate and has no UTF-8 form');
  const bytes = encoder.encode(key).length;
  if (bytes > 1023) throw new OSSArgumentError(argument, `the object key is ${bytes} bytes of UTF-8; at most 1023 are allowed`);
}

/**
 * Accepts both spellings, `oss-cn-hangzhou` and `cn-hangzhou`, and returns the plain region id
 * (the V4 scope's form).
 */
export function normalizeRegion(region: unknown, argument = 'region'): string {
  if (typeof region !== 'string') throw new OSSArgumentError(argument, `expected a string like "cn-hangzhou", got ${typeName(region)}`);
  const plain = region.startsWith('oss-') ? region.slice(4) : region;
  if (!REGION_RE.test(plain) || plain.startsWith('oss-')) {
    throw new OSSArgumentError(argument, `"${region}" is not a region id (expected e.g. "cn-hangzhou" or "oss-cn-hangzhou")`);
  }
  return plain;
}

export function assertInteger(value: unknown, argument: string, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new OSSArgumentError(argument, `expected an integer from ${min} to ${max}, got ${describe(value)}`);
  }
}

export function assertOptionalString(value: unknown, argument: string): asserts value is string | undefined {
  if (value !== undefined && typeof value !== 'string') {
    throw new OSSArgumentError(argument, `expected a string, got ${typeName(value)}`);
  }
}

export function assertPlainObject(value: unknown, argument: string): asserts value is Record<string, unknown> | undefined {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new OSSArgumentError(argument, `expected an object, got ${typeName(value)}`);
  }
}

/** User metadata: names of letters, digits and "-", total of names and values at most 8 KB. */
export function assertMeta(meta: unknown, argument = 'meta'): asserts meta is Record<string, string | number> | undefined {
  assertPlainObject(meta, argument);
  if (!meta) return;
  let total = 0;
  for (const [name, value] of Object.entries(meta)) {
    if (!/^[A-Za-z0-9-]+$/.test(name)) {
      throw new OSSArgumentError(`${argument}.${name}`, 'metadata names may contain only letters, digits and "-"');
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new OSSArgumentError(`${argument}.${name}`, `expected a string, got ${typeName(value)}`);
    }
    if (/[\r\n]/.test(String(value))) throw new OSSArgumentError(`${argument}.${name}`, 'metadata values must not contain line breaks');
    total += encoder.encode(name).length + encoder.encode(String(value)).length;
  }
  if (total > 8192) throw new OSSArgumentError(argument, `user metadata is ${total} bytes; at most 8192 are allowed`);
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeName(value);
}

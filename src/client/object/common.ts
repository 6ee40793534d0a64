// Pieces shared by the object operations.

import { decodeHeaderByteString, decodeUriComponentSafe, encodeQueryComponent, encodeUriPath } from '../../core/encoding.js';
import { OSSArgumentError } from '../../core/errors.js';
import { assertPlainObject, typeName } from '../../core/validate.js';
import { child, text, type XmlValue } from '../../core/xml.js';
import type { OSSCore } from '../core.js';
import type { Duration } from '../../core/duration.js';
import type { AliOssCallNames } from '../ali-oss-names.js';

export interface CallOptions extends AliOssCallNames {
  /** Bucket of this call (default: the client's). */
  bucket?: string;
  signal?: AbortSignal;
  /** Timeout of this call: ms or a duration string (`'60s'`, `'2m'`); `0` or `Infinity`: none. */
  timeout?: Duration;
}

/** Options of a call that can address an older version of the object (versioned buckets). */
export interface VersionedCallOptions extends CallOptions {
  /** The version to act on (from `x-oss-version-id` or listObjectVersions); default the current one. */
  versionId?: string;
}

/** The options' `versionId`, checked; undefined (left out of the query) for the current version. */
export function versionOf({ versionId }: { versionId?: unknown }): string | undefined {
  if (versionId !== undefined && (typeof versionId !== 'string' || !versionId)) throw new OSSArgumentError('options.versionId', 'expected a non-empty string');
  return versionId;
}

/** `x-oss-copy-source`: `/bucket/key` (key encoded as ali-oss does), `?versionId=` for a version. */
export function copySourceHeader(bucket: string, key: string, options: { versionId?: unknown }): string {
  const versionId = versionOf(options);
  return `/${bucket}/${encodeQueryComponent(key)}${versionId ? `?versionId=${encodeQueryComponent(versionId)}` : ''}`;
}

export type StorageClass = 'Standard' | 'IA' | 'Archive' | 'ColdArchive' | 'DeepColdArchive';

const STORAGE_CLASSES: readonly string[] = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];

export function assertStorageClass(value: unknown, argument: string): asserts value is StorageClass | undefined {
  if (value !== undefined && !STORAGE_CLASSES.includes(value as string)) {
    throw new OSSArgumentError(argument, `expected one of ${STORAGE_CLASSES.join(', ')}`);
  }
}

/**
 * Caller-given headers, checked (string or number values without line breaks) and with
 * lower-case names, so that a later default never duplicates `Content-Type` as `content-type`.
 */
export function headerRecord(headers: unknown, argument: string): Record<string, string> {
  assertPlainObject(headers, argument);
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new OSSArgumentError(`${argument}.${name}`, `expected a string, got ${typeName(value)}`);
    }
    if (/[\r\n]/.test(String(value))) throw new OSSArgumentError(`${argument}.${name}`, 'header values must not contain line breaks');
    out[name.toLowerCase()] = String(value);
  }
  return out;
}

export function metaHeaders(meta: Record<string, string | number> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (meta) for (const [k, v] of Object.entries(meta)) out[`x-oss-meta-${k.toLowerCase()}`] = String(v);
  return out;
}

/** User metadata from response headers, names without the prefix. */
export function metaFromHeaders(headers: Record<string, string>): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k.startsWith('x-oss-meta-')) meta[k.slice(11)] = decodeHeaderByteString(v);
  return meta;
}

/** Headers a GET can have the server answer with instead of the stored ones (`response-*`). */
const RESPONSE_HEADERS: readonly string[] = [
  'content-type', 'content-language', 'expires', 'cache-control', 'content-disposition', 'content-encoding',
];

export type ResponseHeaderOverrides = Partial<Record<
  'content-type' | 'content-language' | 'expires' | 'cache-control' | 'content-disposition' | 'content-encoding', string
>>;

/** `{ 'content-type': 'text/plain' }` → `{ 'response-content-type': 'text/plain' }`, checked. */
export function responseQuery(response: unknown, argument: string): Record<string, string> {
  const headers = headerRecord(response, argument);
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!RESPONSE_HEADERS.includes(name)) throw new OSSArgumentError(`${argument}.${name}`, `expected one of ${RESPONSE_HEADERS.join(', ')}`);
    query[`response-${name}`] = value;
  }
  return query;
}

/**
 * A listed object's URL. Informational, so a key with "." or ".." segments (legal on OSS, but no
 * URL carries them unchanged) gets one written literally instead of failing the whole listing.
 */
export function listedUrl(core: OSSCore, bucket: string, name: string): string {
  return core.url(bucket) + encodeUriPath(name);
}

/**
 * Keys come back percent-encoded when `encoding-type=url` was asked for: the decoder for a
 * listing result. `strict` decodes with decodeURIComponent, which throws on a malformed escape.
 */
export function keyDecoder(node: XmlValue | undefined, strict = false): (s: string) => string {
  return text(child(node, 'EncodingType')) !== 'url' ? (s) => s : strict ? decodeURIComponent : (s) => decodeUriComponentSafe(s);
}

/** A listed object's restore state, as ali-oss gives it. */
export interface RestoreInfo {
  /** A RestoreObject is still running. */
  ongoingRequest: boolean;
  /** When the restored copy stops being readable (once the restore is done). */
  expiryDate?: Date;
}

/** OSS's `ongoing-request="false", expiry-date="Sat, 05 Dec 2026 10:00:00 GMT"` as a RestoreInfo. */
export function restoreInfoOf(value: string | undefined): RestoreInfo | undefined {
  if (!value) return undefined;
  const ongoingRequest = /ongoing-request="true"/.test(value);
  const expiry = /expiry-date="([^"]+)"/.exec(value)?.[1];
  return ongoingRequest || !expiry ? { ongoingRequest } : { ongoingRequest, expiryDate: new Date(expiry) };
}

// Walkers over the paged listings listAll does not cover: ListObjectsV2 (continuation tokens) and
// object versions (key and version-id markers). Like listAll, they request the next page only
// when the loop asks for it, and stop when it breaks.

import { compareUtf8 } from '../../core/order.js';
import { assertInteger, assertOptionalString, assertPlainObject } from '../../core/validate.js';
import type { OSSCore } from '../core.js';
import { listObjectVersions, type DeleteMarkerEntry, type ObjectVersion } from '../bucket/versioning.js';
import { listV2, type ListAllOptions, type ListEntry } from './list.js';

export interface ListAllV2Options extends ListAllOptions {
  /** Start after this key. */
  startAfter?: string;
  /** Include each object's owner. */
  fetchOwner?: boolean;
}

/**
 * Every object under a prefix through ListObjectsV2, page by page; with a delimiter, common
 * prefixes too (`{ name, isPrefix: true }`), in key order.
 * @example for await (const obj of listAllV2(core, { prefix: 'logs/', startAfter: 'logs/2024' })) console.log(obj.name)
 */
export async function* listAllV2(core: OSSCore, options: ListAllV2Options = {}): AsyncGenerator<ListEntry, void, undefined> {
  assertPlainObject(options, 'options');
  const pageSize = options.pageSize ?? 1000;
  assertInteger(pageSize, 'options.pageSize', 1, 1000);
  assertOptionalString(options.startAfter, 'options.startAfter');
  let token: string | undefined;
  for (;;) {
    const page = await listV2(core, {
      prefix: options.prefix, delimiter: options.delimiter, 'max-keys': pageSize, 'continuation-token': token,
      ...(token === undefined && options.startAfter !== undefined ? { 'start-after': options.startAfter } : {}),
      ...(options.fetchOwner !== undefined ? { 'fetch-owner': options.fetchOwner } : {}),
    }, { bucket: options.bucket, signal: options.signal, timeout: options.timeout });
    const entries: ListEntry[] = [...page.objects, ...page.prefixes.map((name) => ({ name, isPrefix: true as const }))];
    if (page.prefixes.length) entries.sort((a, b) => compareUtf8(a.name, b.name));
    yield* entries;
    if (!page.isTruncated || !page.nextContinuationToken) return;
    token = page.nextContinuationToken;
  }
}

/** One item of listAllVersions: a version, a delete marker (`isDeleteMarker: true`), or a common prefix. */
export type VersionEntry =
  | (ObjectVersion & { isDeleteMarker: false })
  | (DeleteMarkerEntry & { isDeleteMarker: true })
  | { name: string; isPrefix: true };

/**
 * Every version and delete marker under a prefix, page by page: each key's entries newest first,
 * keys in order, as OSS lists them.
 * @example for await (const v of listAllVersions(core, { prefix: 'docs/' })) if (!v.isPrefix && !v.isLatest) console.log(v.name, v.versionId)
 */
export async function* listAllVersions(core: OSSCore, options: ListAllOptions = {}): AsyncGenerator<VersionEntry, void, undefined> {
  assertPlainObject(options, 'options');
  const pageSize = options.pageSize ?? 1000;
  assertInteger(pageSize, 'options.pageSize', 1, 1000);
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await listObjectVersions(core, {
      prefix: options.prefix, delimiter: options.delimiter, maxKeys: pageSize, keyMarker, versionIdMarker,
    }, { bucket: options.bucket, signal: options.signal, timeout: options.timeout });
    const entries: VersionEntry[] = [
      ...page.objects.map((v) => ({ ...v, isDeleteMarker: false as const })),
      ...page.deleteMarker.map((m) => ({ ...m, isDeleteMarker: true as const })),
      ...page.prefixes.map((name) => ({ name, isPrefix: true as const })),
    ];
    // OSS's order: by key, and within a key newest first (markers and versions interleaved).
    entries.sort((a, b) => compareUtf8(a.name, b.name) || newest(a) - newest(b));
    yield* entries;
    if (!page.isTruncated || !page.nextKeyMarker) return;
    keyMarker = page.nextKeyMarker;
    versionIdMarker = page.nextVersionIdMarker ?? undefined;
  }
}

function newest(entry: VersionEntry): number {
  return 'lastModified' in entry ? -Date.parse(entry.lastModified) : 0;
}

// Walkers over the paged listings listAll does not cover: ListObjectsV2 (continuation tokens) and
// object versions (key and version-id markers). Like listAll, they read ahead once the loop has
// gone through a page (../pages.ts), and stop when it breaks.

import { compareUtf8 } from '../../core/order.js';
import { assertInteger, assertOptionalString } from '../../core/validate.js';
import { checkOptions } from '../call-options.js';
import type { OSSCore } from '../core.js';
import { inKeyOrder, walkPages } from '../pages.js';
import { listObjectVersions, type DeleteMarkerEntry, type ObjectVersion } from '../bucket/versioning.js';
import { listV2Page, type ListAllOptions, type ListEntry } from './list.js';

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
  checkOptions(options, 'bucket prefix delimiter pageSize startAfter fetchOwner readAhead');
  const pageSize = options.pageSize ?? 1000;
  assertInteger(pageSize, 'options.pageSize', 1, 1000);
  assertOptionalString(options.startAfter, 'options.startAfter');
  yield* walkPages(async (token: string | undefined, signal, hint) => {
    const page = await listV2Page(core, {
      prefix: options.prefix, delimiter: options.delimiter, 'max-keys': pageSize, 'continuation-token': token,
      ...(token === undefined && options.startAfter !== undefined ? { 'start-after': options.startAfter } : {}),
      ...(options.fetchOwner !== undefined ? { 'fetch-owner': options.fetchOwner } : {}),
    }, { bucket: options.bucket, signal, timeout: options.timeout }, hint);
    return { entries: inKeyOrder(page.objects, page.prefixes), next: (page.isTruncated && page.nextContinuationToken) || undefined };
  }, options);
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
  checkOptions(options, 'bucket prefix delimiter pageSize readAhead');
  const pageSize = options.pageSize ?? 1000;
  assertInteger(pageSize, 'options.pageSize', 1, 1000);
  yield* walkPages(async (at: { keyMarker: string; versionIdMarker?: string } | undefined, signal) => {
    const page = await listObjectVersions(core, {
      prefix: options.prefix, delimiter: options.delimiter, maxKeys: pageSize, ...at,
    }, { bucket: options.bucket, signal, timeout: options.timeout });
    const entries: VersionEntry[] = [
      ...page.objects.map((v) => ({ ...v, isDeleteMarker: false as const })),
      ...page.deleteMarker.map((m) => ({ ...m, isDeleteMarker: true as const })),
      ...page.prefixes.map((name) => ({ name, isPrefix: true as const })),
    ];
    // OSS's order: by key, and within a key newest first (markers and versions interleaved).
    entries.sort((a, b) => compareUtf8(a.name, b.name) || newest(a) - newest(b));
    const next = page.isTruncated && page.nextKeyMarker ? { keyMarker: page.nextKeyMarker, versionIdMarker: page.nextVersionIdMarker ?? undefined } : undefined;
    return { entries, next };
  }, options);
}

function newest(entry: VersionEntry): number {
  return 'lastModified' in entry ? -Date.parse(entry.lastModified) : 0;
}

// PutBucketLifecycle / GetBucketLifecycle / DeleteBucketLifecycle, and applyLifecycle: one pass of
// what OSS does in the background (expiration, transitions, noncurrent versions, stale delete
// markers, abandoned multipart uploads), run on demand so tests can watch it happen.

import { serverError } from '../../errors.js';
import type { RequestContext, ServerState } from '../../context.js';
import type { BucketRecord, ExtendedStorage, ObjectRecord } from '../../storage/types.js';
import { readXmlBody, xmlResponse } from '../common.js';
import { configRoutes } from './config-family.js';
import { getConfig } from './config-store.js';
import { lifecycleXml, parseLifecycle, type LifecycleRule, type LifecycleWhen } from './lifecycle-rules.js';
import { removeObject, versioningMode } from '../object/versions.js';

export const lifecycleRoutes = configRoutes({
  sub: 'lifecycle',
  name: 'lifecycle',
  read: async (ctx) => parseLifecycle(await readXmlBody(ctx), ctx.headers.get('x-oss-allow-same-action-overlap') === 'true'),
  missing: { code: 'NoSuchLifecycle', message: 'No Row found in Lifecycle Table.' },
  show: (rules) => xmlResponse('LifecycleConfiguration', lifecycleXml(rules)),
  remove: true,
});

// -- applying rules --

const DAY = 86_400_000;

/** OSS counts days from the last change and acts at the following midnight UTC. */
function dueAt(days: number, from: number): number {
  return Math.ceil((from + days * DAY) / DAY) * DAY;
}

function isDue(when: LifecycleWhen, lastModified: number, now: number): boolean {
  if (when.days !== undefined) return now >= dueAt(when.days, lastModified);
  return when.createdBeforeDate !== undefined && lastModified < Date.parse(when.createdBeforeDate);
}

/** Does the rule's scope (prefix, tags, filter) cover this object? */
function covers(rule: LifecycleRule, record: ObjectRecord): boolean {
  if (!record.key.startsWith(rule.prefix)) return false;
  if (!rule.tags.every((t) => record.tags[t.key] === t.value)) return false;
  const f = rule.filter;
  if (f?.not && record.key.startsWith(f.not.prefix) && (!f.not.tag || record.tags[f.not.tag.key] === f.not.tag.value)) return false;
  if (f?.objectSizeGreaterThan !== undefined && !(record.size > f.objectSizeGreaterThan)) return false;
  if (f?.objectSizeLessThan !== undefined && !(record.size < f.objectSizeLessThan)) return false;
  return true;
}

export interface LifecycleReport {
  /** Current objects expired: deleted, or hidden by a delete marker in a versioned bucket. */
  expired: Array<{ bucket: string; key: string }>;
  transitioned: Array<{ bucket: string; key: string; storageClass: string }>;
  /** Noncurrent versions and lone delete markers removed for good. */
  removedVersions: Array<{ bucket: string; key: string; versionId: string }>;
  abortedUploads: Array<{ bucket: string; key: string; uploadId: string }>;
}

/**
 * Apply every bucket's enabled lifecycle rules as of `now` (ms). Returns what it did.
 * @example const report = await applyLifecycle(handler.state, Date.UTC(2030, 0, 1))
 */
export async function applyLifecycle(state: ServerState, now: number = state.now()): Promise<LifecycleReport> {
  const report: LifecycleReport = { expired: [], transitioned: [], removedVersions: [], abortedUploads: [] };
  for (const bucket of await state.storage.listBuckets()) {
    const rules = (getConfig(bucket, 'lifecycle') ?? []).filter((r) => r.status === 'Enabled');
    if (!rules.length) continue;
    await applyToCurrent(state, bucket, rules, now, report);
    const store = state.storage as Partial<ExtendedStorage>;
    if (typeof store.listObjectVersions === 'function' && versioningMode(bucket) !== 'off') {
      await applyToVersions(state.storage as ExtendedStorage, bucket, rules, now, report);
    }
    if (typeof store.listUploads === 'function') await abortUploads(state.storage as ExtendedStorage, bucket, rules, now, report);
  }
  return report;
}

async function applyToCurrent(state: ServerState, bucket: BucketRecord, rules: LifecycleRule[], now: number, report: LifecycleReport): Promise<void> {
  const records: ObjectRecord[] = [];
  for await (const record of state.storage.listObjects(bucket.name)) records.push(record);
  for (const record of records) {
    const applicable = rules.filter((r) => covers(r, record));
    const expire = applicable.some((r) => r.expiration && !r.expiration.expiredObjectDeleteMarker && isDue(r.expiration, record.lastModified, now));
    if (expire) {
      await removeObject({ ...state, now: () => now }, bucket, record.key);
      report.expired.push({ bucket: bucket.name, key: record.key });
      continue;
    }
    // The latest transition that is due decides the class.
    let target: { at: number; storageClass: string } | undefined;
    for (const r of applicable) {
      for (const t of r.transitions) {
        if (!isDue(t, record.lastModified, now)) continue;
        const at = t.days !== undefined ? dueAt(t.days, record.lastModified) : Date.parse(t.createdBeforeDate!);
        if (!target || at > target.at) target = { at, storageClass: t.storageClass };
      }
    }
    if (target && target.storageClass !== record.storageClass) {
      await state.storage.updateObjectRecord(bucket.name, { ...record, storageClass: target.storageClass });
      report.transitioned.push({ bucket: bucket.name, key: record.key, storageClass: target.storageClass });
    }
  }
}

/** Noncurrent versions past NoncurrentDays, and delete markers left with no versions behind them. */
async function applyToVersions(store: ExtendedStorage, bucket: BucketRecord, rules: LifecycleRule[], now: number, report: LifecycleReport): Promise<void> {
  const byKey = new Map<string, ObjectRecord[]>();
  for await (const record of store.listObjectVersions(bucket.name)) {
    const list = byKey.get(record.key) ?? [];
    list.push(record);
    byKey.set(record.key, list);
  }
  const remove = async (record: ObjectRecord) => {
    const versionId = record.versionId ?? 'null';
    await store.deleteObjectVersion(bucket.name, record.key, versionId);
    report.removedVersions.push({ bucket: bucket.name, key: record.key, versionId });
  };
  for (const versions of byKey.values()) {
    const applicable = rules.filter((r) => covers(r, versions[0]!));
    // A version becomes noncurrent when the next newer one is written.
    let removedAll = true;
    for (let i = 1; i < versions.length; i++) {
      const since = versions[i - 1]!.lastModified;
      const expire = applicable.some((r) => r.noncurrentVersionExpiration && now >= dueAt(r.noncurrentVersionExpiration.noncurrentDays, since));
      if (expire) await remove(versions[i]!);
      else removedAll = false;
    }
    const current = versions[0]!;
    if (current.deleteMarker && removedAll && applicable.some((r) => r.expiration?.expiredObjectDeleteMarker)) await remove(current);
  }
}

async function abortUploads(store: ExtendedStorage, bucket: BucketRecord, rules: LifecycleRule[], now: number, report: LifecycleReport): Promise<void> {
  for (const upload of await store.listUploads(bucket.name)) {
    const due = rules.some((r) => r.abortMultipartUpload && upload.key.startsWith(r.prefix) && isDue(r.abortMultipartUpload, upload.initiated, now));
    if (due && (await store.abortUpload(bucket.name, upload.uploadId))) {
      report.abortedUploads.push({ bucket: bucket.name, key: upload.key, uploadId: upload.uploadId });
    }
  }
}

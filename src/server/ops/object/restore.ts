// RestoreObject: archived objects are readable only while a restored copy exists; the GetObject
// hook that refuses the others, and the restore priority header.

import { child, text } from '../../../core/xml.js';
import { ServerError, serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import type { ObjectRecord } from '../../storage/types.js';
import { emptyResponse, loadBucket, readXmlBody } from '../common.js';
import { defineRoute, type RouteDef } from '../routes.js';
import { ARCHIVE_CLASSES, restoreState, type RestoreState } from './restore-state.js';
import { loadRecord, versionHeaders } from './versions.js';

const DAY_MS = 86_400_000;
const MAX_RESTORE_DAYS: Record<string, number> = { Archive: 7, ColdArchive: 365, DeepColdArchive: 365 };
const TIERS: Record<string, string[]> = {
  ColdArchive: ['Expedited', 'Standard', 'Bulk'],
  DeepColdArchive: ['Expedited', 'Standard'],
};

/**
 * Days (default 1) and, for cold archives, the Tier (default Standard) of the optional
 * `<RestoreRequest>` body (https://help.aliyun.com/en/oss/developer-reference/restoreobject).
 * JobParameters on an Archive object is MalformedXML, as live OSS answers it
 * (aliyun-oss-python-sdk's test_restore_archive_object_with_job_parameters).
 */
async function restoreRequest(ctx: RequestContext, storageClass: string): Promise<{ days: number; tier: string | undefined }> {
  const tiers = TIERS[storageClass];
  const defaultTier = tiers ? 'Standard' : undefined;
  if (!ctx.request.body || ctx.headers.get('content-length') === '0') return { days: 1, tier: defaultTier };
  const doc = await readXmlBody(ctx);
  if (doc.RestoreRequest === undefined) throw serverError('MalformedXML');
  const rawDays = text(child(doc.RestoreRequest, 'Days'));
  const days = rawDays === undefined ? 1 : Number(rawDays);
  const max = MAX_RESTORE_DAYS[storageClass]!;
  if (!Number.isInteger(days) || days < 1 || days > max) {
    throw serverError('InvalidArgument', { ArgumentName: 'Days', ArgumentValue: rawDays ?? '' }, `Days must be an integer from 1 to ${max} for ${storageClass} objects.`);
  }
  const jobParameters = child(doc.RestoreRequest, 'JobParameters');
  if (jobParameters !== undefined && !tiers) throw serverError('MalformedXML');
  const tier = text(child(jobParameters, 'Tier'));
  if (tier !== undefined && tiers && !tiers.includes(tier)) {
    throw serverError('InvalidArgument', { ArgumentName: 'Tier', ArgumentValue: tier }, `Tier must be one of ${tiers.join(', ')}.`);
  }
  return { days, tier: tier ?? defaultTier };
}

/** The restore priority header: cold archives only, as RestoreObject documents it. */
export function priorityHeader(state: RestoreState | undefined): Record<string, string> {
  return state?.tier === undefined ? {} : { 'x-oss-object-restore-priority': state.tier };
}

export async function restoreObject(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  const record = await loadRecord(ctx, bucket, 'write');
  if (!ARCHIVE_CLASSES.has(record.storageClass)) {
    throw serverError('OperationNotSupported', {}, `The operation is not supported for ${record.storageClass} objects.`);
  }
  const { days, tier } = await restoreRequest(ctx, record.storageClass);
  const now = ctx.state.now();
  const state = restoreState(record);
  if (state && now < state.readyAt) throw serverError('RestoreAlreadyInProgress', {}, 'The restore operation is in progress.');
  const restored = state !== undefined && now < state.expiresAt;
  // A restored copy gets its days counted again from now; a frozen object starts a restore.
  const next: RestoreState = restored
    ? { readyAt: state.readyAt, expiresAt: now + days * DAY_MS, ...(state.tier !== undefined ? { tier: state.tier } : {}) }
    : { readyAt: now + ctx.state.restoreDelayMs, expiresAt: now + ctx.state.restoreDelayMs + days * DAY_MS, ...(tier !== undefined ? { tier } : {}) };
  await ctx.state.storage.updateObjectRecord(bucket.name, { ...record, extra: { ...record.extra, restore: next } });
  return emptyResponse(restored ? 200 : 202, versionHeaders(record, priorityHeader(next)));
}

/**
 * GetObject hook (not HeadObject): archived objects are readable only while a restored copy
 * exists; otherwise 403 InvalidObjectState.
 */
export function checkReadable(record: ObjectRecord, now: number): void {
  if (!ARCHIVE_CLASSES.has(record.storageClass)) return;
  const state = restoreState(record);
  if (state && now >= state.readyAt && now < state.expiresAt) return;
  throw new ServerError('InvalidObjectState', "The operation is not valid for the object's state", {}, 403, '0016-00000404');
}

export const restoreRoutes: RouteDef[] = [defineRoute('object', 'POST', 'restore', restoreObject)];

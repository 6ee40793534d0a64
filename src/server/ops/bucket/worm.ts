// WORM retention (bucket level): InitiateBucketWorm (POST /?worm), AbortBucketWorm (DELETE
// /?worm), CompleteBucketWorm (POST /?wormId=), ExtendBucketWorm (POST /?wormExtend&wormId=),
// GetBucketWorm (GET /?worm), and the retention itself: while a policy is in progress or locked,
// an object younger than the retention period can be neither overwritten nor deleted.

import { child, text } from '../../../core/xml.js';
import { ServerError, serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import type { BucketRecord, ExtendedStorage, ObjectRecord } from '../../storage/types.js';
import { emptyResponse, readXmlBody, xmlResponse } from '../common.js';
import { getConfig, setConfig, updateBucket, type WormConfig } from './config-store.js';
import { ownBucket, rootOf } from './config-family.js';
import { defineRoute, type RouteDef } from '../routes.js';

const DAY = 24 * 3600 * 1000;
const MAX_DAYS = 25550;

/** The bucket's policy, unless it is an InProgress one that was not completed within 24 h. */
function livePolicy(bucket: BucketRecord, now: number): WormConfig | undefined {
  const worm = getConfig(bucket, 'worm');
  if (!worm || (worm.state === 'InProgress' && now - worm.created > DAY)) return undefined;
  return worm;
}

function noSuchWorm(bucket: string) {
  return serverError('NoSuchWORMConfiguration', { BucketName: bucket }, 'The WORM Configuration does not exist.');
}

function daysOf(doc: Awaited<ReturnType<typeof readXmlBody>>, rootName: string): number {
  const raw = text(child(rootOf(doc, rootName), 'RetentionPeriodInDays'))?.trim();
  if (raw === undefined) throw serverError('MalformedXML');
  const days = Number(raw);
  if (!/^\d+$/.test(raw) || days < 1 || days > MAX_DAYS) {
    throw serverError('InvalidArgument', { ArgumentName: 'RetentionPeriodInDays', ArgumentValue: raw }, `RetentionPeriodInDays must be an integer from 1 to ${MAX_DAYS}.`);
  }
  return days;
}

/** A policy that names another id (or none where one is expected) does not exist for the caller. */
function policyWithId(ctx: RequestContext, bucket: BucketRecord): WormConfig {
  const worm = livePolicy(bucket, ctx.state.now());
  if (!worm || worm.id !== ctx.query.get('wormId')) throw noSuchWorm(bucket.name);
  return worm;
}

async function initiateBucketWorm(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const days = daysOf(await readXmlBody(ctx), 'InitiateWormConfiguration');
  const now = ctx.state.now();
  if (livePolicy(bucket, now)) throw serverError('InvalidWORMConfiguration', { BucketName: bucket.name }, 'The bucket already has a WORM configuration.');
  const worm: WormConfig = { id: crypto.randomUUID().replace(/-/g, '').toUpperCase(), state: 'InProgress', days, created: now };
  await setConfig(ctx.state.storage, bucket.name, 'worm', worm);
  return emptyResponse(200, { 'x-oss-worm-id': worm.id });
}

async function abortBucketWorm(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const worm = livePolicy(bucket, ctx.state.now());
  if (!worm) throw noSuchWorm(bucket.name);
  if (worm.state === 'Locked') throw serverError('WORMConfigurationLocked', { BucketName: bucket.name }, 'The WORM Configuration is locked.');
  await setConfig(ctx.state.storage, bucket.name, 'worm', undefined);
  return emptyResponse(204);
}

async function completeBucketWorm(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const worm = policyWithId(ctx, bucket);
  await setConfig(ctx.state.storage, bucket.name, 'worm', { ...worm, state: 'Locked' });
  return emptyResponse(200);
}

async function extendBucketWorm(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const days = daysOf(await readXmlBody(ctx), 'ExtendWormConfiguration');
  const worm = policyWithId(ctx, bucket);
  if (worm.state !== 'Locked') throw serverError('InvalidWORMConfiguration', { BucketName: bucket.name }, 'Only a locked WORM Configuration can be extended.');
  if (days <= worm.days) {
    throw serverError('InvalidArgument', { ArgumentName: 'RetentionPeriodInDays', ArgumentValue: String(days) }, 'The retention period can only be extended.');
  }
  await updateBucket(ctx.state.storage, bucket.name, (b) => {
    b.config.worm = { ...worm, days };
  });
  return emptyResponse(200);
}

async function getBucketWorm(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const worm = livePolicy(bucket, ctx.state.now());
  if (!worm) throw noSuchWorm(bucket.name);
  return xmlResponse('WormConfiguration', {
    WormId: worm.id,
    State: worm.state,
    RetentionPeriodInDays: worm.days,
    // OSS's form: seconds, no zone designator.
    CreationDate: new Date(worm.created).toISOString().slice(0, 19),
  });
}

/**
 * Refuse to overwrite or delete an object still under the bucket's retention. On a versioned
 * bucket a write or delete without a version id only adds a version (or a delete marker), so
 * only removing a given version is checked.
 */
export async function checkRetention(ctx: RequestContext, bucket: BucketRecord, key: string, versionId?: string | null): Promise<void> {
  const now = ctx.state.now();
  const worm = livePolicy(bucket, now);
  if (!worm) return;
  let record: ObjectRecord | undefined;
  if (versionId) {
    const store = ctx.state.storage as Partial<ExtendedStorage>;
    record = await store.getObjectVersion?.(bucket.name, key, versionId);
  } else {
    if (getConfig(bucket, 'versioning') === 'Enabled') return;
    record = await ctx.state.storage.getObject(bucket.name, key);
  }
  if (!record || record.deleteMarker || record.lastModified + worm.days * DAY <= now) return;
  throw new ServerError('FileImmutable', 'The object is protected by the bucket\'s WORM retention policy and cannot be overwritten or deleted.', { Key: key }, 409, '0026-00000202');
}

export const wormRoutes: RouteDef[] = [
  defineRoute('bucket', 'POST', 'worm', initiateBucketWorm),
  defineRoute('bucket', 'DELETE', 'worm', abortBucketWorm),
  defineRoute('bucket', 'POST', 'wormId', completeBucketWorm),
  defineRoute('bucket', 'POST', 'wormExtend&wormId', extendBucketWorm),
  defineRoute('bucket', 'GET', 'worm', getBucketWorm),
];

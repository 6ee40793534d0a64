// WORM retention of a bucket: initiate a policy (InProgress for 24 h), lock it (complete) or drop
// it (abort), lengthen a locked one (extend), read it. While it holds, objects younger than the
// retention period can be read but neither overwritten nor deleted (FileImmutableError).

import { OSSArgumentError } from '../../core/errors.js';
import { assertInteger } from '../../core/validate.js';
import { buildXml, child, text } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { bucketCall, bucketXml, checkBucketCall, type BucketCallOptions } from './common.js';

const MAX_DAYS = 25550;

function assertWormId(wormId: unknown): asserts wormId is string {
  if (typeof wormId !== 'string' || !wormId) throw new OSSArgumentError('wormId', 'expected the WORM id string initiateBucketWorm returned');
}

/**
 * Start a retention policy of `days` (1-25550) days; it protects objects at once and lapses unless
 * completed within 24 hours.
 * @example const { wormId } = await initiateBucketWorm(core, 'my-bucket', 365)
 */
export async function initiateBucketWorm(core: OSSCore, name: string, days: number, options: BucketCallOptions = {}): Promise<{ wormId: string; status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  assertInteger(days, 'days', 1, MAX_DAYS);
  const body = buildXml('InitiateWormConfiguration', { RetentionPeriodInDays: days });
  const res = await bucketCall(core, name, { method: 'POST', sub: 'worm', body }, options);
  return { wormId: res.headers['x-oss-worm-id'] ?? '', status: res.status, res };
}

/**
 * Drop a policy that is still InProgress (a locked one is WORMConfigurationLockedError).
 * @example await abortBucketWorm(core, 'my-bucket')
 */
export async function abortBucketWorm(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<{ status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  const res = await bucketCall(core, name, { method: 'DELETE', sub: 'worm' }, options);
  return { status: res.status, res };
}

/**
 * Lock the policy: from now on it can be neither shortened nor removed.
 * @example await completeBucketWorm(core, 'my-bucket', wormId)
 */
export async function completeBucketWorm(core: OSSCore, name: string, wormId: string, options: BucketCallOptions = {}): Promise<{ status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  assertWormId(wormId);
  const res = await bucketCall(core, name, { method: 'POST', sub: 'wormId', subValue: wormId }, options);
  return { status: res.status, res };
}

/**
 * Lengthen a locked policy to `days` days (more than today's).
 * @example await extendBucketWorm(core, 'my-bucket', wormId, 730)
 */
export async function extendBucketWorm(core: OSSCore, name: string, wormId: string, days: number, options: BucketCallOptions = {}): Promise<{ status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  assertWormId(wormId);
  assertInteger(days, 'days', 1, MAX_DAYS);
  const body = buildXml('ExtendWormConfiguration', { RetentionPeriodInDays: days });
  const res = await bucketCall(core, name, { method: 'POST', sub: 'wormExtend', query: { wormId }, body }, options);
  return { status: res.status, res };
}

export interface GetBucketWormResult {
  wormId: string;
  /** `InProgress` or `Locked`. */
  state: string;
  /** Retention period in days, as a string (as ali-oss has it). */
  days: string;
  /** `2020-10-15T15:50:32` (UTC, no zone designator, as OSS sends it). */
  creationDate: string;
  status: number;
  res: ResponseInfo;
}

/**
 * The bucket's retention policy (`NoSuchWORMConfigurationError` when it has none).
 * @example const { state, days } = await getBucketWorm(core, 'my-bucket')
 */
export async function getBucketWorm(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<GetBucketWormResult> {
  checkBucketCall(name, options);
  const { doc, res } = await bucketXml(core, name, 'worm', options);
  const root = doc.WormConfiguration;
  const field = (n: string) => text(child(root, n)) ?? '';
  return {
    wormId: field('WormId'), state: field('State'), days: field('RetentionPeriodInDays'), creationDate: field('CreationDate'),
    status: res.status, res,
  };
}


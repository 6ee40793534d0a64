import { assertInteger, assertObjectKey } from '../../core/validate.js';
import { buildXml } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { discard } from '../read.js';
import { versionOf, type VersionedCallOptions } from './common.js';
import { checkOptions } from '../call-options.js';
import { assertOneOf } from '../one-of.js';

const TIERS: readonly string[] = ['Expedited', 'Standard', 'Bulk'];

export interface RestoreOptions extends VersionedCallOptions {
  /** How long the restored copy stays readable: 1-7 days for Archive, up to 365 for cold archives. */
  days?: number;
  /** Cold archives only: how fast to restore. */
  tier?: 'Expedited' | 'Standard' | 'Bulk';
  /** @deprecated ali-oss's spelling: use `days`. */
  Days?: never;
  /** @deprecated ali-oss's `{ Tier }`: use `tier`. */
  JobParameters?: never;
  /** @deprecated not needed: OSS knows whether the object is Archive or ColdArchive (give `tier` for cold archives). */
  type?: never;
}

export interface RestoreResult {
  /** 202: restore started; 200: already restored, its days now count from today. */
  status: number;
  res: ResponseInfo;
}

/**
 * Make an Archive/ColdArchive object readable again for a while. A restore in progress fails
 * with RestoreAlreadyInProgressError; HEAD's `x-oss-restore` header shows how it stands.
 * @example await restore(core, 'backups/2019.tar', { days: 2 })
 */
export async function restore(core: OSSCore, name: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  assertObjectKey(name);
  checkOptions(options, 'bucket days tier versionId');
  if (options.days !== undefined) assertInteger(options.days, 'options.days', 1, 365);
  if (options.tier !== undefined) assertOneOf(options.tier, TIERS, 'options.tier');
  const bucket = core.requireBucket(options.bucket);
  const body = options.days === undefined && options.tier === undefined
    ? undefined
    : buildXml('RestoreRequest', { Days: options.days, JobParameters: options.tier && { Tier: options.tier } });
  const raw = await core.request({
    method: 'POST', bucket, key: name, query: { restore: null, versionId: versionOf(options) }, headers: body ? { 'content-type': 'application/xml' } : {}, body,
    signal: options.signal, timeout: options.timeout,
  });
  const res = await discard(raw);
  return { status: res.status, res };
}

// How an archived object's restore stands, shared by HeadObject/GetObject (`x-oss-restore`,
// `x-oss-object-restore-priority`) and the listings (`<RestoreInfo>`), which must agree.

import type { ObjectRecord } from '../../storage/types.js';
import { httpDate } from '../common.js';

export const ARCHIVE_CLASSES = new Set(['Archive', 'ColdArchive', 'DeepColdArchive']);

export interface RestoreState {
  /** When the restored copy becomes readable (ms). */
  readyAt: number;
  /** When it goes back to frozen (ms). */
  expiresAt: number;
  /** ColdArchive/DeepColdArchive only: the JobParameters/Tier the restore runs at. */
  tier?: string;
}

export function restoreState(record: ObjectRecord): RestoreState | undefined {
  if (!ARCHIVE_CLASSES.has(record.storageClass)) return undefined;
  const state = record.extra?.restore as Partial<RestoreState> | undefined;
  if (typeof state?.readyAt !== 'number' || typeof state.expiresAt !== 'number') return undefined;
  return { readyAt: state.readyAt, expiresAt: state.expiresAt, ...(typeof state.tier === 'string' ? { tier: state.tier } : {}) };
}

/**
 * `ongoing-request="true"` while restoring, `ongoing-request="false", expiry-date="<GMT>"` once
 * restored, nothing for an object never restored or whose copy expired: the value of HEAD's
 * `x-oss-restore` and of the listings' `<RestoreInfo>`
 * (https://www.alibabacloud.com/help/en/oss/user-guide/how-do-i-check-whether-the-oss-file-is-unfrozen).
 */
export function restoreInfo(record: ObjectRecord, now: number): string | undefined {
  const state = restoreState(record);
  if (!state || now >= state.expiresAt) return undefined;
  if (now < state.readyAt) return 'ongoing-request="true"';
  return `ongoing-request="false", expiry-date="${httpDate(state.expiresAt)}"`;
}

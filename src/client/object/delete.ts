import { assertObjectKey } from '../../core/validate.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { discard } from '../read.js';
import { versionOf, type VersionedCallOptions } from './common.js';
import { checkOptions } from '../call-options.js';

/**
 * Delete an object. Deleting a key that does not exist succeeds, as on OSS. In a versioned
 * bucket this adds a delete marker; with `versionId` that version (or marker) goes for good.
 * @example await deleteObject(core, 'old.txt')
 * @example await deleteObject(core, 'old.txt', { versionId })
 */
export async function deleteObject(core: OSSCore, name: string, options: VersionedCallOptions = {}): Promise<{ res: ResponseInfo }> {
  assertObjectKey(name);
  checkOptions(options, 'bucket versionId');
  const bucket = core.requireBucket(options.bucket);
  const query = { versionId: versionOf(options) };
  const raw = await core.request({ method: 'DELETE', bucket, key: name, query, signal: options.signal, timeout: options.timeout });
  return { res: await discard(raw) };
}

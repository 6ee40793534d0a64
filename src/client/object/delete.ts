import { assertObjectKey, assertPlainObject } from '../../core/validate.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { discard } from '../read.js';
import type { CallOptions } from './common.js';

/**
 * Delete an object. Deleting a key that does not exist succeeds, as on OSS.
 * @example await deleteObject(core, 'old.txt')
 */
export async function deleteObject(core: OSSCore, name: string, options: CallOptions = {}): Promise<{ res: ResponseInfo }> {
  assertObjectKey(name);
  assertPlainObject(options, 'options');
  const bucket = core.requireBucket(options.bucket);
  const raw = await core.request({ method: 'DELETE', bucket, key: name, signal: options.signal, timeout: options.timeout });
  return { res: await discard(raw) };
}

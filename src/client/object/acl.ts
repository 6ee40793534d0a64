import { OSSArgumentError } from '../../core/errors.js';
import { assertObjectKey } from '../../core/validate.js';
import { child, text } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { discard, readXml } from '../read.js';
import { versionOf, type VersionedCallOptions } from './common.js';
import { checkOptions } from '../call-options.js';

/** `default` follows the bucket's ACL. */
export type ObjectACL = 'default' | 'private' | 'public-read' | 'public-read-write';

const OBJECT_ACLS: readonly string[] = ['default', 'private', 'public-read', 'public-read-write'];

export function assertObjectAcl(acl: unknown, argument: string): asserts acl is ObjectACL {
  if (typeof acl !== 'string' || !OBJECT_ACLS.includes(acl)) {
    throw new OSSArgumentError(argument, `expected one of ${OBJECT_ACLS.join(', ')}`);
  }
}

export interface GetACLResult {
  acl: ObjectACL;
  owner: { id: string; displayName: string };
  res: ResponseInfo;
}

/**
 * Set an object's ACL. `public-read` lets anyone download it, even from a private bucket.
 * @example await putACL(core, 'avatars/ann.png', 'public-read')
 */
export async function putACL(core: OSSCore, name: string, acl: ObjectACL, options: VersionedCallOptions = {}): Promise<{ res: ResponseInfo }> {
  assertObjectKey(name);
  assertObjectAcl(acl, 'acl');
  checkOptions(options, 'bucket versionId');
  const bucket = core.requireBucket(options.bucket);
  const raw = await core.request({
    method: 'PUT', bucket, key: name, query: { acl: null, versionId: versionOf(options) }, headers: { 'x-oss-object-acl': acl }, signal: options.signal, timeout: options.timeout,
  });
  return { res: await discard(raw) };
}

/**
 * An object's ACL and the owner.
 * @example const { acl } = await getACL(core, 'avatars/ann.png') // 'public-read'
 */
export async function getACL(core: OSSCore, name: string, options: VersionedCallOptions = {}): Promise<GetACLResult> {
  assertObjectKey(name);
  checkOptions(options, 'bucket versionId');
  const bucket = core.requireBucket(options.bucket);
  const raw = await core.request({ method: 'GET', bucket, key: name, query: { acl: null, versionId: versionOf(options) }, signal: options.signal, timeout: options.timeout });
  const { doc, res } = await readXml(raw);
  const policy = doc.AccessControlPolicy;
  const owner = child(policy, 'Owner');
  return {
    acl: (text(child(child(policy, 'AccessControlList'), 'Grant')) ?? 'default') as ObjectACL,
    owner: { id: text(child(owner, 'ID')) ?? '', displayName: text(child(owner, 'DisplayName')) ?? '' },
    res,
  };
}

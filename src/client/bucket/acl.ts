import { child, text } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { BUCKET_ACLS, type BucketACL } from './buckets.js';
import { bucketRequest, bucketXml, checkBucketCall, type BucketCallOptions } from './common.js';
import { discard } from '../read.js';
import { assertOneOf } from '../one-of.js';

/**
 * Set who may read and write the bucket's objects: `private`, `public-read` or
 * `public-read-write`. OSSClient also takes the 2015 form `putBucketACL(name, region, acl, options)`.
 * @example await putBucketACL(core, 'my-bucket', 'public-read')
 */
export async function putBucketACL(core: OSSCore, name: string, acl: BucketACL, options: BucketCallOptions = {}): Promise<{ bucket: string | null; res: ResponseInfo }> {
  checkBucketCall(name, options);
  assertOneOf(acl, BUCKET_ACLS, 'acl');
  const res = await discard(await bucketRequest(core, name, { method: 'PUT', sub: 'acl', headers: { 'x-oss-acl': acl } }, options));
  return { bucket: res.headers.location?.slice(1) || null, res };
}

export interface GetBucketACLResult {
  acl: BucketACL;
  owner: { id: string; displayName: string };
  res: ResponseInfo;
}

/**
 * The bucket's ACL and owner.
 * @example const { acl, owner } = await getBucketACL(core, 'my-bucket') // acl: 'private'
 */
export async function getBucketACL(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<GetBucketACLResult> {
  checkBucketCall(name, options);
  const { doc, res } = await bucketXml(core, name, 'acl', options);
  const root = doc.AccessControlPolicy;
  const owner = child(root, 'Owner');
  return {
    acl: (text(child(child(root, 'AccessControlList'), 'Grant')) ?? 'private') as BucketACL,
    owner: { id: text(child(owner, 'ID')) ?? '', displayName: text(child(owner, 'DisplayName')) ?? '' },
    res,
  };
}

import { OSSArgumentError } from '../../core/errors.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { readBytes } from '../read.js';
import { bucketCall, bucketRequest, checkBucketCall, type BucketCallOptions } from './common.js';

/** A bucket policy document (`Version: "1"`), as the RAM policy language has it. */
export interface BucketPolicy {
  Version: string;
  Statement: Array<{
    Effect: 'Allow' | 'Deny';
    Action: string | string[];
    /** `acs:oss:*:*:my-bucket/prefix*` */
    Resource: string | string[];
    /** `*`, or account / access key ids. */
    Principal: string | string[];
    Condition?: Record<string, unknown>;
  }>;
}

/**
 * Replace the bucket's policy: who (Principal) may or may not (Effect) do what (Action, e.g.
 * `oss:GetObject`) to which objects (Resource); an applicable Deny wins.
 * @example
 * await putBucketPolicy(core, 'my-bucket', {
 *   Version: '1',
 *   Statement: [{ Effect: 'Allow', Action: ['oss:GetObject'], Principal: ['*'], Resource: ['acs:oss:*:*:my-bucket/public/*'] }],
 * })
 */
export async function putBucketPolicy(core: OSSCore, name: string, policy: BucketPolicy | string, options: BucketCallOptions = {}): Promise<{ status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  let body: string;
  if (typeof policy === 'string') {
    try {
      body = JSON.stringify(JSON.parse(policy));
    } catch {
      throw new OSSArgumentError('policy', 'the policy string is not valid JSON');
    }
  } else if (policy && typeof policy === 'object' && !Array.isArray(policy)) {
    body = JSON.stringify(policy);
  } else {
    throw new OSSArgumentError('policy', 'expected a policy object or its JSON text');
  }
  const res = await bucketCall(core, name, { method: 'PUT', sub: 'policy', body, contentType: 'application/json' }, options);
  return { status: res.status, res };
}

/**
 * The bucket's policy (`NoSuchBucketPolicyError` when it has none).
 * @example const { policy } = await getBucketPolicy(core, 'my-bucket'); policy.Statement.length
 */
export async function getBucketPolicy(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<{ policy: BucketPolicy; status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  const { content, res } = await readBytes(await bucketRequest(core, name, { method: 'GET', sub: 'policy' }, options));
  return { policy: JSON.parse(new TextDecoder().decode(content)) as BucketPolicy, status: res.status, res };
}

/**
 * Remove the bucket's policy.
 * @example await deleteBucketPolicy(core, 'my-bucket')
 */
export async function deleteBucketPolicy(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<{ status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  const res = await bucketCall(core, name, { method: 'DELETE', sub: 'policy' }, options);
  return { status: res.status, res };
}

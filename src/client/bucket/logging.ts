import { assertBucketName, assertOptionalString } from '../../core/validate.js';
import { buildXml, child, text } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { bucketCall, bucketXml, checkBucketCall, type BucketCallOptions } from './common.js';

export interface PutBucketLoggingOptions extends BucketCallOptions {
  /** Where the access logs go (default: the bucket itself, as ali-oss does). Same owner and region. */
  targetBucket?: string;
}

/**
 * Turn on access logging: log files named `<prefix>…` in the target bucket. OSSClient also takes the 2015 form
 * `putBucketLogging(name, region, prefix, options)`.
 * @example await putBucketLogging(core, 'my-bucket', 'logs/', { targetBucket: 'my-logs' })
 */
export async function putBucketLogging(core: OSSCore, name: string, prefix?: string | null, options: PutBucketLoggingOptions = {}): Promise<{ res: ResponseInfo }> {
  checkBucketCall(name, options, 'targetBucket');
  assertOptionalString(prefix ?? undefined, 'prefix');
  const target = options.targetBucket ?? name;
  assertBucketName(target, 'options.targetBucket');
  const body = buildXml('BucketLoggingStatus', { LoggingEnabled: { TargetBucket: target, TargetPrefix: prefix || undefined } });
  return { res: await bucketCall(core, name, { method: 'PUT', sub: 'logging', body }, options) };
}

export interface GetBucketLoggingResult {
  enable: boolean;
  prefix: string | null;
  targetBucket: string | null;
  res: ResponseInfo;
}

/**
 * Whether access logging is on, and where the logs go.
 * @example const { enable, prefix, targetBucket } = await getBucketLogging(core, 'my-bucket')
 */
export async function getBucketLogging(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<GetBucketLoggingResult> {
  checkBucketCall(name, options);
  const { doc, res } = await bucketXml(core, name, 'logging', options);
  const enabled = child(doc.BucketLoggingStatus, 'LoggingEnabled');
  return {
    enable: enabled !== undefined,
    prefix: text(child(enabled, 'TargetPrefix')) || null,
    targetBucket: text(child(enabled, 'TargetBucket')) || null,
    res,
  };
}

/**
 * Turn access logging off.
 * @example await deleteBucketLogging(core, 'my-bucket')
 */
export async function deleteBucketLogging(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<{ res: ResponseInfo }> {
  checkBucketCall(name, options);
  return { res: await bucketCall(core, name, { method: 'DELETE', sub: 'logging' }, options) };
}

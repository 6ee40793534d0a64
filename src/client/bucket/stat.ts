// GetBucketStat (GET /?stat): the bucket's storage and object counts, as ali-oss returns them.

import { assertPlainObject } from '../../core/validate.js';
import type { XmlValue } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { bucketXml, checkBucketCall, plainXml, type BucketCallOptions } from './common.js';

/**
 * OSS's BucketStat, values as decimal strings (as ali-oss hands them out): bytes for `*Storage`
 * (billed) and `*RealStorage` (actual), counts for `*Count`, Unix seconds for LastModifiedTime.
 */
export interface BucketStat {
  Storage: string;
  ObjectCount: string;
  MultipartUploadCount: string;
  LiveChannelCount: string;
  MultipartPartCount?: string;
  DeleteMarkerCount?: string;
  LastModifiedTime: string;
  StandardStorage: string;
  StandardObjectCount: string;
  InfrequentAccessStorage: string;
  InfrequentAccessRealStorage: string;
  InfrequentAccessObjectCount: string;
  ArchiveStorage: string;
  ArchiveRealStorage: string;
  ArchiveObjectCount: string;
  ColdArchiveStorage: string;
  ColdArchiveRealStorage: string;
  ColdArchiveObjectCount: string;
  DeepColdArchiveStorage?: string;
  DeepColdArchiveRealStorage?: string;
  DeepColdArchiveObjectCount?: string;
}

/**
 * The bucket's storage use and object, upload and part counts (OSS updates them about hourly).
 * `name` defaults to the client's bucket, as in ali-oss; the result has no `status` key, as there.
 * @example const { stat } = await getBucketStat(core, 'my-bucket'); Number(stat.ObjectCount)
 */
export async function getBucketStat(core: OSSCore, name?: string, options: BucketCallOptions = {}): Promise<{ stat: BucketStat; res: ResponseInfo }> {
  assertPlainObject(options, 'options');
  const bucket = core.requireBucket(name);
  checkBucketCall(bucket, options);
  const { doc, res } = await bucketXml(core, bucket, 'stat', options);
  return { stat: (plainXml(doc.BucketStat as XmlValue) ?? {}) as BucketStat, res };
}

import { child, text } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { bucketXml, checkBucketCall, plainXml, type BucketCallOptions } from './common.js';

/** GetBucketInfo's `<Bucket>`, field names as OSS (and ali-oss) spell them. */
export interface BucketInfo {
  Name: string;
  Location: string;
  CreationDate: string;
  ExtranetEndpoint: string;
  IntranetEndpoint: string;
  StorageClass: string;
  DataRedundancyType?: string;
  /** `Enabled` or `Suspended`; absent while versioning was never enabled. */
  Versioning?: string;
  AccessMonitor?: string;
  TransferAcceleration?: string;
  CrossRegionReplication?: string;
  Comment?: string;
  ResourceGroupId?: string;
  Owner: { ID: string; DisplayName: string };
  AccessControlList: { Grant: string };
  ServerSideEncryptionRule?: { SSEAlgorithm?: string; KMSMasterKeyID?: string; KMSDataEncryption?: string };
  BucketPolicy?: { LogBucket?: string; LogPrefix?: string };
  [field: string]: unknown;
}

/**
 * A bucket's facts: region, creation date, storage class, owner, ACL, versioning…
 * @example const { bucket } = await getBucketInfo(core, 'my-bucket'); bucket.Location // 'oss-cn-hangzhou'
 */
export async function getBucketInfo(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<{ bucket: BucketInfo; res: ResponseInfo }> {
  checkBucketCall(name, options);
  const { doc, res } = await bucketXml(core, name, 'bucketInfo', options);
  const bucket = plainXml(child(doc.BucketInfo, 'Bucket')) as BucketInfo;
  return { bucket, res };
}

/**
 * The bucket's region, `oss-` form.
 * @example const { location } = await getBucketLocation(core, 'my-bucket') // 'oss-cn-hangzhou'
 */
export async function getBucketLocation(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<{ location: string; res: ResponseInfo }> {
  checkBucketCall(name, options);
  const { doc, res } = await bucketXml(core, name, 'location', options);
  return { location: text(doc.LocationConstraint) ?? '', res };
}

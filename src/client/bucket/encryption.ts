// The bucket's default server-side encryption (PUT/GET/DELETE /?encryption): the rule OSS
// applies to every upload that names no x-oss-server-side-encryption of its own.

import { OSSArgumentError } from '../../core/errors.js';
import { buildXml, child, text } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { bucketCall, bucketXml, checkBucketCall, type BucketCallOptions } from './common.js';
import { assertOneOf } from '../one-of.js';

/** ali-oss's shape of the rule (`ApplyServerSideEncryptionByDefault`). */
export interface BucketEncryptionRule {
  SSEAlgorithm: 'AES256' | 'KMS' | 'SM4';
  /** KMS only: the key; OSS uses a managed key when absent. */
  KMSMasterKeyID?: string;
  /** KMS only: `SM4` encrypts the data with SM4 (an addition to ali-oss's shape). */
  KMSDataEncryption?: 'SM4';
}

const ALGORITHMS: readonly string[] = ['AES256', 'KMS', 'SM4'];

function checkRule(rule: unknown): asserts rule is BucketEncryptionRule {
  if (!rule || typeof rule !== 'object' || Array.isArray(rule)) throw new OSSArgumentError('options', 'expected { SSEAlgorithm, KMSMasterKeyID? }');
  const { SSEAlgorithm, KMSMasterKeyID, KMSDataEncryption } = rule as Record<string, unknown>;
  assertOneOf(SSEAlgorithm, ALGORITHMS, 'options.SSEAlgorithm');
  if (KMSMasterKeyID !== undefined && typeof KMSMasterKeyID !== 'string') throw new OSSArgumentError('options.KMSMasterKeyID', 'expected a string');
  if (KMSMasterKeyID && SSEAlgorithm !== 'KMS') throw new OSSArgumentError('options.KMSMasterKeyID', 'a key id goes only with SSEAlgorithm "KMS"');
  if (KMSDataEncryption !== undefined && (KMSDataEncryption !== 'SM4' || SSEAlgorithm !== 'KMS')) {
    throw new OSSArgumentError('options.KMSDataEncryption', 'expected "SM4", with SSEAlgorithm "KMS"');
  }
}

/**
 * Set the bucket's default encryption: uploads that name none are stored encrypted with it.
 * @example await putBucketEncryption(core, 'my-bucket', { SSEAlgorithm: 'KMS', KMSMasterKeyID: keyId })
 */
export async function putBucketEncryption(
  core: OSSCore, name: string, rule: BucketEncryptionRule, options: BucketCallOptions = {},
): Promise<{ status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  checkRule(rule);
  const body = buildXml('ServerSideEncryptionRule', {
    ApplyServerSideEncryptionByDefault: {
      SSEAlgorithm: rule.SSEAlgorithm,
      KMSMasterKeyID: rule.KMSMasterKeyID,
      KMSDataEncryption: rule.KMSDataEncryption,
    },
  });
  const res = await bucketCall(core, name, { method: 'PUT', sub: 'encryption', body }, options);
  return { status: res.status, res };
}

/**
 * The bucket's default encryption (`NoSuchServerSideEncryptionRuleError` when it has none).
 * @example const { encryption } = await getBucketEncryption(core, 'my-bucket'); encryption.SSEAlgorithm
 */
export async function getBucketEncryption(
  core: OSSCore, name: string, options: BucketCallOptions = {},
): Promise<{ encryption: BucketEncryptionRule; status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  const { doc, res } = await bucketXml(core, name, 'encryption', options);
  const dflt = child(doc.ServerSideEncryptionRule, 'ApplyServerSideEncryptionByDefault');
  const encryption: BucketEncryptionRule = { SSEAlgorithm: (text(child(dflt, 'SSEAlgorithm')) ?? '') as BucketEncryptionRule['SSEAlgorithm'] };
  const keyId = text(child(dflt, 'KMSMasterKeyID'));
  if (keyId) encryption.KMSMasterKeyID = keyId;
  const data = text(child(dflt, 'KMSDataEncryption'));
  if (data) encryption.KMSDataEncryption = data as 'SM4';
  return { encryption, status: res.status, res };
}

/**
 * Remove the bucket's default encryption (objects already stored keep theirs).
 * @example await deleteBucketEncryption(core, 'my-bucket')
 */
export async function deleteBucketEncryption(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<{ status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  const res = await bucketCall(core, name, { method: 'DELETE', sub: 'encryption' }, options);
  return { status: res.status, res };
}

// Bucket inventory configurations (PUT/GET/DELETE /?inventory&inventoryId=, GET /?inventory),
// in ali-oss's camelCase model: RoleArn and the destination's ARN are built from `accountId`,
// `rolename` and `bucket`.

import { OSSArgumentError } from '../../core/errors.js';
import { assertBucketName } from '../../core/validate.js';
import { asArray, buildXml, child, text, type XmlValue } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { readXml } from '../read.js';
import { bucketCall, bucketRequest, checkBucketCall, type BucketCallOptions } from './common.js';
import { assertOneOf } from '../one-of.js';

export interface BucketInventory {
  id: string;
  isEnabled: boolean;
  /** Only objects under this prefix. */
  prefix?: string;
  OSSBucketDestination: {
    format: 'CSV';
    /** The account that owns the destination and the role. */
    accountId: string;
    /** The RAM role OSS assumes to write the reports (`acs:ram::<accountId>:role/<rolename>`). */
    rolename: string;
    /** The destination bucket (same region). */
    bucket: string;
    prefix?: string;
    /** Encrypt the reports: `{ 'SSE-OSS': '' }` or `{ 'SSE-KMS': { keyId } }`. */
    encryption?: { 'SSE-OSS'?: ''; 'SSE-KMS'?: { keyId: string } };
  };
  frequency: 'Daily' | 'Weekly';
  includedObjectVersions: 'All' | 'Current';
  optionalFields?: { field?: string[] };
}

function checkInventory(inv: unknown): asserts inv is BucketInventory {
  if (!inv || typeof inv !== 'object' || Array.isArray(inv)) throw new OSSArgumentError('inventory', 'expected an inventory configuration object');
  const i = inv as Record<string, unknown>;
  if (typeof i.id !== 'string' || !i.id) throw new OSSArgumentError('inventory.id', 'expected a non-empty string');
  if (typeof i.isEnabled !== 'boolean') throw new OSSArgumentError('inventory.isEnabled', 'expected true or false');
  if (i.prefix !== undefined && typeof i.prefix !== 'string') throw new OSSArgumentError('inventory.prefix', 'expected a string');
  const d = i.OSSBucketDestination as Record<string, unknown> | undefined;
  if (!d || typeof d !== 'object') throw new OSSArgumentError('inventory.OSSBucketDestination', 'is required');
  if (d.format !== 'CSV') throw new OSSArgumentError('inventory.OSSBucketDestination.format', 'expected "CSV"');
  if (typeof d.accountId !== 'string' || !/^\d+$/.test(d.accountId)) throw new OSSArgumentError('inventory.OSSBucketDestination.accountId', 'expected an account id');
  if (typeof d.rolename !== 'string' || !d.rolename) throw new OSSArgumentError('inventory.OSSBucketDestination.rolename', 'expected a role name');
  assertBucketName(d.bucket, 'inventory.OSSBucketDestination.bucket');
  assertOneOf(i.frequency, ['Daily', 'Weekly'], 'inventory.frequency');
  assertOneOf(i.includedObjectVersions, ['All', 'Current'], 'inventory.includedObjectVersions');
}

/**
 * Add an inventory configuration (its id must be new: `InventoryAlreadyExistError` otherwise).
 * @example await putBucketInventory(core, 'my-bucket', { id: 'daily', isEnabled: true, frequency: 'Daily', includedObjectVersions: 'Current', OSSBucketDestination: { format: 'CSV', accountId, rolename: 'AliyunOSSRole', bucket: 'reports' } })
 */
export async function putBucketInventory(core: OSSCore, name: string, inventory: BucketInventory, options: BucketCallOptions = {}): Promise<{ status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  checkInventory(inventory);
  const d = inventory.OSSBucketDestination;
  const kms = d.encryption?.['SSE-KMS'];
  const body = buildXml('InventoryConfiguration', {
    Id: inventory.id,
    IsEnabled: inventory.isEnabled,
    Filter: { Prefix: inventory.prefix ?? '' },
    Destination: {
      OSSBucketDestination: {
        Format: d.format,
        AccountId: d.accountId,
        RoleArn: `acs:ram::${d.accountId}:role/${d.rolename}`,
        Bucket: `acs:oss:::${d.bucket}`,
        Prefix: d.prefix ?? '',
        Encryption: kms ? { 'SSE-KMS': { KeyId: kms.keyId } } : d.encryption?.['SSE-OSS'] !== undefined ? { 'SSE-OSS': '' } : undefined,
      },
    },
    Schedule: { Frequency: inventory.frequency },
    IncludedObjectVersions: inventory.includedObjectVersions,
    OptionalFields: { Field: inventory.optionalFields?.field ?? [] },
  });
  const res = await bucketCall(core, name, { method: 'PUT', sub: 'inventory', query: { inventoryId: inventory.id }, body }, options);
  return { status: res.status, res };
}

/** One `<InventoryConfiguration>` in the camelCase model. */
function fromXml(node: XmlValue | undefined): BucketInventory {
  const f = (n: XmlValue | undefined, name: string) => text(child(n, name)) ?? '';
  const dest = child(child(node, 'Destination'), 'OSSBucketDestination');
  const enc = child(dest, 'Encryption');
  const kms = child(enc, 'SSE-KMS');
  const inv: BucketInventory = {
    id: f(node, 'Id'),
    isEnabled: f(node, 'IsEnabled') === 'true',
    prefix: f(child(node, 'Filter'), 'Prefix'),
    OSSBucketDestination: {
      format: f(dest, 'Format') as 'CSV',
      accountId: f(dest, 'AccountId'),
      rolename: f(dest, 'RoleArn').replace(/.*\//, ''),
      bucket: f(dest, 'Bucket').replace(/.*:::/, ''),
      prefix: f(dest, 'Prefix'),
    },
    frequency: f(child(node, 'Schedule'), 'Frequency') as BucketInventory['frequency'],
    includedObjectVersions: f(node, 'IncludedObjectVersions') as BucketInventory['includedObjectVersions'],
    optionalFields: { field: asArray(child(child(node, 'OptionalFields'), 'Field')).map((v) => text(v) ?? '') },
  };
  if (kms !== undefined) inv.OSSBucketDestination.encryption = { 'SSE-KMS': { keyId: f(kms, 'KeyId') } };
  else if (child(enc, 'SSE-OSS') !== undefined) inv.OSSBucketDestination.encryption = { 'SSE-OSS': '' };
  return inv;
}

function assertInventoryId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !id) throw new OSSArgumentError('inventoryId', 'expected a non-empty string');
}

/**
 * One inventory configuration (`NoSuchInventoryError` when the id is unknown).
 * @example const { inventory } = await getBucketInventory(core, 'my-bucket', 'daily')
 */
export async function getBucketInventory(core: OSSCore, name: string, inventoryId: string, options: BucketCallOptions = {}): Promise<{ inventory: BucketInventory; status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  assertInventoryId(inventoryId);
  const { doc, res } = await readXml(await bucketRequest(core, name, { method: 'GET', sub: 'inventory', query: { inventoryId } }, options));
  return { inventory: fromXml(doc.InventoryConfiguration), status: res.status, res };
}

export interface ListBucketInventoryResult {
  inventoryList: BucketInventory[];
  isTruncated: boolean;
  nextContinuationToken?: string;
  status: number;
  res: ResponseInfo;
}

/**
 * A page (up to 100) of the bucket's inventory configurations; pass `continuationToken` for the next.
 * @example const { inventoryList, isTruncated } = await listBucketInventory(core, 'my-bucket')
 */
export async function listBucketInventory(
  core: OSSCore, name: string, options: BucketCallOptions & { continuationToken?: string } = {},
): Promise<ListBucketInventoryResult> {
  checkBucketCall(name, options, 'continuationToken');
  const token = options.continuationToken;
  if (token !== undefined && typeof token !== 'string') throw new OSSArgumentError('options.continuationToken', 'expected a string');
  const { doc, res } = await readXml(await bucketRequest(core, name, { method: 'GET', sub: 'inventory', query: { 'continuation-token': token } }, options));
  const root = doc.ListInventoryConfigurationsResult;
  const next = text(child(root, 'NextContinuationToken'));
  return {
    inventoryList: asArray(child(root, 'InventoryConfiguration')).map(fromXml),
    isTruncated: text(child(root, 'IsTruncated')) === 'true',
    ...(next ? { nextContinuationToken: next } : {}),
    status: res.status,
    res,
  };
}

/**
 * Remove one inventory configuration.
 * @example await deleteBucketInventory(core, 'my-bucket', 'daily')
 */
export async function deleteBucketInventory(core: OSSCore, name: string, inventoryId: string, options: BucketCallOptions = {}): Promise<{ status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  assertInventoryId(inventoryId);
  const res = await bucketCall(core, name, { method: 'DELETE', sub: 'inventory', query: { inventoryId } }, options);
  return { status: res.status, res };
}

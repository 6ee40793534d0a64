// Bucket inventory (PUT/GET/DELETE /?inventory&inventoryId=, GET /?inventory to list): the
// configurations are validated, stored and returned as OSS does. No reports are generated.

import { asArray, child, text, type XmlBuildValue, type XmlNode, type XmlValue } from '../../../core/xml.js';
import { serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { emptyResponse, readXmlBody, xmlResponse } from '../common.js';
import { getConfig, updateBucket } from './config-store.js';
import { ownBucket, rootOf } from './config-family.js';
import { defineRoute, type RouteDef } from '../routes.js';

const MAX_CONFIGS = 1000;
const PAGE = 100;
const FIELDS = new Set([
  'Size', 'LastModifiedDate', 'ETag', 'StorageClass', 'IsMultipartUploaded', 'EncryptionStatus', 'TransitionTime',
  'ObjectAcl', 'TaggingCount', 'ObjectType', 'Crc64',
]);
const MIN_TIME = 1262275200;
const MAX_TIME = 253402271999;
const MAX_SIZE = 54975581388800;

const invalid = (name: string, value: string, message: string) =>
  serverError('InvalidArgument', { ArgumentName: name, ArgumentValue: value }, message);

function oneOf(node: XmlValue | undefined, name: string, allowed: string[], required = true): string | undefined {
  const value = text(child(node, name))?.trim();
  if (value === undefined || value === '') {
    if (required) throw serverError('MalformedXML');
    return undefined;
  }
  if (!allowed.includes(value)) throw invalid(name, value, `${name} must be ${allowed.join(' or ')}.`);
  return value;
}

function integer(node: XmlValue | undefined, name: string, min: number, max: number): number | undefined {
  const raw = text(child(node, name))?.trim();
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw invalid(name, raw, `${name} must be an integer from ${min} to ${max}.`);
  return n;
}

function parseFilter(node: XmlValue | undefined, now: number): XmlNode {
  const begin = integer(node, 'LastModifyBeginTimeStamp', MIN_TIME, Math.min(MAX_TIME, Math.floor(now / 1000)));
  const end = integer(node, 'LastModifyEndTimeStamp', MIN_TIME, Math.min(MAX_TIME, Math.floor(now / 1000)));
  if (begin !== undefined && end !== undefined && begin > end) throw invalid('LastModifyBeginTimeStamp', String(begin), 'LastModifyBeginTimeStamp must not be after LastModifyEndTimeStamp.');
  const lower = integer(node, 'LowerSizeBound', 0, MAX_SIZE);
  const upper = integer(node, 'UpperSizeBound', 0, MAX_SIZE);
  if (lower !== undefined && upper !== undefined && lower > upper) throw invalid('LowerSizeBound', String(lower), 'LowerSizeBound must not exceed UpperSizeBound.');
  const classes = text(child(node, 'StorageClass'))?.trim();
  for (const c of classes ? classes.split(',') : []) {
    if (!['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'].includes(c.trim())) throw invalid('StorageClass', classes!, 'Unsupported storage class.');
  }
  const out: Record<string, XmlBuildValue> = { Prefix: text(child(node, 'Prefix')) ?? '' };
  if (begin !== undefined) out.LastModifyBeginTimeStamp = begin;
  if (end !== undefined) out.LastModifyEndTimeStamp = end;
  if (lower !== undefined) out.LowerSizeBound = lower;
  if (upper !== undefined) out.UpperSizeBound = upper;
  if (classes) out.StorageClass = classes;
  return out as XmlNode;
}

async function parseDestination(ctx: RequestContext, root: XmlNode, location: string): Promise<XmlBuildValue> {
  const dest = child(child(root, 'Destination'), 'OSSBucketDestination');
  if (dest === undefined) throw serverError('MalformedXML');
  const format = oneOf(dest, 'Format', ['CSV'])!;
  const accountId = text(child(dest, 'AccountId'))?.trim() ?? '';
  if (!/^\d+$/.test(accountId)) throw invalid('AccountId', accountId, 'AccountId must be an account id.');
  const roleArn = text(child(dest, 'RoleArn'))?.trim() ?? '';
  if (!/^acs:ram::\d+:role\/[\w.-]+$/.test(roleArn)) throw invalid('RoleArn', roleArn, 'RoleArn must be acs:ram::<uid>:role/<name>.');
  const bucketArn = text(child(dest, 'Bucket'))?.trim() ?? '';
  const m = /^acs:oss:::([a-z0-9][a-z0-9-]{1,61}[a-z0-9])$/.exec(bucketArn);
  if (!m) throw invalid('Bucket', bucketArn, 'Bucket must be acs:oss:::<bucket name>.');
  const target = await ctx.state.storage.getBucket(m[1]!);
  if (!target || target.location !== location) throw invalid('Bucket', bucketArn, 'The destination bucket must exist in the same region.');
  const encryption = child(dest, 'Encryption');
  let enc: XmlBuildValue;
  const kms = child(encryption, 'SSE-KMS');
  if (kms !== undefined) {
    const keyId = text(child(kms, 'KeyId'))?.trim();
    if (!keyId) throw serverError('MalformedXML');
    enc = { 'SSE-KMS': { KeyId: keyId } };
  } else if (child(encryption, 'SSE-OSS') !== undefined) {
    enc = { 'SSE-OSS': '' };
  }
  return {
    OSSBucketDestination: {
      Format: format, AccountId: accountId, RoleArn: roleArn, Bucket: bucketArn,
      Prefix: text(child(dest, 'Prefix')) ?? '', Encryption: enc,
    },
  };
}

async function parseInventory(ctx: RequestContext, doc: XmlNode, location: string): Promise<{ id: string; config: XmlBuildValue }> {
  const root = rootOf(doc, 'InventoryConfiguration');
  const id = text(child(root, 'Id'))?.trim() ?? '';
  if (!id) throw serverError('MalformedXML');
  const wanted = ctx.query.get('inventoryId') ?? '';
  if (id !== wanted) throw invalid('inventoryId', wanted, 'The inventoryId in the query must equal the Id in the body.');
  const enabled = oneOf(root, 'IsEnabled', ['true', 'false'])!;
  const fields = asArray(child(child(root, 'OptionalFields'), 'Field')).map((f) => text(f)?.trim() ?? '').filter(Boolean);
  for (const f of fields) if (!FIELDS.has(f)) throw invalid('Field', f, 'Unsupported optional field.');
  return {
    id,
    config: {
      Id: id,
      IsEnabled: enabled,
      Filter: parseFilter(child(root, 'Filter'), ctx.state.now()),
      Destination: await parseDestination(ctx, root, location),
      Schedule: { Frequency: oneOf(child(root, 'Schedule'), 'Frequency', ['Daily', 'Weekly'])! },
      IncludedObjectVersions: oneOf(root, 'IncludedObjectVersions', ['All', 'Current'])!,
      OptionalFields: fields.length ? { Field: fields } : undefined,
    },
  };
}

function noSuchInventory(bucket: string) {
  return serverError('NoSuchInventory', { BucketName: bucket }, 'The specified inventory does not exist.');
}

async function putBucketInventory(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const { id, config } = await parseInventory(ctx, await readXmlBody(ctx), bucket.location);
  await updateBucket(ctx.state.storage, bucket.name, (b) => {
    const all = { ...getConfig(b, 'inventory') };
    if (id in all) throw serverError('InventoryAlreadyExist', { BucketName: b.name, InventoryId: id }, 'The inventory configuration already exists.');
    if (Object.keys(all).length >= MAX_CONFIGS) throw serverError('InventoryExceedLimit', { BucketName: b.name }, `A bucket has at most ${MAX_CONFIGS} inventory configurations.`);
    all[id] = config;
    b.config.inventory = all;
  });
  return emptyResponse(200);
}

async function getBucketInventory(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const config = getConfig(bucket, 'inventory')?.[ctx.query.get('inventoryId') ?? ''];
  if (config === undefined) throw noSuchInventory(bucket.name);
  return xmlResponse('InventoryConfiguration', config);
}

async function deleteBucketInventory(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const id = ctx.query.get('inventoryId') ?? '';
  if (getConfig(bucket, 'inventory')?.[id] === undefined) throw noSuchInventory(bucket.name);
  await updateBucket(ctx.state.storage, bucket.name, (b) => {
    const all = { ...getConfig(b, 'inventory') };
    delete all[id];
    b.config.inventory = Object.keys(all).length ? all : undefined;
  });
  return emptyResponse(204);
}

/** Pages of 100 in id order; the continuation token is the last id of the previous page. */
async function listBucketInventory(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const all = getConfig(bucket, 'inventory') ?? {};
  const ids = Object.keys(all).sort();
  if (!ids.length) throw noSuchInventory(bucket.name);
  const after = ctx.query.get('continuation-token') ?? '';
  const rest = ids.filter((id) => id > after);
  const page = rest.slice(0, PAGE);
  const truncated = rest.length > PAGE;
  return xmlResponse('ListInventoryConfigurationsResult', {
    InventoryConfiguration: page.map((id) => all[id]!),
    IsTruncated: truncated,
    NextContinuationToken: truncated ? page[page.length - 1] : undefined,
  });
}

export const inventoryRoutes: RouteDef[] = [
  defineRoute('bucket', 'PUT', 'inventory&inventoryId', putBucketInventory),
  defineRoute('bucket', 'GET', 'inventory&inventoryId', getBucketInventory),
  defineRoute('bucket', 'DELETE', 'inventory&inventoryId', deleteBucketInventory),
  defineRoute('bucket', 'GET', 'inventory', listBucketInventory),
];

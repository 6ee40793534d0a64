// Bucket ACL, location and info: PutBucketAcl / GetBucketAcl, GetBucketLocation, GetBucketInfo.

import { serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { bucketOwner, emptyResponse, isoDate, xmlResponse } from '../common.js';
import { defineRoute, type RouteDef } from '../routes.js';
import { ownBucket } from './config-family.js';
import { getConfig, updateBucket } from './config-store.js';
import { ruleXml } from './encryption.js';

const ACLS = new Set(['private', 'public-read', 'public-read-write']);

const invalid = (name: string, value: string, message: string) =>
  serverError('InvalidArgument', { ArgumentName: name, ArgumentValue: value }, message);

async function putBucketAcl(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const acl = ctx.headers.get('x-oss-acl');
  if (acl === undefined || !ACLS.has(acl)) throw invalid('x-oss-acl', acl ?? '', 'no such bucket access control exists');
  await updateBucket(ctx.state.storage, bucket.name, (b) => {
    b.acl = acl;
  });
  return emptyResponse(200, { location: `/${bucket.name}` });
}

async function getBucketAcl(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const owner = bucketOwner(bucket);
  return xmlResponse('AccessControlPolicy', {
    Owner: { ID: owner.id, DisplayName: owner.displayName },
    AccessControlList: { Grant: bucket.acl },
  });
}

async function getBucketLocation(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  return xmlResponse('LocationConstraint', bucket.location);
}

async function getBucketInfo(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const owner = bucketOwner(bucket);
  const logging = getConfig(bucket, 'logging');
  const encryption = getConfig(bucket, 'encryption');
  return xmlResponse('BucketInfo', {
    Bucket: {
      AccessMonitor: 'Disabled',
      CreationDate: isoDate(bucket.creationDate),
      CrossRegionReplication: 'Disabled',
      DataRedundancyType: getConfig(bucket, 'dataRedundancyType') ?? 'LRS',
      ExtranetEndpoint: `${bucket.location}.aliyuncs.com`,
      IntranetEndpoint: `${bucket.location}-internal.aliyuncs.com`,
      Location: bucket.location,
      Name: bucket.name,
      StorageClass: bucket.storageClass,
      TransferAcceleration: 'Disabled',
      Versioning: getConfig(bucket, 'versioning'),
      Owner: { DisplayName: owner.displayName, ID: owner.id },
      AccessControlList: { Grant: bucket.acl },
      ServerSideEncryptionRule: encryption ? ruleXml(encryption) : { SSEAlgorithm: 'None' },
      BucketPolicy: { LogBucket: logging?.targetBucket ?? '', LogPrefix: logging?.targetPrefix ?? '' },
    },
  });
}

export const aclRoutes: RouteDef[] = [
  defineRoute('bucket', 'PUT', 'acl', putBucketAcl),
  defineRoute('bucket', 'GET', 'acl', getBucketAcl),
  defineRoute('bucket', 'GET', 'location', getBucketLocation),
  defineRoute('bucket', 'GET', 'bucketInfo', getBucketInfo),
];

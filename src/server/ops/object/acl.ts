// Object ACL: PutObjectACL / GetObjectACL.

import { serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { bucketOwner, emptyResponse, loadBucket, xmlResponse } from '../common.js';
import { defineRoute, type RouteDef } from '../routes.js';
import { objectAcl } from './common.js';
import { loadRecord, versionHeaders } from './versions.js';

export async function putObjectAcl(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  const record = await loadRecord(ctx, bucket, 'owner');
  if (!ctx.headers.has('x-oss-object-acl')) {
    throw serverError('InvalidArgument', { ArgumentName: 'x-oss-object-acl' }, 'The x-oss-object-acl header is missing.');
  }
  await ctx.state.storage.updateObjectRecord(bucket.name, { ...record, acl: objectAcl(ctx) });
  return emptyResponse(200, versionHeaders(record));
}

export async function getObjectAcl(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  const record = await loadRecord(ctx, bucket, 'owner');
  const owner = bucketOwner(bucket);
  return xmlResponse('AccessControlPolicy', {
    Owner: { ID: owner.id, DisplayName: owner.displayName },
    AccessControlList: { Grant: record.acl },
  }, 200, versionHeaders(record));
}

export const aclRoutes: RouteDef[] = [
  defineRoute('object', 'PUT', 'acl', putObjectAcl),
  defineRoute('object', 'GET', 'acl', getObjectAcl),
];

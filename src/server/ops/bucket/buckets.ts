// Service and bucket operations: ListBuckets, PutBucket, DeleteBucket, and the bucket's GET (a
// website's index, else ListObjects, ../object/list.ts). Each sub-resource has its own file here.

import { compareUtf8 } from '../../../core/order.js';
import { child, text } from '../../../core/xml.js';
import { serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { DEV_CORS } from '../../cors.js';
import type { BucketRecord, ExtendedStorage, Storage } from '../../storage/types.js';
import { getConfig } from './config-store.js';
import { defineRoute, type RouteDef } from '../routes.js';
import { websiteResponse } from './website.js';
import { listObjects } from '../object/list.js';
import {
  authorize, bucketOwner, emptyResponse, intParam, isoDate, loadBucket, readXmlBody, requireBucketName, requireSigned, xmlResponse,
} from '../common.js';

const BUCKET_RE = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** OSS's rule: 3-63 characters of lower-case letters, digits and "-", starting and ending with a letter or digit. */
export const isValidBucketName = (name: string): boolean => BUCKET_RE.test(name);
const STORAGE_CLASSES = new Set(['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive']);
const ACLS = new Set(['private', 'public-read', 'public-read-write']);

/** ListBuckets' `tag-key` (and `tag-value`) filter on the buckets' tags. */
function tagFilter(ctx: RequestContext): (bucket: BucketRecord) => boolean {
  const key = ctx.query.get('tag-key');
  const value = ctx.query.get('tag-value');
  if (value !== null && !key) throw serverError('InvalidArgument', { ArgumentName: 'tag-value', ArgumentValue: value }, 'tag-value must come with tag-key.');
  if (!key) return () => true;
  return (bucket) => {
    const tags = getConfig(bucket, 'tags') ?? {};
    return key in tags && (value === null || tags[key] === value);
  };
}

export async function listBuckets(ctx: RequestContext): Promise<Response> {
  const principal = requireSigned(ctx);
  const prefix = ctx.query.get('prefix') ?? '';
  const marker = ctx.query.get('marker') ?? '';
  const paged = ctx.query.has('prefix') || ctx.query.has('marker') || ctx.query.has('max-keys');
  const maxKeys = intParam(ctx, 'max-keys', 1, 1000, 100);
  const tagged = tagFilter(ctx);
  const all = (await ctx.state.storage.listBuckets())
    .filter((b) => bucketOwner(b).id === principal.ownerId && b.name.startsWith(prefix) && b.name > marker && tagged(b))
    .sort((a, b) => compareUtf8(a.name, b.name));
  const page = all.slice(0, maxKeys);
  const truncated = all.length > maxKeys;
  return xmlResponse('ListAllMyBucketsResult', {
    ...(paged
      ? { Prefix: prefix, Marker: marker, MaxKeys: maxKeys, IsTruncated: truncated, NextMarker: truncated ? page[page.length - 1]!.name : undefined }
      : {}),
    Owner: { ID: principal.ownerId, DisplayName: principal.displayName },
    Buckets: {
      Bucket: page.map((b) => ({
        CreationDate: isoDate(b.creationDate),
        ExtranetEndpoint: `${b.location}.aliyuncs.com`,
        IntranetEndpoint: `${b.location}-internal.aliyuncs.com`,
        Location: b.location,
        Name: b.name,
        Region: b.location.replace(/^oss-/, ''),
        StorageClass: b.storageClass,
      })),
    },
  });
}

export async function putBucket(ctx: RequestContext): Promise<Response> {
  const principal = requireSigned(ctx);
  const name = requireBucketName(ctx);
  if (!isValidBucketName(name)) throw serverError('InvalidBucketName', { BucketName: name });
  const acl = ctx.headers.get('x-oss-acl') ?? 'private';
  if (!ACLS.has(acl)) throw serverError('InvalidArgument', { ArgumentName: 'x-oss-acl', ArgumentValue: acl }, 'no such bucket access control exists');
  const location = `oss-${ctx.state.region}`;
  const body = ctx.request.body ? await readBodyConfig(ctx) : {};
  if (body.location !== undefined && body.location !== location && body.location !== ctx.state.region) {
    throw serverError('InvalidLocationConstraint', { LocationConstraint: body.location }, `This server is ${location}; it cannot create a bucket in ${body.location}.`);
  }
  const existing = await ctx.state.storage.getBucket(name);
  if (existing) {
    if (bucketOwner(existing).id !== principal.ownerId) throw serverError('BucketAlreadyExists', { BucketName: name });
    return emptyResponse(200, { location: `/${name}` });
  }
  await ctx.state.storage.putBucket({
    name,
    creationDate: ctx.state.now(),
    location,
    storageClass: body.storageClass ?? 'Standard',
    acl,
    config: {
      owner: { id: principal.ownerId, displayName: principal.displayName },
      ...(body.dataRedundancyType ? { dataRedundancyType: body.dataRedundancyType } : {}),
      // The dev server's buckets answer browsers out of the box (a real rule, removable).
      ...(ctx.state.cors === 'permissive' ? { cors: DEV_CORS } : {}),
    },
  });
  return emptyResponse(200, { location: `/${name}` });
}

interface CreateBucketConfiguration {
  location?: string;
  storageClass?: string;
  dataRedundancyType?: string;
}

/** An optional CreateBucketConfiguration body: LocationConstraint, StorageClass, DataRedundancyType. */
async function readBodyConfig(ctx: RequestContext): Promise<CreateBucketConfiguration> {
  const length = ctx.headers.get('content-length');
  if (length === '0') return {};
  const doc = await readXmlBody(ctx).catch((err) => {
    if (length === undefined) return undefined; // no body after all
    throw err;
  });
  if (!doc) return {};
  const config = doc.CreateBucketConfiguration;
  if (config === undefined) throw serverError('MalformedXML');
  const sc = text(child(config, 'StorageClass'));
  if (sc !== undefined && !STORAGE_CLASSES.has(sc)) throw serverError('InvalidArgument', { ArgumentName: 'StorageClass', ArgumentValue: sc }, 'Unsupported storage class.');
  const redundancy = text(child(config, 'DataRedundancyType'));
  if (redundancy !== undefined && redundancy !== 'LRS' && redundancy !== 'ZRS') {
    throw serverError('InvalidArgument', { ArgumentName: 'DataRedundancyType', ArgumentValue: redundancy }, 'DataRedundancyType must be LRS or ZRS.');
  }
  return { location: text(child(config, 'LocationConstraint')), storageClass: sc, dataRedundancyType: redundancy };
}

/** Refuses a bucket that still holds objects, versions, delete markers or multipart uploads. */
export async function deleteBucket(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  requireSigned(ctx);
  authorize(ctx, bucket, 'owner');
  const storage = ctx.state.storage as Partial<ExtendedStorage> & Storage;
  let busy = (await storage.countObjects(bucket.name)) > 0;
  if (!busy && storage.listObjectVersions) for await (const _ of storage.listObjectVersions(bucket.name)) { busy = true; break; }
  if (!busy && storage.listUploads) busy = (await storage.listUploads(bucket.name)).length > 0;
  if (busy) throw serverError('BucketNotEmpty', { BucketName: bucket.name });
  await storage.deleteBucket(bucket.name);
  return emptyResponse(204);
}

export const bucketRoutes: RouteDef[] = [
  defineRoute('service', 'GET', '', listBuckets),
  // An anonymous GET of a website bucket's root is its index document.
  defineRoute('bucket', 'GET', '', async (ctx) => (await websiteResponse(ctx)) ?? listObjects(ctx)),
  defineRoute('bucket', 'PUT', '', putBucket),
  defineRoute('bucket', 'DELETE', '', deleteBucket),
];

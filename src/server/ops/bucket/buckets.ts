// Service and bucket operations: ListBuckets, PutBucket, DeleteBucket, ListObjects. The bucket
// sub-resources (ACL, CORS, lifecycle, …) are in bucket-config.ts.

import { encodeQueryComponent } from '../../../core/encoding.js';
import { compareUtf8 } from '../../../core/order.js';
import { child, text } from '../../../core/xml.js';
import { serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { DEV_CORS } from '../../cors.js';
import type { BucketRecord, ExtendedStorage, ObjectRecord, Storage } from '../../storage/types.js';
import { getConfig } from './config-store.js';
import { decodeContinuationToken, encodeContinuationToken } from '../list-token.js';
import { defineRoute, type RouteDef } from '../routes.js';
import { websiteResponse } from './website.js';
import { restoreInfo } from '../object/restore-state.js';
import {
  authorize, bucketOwner, emptyResponse, isoDate, loadBucket, readXmlBody, requireBucketName, requireSigned, xmlResponse,
} from '../common.js';

const BUCKET_RE = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** OSS's rule: 3-63 characters of lower-case letters, digits and "-", starting and ending with a letter or digit. */
export const isValidBucketName = (name: string): boolean => BUCKET_RE.test(name);
const STORAGE_CLASSES = new Set(['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive']);
const ACLS = new Set(['private', 'public-read', 'public-read-write']);

function maxKeysParam(ctx: RequestContext, name = 'max-keys', dflt = 100, max = 1000): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return dflt;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > max) {
    throw serverError('InvalidArgument', { ArgumentName: name, ArgumentValue: raw }, `Argument ${name} must be an integer from 1 to ${max}.`);
  }
  return n;
}

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
  const maxKeys = maxKeysParam(ctx);
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

export async function listObjects(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'read');
  // ListObjectsV2 is the same request with `list-type=2` (not a sub-resource, so it routes here).
  const listType = ctx.query.get('list-type');
  if (listType !== null && listType !== '2') throw serverError('InvalidArgument', { ArgumentName: 'list-type', ArgumentValue: listType }, 'The list-type must be 2.');
  const v2 = listType === '2';
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const maxKeys = maxKeysParam(ctx);
  const encoding = ctx.query.get('encoding-type');
  if (encoding !== null && encoding !== 'url') throw serverError('InvalidArgument', { ArgumentName: 'encoding-type', ArgumentValue: encoding }, 'The encoding-type must be url.');
  const enc = encoding === 'url' ? encodeQueryComponent : (s: string) => s;
  const owner = bucketOwner(bucket);
  const now = ctx.state.now();
  const contents = (objects: ObjectRecord[], withOwner: boolean) => objects.map((o) => ({
    Key: enc(o.key),
    LastModified: isoDate(o.lastModified),
    ETag: o.etag,
    Type: o.objectType,
    Size: o.size,
    StorageClass: o.storageClass,
    RestoreInfo: restoreInfo(o, now),
    Owner: withOwner ? { ID: owner.id, DisplayName: owner.displayName } : undefined,
  }));

  if (!v2) {
    const marker = ctx.query.get('marker') ?? '';
    const page = await collectPage(ctx, bucket.name, prefix, marker, delimiter, maxKeys);
    return xmlResponse('ListBucketResult', {
      Name: bucket.name,
      Prefix: enc(prefix),
      Marker: enc(marker),
      MaxKeys: maxKeys,
      Delimiter: enc(delimiter),
      EncodingType: encoding ?? undefined,
      IsTruncated: page.truncated,
      NextMarker: page.truncated ? enc(page.next) : undefined,
      Contents: contents(page.objects, true),
      CommonPrefixes: page.prefixes.map((p) => ({ Prefix: enc(p) })),
    });
  }

  const token = ctx.query.get('continuation-token');
  const startAfter = ctx.query.get('start-after') ?? '';
  // A continuation token wins over start-after: it is further along the same listing.
  const after = token !== null && token !== '' ? decodeContinuationToken(token) : startAfter;
  const page = await collectPage(ctx, bucket.name, prefix, after, delimiter, maxKeys);
  return xmlResponse('ListBucketResult', {
    Name: bucket.name,
    Prefix: enc(prefix),
    StartAfter: startAfter ? enc(startAfter) : undefined,
    ContinuationToken: token ? enc(token) : undefined,
    MaxKeys: maxKeys,
    Delimiter: enc(delimiter),
    EncodingType: encoding ?? undefined,
    IsTruncated: page.truncated,
    NextContinuationToken: page.truncated ? enc(encodeContinuationToken(page.next)) : undefined,
    KeyCount: page.objects.length + page.prefixes.length,
    Contents: contents(page.objects, ctx.query.get('fetch-owner') === 'true'),
    CommonPrefixes: page.prefixes.map((p) => ({ Prefix: enc(p) })),
  });
}

interface Page {
  objects: ObjectRecord[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned: where the next page starts. */
  next: string;
}

/** One page of a listing: objects and rolled-up common prefixes, each counting toward max-keys. */
export async function collectPage(
  ctx: RequestContext, bucket: string, prefix: string, after: string, delimiter: string, maxKeys: number,
): Promise<Page> {
  const page: Page = { objects: [], prefixes: [], truncated: false, next: '' };
  let count = 0;
  for await (const record of ctx.state.storage.listObjects(bucket, { prefix, after })) {
    let commonPrefix: string | undefined;
    if (delimiter) {
      const cut = record.key.indexOf(delimiter, prefix.length);
      if (cut !== -1) commonPrefix = record.key.slice(0, cut + delimiter.length);
    }
    // Keys under a prefix already returned (on this page or as the marker) roll into it.
    if (commonPrefix !== undefined && (commonPrefix === page.next || compareUtf8(commonPrefix, after) <= 0)) continue;
    if (count === maxKeys) {
      page.truncated = true;
      break;
    }
    count++;
    if (commonPrefix !== undefined) {
      page.prefixes.push(commonPrefix);
      page.next = commonPrefix;
    } else {
      page.objects.push(record);
      page.next = record.key;
    }
  }
  return page;
}

export const bucketRoutes: RouteDef[] = [
  defineRoute('service', 'GET', '', listBuckets),
  // An anonymous GET of a website bucket's root is its index document.
  defineRoute('bucket', 'GET', '', async (ctx) => (await websiteResponse(ctx)) ?? listObjects(ctx)),
  defineRoute('bucket', 'PUT', '', putBucket),
  defineRoute('bucket', 'DELETE', '', deleteBucket),
];

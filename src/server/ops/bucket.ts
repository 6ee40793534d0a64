// Service and bucket operations: ListBuckets, PutBucket, DeleteBucket, ListObjects.

import { encodeQueryComponent } from '../../core/encoding.js';
import { compareUtf8 } from '../../core/order.js';
import { child, text } from '../../core/xml.js';
import { serverError } from '../errors.js';
import type { RequestContext } from '../handler.js';
import type { ObjectRecord } from '../storage/types.js';
import { route, type RouteDef } from './routes.js';
import {
  authorize, bucketOwner, emptyResponse, isoDate, loadBucket, readXmlBody, requireBucketName, requireSigned, xmlResponse,
} from './common.js';

const BUCKET_RE = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
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

export async function listBuckets(ctx: RequestContext): Promise<Response> {
  const principal = requireSigned(ctx);
  const prefix = ctx.query.get('prefix') ?? '';
  const marker = ctx.query.get('marker') ?? '';
  const paged = ctx.query.has('prefix') || ctx.query.has('marker') || ctx.query.has('max-keys');
  const maxKeys = maxKeysParam(ctx);
  const all = (await ctx.state.storage.listBuckets())
    .filter((b) => bucketOwner(b).id === principal.ownerId && b.name.startsWith(prefix) && b.name > marker)
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
  if (!BUCKET_RE.test(name)) throw serverError('InvalidBucketName', { BucketName: name });
  const acl = ctx.headers.get('x-oss-acl') ?? 'private';
  if (!ACLS.has(acl)) throw serverError('InvalidArgument', { ArgumentName: 'x-oss-acl', ArgumentValue: acl }, 'no such bucket access control exists');
  let storageClass = 'Standard';
  if (ctx.request.body) {
    const text_ = await readBodyConfig(ctx);
    if (text_ !== undefined) storageClass = text_;
  }
  const existing = await ctx.state.storage.getBucket(name);
  if (existing) {
    if (bucketOwner(existing).id !== principal.ownerId) throw serverError('BucketAlreadyExists', { BucketName: name });
    return emptyResponse(200, { location: `/${name}` });
  }
  await ctx.state.storage.putBucket({
    name,
    creationDate: ctx.state.now(),
    location: `oss-${ctx.state.region}`,
    storageClass,
    acl,
    config: { owner: { id: principal.ownerId, displayName: principal.displayName } },
  });
  return emptyResponse(200, { location: `/${name}` });
}

/** The StorageClass of an optional CreateBucketConfiguration body. */
async function readBodyConfig(ctx: RequestContext): Promise<string | undefined> {
  const length = ctx.headers.get('content-length');
  if (length === '0') return undefined;
  const doc = await readXmlBody(ctx).catch((err) => {
    if (length === null) return undefined; // no body after all
    throw err;
  });
  if (!doc) return undefined;
  const config = doc.CreateBucketConfiguration;
  if (config === undefined) throw serverError('MalformedXML');
  const sc = text(child(config, 'StorageClass'));
  if (sc !== undefined && !STORAGE_CLASSES.has(sc)) throw serverError('InvalidArgument', { ArgumentName: 'StorageClass', ArgumentValue: sc }, 'Unsupported storage class.');
  return sc;
}

export async function deleteBucket(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  requireSigned(ctx);
  authorize(ctx, bucket, 'owner');
  if ((await ctx.state.storage.countObjects(bucket.name)) > 0) throw serverError('BucketNotEmpty', { BucketName: bucket.name });
  await ctx.state.storage.deleteBucket(bucket.name);
  return emptyResponse(204);
}

export async function listObjects(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'read');
  const prefix = ctx.query.get('prefix') ?? '';
  const marker = ctx.query.get('marker') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const maxKeys = maxKeysParam(ctx);
  const encoding = ctx.query.get('encoding-type');
  if (encoding !== null && encoding !== 'url') throw serverError('InvalidArgument', { ArgumentName: 'encoding-type', ArgumentValue: encoding }, 'The encoding-type must be url.');
  const enc = encoding === 'url' ? encodeQueryComponent : (s: string) => s;

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
    Contents: page.objects.map((o) => ({
      Key: enc(o.key),
      LastModified: isoDate(o.lastModified),
      ETag: o.etag,
      Type: o.objectType,
      Size: o.size,
      StorageClass: o.storageClass,
      Owner: { ID: bucketOwner(bucket).id, DisplayName: bucketOwner(bucket).displayName },
    })),
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
  route('service', 'GET', '', listBuckets),
  route('bucket', 'GET', '', listObjects),
  route('bucket', 'PUT', '', putBucket),
  route('bucket', 'DELETE', '', deleteBucket),
];

// Bucket sub-resources: ACL, location, info, logging, referer, CORS, tagging, policy. Lifecycle,
// versioning and website live in their own modules; bucketConfigRoutes serves them all.

import { asArray, child, text, type XmlNode } from '../../../core/xml.js';
import type { CorsConfig, CorsRule } from '../../cors.js';
import { serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { parsePolicy } from '../../policy.js';
import type { RefererConfig } from '../../referer.js';
import {
  bucketOwner, emptyResponse, isoDate, readTextBody, readXmlBody, xmlResponse,
} from '../common.js';
import { getConfig, setConfig, updateBucket } from './config-store.js';
import { bucketStatRoutes } from './stat.js';
import { encryptionRoutes, ruleXml } from '../object/encryption.js';
import { inventoryRoutes } from './inventory.js';
import { ownBucket, rootOf } from './config-family.js';
import { requestPaymentRoutes } from './request-payment.js';
import { lifecycleRoutes } from './lifecycle.js';
import { defineRoute, type RouteDef } from '../routes.js';
import { versioningRoutes } from '../object/versions.js';
import { websiteRoutes } from './website.js';
import { wormRoutes } from './worm.js';

const ACLS = new Set(['private', 'public-read', 'public-read-write']);
const CORS_METHODS = new Set(['GET', 'PUT', 'DELETE', 'POST', 'HEAD']);
const MAX_CORS_RULES = 10;
const MAX_BUCKET_TAGS = 20;
const MAX_POLICY_BYTES = 16 * 1024;
const encoder = new TextEncoder();

const invalid = (name: string, value: string, message: string) =>
  serverError('InvalidArgument', { ArgumentName: name, ArgumentValue: value }, message);

// -- ACL, location, info --

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

// -- logging --

async function putBucketLogging(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const root = rootOf(await readXmlBody(ctx), 'BucketLoggingStatus');
  const enabled = child(root, 'LoggingEnabled');
  if (enabled === undefined) {
    // An empty BucketLoggingStatus turns logging off, as it always has on OSS.
    await setConfig(ctx.state.storage, bucket.name, 'logging', undefined);
    return emptyResponse(200);
  }
  const targetBucket = text(child(enabled, 'TargetBucket'));
  if (!targetBucket) throw serverError('MalformedXML');
  const target = await ctx.state.storage.getBucket(targetBucket);
  if (!target || bucketOwner(target).id !== bucketOwner(bucket).id || target.location !== bucket.location) {
    throw serverError('InvalidTargetBucketForLogging', { TargetBucket: targetBucket }, 'The target bucket for logging does not exist, is not yours or is in another region.');
  }
  const targetPrefix = text(child(enabled, 'TargetPrefix')) ?? '';
  await setConfig(ctx.state.storage, bucket.name, 'logging', { targetBucket, targetPrefix });
  return emptyResponse(200);
}

async function getBucketLogging(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const logging = getConfig(bucket, 'logging');
  return xmlResponse('BucketLoggingStatus', logging ? { LoggingEnabled: { TargetBucket: logging.targetBucket, TargetPrefix: logging.targetPrefix } } : {});
}

async function deleteBucketLogging(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  await setConfig(ctx.state.storage, bucket.name, 'logging', undefined);
  return emptyResponse(204);
}

// -- referer --

function booleanField(node: XmlNode, name: string, dflt?: boolean): boolean {
  const value = text(child(node, name));
  if (value === undefined && dflt !== undefined) return dflt;
  if (value !== 'true' && value !== 'false') throw serverError('MalformedXML');
  return value === 'true';
}

function refererList(node: XmlNode, name: string): string[] {
  return asArray(child(child(node, name), 'Referer')).map((r) => text(r) ?? '').filter(Boolean);
}

async function putBucketReferer(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const root = rootOf(await readXmlBody(ctx), 'RefererConfiguration');
  const config: RefererConfig = {
    allowEmpty: booleanField(root, 'AllowEmptyReferer'),
    allowTruncateQueryString: booleanField(root, 'AllowTruncateQueryString', true),
    truncatePath: booleanField(root, 'TruncatePath', false),
    whitelist: refererList(root, 'RefererList'),
    blacklist: refererList(root, 'RefererBlacklist'),
  };
  // allowEmpty with no lists is OSS's "no hotlink protection": nothing left to store.
  const off = config.allowEmpty && !config.whitelist.length && !config.blacklist.length;
  await setConfig(ctx.state.storage, bucket.name, 'referer', off ? undefined : config);
  return emptyResponse(200);
}

async function getBucketReferer(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const config = getConfig(bucket, 'referer');
  return xmlResponse('RefererConfiguration', {
    AllowEmptyReferer: config?.allowEmpty ?? true,
    AllowTruncateQueryString: config?.allowTruncateQueryString ?? true,
    TruncatePath: config?.truncatePath ?? false,
    RefererList: { Referer: config?.whitelist ?? [] },
    RefererBlacklist: config?.blacklist.length ? { Referer: config.blacklist } : undefined,
  });
}

// -- CORS --

function oneWildcard(values: string[], name: string): void {
  for (const v of values) if (v.split('*').length > 2) throw invalid(name, v, `${name} can contain at most one "*".`);
}

function parseCorsRule(node: XmlNode): CorsRule {
  const list = (name: string) => asArray(child(node, name)).map((v) => (text(v) ?? '').trim()).filter(Boolean);
  const allowedOrigins = list('AllowedOrigin');
  const allowedMethods = list('AllowedMethod');
  if (!allowedOrigins.length || !allowedMethods.length) throw serverError('MalformedXML');
  for (const m of allowedMethods) if (!CORS_METHODS.has(m)) throw invalid('AllowedMethod', m, 'AllowedMethod must be GET, PUT, DELETE, POST or HEAD.');
  oneWildcard(allowedOrigins, 'AllowedOrigin');
  const allowedHeaders = list('AllowedHeader');
  oneWildcard(allowedHeaders, 'AllowedHeader');
  const exposeHeaders = list('ExposeHeader');
  for (const h of exposeHeaders) if (h.includes('*')) throw invalid('ExposeHeader', h, 'ExposeHeader cannot contain "*".');
  const rule: CorsRule = { allowedOrigins, allowedMethods, allowedHeaders, exposeHeaders };
  const maxAge = text(child(node, 'MaxAgeSeconds'));
  if (maxAge !== undefined) {
    if (!/^\d{1,9}$/.test(maxAge.trim())) throw invalid('MaxAgeSeconds', maxAge, 'MaxAgeSeconds must be a non-negative integer.');
    rule.maxAgeSeconds = Number(maxAge.trim());
  }
  return rule;
}

export function parseCors(doc: XmlNode): CorsConfig {
  const root = rootOf(doc, 'CORSConfiguration');
  const rules = asArray(child(root, 'CORSRule')).map((r) => {
    if (!r || typeof r !== 'object' || Array.isArray(r)) throw serverError('MalformedXML');
    return parseCorsRule(r);
  });
  if (!rules.length) throw serverError('MalformedXML');
  if (rules.length > MAX_CORS_RULES) throw invalid('CORSRule', String(rules.length), `A bucket has at most ${MAX_CORS_RULES} CORS rules.`);
  const vary = text(child(root, 'ResponseVary'));
  if (vary !== undefined && vary !== 'true' && vary !== 'false') throw invalid('ResponseVary', vary, 'ResponseVary must be true or false.');
  return { rules, responseVary: vary === 'true' };
}

async function putBucketCors(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  await setConfig(ctx.state.storage, bucket.name, 'cors', parseCors(await readXmlBody(ctx)));
  return emptyResponse(200);
}

async function getBucketCors(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const config = getConfig(bucket, 'cors');
  if (!config) throw serverError('NoSuchCORSConfiguration', { BucketName: bucket.name }, 'The CORS Configuration does not exist.');
  return xmlResponse('CORSConfiguration', {
    CORSRule: config.rules.map((r) => ({
      AllowedOrigin: r.allowedOrigins,
      AllowedMethod: r.allowedMethods,
      AllowedHeader: r.allowedHeaders,
      ExposeHeader: r.exposeHeaders,
      MaxAgeSeconds: r.maxAgeSeconds,
    })),
    ResponseVary: config.responseVary,
  });
}

async function deleteBucketCors(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  await setConfig(ctx.state.storage, bucket.name, 'cors', undefined);
  return emptyResponse(204);
}

// -- tagging --

function parseBucketTags(doc: XmlNode): Record<string, string> {
  const root = rootOf(doc, 'Tagging');
  const tags: Record<string, string> = {};
  const nodes = asArray(child(child(root, 'TagSet'), 'Tag'));
  if (nodes.length > MAX_BUCKET_TAGS) throw serverError('InvalidTag', {}, `A bucket has at most ${MAX_BUCKET_TAGS} tags.`);
  for (const node of nodes) {
    const key = text(child(node, 'Key'));
    const value = text(child(node, 'Value')) ?? '';
    if (!key) throw serverError('InvalidTag', {}, 'A tag key must not be empty.');
    if (encoder.encode(key).length > 64) throw serverError('InvalidTag', { Key: key }, 'A tag key is at most 64 bytes.');
    if (encoder.encode(value).length > 128) throw serverError('InvalidTag', { Key: key }, 'A tag value is at most 128 bytes.');
    if (/^(https?:\/\/|Aliyun)/.test(key)) throw serverError('InvalidTag', { Key: key }, 'A tag key must not start with http://, https:// or Aliyun.');
    if (key in tags) throw serverError('InvalidTag', { Key: key }, 'Tag keys must be unique.');
    tags[key] = value;
  }
  return tags;
}

async function putBucketTags(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const tags = parseBucketTags(await readXmlBody(ctx));
  await setConfig(ctx.state.storage, bucket.name, 'tags', Object.keys(tags).length ? tags : undefined);
  return emptyResponse(200);
}

async function getBucketTags(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const tags = getConfig(bucket, 'tags') ?? {};
  return xmlResponse('Tagging', { TagSet: { Tag: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } });
}

/** `DELETE /?tagging` drops every tag; `?tagging=k1,k2` only those keys. */
async function deleteBucketTags(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const only = (ctx.query.get('tagging') ?? '').split(',').filter(Boolean);
  await updateBucket(ctx.state.storage, bucket.name, (b) => {
    if (!only.length) {
      b.config.tags = undefined;
      return;
    }
    const tags = { ...getConfig(b, 'tags') };
    for (const k of only) delete tags[k];
    b.config.tags = Object.keys(tags).length ? tags : undefined;
  });
  return emptyResponse(204);
}

// -- policy --

async function putBucketPolicy(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const body = await readTextBody(ctx, MAX_POLICY_BYTES);
  parsePolicy(body);
  await setConfig(ctx.state.storage, bucket.name, 'policy', body);
  return emptyResponse(200);
}

async function getBucketPolicy(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const policy = getConfig(bucket, 'policy');
  if (policy === undefined) throw serverError('NoSuchBucketPolicy', { BucketName: bucket.name }, 'The bucket policy does not exist.');
  return new Response(policy, { status: 200, headers: { 'content-type': 'application/json' } });
}

async function deleteBucketPolicy(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  await setConfig(ctx.state.storage, bucket.name, 'policy', undefined);
  return emptyResponse(204);
}

export const bucketConfigRoutes: RouteDef[] = [
  defineRoute('bucket', 'PUT', 'acl', putBucketAcl),
  defineRoute('bucket', 'GET', 'acl', getBucketAcl),
  defineRoute('bucket', 'GET', 'location', getBucketLocation),
  defineRoute('bucket', 'GET', 'bucketInfo', getBucketInfo),
  defineRoute('bucket', 'PUT', 'logging', putBucketLogging),
  defineRoute('bucket', 'GET', 'logging', getBucketLogging),
  defineRoute('bucket', 'DELETE', 'logging', deleteBucketLogging),
  defineRoute('bucket', 'PUT', 'referer', putBucketReferer),
  defineRoute('bucket', 'GET', 'referer', getBucketReferer),
  defineRoute('bucket', 'PUT', 'cors', putBucketCors),
  defineRoute('bucket', 'GET', 'cors', getBucketCors),
  defineRoute('bucket', 'DELETE', 'cors', deleteBucketCors),
  defineRoute('bucket', 'PUT', 'tagging', putBucketTags),
  defineRoute('bucket', 'GET', 'tagging', getBucketTags),
  defineRoute('bucket', 'DELETE', 'tagging', deleteBucketTags),
  defineRoute('bucket', 'PUT', 'policy', putBucketPolicy),
  defineRoute('bucket', 'GET', 'policy', getBucketPolicy),
  defineRoute('bucket', 'DELETE', 'policy', deleteBucketPolicy),
  ...lifecycleRoutes,
  ...versioningRoutes,
  ...websiteRoutes,
  ...encryptionRoutes,
  ...requestPaymentRoutes,
  ...bucketStatRoutes,
  ...wormRoutes,
  ...inventoryRoutes,
];

// Static website hosting: PutBucketWebsite / GetBucketWebsite / DeleteBucketWebsite, and serving
// anonymous website-style GETs: a "directory" (the bucket root or a key ending in "/") answers
// with its index document, a missing key with the error document and its HttpStatus. Routing
// rules are stored and returned but not applied.

import { isV1Subresource } from '../../../core/sign-v1.js';
import { child, text, type XmlBuildValue, type XmlNode } from '../../../core/xml.js';
import { serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import type { BucketRecord, ObjectRecord } from '../../storage/types.js';
import { authorizeResource, emptyResponse, httpDate, readXmlBody, setHeader, xmlResponse } from '../common.js';
import { configRoutes } from './config-family.js';
import { getConfig, type WebsiteConfig } from './config-store.js';

export type { WebsiteConfig } from './config-store.js';

const invalid = (name: string, value: string, message: string) =>
  serverError('InvalidArgument', { ArgumentName: name, ArgumentValue: value }, message);

export function parseWebsite(doc: XmlNode): WebsiteConfig {
  const root = doc.WebsiteConfiguration;
  if (root === undefined || typeof root !== 'object' || Array.isArray(root)) throw serverError('MalformedXML');
  const indexNode = child(root, 'IndexDocument');
  const errorNode = child(root, 'ErrorDocument');
  const rules = child(root, 'RoutingRules');
  if (indexNode === undefined && errorNode === undefined && rules === undefined) throw serverError('MalformedXML');
  const config: WebsiteConfig = { supportSubDir: false, type: 0, errorStatus: 404 };
  if (indexNode !== undefined) {
    const suffix = text(child(indexNode, 'Suffix'));
    if (!suffix) throw serverError('MalformedXML');
    if (suffix.startsWith('/')) throw invalid('Suffix', suffix, 'The index document suffix must not start with "/".');
    config.index = suffix;
    const sub = text(child(indexNode, 'SupportSubDir'));
    if (sub !== undefined && sub !== 'true' && sub !== 'false') throw invalid('SupportSubDir', sub, 'SupportSubDir must be true or false.');
    config.supportSubDir = sub === 'true';
    const type = text(child(indexNode, 'Type'));
    if (type !== undefined && type !== '0' && type !== '1' && type !== '2') throw invalid('Type', type, 'Type must be 0, 1 or 2.');
    config.type = Number(type ?? 0) as 0 | 1 | 2;
  }
  if (errorNode !== undefined) {
    const key = text(child(errorNode, 'Key'));
    if (!key) throw serverError('MalformedXML');
    config.errorDocument = key;
    const status = text(child(errorNode, 'HttpStatus'));
    if (status !== undefined && status !== '200' && status !== '404') throw invalid('HttpStatus', status, 'HttpStatus must be 200 or 404.');
    config.errorStatus = Number(status ?? 404);
  }
  if (rules !== undefined) config.routingRules = rules;
  return config;
}

export function websiteXml(config: WebsiteConfig): XmlBuildValue {
  return {
    IndexDocument: config.index !== undefined
      ? { Suffix: config.index, SupportSubDir: config.supportSubDir, Type: config.type }
      : undefined,
    ErrorDocument: config.errorDocument !== undefined ? { Key: config.errorDocument, HttpStatus: config.errorStatus } : undefined,
    RoutingRules: config.routingRules,
  };
}

export const websiteRoutes = configRoutes({
  sub: 'website',
  name: 'website',
  read: async (ctx) => parseWebsite(await readXmlBody(ctx)),
  missing: { code: 'NoSuchWebsiteConfiguration', message: 'The specified bucket does not have a website configuration.' },
  show: (config) => xmlResponse('WebsiteConfiguration', websiteXml(config)),
  remove: true,
});

// -- serving --

/** A document is a resource of its own: GetObject on its key, not on the path asked for. */
function authorizeDocument(ctx: RequestContext, bucket: BucketRecord, record: ObjectRecord): void {
  authorizeResource(ctx, { bucket, key: record.key, actions: ['oss:GetObject'], access: 'read', object: record });
}

/** A website document: readable by this caller (ACL, policy, referer) or AccessDenied. */
async function serve(ctx: RequestContext, bucket: BucketRecord, record: ObjectRecord, status: number, headOnly: boolean): Promise<Response> {
  authorizeDocument(ctx, bucket, record);
  const headers = new Headers({
    'content-type': record.contentType,
    'content-length': String(record.size),
    etag: record.etag,
    'last-modified': httpDate(record.lastModified),
    'x-oss-object-type': record.objectType,
  });
  for (const [name, value] of Object.entries(record.headers)) setHeader(headers, name, value);
  const body = headOnly || record.size === 0 ? null : await ctx.state.storage.readObject(bucket.name, record.key);
  return new Response(body, { status, headers });
}

/**
 * The website answer to an anonymous GET/HEAD without sub-resources on a bucket with a website
 * configuration, or undefined to go on as a plain request (also when the document to serve does
 * not exist: the plain NoSuchKey follows). `bucket` saves a lookup when the caller has it.
 */
export async function websiteResponse(ctx: RequestContext, bucket?: BucketRecord): Promise<Response | undefined> {
  if (ctx.principal || (ctx.method !== 'GET' && ctx.method !== 'HEAD') || !ctx.bucket) return undefined;
  const params = [...ctx.query.keys()];
  // Sub-resources are other operations; at the root, listing parameters ask for a listing.
  if (params.some(isV1Subresource) || (ctx.key === null && params.length)) return undefined;
  const b = bucket ?? (await ctx.state.storage.getBucket(ctx.bucket));
  const config = b && getConfig(b, 'website');
  if (!b || !config) return undefined;
  const headOnly = ctx.method === 'HEAD';
  const get = (key: string) => ctx.state.storage.getObject(b.name, key);
  const key = ctx.key ?? '';
  if (key === '' || key.endsWith('/')) {
    if (config.index !== undefined) {
      const index = await get(config.supportSubDir ? key + config.index : config.index);
      if (index) return serve(ctx, b, index, 200, headOnly);
    }
  } else {
    if (await get(key)) return undefined;
    if (config.index !== undefined && config.supportSubDir && config.type !== 1) {
      const index = await get(`${key}/${config.index}`);
      if (index && config.type === 2) return serve(ctx, b, index, 200, headOnly);
      if (index) {
        authorizeDocument(ctx, b, index);
        return emptyResponse(302, { location: `${ctx.url.pathname}/` });
      }
    }
  }
  if (config.errorDocument === undefined) return undefined;
  const errorDoc = await get(config.errorDocument);
  return errorDoc ? serve(ctx, b, errorDoc, config.errorStatus, headOnly) : undefined;
}

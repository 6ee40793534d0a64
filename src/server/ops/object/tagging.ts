// Object tagging: PutObjectTagging / GetObjectTagging / DeleteObjectTagging, and the
// `x-oss-tagging` header the writes (put, copy, append, symlink, multipart) take.

import { decodeUriComponentSafe } from '../../../core/encoding.js';
import { MAX_OBJECT_TAGS, objectTagProblem } from '../../../core/object-tags.js';
import { asArray, child, text, type XmlValue } from '../../../core/xml.js';
import { ServerError, serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { emptyResponse, loadBucket, readXmlBody, xmlResponse } from '../common.js';
import { defineRoute, type RouteDef } from '../routes.js';
import { loadRecord, versionHeaders } from './versions.js';

function checkedTags(pairs: Array<[string, string]>): Record<string, string> {
  if (pairs.length > MAX_OBJECT_TAGS) {
    throw new ServerError('InvalidTag', `An object can have at most ${MAX_OBJECT_TAGS} tags.`, {}, 400, '0010-00000218');
  }
  const tags: Record<string, string> = {};
  for (const [key, value] of pairs) {
    const problem = objectTagProblem(key, value);
    if (problem) throw new ServerError('InvalidTag', `The tag is invalid: ${problem}.`, {}, 400, '0010-00000217');
    if (Object.hasOwn(tags, key)) throw new ServerError('InvalidTag', `The tag key "${key}" is given twice.`, {}, 400, '0010-00000218');
    tags[key] = value;
  }
  return tags;
}

/**
 * The tags of an `x-oss-tagging: k1=v1&k2=v2` request header (keys and values URL-encoded; a
 * bare `k` is an empty value), validated as PutObjectTagging would. No header: no tags.
 */
export function parseTaggingHeader(header: string | undefined): Record<string, string> {
  if (header === undefined || header === '') return {};
  const pairs = header.split('&').map((item): [string, string] => {
    const parts = item.split('=');
    if (parts.length > 2 || parts[0] === '') {
      throw new ServerError('InvalidArgument', `x-oss-tagging must be key1=value1&key2=value2, got "${header}".`, {}, 400, '0010-00000219');
    }
    return [decodeUriComponentSafe(parts[0]!), decodeUriComponentSafe(parts[1] ?? '')];
  });
  return checkedTags(pairs);
}

export async function putObjectTagging(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  const record = await loadRecord(ctx, bucket, 'write');
  const doc = await readXmlBody(ctx);
  if (doc.Tagging === undefined) throw serverError('MalformedXML');
  const pairs = asArray(child(child(doc.Tagging, 'TagSet'), 'Tag')).map((tag: XmlValue): [string, string] => {
    const key = text(child(tag, 'Key'));
    if (key === undefined) throw serverError('MalformedXML');
    return [key, text(child(tag, 'Value')) ?? ''];
  });
  // Tagging changes neither the bytes nor Last-Modified.
  await ctx.state.storage.updateObjectRecord(bucket.name, { ...record, tags: checkedTags(pairs) });
  return emptyResponse(200, versionHeaders(record));
}

export async function getObjectTagging(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  const record = await loadRecord(ctx, bucket, 'read');
  return xmlResponse('Tagging', { TagSet: { Tag: Object.entries(record.tags).map(([Key, Value]) => ({ Key, Value })) } }, 200, versionHeaders(record));
}

export async function deleteObjectTagging(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  const record = await loadRecord(ctx, bucket, 'write');
  await ctx.state.storage.updateObjectRecord(bucket.name, { ...record, tags: {} });
  return emptyResponse(204, versionHeaders(record));
}

export const taggingRoutes: RouteDef[] = [
  defineRoute('object', 'PUT', 'tagging', putObjectTagging),
  defineRoute('object', 'GET', 'tagging', getObjectTagging),
  defineRoute('object', 'DELETE', 'tagging', deleteObjectTagging),
];

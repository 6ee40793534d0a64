// Bucket tagging: PutBucketTags / GetBucketTags / DeleteBucketTags (all, or `?tagging=k1,k2`).

import { asArray, child, text, type XmlNode } from '../../../core/xml.js';
import { serverError } from '../../errors.js';
import { readXmlBody, xmlResponse } from '../common.js';
import { configRoutes, rootOf } from './config-family.js';
import { getConfig, updateBucket } from './config-store.js';

const MAX_BUCKET_TAGS = 20;
const encoder = new TextEncoder();

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

export const tagsRoutes = configRoutes({
  sub: 'tagging',
  name: 'tags',
  async read(ctx) {
    const tags = parseBucketTags(await readXmlBody(ctx));
    return Object.keys(tags).length ? tags : undefined;
  },
  show: (tags = {}) => xmlResponse('Tagging', { TagSet: { Tag: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } }),
  /** `DELETE /?tagging` drops every tag; `?tagging=k1,k2` only those keys. */
  async remove(ctx, bucket) {
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
  },
});

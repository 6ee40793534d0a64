import { OSSArgumentError } from '../../core/errors.js';
import { assertPlainObject } from '../../core/validate.js';
import { asArray, buildXml, child, text } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { bucketCall, bucketXml, checkBucketCall, stringList, type BucketCallOptions } from './common.js';

const encoder = new TextEncoder();

/** OSS's bucket tag rules: at most 20; keys 1-64 bytes, not `http://`, `https://` or `Aliyun…`; values up to 128 bytes. */
function assertBucketTags(tag: unknown): asserts tag is Record<string, string> {
  assertPlainObject(tag, 'tag');
  if (tag === undefined) throw new OSSArgumentError('tag', 'expected an object of tags, e.g. { team: "web" }');
  const entries = Object.entries(tag);
  if (entries.length > 20) throw new OSSArgumentError('tag', `a bucket has at most 20 tags, got ${entries.length}`);
  for (const [key, value] of entries) {
    if (typeof value !== 'string') throw new OSSArgumentError(`tag.${key}`, 'expected a string value');
    if (!key || encoder.encode(key).length > 64) throw new OSSArgumentError(`tag.${key}`, 'a tag key is 1-64 bytes');
    if (/^(https?:\/\/|Aliyun)/.test(key)) throw new OSSArgumentError(`tag.${key}`, 'a tag key must not start with http://, https:// or Aliyun');
    if (encoder.encode(value).length > 128) throw new OSSArgumentError(`tag.${key}`, 'a tag value is at most 128 bytes');
  }
}

/**
 * Replace the bucket's tags.
 * @example await putBucketTags(core, 'my-bucket', { team: 'web', env: 'prod' })
 */
export async function putBucketTags(core: OSSCore, name: string, tag: Record<string, string>, options: BucketCallOptions = {}): Promise<{ status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  assertBucketTags(tag);
  const body = buildXml('Tagging', { TagSet: { Tag: Object.entries(tag).map(([Key, Value]) => ({ Key, Value })) } });
  const res = await bucketCall(core, name, { method: 'PUT', sub: 'tagging', body }, options);
  return { status: res.status, res };
}

/**
 * The bucket's tags as a plain object (`{}` when it has none).
 * @example const { tag } = await getBucketTags(core, 'my-bucket') // { team: 'web', env: 'prod' }
 */
export async function getBucketTags(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<{ tag: Record<string, string>; status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  const { doc, res } = await bucketXml(core, name, 'tagging', options);
  const tag: Record<string, string> = {};
  for (const t of asArray(child(child(doc.Tagging, 'TagSet'), 'Tag'))) tag[text(child(t, 'Key')) ?? ''] = text(child(t, 'Value')) ?? '';
  return { tag, status: res.status, res };
}

export interface DeleteBucketTagsOptions extends BucketCallOptions {
  /** Remove only these keys (default: every tag). */
  keys?: string[];
}

/**
 * Remove the bucket's tags, or only some of them.
 * @example await deleteBucketTags(core, 'my-bucket', { keys: ['env'] })
 */
export async function deleteBucketTags(core: OSSCore, name: string, options: DeleteBucketTagsOptions = {}): Promise<{ status: number; res: ResponseInfo }> {
  checkBucketCall(name, options, 'keys');
  const keys = stringList(options.keys, 'options.keys');
  const res = await bucketCall(core, name, { method: 'DELETE', sub: 'tagging', subValue: keys.length ? keys.join(',') : undefined }, options);
  return { status: res.status, res };
}

import { OSSArgumentError } from '../../core/errors.js';
import { MAX_OBJECT_TAGS, objectTagProblem } from '../../core/object-tags.js';
import { assertObjectKey, assertPlainObject } from '../../core/validate.js';
import { asArray, buildXml, child, text } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { discard, readXml } from '../read.js';
import { versionOf, type VersionedCallOptions } from './common.js';
import { checkOptions } from '../call-options.js';

/** Up to 10 tags; keys 1-128 and values 0-256 characters of letters, digits, space and `+ - = . _ : /`. */
function assertObjectTags(tags: unknown, argument = 'tag'): asserts tags is Record<string, string> {
  assertPlainObject(tags, argument);
  if (tags === undefined) throw new OSSArgumentError(argument, 'expected an object of tags, e.g. { project: "a" }');
  const entries = Object.entries(tags);
  if (entries.length > MAX_OBJECT_TAGS) throw new OSSArgumentError(argument, `an object has at most ${MAX_OBJECT_TAGS} tags, got ${entries.length}`);
  for (const [key, value] of entries) {
    const problem = objectTagProblem(key, value);
    if (problem) throw new OSSArgumentError(`${argument}.${key}`, problem);
  }
}

/**
 * Replace an object's tags (`{}` removes them all).
 * @example await putObjectTagging(core, 'report.pdf', { project: 'apollo', stage: 'draft' })
 */
export async function putObjectTagging(
  core: OSSCore, name: string, tag: Record<string, string>, options: VersionedCallOptions = {},
): Promise<{ status: number; res: ResponseInfo }> {
  assertObjectKey(name);
  assertObjectTags(tag);
  checkOptions(options, 'bucket versionId');
  const bucket = core.requireBucket(options.bucket);
  const body = buildXml('Tagging', { TagSet: { Tag: Object.entries(tag).map(([Key, Value]) => ({ Key, Value })) } });
  const raw = await core.request({
    method: 'PUT', bucket, key: name, query: { tagging: null, versionId: versionOf(options) }, headers: { 'content-type': 'application/xml' }, body,
    signal: options.signal, timeout: options.timeout,
  });
  return withStatus(await discard(raw));
}

/** ali-oss's tagging results carry the HTTP status beside `res`. */
function withStatus(res: ResponseInfo): { status: number; res: ResponseInfo } {
  return { status: res.status, res };
}

/**
 * An object's tags as a plain object.
 * @example const { tag } = await getObjectTagging(core, 'report.pdf') // { project: 'apollo', … }
 */
export async function getObjectTagging(core: OSSCore, name: string, options: VersionedCallOptions = {}): Promise<{ tag: Record<string, string>; status: number; res: ResponseInfo }> {
  assertObjectKey(name);
  checkOptions(options, 'bucket versionId');
  const bucket = core.requireBucket(options.bucket);
  const raw = await core.request({ method: 'GET', bucket, key: name, query: { tagging: null, versionId: versionOf(options) }, signal: options.signal, timeout: options.timeout });
  const { doc, res } = await readXml(raw);
  const tag: Record<string, string> = {};
  for (const t of asArray(child(child(doc.Tagging, 'TagSet'), 'Tag'))) tag[text(child(t, 'Key')) ?? ''] = text(child(t, 'Value')) ?? '';
  return { tag, ...withStatus(res) };
}

/**
 * Remove all of an object's tags.
 * @example await deleteObjectTagging(core, 'report.pdf')
 */
export async function deleteObjectTagging(core: OSSCore, name: string, options: VersionedCallOptions = {}): Promise<{ status: number; res: ResponseInfo }> {
  assertObjectKey(name);
  checkOptions(options, 'bucket versionId');
  const bucket = core.requireBucket(options.bucket);
  const raw = await core.request({ method: 'DELETE', bucket, key: name, query: { tagging: null, versionId: versionOf(options) }, signal: options.signal, timeout: options.timeout });
  return withStatus(await discard(raw));
}

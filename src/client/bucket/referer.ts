import { OSSArgumentError } from '../../core/errors.js';
import { asArray, buildXml, child, text } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { assertBoolean, bucketCall, bucketXml, checkBucketCall, stringList, type BucketCallOptions } from './common.js';

export interface PutBucketRefererOptions extends BucketCallOptions {
  /** Referers always refused (`*` and `?` wildcards), checked before the white list. */
  blacklist?: string[];
  /** Ignore the query string of the Referer when matching (OSS default: true). */
  allowTruncateQueryString?: boolean;
  /** Match only `scheme://host[:port]` of the Referer (OSS default: false). */
  truncatePath?: boolean;
}

/**
 * Hotlink protection: which Referer headers may fetch objects anonymously or through presigned
 * URLs (`*` and `?` wildcards). OSSClient also takes the 2015 form `putBucketReferer(name, region, allowEmpty, referers, options)`.
 * @example await putBucketReferer(core, 'my-bucket', false, ['https://*.example.com/*'])
 */
export async function putBucketReferer(
  core: OSSCore, name: string, allowEmpty: boolean, referers?: string[] | null, options: PutBucketRefererOptions = {},
): Promise<{ res: ResponseInfo }> {
  checkBucketCall(name, options, 'blacklist allowTruncateQueryString truncatePath');
  if (typeof allowEmpty !== 'boolean') throw new OSSArgumentError('allowEmpty', 'expected true or false');
  if (referers !== undefined && referers !== null && !Array.isArray(referers)) throw new OSSArgumentError('referers', 'expected an array of referers');
  const whitelist = stringList(referers, 'referers');
  const blacklist = stringList(options.blacklist, 'options.blacklist');
  assertBoolean(options.allowTruncateQueryString, 'options.allowTruncateQueryString');
  assertBoolean(options.truncatePath, 'options.truncatePath');
  const body = buildXml('RefererConfiguration', {
    AllowEmptyReferer: allowEmpty,
    AllowTruncateQueryString: options.allowTruncateQueryString,
    TruncatePath: options.truncatePath,
    RefererList: { Referer: whitelist },
    RefererBlacklist: blacklist.length ? { Referer: blacklist } : undefined,
  });
  return { res: await bucketCall(core, name, { method: 'PUT', sub: 'referer', body }, options) };
}

export interface GetBucketRefererResult {
  allowEmpty: boolean;
  /** The white list, or null when it is empty (as ali-oss reports it). */
  referers: string[] | null;
  blacklist: string[];
  allowTruncateQueryString: boolean;
  truncatePath: boolean;
  res: ResponseInfo;
}

/**
 * The bucket's hotlink protection.
 * @example const { allowEmpty, referers } = await getBucketReferer(core, 'my-bucket')
 */
export async function getBucketReferer(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<GetBucketRefererResult> {
  checkBucketCall(name, options);
  const { doc, res } = await bucketXml(core, name, 'referer', options);
  const root = doc.RefererConfiguration;
  const list = (element: string) => asArray(child(child(root, element), 'Referer')).map((r) => text(r) ?? '');
  const referers = list('RefererList');
  return {
    allowEmpty: text(child(root, 'AllowEmptyReferer')) !== 'false',
    referers: referers.length ? referers : null,
    blacklist: list('RefererBlacklist'),
    allowTruncateQueryString: text(child(root, 'AllowTruncateQueryString')) !== 'false',
    truncatePath: text(child(root, 'TruncatePath')) === 'true',
    res,
  };
}

/**
 * Turn hotlink protection off (an empty white list that allows empty referers, as OSS has no
 * DELETE for it).
 * @example await deleteBucketReferer(core, 'my-bucket')
 */
export async function deleteBucketReferer(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<{ res: ResponseInfo }> {
  return putBucketReferer(core, name, true, null, options);
}

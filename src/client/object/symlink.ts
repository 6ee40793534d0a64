import { OSSArgumentError } from '../../core/errors.js';
import { decodeUriComponentSafe, encodeQueryComponent } from '../../core/encoding.js';
import { assertMeta, assertObjectKey } from '../../core/validate.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { discard } from '../read.js';
import { assertObjectAcl, type ObjectACL } from './acl.js';
import { metaFromHeaders, metaHeaders, versionOf, type CallOptions, type VersionedCallOptions } from './common.js';
import { checkOptions } from '../call-options.js';
import { assertOneOf } from '../one-of.js';

const STORAGE_CLASSES: readonly string[] = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];

export interface PutSymlinkOptions extends CallOptions {
  /** User metadata of the link itself (`x-oss-meta-*`). */
  meta?: Record<string, string | number>;
  storageClass?: 'Standard' | 'IA' | 'Archive' | 'ColdArchive' | 'DeepColdArchive';
  acl?: ObjectACL;
  /** Fail with FileAlreadyExistsError instead of replacing an existing object. */
  forbidOverwrite?: boolean;
}

export interface GetSymlinkResult {
  targetName: string;
  /** The link's user metadata (names without `x-oss-meta-`). */
  meta: Record<string, string>;
  res: ResponseInfo;
}

/**
 * Create a symlink: `get(name)` then serves `targetName`'s bytes. The target need not exist yet.
 * @example await putSymlink(core, 'latest.tar.gz', 'releases/v1.2.3.tar.gz')
 */
export async function putSymlink(
  core: OSSCore, name: string, targetName: string, options: PutSymlinkOptions = {},
): Promise<{ res: ResponseInfo }> {
  assertObjectKey(name);
  assertObjectKey(targetName, 'targetName');
  // A new link is always a new version: refused rather than ignored.
  if ((options as VersionedCallOptions | undefined)?.versionId !== undefined) throw new OSSArgumentError('options.versionId', 'not for putSymlink');
  checkOptions(options, 'bucket meta storageClass acl forbidOverwrite');
  assertMeta(options.meta, 'options.meta');
  if (options.storageClass !== undefined) assertOneOf(options.storageClass, STORAGE_CLASSES, 'options.storageClass');
  if (options.acl !== undefined) assertObjectAcl(options.acl, 'options.acl');
  if (options.forbidOverwrite !== undefined && typeof options.forbidOverwrite !== 'boolean') {
    throw new OSSArgumentError('options.forbidOverwrite', 'expected a boolean');
  }
  const bucket = core.requireBucket(options.bucket);
  const headers: Record<string, string | undefined> = {
    // encodeURIComponent with "/" kept, as ali-oss sends it.
    'x-oss-symlink-target': encodeQueryComponent(targetName).replace(/%2F/g, '/'),
    'x-oss-storage-class': options.storageClass,
    'x-oss-object-acl': options.acl,
    'x-oss-forbid-overwrite': options.forbidOverwrite === undefined ? undefined : String(options.forbidOverwrite),
    ...metaHeaders(options.meta),
  };
  const raw = await core.request({
    method: 'PUT', bucket, key: name, query: { symlink: null }, headers, signal: options.signal, timeout: options.timeout,
  });
  return { res: await discard(raw) };
}

/**
 * Where a symlink points, and its own metadata.
 * @example const { targetName } = await getSymlink(core, 'latest.tar.gz')
 */
export async function getSymlink(core: OSSCore, name: string, options: VersionedCallOptions = {}): Promise<GetSymlinkResult> {
  assertObjectKey(name);
  checkOptions(options, 'bucket versionId');
  const bucket = core.requireBucket(options.bucket);
  const raw = await core.request({ method: 'GET', bucket, key: name, query: { symlink: null, versionId: versionOf(options) }, signal: options.signal, timeout: options.timeout });
  const res = await discard(raw);
  return { targetName: decodeUriComponentSafe(res.headers['x-oss-symlink-target'] ?? ''), meta: metaFromHeaders(res.headers), res };
}

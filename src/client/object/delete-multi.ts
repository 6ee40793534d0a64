import { OSSArgumentError } from '../../core/errors.js';
import { md5Base64 } from '../../core/md5.js';
import { assertObjectKey, assertOptionalString, assertPlainObject } from '../../core/validate.js';
import { asArray, buildXml, child, text } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { readXml } from '../read.js';
import { keyDecoder, type CallOptions } from './common.js';
import { checkOptions } from '../call-options.js';

/** A key, or a key and the version of it to delete. */
export type DeleteMultiName = string | { key: string; versionId?: string };

export interface DeleteMultiOptions extends CallOptions {
  /** Report only failures instead of every deleted key (OSS reports none: it fails whole). */
  quiet?: boolean;
}

export interface DeletedObject {
  key: string;
  versionId?: string;
  deleteMarker?: boolean;
  deleteMarkerVersionId?: string;
}

export interface DeleteMultiResult {
  /** Every deleted key (a missing key counts as deleted); empty in quiet mode. */
  deleted: DeletedObject[];
  res: ResponseInfo;
}

const MAX_KEYS = 1000;

/**
 * Delete up to 1000 objects in one request.
 * @example const { deleted } = await deleteMulti(core, ['a.txt', 'b.txt'])
 * @example await deleteMulti(core, [{ key: 'a.txt', versionId }], { quiet: true })
 */
export async function deleteMulti(core: OSSCore, names: DeleteMultiName[], options: DeleteMultiOptions = {}): Promise<DeleteMultiResult> {
  if (!Array.isArray(names) || names.length === 0) throw new OSSArgumentError('names', 'expected a non-empty array of keys');
  if (names.length > MAX_KEYS) throw new OSSArgumentError('names', `at most ${MAX_KEYS} keys per request, got ${names.length}`);
  const objects = names.map((entry, i) => {
    if (typeof entry === 'string') {
      assertObjectKey(entry, `names[${i}]`);
      return { Key: entry };
    }
    assertPlainObject(entry, `names[${i}]`);
    if (!entry) throw new OSSArgumentError(`names[${i}]`, 'expected a key or { key, versionId }');
    assertObjectKey(entry.key, `names[${i}].key`);
    assertOptionalString(entry.versionId, `names[${i}].versionId`);
    return { Key: entry.key, VersionId: entry.versionId };
  });
  checkOptions(options, 'bucket quiet');
  if (options.quiet !== undefined && typeof options.quiet !== 'boolean') throw new OSSArgumentError('options.quiet', 'expected a boolean');
  const bucket = core.requireBucket(options.bucket);
  // Keys travel XML-escaped in the request and URL-encoded in the answer (XML 1.0 cannot carry every character).
  const body = buildXml('Delete', { Quiet: Boolean(options.quiet), Object: objects });
  const raw = await core.request({
    method: 'POST',
    bucket,
    query: { delete: null, 'encoding-type': 'url' },
    headers: { 'content-type': 'application/xml', 'content-md5': md5Base64(body) },
    body,
    // Deleting twice deletes the same keys.
    idempotent: true,
    signal: options.signal,
    timeout: options.timeout,
  });
  const { doc, res } = await readXml(raw);
  const result = doc.DeleteResult;
  const decode = keyDecoder(result);
  const deleted = asArray(child(result, 'Deleted')).map((node): DeletedObject => {
    const versionId = text(child(node, 'VersionId'));
    const marker = text(child(node, 'DeleteMarker'));
    const markerVersion = text(child(node, 'DeleteMarkerVersionId'));
    return {
      key: decode(text(child(node, 'Key')) ?? ''),
      ...(versionId ? { versionId } : {}),
      ...(marker ? { deleteMarker: marker === 'true' } : {}),
      ...(markerVersion ? { deleteMarkerVersionId: markerVersion } : {}),
    };
  });
  return { deleted, res };
}

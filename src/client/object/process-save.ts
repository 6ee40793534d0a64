// ProcessObject with sys/saveas: process an image (or document) on the server and store the
// result as another object, without downloading it.

import { OSSArgumentError } from '../../core/errors.js';
import { toBase64Url, utf8 } from '../../core/crypto.js';
import { assertObjectKey, assertPlainObject } from '../../core/validate.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { readBytes } from '../read.js';
import type { CallOptions } from './common.js';

/** OSS wants the saveas target URL-safe base64, without padding. */
const urlSafeBase64 = (s: string) => toBase64Url(utf8(s));

export interface ProcessObjectSaveResult {
  res: ResponseInfo;
  status: number;
  /** OSS's answer: `{ bucket, fileSize, object, status }`. */
  data: unknown;
}

/**
 * Apply `process` (e.g. `image/resize,w_200`) to `sourceObject` and save the result as
 * `targetObject`, in this bucket or `targetBucket` (ali-oss's processObjectSave).
 * @example await processObjectSave(core, 'photos/big.jpg', 'photos/thumb.jpg', 'image/resize,w_200')
 */
export async function processObjectSave(
  core: OSSCore, sourceObject: string, targetObject: string, process: string, targetBucket?: string, options: CallOptions = {},
): Promise<ProcessObjectSaveResult> {
  assertObjectKey(sourceObject, 'sourceObject');
  assertObjectKey(targetObject, 'targetObject');
  if (typeof process !== 'string' || !process) throw new OSSArgumentError('process', 'expected a process such as "image/resize,w_200"');
  if (process.includes('|')) throw new OSSArgumentError('process', 'must not contain "|": the save step is added for you');
  if (targetBucket !== undefined && (typeof targetBucket !== 'string' || !targetBucket)) throw new OSSArgumentError('targetBucket', 'expected a bucket name');
  assertPlainObject(options, 'options');
  const bucket = core.requireBucket(options.bucket);
  const saveAs = `sys/saveas,o_${urlSafeBase64(targetObject)}${targetBucket ? `,b_${urlSafeBase64(targetBucket)}` : ''}`;
  const raw = await core.request({
    method: 'POST', bucket, key: sourceObject, query: { 'x-oss-process': null },
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `x-oss-process=${encodeURIComponent(`${process}|${saveAs}`)}`,
    signal: options.signal, timeout: options.timeout,
  });
  const { content, res } = await readBytes(raw);
  const text = new TextDecoder().decode(content);
  let data: unknown = text;
  try {
    data = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { res, status: res.status, data };
}

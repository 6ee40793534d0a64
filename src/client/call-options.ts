// Options a call does not take are refused before anything is sent, never ignored: a typo, or an
// ali-oss name that oss-fetch spells differently (the error then names the oss-fetch spelling).
// One check per call, against the names that call takes.

import { OSSArgumentError } from '../core/errors.js';
import { assertPlainObject } from '../core/validate.js';

/** ali-oss option names that oss-fetch does not take, and what to write instead. */
const ALI_OSS_NAMES: Record<string, string> = {
  subres: 'the named option of that parameter (response, process, query…)',
  ctx: 'signal',
  additionalHeaders: 'headers (V4 signs every header sent)',
  progress: 'onProgress',
  callback: 'not supported (no upload callbacks)',
  disabledMD5: 'crc64 (uploads are checked by CRC-64, not MD5)',
  responseCacheControl: "response: { 'cache-control': … }",
  Days: 'days',
  JobParameters: 'tier',
  type: 'nothing for restore (OSS knows the storage class; tier picks the speed)',
  retryMax: 'retries',
  requestErrorRetryHandle: 'onRetry (transient failures are retried)',
  agent: "fetch: nodeFetch({ agent }) from 'oss-fetch/node'",
  httpsAgent: "fetch: nodeFetch({ agent }) from 'oss-fetch/node'",
  maxSockets: "fetch: nodeFetch({ maxSockets }) from 'oss-fetch/node'",
  urllib: 'fetch',
  proxy: 'fetch (one that goes through the proxy)',
  enableProxy: 'fetch (one that goes through the proxy)',
  isRequestPay: "headers: { 'x-oss-request-payer': 'requester' }",
  headerEncoding: 'nothing: header values are sent as UTF-8',
  amendTimeSkewed: 'nothing: the clock offset is learnt from the server',
};

/**
 * Check a call's options: a plain object (or undefined) whose keys with a value are `signal`,
 * `timeout` or one of `known` (space-separated).
 * @example checkOptions(options, 'bucket mime meta headers')
 */
export function checkOptions(options: unknown, known: string, argument = 'options'): void {
  assertPlainObject(options, argument);
  for (const key in options) {
    if ((options as Record<string, unknown>)[key] === undefined || ` signal timeout ${known} `.includes(` ${key} `)) continue;
    const instead = key.startsWith('x-oss-') ? `headers: { '${key}': … }` : Object.hasOwn(ALI_OSS_NAMES, key) ? ALI_OSS_NAMES[key] : '';
    throw new OSSArgumentError(`${argument}.${key}`, instead ? `ali-oss's "${key}" is ${instead} in oss-fetch` : `not an option of this call (it takes ${known ? `${known.replaceAll(' ', ', ')}, ` : ''}signal, timeout)`);
  }
}

// Options a call does not take are refused before anything is sent, never ignored: a typo, or an
// ali-oss name that oss-fetch spells differently (the error then names the oss-fetch spelling).
// One check per call, against the names that call takes.

import { OSSArgumentError } from '../core/errors.js';
import { assertPlainObject } from '../core/validate.js';

/**
 * ali-oss option names oss-fetch does not take, and what to write instead ('' when there is no
 * equivalent). The doc comments of ali-oss-names.ts say more.
 */
const ALI_OSS_NAMES: Record<string, string> = {
  subres: 'response, process or a query argument',
  ctx: 'signal',
  additionalHeaders: 'headers',
  progress: 'onProgress',
  callback: 'put/upload callback',
  disabledMD5: 'crc64',
  responseCacheControl: 'response',
  Days: 'days',
  JobParameters: 'tier',
  type: 'tier',
  retryMax: 'retries',
  requestErrorRetryHandle: 'onRetry',
  agent: 'fetch: nodeFetch({ agent })',
  httpsAgent: 'fetch: nodeFetch({ agent })',
  maxSockets: 'fetch: nodeFetch({ maxSockets })',
  urllib: 'fetch',
  proxy: 'fetch',
  enableProxy: 'fetch',
  isRequestPay: 'headers',
  headerEncoding: '',
  amendTimeSkewed: '',
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
    const instead = key.startsWith('x-oss-') ? 'headers' : Object.hasOwn(ALI_OSS_NAMES, key) ? ALI_OSS_NAMES[key] : undefined;
    throw new OSSArgumentError(
      `${argument}.${key}`,
      instead === undefined ? `not an option of this call (it takes ${known} signal timeout)` : `ali-oss's option; oss-fetch ${instead ? `uses ${instead}` : 'has no equivalent'}`,
    );
  }
}

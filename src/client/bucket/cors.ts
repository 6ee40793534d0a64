import { OSSArgumentError } from '../../core/errors.js';
import { assertPlainObject } from '../../core/validate.js';
import { asArray, buildXml, child, text, type XmlValue } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { assertBoolean, bucketCall, bucketXml, checkBucketCall, stringList, type BucketCallOptions } from './common.js';

export type CORSMethod = 'GET' | 'PUT' | 'DELETE' | 'POST' | 'HEAD';

export interface CORSRule {
  /** `https://app.example.com`, `https://*.example.com` or `*` (one `*` per entry). */
  allowedOrigin: string | string[];
  allowedMethod: CORSMethod | CORSMethod[];
  /** Request headers a preflight may ask for (`*` allows all; browsers signing requests need it). */
  allowedHeader?: string | string[];
  /** Response headers scripts may read (`ETag`, `x-oss-request-id`…; no `*`). */
  exposeHeader?: string | string[];
  maxAgeSeconds?: number;
}

/** A rule as getBucketCORS returns it: lists are always arrays. */
export interface CORSRuleResult {
  allowedOrigin: string[];
  allowedMethod: CORSMethod[];
  allowedHeader: string[];
  exposeHeader: string[];
  maxAgeSeconds?: number;
}

export interface PutBucketCORSOptions extends BucketCallOptions {
  /** Add `Vary: Origin` to every CORS response (OSS ResponseVary). */
  responseVary?: boolean;
}

const METHODS = ['GET', 'PUT', 'DELETE', 'POST', 'HEAD'];

function ruleXml(rule: CORSRule, i: number) {
  const at = `rules[${i}]`;
  assertPlainObject(rule, at);
  const methods = stringList(rule.allowedMethod, `${at}.allowedMethod`, true);
  for (const m of methods) if (!METHODS.includes(m)) throw new OSSArgumentError(`${at}.allowedMethod`, `expected ${METHODS.join(', ')}, got "${m}"`);
  const exposed = stringList(rule.exposeHeader, `${at}.exposeHeader`);
  if (exposed.some((h) => h.includes('*'))) throw new OSSArgumentError(`${at}.exposeHeader`, 'exposed headers are named one by one: "*" is not allowed');
  if (rule.maxAgeSeconds !== undefined && (!Number.isInteger(rule.maxAgeSeconds) || rule.maxAgeSeconds < 0)) {
    throw new OSSArgumentError(`${at}.maxAgeSeconds`, 'expected a non-negative integer');
  }
  return {
    AllowedOrigin: stringList(rule.allowedOrigin, `${at}.allowedOrigin`, true),
    AllowedMethod: methods,
    AllowedHeader: stringList(rule.allowedHeader, `${at}.allowedHeader`),
    ExposeHeader: exposed,
    MaxAgeSeconds: rule.maxAgeSeconds,
  };
}

/**
 * Replace the bucket's CORS rules (up to 10; the first rule matching a request's origin, method
 * and headers answers it). OSSClient also takes the 2015 form `putBucketCORS(name, region, rules, options)`.
 * @example
 * await putBucketCORS(core, 'my-bucket', [{
 *   allowedOrigin: 'https://app.example.com', allowedMethod: ['GET', 'PUT'], allowedHeader: '*', exposeHeader: ['ETag', 'x-oss-request-id'],
 * }])
 */
export async function putBucketCORS(core: OSSCore, name: string, rules: CORSRule[], options: PutBucketCORSOptions = {}): Promise<{ res: ResponseInfo }> {
  checkBucketCall(name, options, 'responseVary');
  if (!Array.isArray(rules) || rules.length === 0) throw new OSSArgumentError('rules', 'expected a non-empty array of rules');
  if (rules.length > 10) throw new OSSArgumentError('rules', 'a bucket has at most 10 CORS rules');
  assertBoolean(options.responseVary, 'options.responseVary');
  const body = buildXml('CORSConfiguration', { CORSRule: rules.map(ruleXml), ResponseVary: options.responseVary });
  return { res: await bucketCall(core, name, { method: 'PUT', sub: 'cors', body }, options) };
}

const texts = (node: XmlValue, name: string) => asArray(child(node, name)).map((v) => text(v) ?? '');

/**
 * The bucket's CORS rules (`NoSuchCORSConfigurationError` when there are none).
 * @example const { rules } = await getBucketCORS(core, 'my-bucket'); rules[0].allowedOrigin // ['https://app.example.com']
 */
export async function getBucketCORS(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<{ rules: CORSRuleResult[]; responseVary: boolean; res: ResponseInfo }> {
  checkBucketCall(name, options);
  const { doc, res } = await bucketXml(core, name, 'cors', options);
  const root = doc.CORSConfiguration;
  const rules = asArray(child(root, 'CORSRule')).map((r): CORSRuleResult => {
    const maxAge = text(child(r, 'MaxAgeSeconds'));
    return {
      allowedOrigin: texts(r, 'AllowedOrigin'),
      allowedMethod: texts(r, 'AllowedMethod') as CORSMethod[],
      allowedHeader: texts(r, 'AllowedHeader'),
      exposeHeader: texts(r, 'ExposeHeader'),
      ...(maxAge !== undefined ? { maxAgeSeconds: Number(maxAge) } : {}),
    };
  });
  return { rules, responseVary: text(child(root, 'ResponseVary')) === 'true', res };
}

/**
 * Remove all CORS rules: browsers can no longer call the bucket from other origins.
 * @example await deleteBucketCORS(core, 'my-bucket')
 */
export async function deleteBucketCORS(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<{ res: ResponseInfo }> {
  checkBucketCall(name, options);
  return { res: await bucketCall(core, name, { method: 'DELETE', sub: 'cors' }, options) };
}

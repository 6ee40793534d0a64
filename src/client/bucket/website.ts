import { OSSArgumentError } from '../../core/errors.js';
import { assertOptionalString, assertPlainObject } from '../../core/validate.js';
import { asArray, buildXml, child, text, type XmlBuildValue } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { assertBoolean, bucketCall, bucketXml, checkBucketCall, plainXml, type BucketCallOptions } from './common.js';

export interface BucketWebsiteConfig {
  /** Index document suffix (default `index.html`): `GET /dir/` serves `dir/index.html`. */
  index?: string;
  /** Error document key, served for missing keys. */
  error?: string;
  /** Status of error-document responses: 404 (default) or 200. */
  errorHttpStatus?: 200 | 404;
  /** A "directory" serves its own index document (default: the root's). */
  supportSubDir?: boolean;
  /** A missing `dir` whose `dir/<index>` exists: 0 redirects to `dir/`, 1 is an error, 2 serves the index. */
  type?: 0 | 1 | 2;
  /** RoutingRule elements as OSS spells them (`{ RuleNumber, Condition, Redirect }`). */
  routingRules?: XmlBuildValue[];
}

/**
 * Serve the bucket as a static website. OSSClient also takes the 2015 form `putBucketWebsite(name, region, config, options)`.
 * @example await putBucketWebsite(core, 'my-site', { index: 'index.html', error: '404.html', supportSubDir: true })
 */
export async function putBucketWebsite(core: OSSCore, name: string, config: BucketWebsiteConfig = {}, options: BucketCallOptions = {}): Promise<{ res: ResponseInfo }> {
  checkBucketCall(name, options);
  assertPlainObject(config, 'config');
  assertOptionalString(config.index, 'config.index');
  assertOptionalString(config.error, 'config.error');
  assertBoolean(config.supportSubDir, 'config.supportSubDir');
  if (config.index === '' || config.index?.startsWith('/')) throw new OSSArgumentError('config.index', 'expected a file name like "index.html"');
  if (config.type !== undefined && ![0, 1, 2].includes(config.type)) throw new OSSArgumentError('config.type', 'expected 0, 1 or 2');
  if (config.errorHttpStatus !== undefined && config.errorHttpStatus !== 200 && config.errorHttpStatus !== 404) {
    throw new OSSArgumentError('config.errorHttpStatus', 'expected 200 or 404');
  }
  if (config.routingRules !== undefined && !Array.isArray(config.routingRules)) throw new OSSArgumentError('config.routingRules', 'expected an array');
  const body = buildXml('WebsiteConfiguration', {
    IndexDocument: { Suffix: config.index ?? 'index.html', SupportSubDir: config.supportSubDir, Type: config.type },
    ErrorDocument: config.error ? { Key: config.error, HttpStatus: config.errorHttpStatus } : undefined,
    RoutingRules: config.routingRules && { RoutingRule: config.routingRules },
  });
  return { res: await bucketCall(core, name, { method: 'PUT', sub: 'website', body }, options) };
}

export interface GetBucketWebsiteResult {
  index: string;
  supportSubDir: boolean;
  type: 0 | 1 | 2;
  error: string | null;
  errorHttpStatus: number;
  routingRules: unknown[];
  res: ResponseInfo;
}

/**
 * The bucket's website configuration (`NoSuchWebsiteConfigurationError` when there is none).
 * @example const { index, error } = await getBucketWebsite(core, 'my-site')
 */
export async function getBucketWebsite(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<GetBucketWebsiteResult> {
  checkBucketCall(name, options);
  const { doc, res } = await bucketXml(core, name, 'website', options);
  const root = doc.WebsiteConfiguration;
  const index = child(root, 'IndexDocument');
  const error = child(root, 'ErrorDocument');
  return {
    index: text(child(index, 'Suffix')) ?? '',
    supportSubDir: text(child(index, 'SupportSubDir')) === 'true',
    type: Number(text(child(index, 'Type')) ?? 0) as 0 | 1 | 2,
    error: text(child(error, 'Key')) || null,
    errorHttpStatus: Number(text(child(error, 'HttpStatus')) ?? 404),
    routingRules: asArray(child(child(root, 'RoutingRules'), 'RoutingRule')).map(plainXml),
    res,
  };
}

/**
 * Stop serving the bucket as a website.
 * @example await deleteBucketWebsite(core, 'my-site')
 */
export async function deleteBucketWebsite(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<{ res: ResponseInfo }> {
  checkBucketCall(name, options);
  return { res: await bucketCall(core, name, { method: 'DELETE', sub: 'website' }, options) };
}

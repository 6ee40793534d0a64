// Pieces shared by the bucket operations: options, one request helper for `?sub-resource` calls,
// and the recognition of the 2015 API's region argument.

import { OSSArgumentError } from '../../core/errors.js';
import { md5Base64 } from '../../core/md5.js';
import { assertBucketName, normalizeRegion } from '../../core/validate.js';
import type { XmlNode, XmlValue } from '../../core/xml.js';
import type { OSSCore, RawResponse, ResponseInfo } from '../core.js';
import { checkOptions } from '../call-options.js';
import { discard, readXml } from '../read.js';
import type { AliOssCallNames } from '../ali-oss-names.js';

export interface BucketCallOptions extends AliOssCallNames {
  signal?: AbortSignal;
  /** Timeout of this call in ms. */
  timeout?: number;
}

export interface BucketRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** The sub-resource: `acl`, `cors`, `lifecycle`… */
  sub: string;
  /** The sub-resource's value (`?tagging=k1,k2`); none by default. */
  subValue?: string;
  /** An XML or JSON body; sent with its Content-MD5. */
  body?: string;
  contentType?: string;
  headers?: Record<string, string | undefined>;
  query?: Record<string, string | number | undefined>;
}

/** Check a bucket name and call options (`known`: the options beside signal and timeout), as every bucket operation starts. */
export function checkBucketCall(name: unknown, options: unknown, known = ''): asserts name is string {
  assertBucketName(name, 'name');
  checkOptions(options, known);
}

/** Send one bucket sub-resource request. */
export function bucketRequest(core: OSSCore, name: string, req: BucketRequest, options: BucketCallOptions = {}): Promise<RawResponse> {
  const headers: Record<string, string | undefined> = { ...req.headers };
  if (req.body !== undefined) {
    headers['content-type'] = req.contentType ?? 'application/xml';
    headers['content-md5'] = md5Base64(req.body);
  }
  return core.request({
    method: req.method,
    bucket: name,
    query: { [req.sub]: req.subValue ?? null, ...req.query },
    headers,
    body: req.body,
    signal: options.signal,
    timeout: options.timeout,
  });
}

/** A bucket request whose answer is only its status. */
export async function bucketCall(core: OSSCore, name: string, req: BucketRequest, options?: BucketCallOptions): Promise<ResponseInfo> {
  return discard(await bucketRequest(core, name, req, options));
}

/** A bucket GET whose answer is an XML document. */
export async function bucketXml(core: OSSCore, name: string, sub: string, options?: BucketCallOptions): Promise<{ doc: XmlNode; res: ResponseInfo }> {
  return readXml(await bucketRequest(core, name, { method: 'GET', sub }, options));
}

/**
 * The 2015 API (ali-oss 4.x) passed a region after the bucket name: `putBucketACL(name, region,
 * acl)`. A string there is that region, checked (an OSSArgumentError when it is none).
 */
export function isSeedRegion(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  normalizeRegion(value, 'region');
  return true;
}

/** An XML element as ali-oss hands it out: text as strings, children as (arrays of) objects. */
export function plainXml(value: XmlValue | undefined): unknown {
  if (value === undefined || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(plainXml);
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === '#text') return value['#text'];
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = plainXml(value[k]);
  return out;
}

export function assertBoolean(value: unknown, argument: string): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new OSSArgumentError(argument, 'expected true or false');
}

/** A string or an array of strings, as ali-oss accepts for lists. */
export function stringList(value: unknown, argument: string, required = false): string[] {
  if (value === undefined || value === null) {
    if (required) throw new OSSArgumentError(argument, 'is required');
    return [];
  }
  const list = Array.isArray(value) ? value : [value];
  list.forEach((v, i) => {
    if (typeof v !== 'string' || !v) throw new OSSArgumentError(`${argument}[${i}]`, 'expected a non-empty string');
  });
  if (required && !list.length) throw new OSSArgumentError(argument, 'needs at least one entry');
  return list as string[];
}

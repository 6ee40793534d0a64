// ali-oss's unsigned object URLs: getObjectUrl appends the key to a base URL (by default the
// endpoint as configured, which is the bucket's URL only for a custom domain); generateObjectUrl
// defaults to the bucket's own URL.

import { OSSArgumentError } from '../../core/errors.js';
import { encodeUriPath } from '../../core/encoding.js';
import { assertObjectKey, assertOptionalString } from '../../core/validate.js';
import type { OSSCore } from '../core.js';

function withBase(baseUrl: string, name: string): string {
  if (!/^https?:\/\//i.test(baseUrl)) throw new OSSArgumentError('baseUrl', 'expected an http(s) URL');
  return `${baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`}${encodeUriPath(name)}`;
}

/**
 * `baseUrl` + the key, URL-encoded, unsigned (ali-oss's getObjectUrl). Without `baseUrl` the base
 * is the endpoint as configured: right for a custom domain (`cname: true`); for a plain region
 * endpoint use generateObjectUrl, which puts the bucket in the URL.
 * @example getObjectUrl(core, 'img/a.png', 'https://cdn.example.com') // 'https://cdn.example.com/img/a.png'
 */
export function getObjectUrl(core: OSSCore, name: string, baseUrl?: string): string {
  assertObjectKey(name);
  assertOptionalString(baseUrl, 'baseUrl');
  if (baseUrl) return withBase(baseUrl, name);
  const { origin, pathStyle } = core.endpointInfo();
  if (pathStyle) throw new OSSArgumentError('baseUrl', 'the endpoint addresses buckets in the path (an IP or localhost), so it is no object URL base: use generateObjectUrl or pass baseUrl');
  return withBase(origin, name);
}

/**
 * The object's unsigned URL on its bucket (ali-oss's generateObjectUrl), or `baseUrl` + the key.
 * Works for path-style endpoints too (an IP or localhost), where ali-oss refuses.
 * @example generateObjectUrl(core, 'img/a.png') // 'https://photos.oss-cn-hangzhou.aliyuncs.com/img/a.png'
 */
export function generateObjectUrl(core: OSSCore, name: string, baseUrl?: string): string {
  assertObjectKey(name);
  assertOptionalString(baseUrl, 'baseUrl');
  return baseUrl ? withBase(baseUrl, name) : core.url(core.requireBucket(), name);
}

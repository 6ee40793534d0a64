// The small rule engines behind bucket access, on their own: the policy evaluator, the wildcard
// matcher, referer and CORS rule matching. (Their effect on real requests: buckets-access and
// buckets-cors tests.)
import { describe, expect, it } from 'vitest';
import { findCorsRule, type CorsConfig } from '../../src/server/cors.js';
import { ServerError } from '../../src/server/errors.js';
import { actionFor, evaluatePolicy, parsePolicy, resourceFor } from '../../src/server/policy.js';
import { refererAllowed, type RefererConfig } from '../../src/server/referer.js';
import { wildcardMatch } from '../../src/server/wildcard.js';
import { thrownBy } from '../helpers/errors.js';

const doc = (...Statement: unknown[]) => JSON.stringify({ Version: '1', Statement });
const KEY = { accessKeyId: 'AK1', ownerId: '111' };
const RES = 'acs:oss:cn-hangzhou:999:bkt/photos/cat.jpg';

describe('wildcardMatch', () => {
  it.each([
    ['*', 'anything', {}, true],
    ['https://*.example.com', 'https://a.b.example.com', {}, true],
    ['https://*.example.com', 'https://example.com', {}, false],
    ['a?c', 'abc', { questionMark: true }, true],
    ['a?c', 'abc', {}, false],
    ['a?c', 'a?c', {}, true],
    ['a.c', 'abc', {}, false],
    ['x-oss-*', 'X-OSS-Meta-A', { caseInsensitive: true }, true],
    ['x-oss-*', 'X-OSS-Meta-A', {}, false],
    ['a*b*c', 'a123b456c', {}, true],
    ['(a)+[b]', '(a)+[b]', {}, true],
    ['line', 'line\nbreak', {}, false],
  ])('%s ~ %s %o → %s', (pattern, value, options, expected) => {
    expect(wildcardMatch(pattern, value, options)).toBe(expected);
  });
});

describe('bucket policy evaluation', () => {
  it('Allow needs principal, action and resource to match', () => {
    const st = parsePolicy(doc({ Effect: 'Allow', Action: 'oss:GetObject', Principal: ['AK1'], Resource: 'acs:oss:*:*:bkt/photos/*' }));
    expect(evaluatePolicy(st, KEY, 'oss:GetObject', RES)).toBe('allow');
    expect(evaluatePolicy(st, KEY, 'oss:PutObject', RES)).toBe('none');
    expect(evaluatePolicy(st, KEY, 'oss:GetObject', 'acs:oss:cn-hangzhou:999:bkt/docs/a')).toBe('none');
    expect(evaluatePolicy(st, { accessKeyId: 'AK2', ownerId: '222' }, 'oss:GetObject', RES)).toBe('none');
    expect(evaluatePolicy(st, null, 'oss:GetObject', RES)).toBe('none');
  });

  it('principals: `*` covers anonymous callers; an account id covers its keys', () => {
    const everyone = parsePolicy(doc({ Effect: 'Allow', Action: 'oss:*', Principal: '*', Resource: '*' }));
    expect(evaluatePolicy(everyone, null, 'oss:DeleteObject', RES)).toBe('allow');
    const account = parsePolicy(doc({ Effect: 'Allow', Action: 'oss:Get*', Principal: ['111'], Resource: ['acs:oss:*:*:bkt/*'] }));
    expect(evaluatePolicy(account, KEY, 'oss:GetObjectAcl', RES)).toBe('allow');
    expect(evaluatePolicy(account, KEY, 'oss:getobject', RES)).toBe('allow');
  });

  it('an applicable Deny wins, whatever the order', () => {
    const allow = { Effect: 'Allow', Action: 'oss:*', Principal: '*', Resource: 'acs:oss:*:*:bkt/*' };
    const deny = { Effect: 'Deny', Action: ['oss:GetObject'], Principal: '*', Resource: 'acs:oss:*:*:bkt/photos/*' };
    for (const st of [parsePolicy(doc(allow, deny)), parsePolicy(doc(deny, allow))]) {
      expect(evaluatePolicy(st, KEY, 'oss:GetObject', RES)).toBe('deny');
      expect(evaluatePolicy(st, KEY, 'oss:PutObject', RES)).toBe('allow');
      expect(evaluatePolicy(st, KEY, 'oss:GetObject', 'acs:oss:cn-hangzhou:999:bkt/other')).toBe('allow');
    }
  });

  it.each([
    ['not JSON', '{', 'InvalidPolicyDocument'],
    ['no version', JSON.stringify({ Statement: [] }), 'InvalidPolicyDocument'],
    ['empty statements', doc(), 'InvalidPolicyDocument'],
    ['bad effect', doc({ Effect: 'allow', Action: 'oss:*', Principal: '*', Resource: '*' }), 'InvalidPolicyDocument'],
    ['no action', doc({ Effect: 'Allow', Principal: '*', Resource: '*' }), 'InvalidPolicyDocument'],
    ['foreign action', doc({ Effect: 'Allow', Action: 's3:GetObject', Principal: '*', Resource: '*' }), 'InvalidPolicyDocument'],
    ['foreign resource', doc({ Effect: 'Allow', Action: 'oss:*', Principal: '*', Resource: 'arn:aws:s3:::b' }), 'InvalidPolicyDocument'],
    ['no principal', doc({ Effect: 'Allow', Action: 'oss:*', Resource: '*' }), 'InvalidPolicyDocument'],
    ['a condition', doc({ Effect: 'Allow', Action: 'oss:*', Principal: '*', Resource: '*', Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } } }), 'NotImplemented'],
  ])('refuses a policy with %s', (_what, text, code) => {
    const err = thrownBy(() => parsePolicy(text));
    expect(err).toBeInstanceOf(ServerError);
    expect((err as ServerError).code).toBe(code);
  });

  it('names the action and resource of requests as RAM does', () => {
    const q = (s: string) => new URLSearchParams(s);
    expect(actionFor({ method: 'GET', key: 'k', query: q('') })).toBe('oss:GetObject');
    expect(actionFor({ method: 'HEAD', key: 'k', query: q('versionId=1') })).toBe('oss:GetObjectVersion');
    expect(actionFor({ method: 'PUT', key: 'k', query: q('acl') })).toBe('oss:PutObjectAcl');
    expect(actionFor({ method: 'POST', key: 'k', query: q('append&position=0') })).toBe('oss:PutObject');
    expect(actionFor({ method: 'DELETE', key: 'k', query: q('') })).toBe('oss:DeleteObject');
    expect(actionFor({ method: 'GET', key: null, query: q('prefix=a') })).toBe('oss:ListObjects');
    expect(actionFor({ method: 'PUT', key: null, query: q('cors') })).toBe('oss:PutBucketCors');
    expect(actionFor({ method: 'DELETE', key: null, query: q('lifecycle') })).toBe('oss:DeleteBucketLifecycle');
    expect(actionFor({ method: 'GET', key: null, query: q('versions') })).toBe('oss:ListObjectVersions');
    expect(actionFor({ method: 'POST', key: null, query: q('delete') })).toBe('oss:DeleteObject');
    expect(resourceFor('cn-hangzhou', '999', 'bkt', 'a/b')).toBe('acs:oss:cn-hangzhou:999:bkt/a/b');
    expect(resourceFor('cn-hangzhou', '999', 'bkt', null)).toBe('acs:oss:cn-hangzhou:999:bkt');
  });
});

describe('referer rules', () => {
  const config = (c: Partial<RefererConfig>): RefererConfig => ({
    allowEmpty: false, allowTruncateQueryString: true, truncatePath: false, whitelist: [], blacklist: [], ...c,
  });

  it('empty referers: allowed by AllowEmptyReferer, or while the white list is empty', () => {
    expect(refererAllowed(config({ allowEmpty: true, whitelist: ['https://a.test'] }), undefined)).toBe(true);
    expect(refererAllowed(config({ whitelist: ['https://a.test'] }), undefined)).toBe(false);
    expect(refererAllowed(config({ whitelist: ['https://a.test'] }), '')).toBe(false);
    expect(refererAllowed(config({ blacklist: ['https://bad.test'] }), undefined)).toBe(true);
  });

  it('white list with * and ?, black list first, case-insensitive', () => {
    const c = config({ whitelist: ['https://*.example.com/*', 'https://www.?.test'], blacklist: ['*://evil.example.com/*'] });
    expect(refererAllowed(c, 'https://shop.example.com/cart')).toBe(true);
    expect(refererAllowed(c, 'HTTPS://Shop.Example.com/cart')).toBe(true);
    expect(refererAllowed(c, 'https://www.a.test')).toBe(true);
    expect(refererAllowed(c, 'https://www.ab.test')).toBe(false);
    expect(refererAllowed(c, 'https://evil.example.com/x')).toBe(false);
    expect(refererAllowed(c, 'https://example.org/')).toBe(false);
    expect(refererAllowed(config({ blacklist: ['https://evil.test*'] }), 'https://fine.test/')).toBe(true);
  });

  it('query strings are cut unless AllowTruncateQueryString is false; TruncatePath keeps the origin', () => {
    const exact = ['https://a.test/page'];
    expect(refererAllowed(config({ whitelist: exact }), 'https://a.test/page?x=1')).toBe(true);
    expect(refererAllowed(config({ whitelist: exact, allowTruncateQueryString: false }), 'https://a.test/page?x=1')).toBe(false);
    expect(refererAllowed(config({ whitelist: ['https://a.test'] }), 'https://a.test/deep/page')).toBe(false);
    expect(refererAllowed(config({ whitelist: ['https://a.test'], truncatePath: true }), 'https://a.test/deep/page')).toBe(true);
  });
});

describe('CORS rule matching', () => {
  const config: CorsConfig = {
    responseVary: false,
    rules: [
      { allowedOrigins: ['https://app.test'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [], maxAgeSeconds: 1 },
      { allowedOrigins: ['https://*.test'], allowedMethods: ['GET', 'PUT'], allowedHeaders: ['x-oss-*', 'content-type'], exposeHeaders: ['ETag'] },
    ],
  };

  it('first rule with origin, method and every requested header', () => {
    expect(findCorsRule(config, 'https://app.test', 'GET')?.maxAgeSeconds).toBe(1);
    expect(findCorsRule(config, 'https://app.test', 'PUT')?.exposeHeaders).toEqual(['ETag']);
    expect(findCorsRule(config, 'https://app.test', 'GET', ['x-oss-date'])?.exposeHeaders).toEqual(['ETag']);
    expect(findCorsRule(config, 'https://app.test', 'PUT', ['x-oss-date', 'content-type'])).toBeDefined();
    expect(findCorsRule(config, 'https://app.test', 'PUT', ['authorization'])).toBeUndefined();
    expect(findCorsRule(config, 'https://app.test', 'DELETE')).toBeUndefined();
    expect(findCorsRule(config, 'http://app.test', 'GET')).toBeUndefined();
    expect(findCorsRule(config, 'https://app.test.evil.com', 'GET')).toBeUndefined();
  });
});

// POST policy conditions, one by one.
import { describe, expect, it } from 'vitest';
import { checkPostPolicy } from '../../src/server/post-conditions.js';

const b64 = (doc: unknown) => btoa(String.fromCharCode(...new TextEncoder().encode(typeof doc === 'string' ? doc : JSON.stringify(doc))));
const NOW = Date.parse('2024-05-01T00:00:00Z');
const future = '2024-05-01T01:00:00.000Z';
const fields = new Map([
  ['key', 'user/eric/a.png'],
  ['content-type', 'image/png'],
  ['success_action_status', '201'],
  ['x-oss-meta-owner', 'eric'],
]);
const check = (conditions: unknown[], expiration = future) => checkPostPolicy(b64({ expiration, conditions }), fields, 'photos', NOW);

describe('checkPostPolicy', () => {
  it('passes matching conditions of every kind and reports the size range', () => {
    const result = check([
      { bucket: 'photos' },
      { 'X-OSS-Meta-Owner': 'eric' },
      ['eq', '$success_action_status', '201'],
      ['starts-with', '$key', 'user/eric/'],
      ['starts-with', '$cache-control', ''],
      ['in', '$content-type', ['image/jpeg', 'image/png']],
      ['not-in', '$content-type', ['text/html']],
      ['content-length-range', 1, 1000],
      ['content-length-range', '10', '2000'],
    ]);
    expect(result.sizeRange).toEqual({ min: 10, max: 1000 });
  });

  it.each([
    [{ bucket: 'other' }],
    [['eq', '$success_action_status', '200']],
    [['starts-with', '$key', 'user/ann/']],
    [['in', '$content-type', ['image/jpeg']]],
    [['not-in', '$content-type', ['image/png']]],
    [['eq', '$missing', 'x']],
  ])('refuses %j with the condition in the message', (condition) => {
    expect(() => check([condition])).toThrowError(expect.objectContaining({
      code: 'AccessDenied',
      message: `Invalid according to Policy: Policy Condition failed: ${JSON.stringify(condition)}`,
    }));
  });

  it('refuses an expired policy', () => {
    expect(() => check([], '2024-04-30T23:59:59.000Z')).toThrowError(expect.objectContaining({ code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.' }));
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['no expiration', b64({ conditions: [] })],
    ['no conditions', b64({ expiration: future })],
    ['unknown operator', b64({ expiration: future, conditions: [['ends-with', '$key', 'x']] })],
    ['bad range', b64({ expiration: future, conditions: [['content-length-range', 10, 1]] })],
    ['field without $', b64({ expiration: future, conditions: [['eq', 'key', 'x']] })],
  ])('refuses a malformed policy (%s)', (_, policy) => {
    expect(() => checkPostPolicy(policy, fields, 'photos', NOW)).toThrowError(expect.objectContaining({ code: 'InvalidPolicyDocument' }));
  });
});

// STS session policies: grammar, and conditions failing closed.
import { describe, expect, it } from 'vitest';
import { parseSessionPolicy } from '../../src/server/session-policy.js';
import { evaluatePolicy } from '../../src/server/policy.js';

const allows = (text: string, action: string, resource: string) =>
  evaluatePolicy(parseSessionPolicy(text)!.statements, null, action, resource) === 'allow';

describe('parseSessionPolicy', () => {
  it('accepts RAM policies with string or list fields and a single statement object', () => {
    const one = JSON.stringify({ Version: '1', Statement: { Effect: 'Allow', Action: 'oss:Get*', Resource: 'acs:oss:*:*:b/*' } });
    expect(allows(one, 'oss:GetObject', 'acs:oss:cn-hangzhou:1:b/k')).toBe(true);
    expect(allows(one, 'oss:PutObject', 'acs:oss:cn-hangzhou:1:b/k')).toBe(false);
    expect(allows(one, 'oss:GetObject', 'acs:oss:cn-hangzhou:1:c/k')).toBe(false);
  });

  it.each([
    ['not JSON', '{'],
    ['wrong version', JSON.stringify({ Version: '2', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] })],
    ['no statements', JSON.stringify({ Version: '1', Statement: [] })],
    ['bad effect', JSON.stringify({ Version: '1', Statement: [{ Effect: 'Permit', Action: '*', Resource: '*' }] })],
    ['action without service', JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'PutObject', Resource: '*' }] })],
    ['no resource', JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:*' }] })],
    ['a document that is null', 'null'],
    ['a document that is a list', JSON.stringify([{ Effect: 'Allow', Action: '*', Resource: '*' }])],
    ['a statement that is null', JSON.stringify({ Version: '1', Statement: [null] })],
    ['one bad action among good ones', JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:GetObject', 'GetObject'], Resource: '*' }] })],
    ['an action with trailing junk', JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject junk', Resource: '*' }] })],
    ['an action with leading junk', JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'junk oss:GetObject', Resource: '*' }] })],
    ['an empty action list', JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: [], Resource: '*' }] })],
    ['an empty action', JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:GetObject', ''], Resource: '*' }] })],
    ['an action that is not a string', JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:GetObject', 5], Resource: '*' }] })],
    ['a condition that is not an object', JSON.stringify({ Version: '1', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: 'always' }] })],
  ])('refuses %s', (_, text) => {
    expect(parseSessionPolicy(text)).toBeUndefined();
  });

  it('accepts a policy without Version, the "*" action, and an empty Condition as no condition', () => {
    expect(allows(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Resource: '*' }] }), 'oss:GetObject', 'acs:oss:r:1:b/k')).toBe(true);
    expect(allows(JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }), 'oss:DeleteObject', 'acs:oss:r:1:b/k')).toBe(true);
    expect(allows(JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Resource: '*', Condition: {} }] }), 'oss:GetObject', 'acs:oss:r:1:b/k')).toBe(true);
  });

  it('fails closed on conditions: a conditional Allow never applies, a conditional Deny always does', () => {
    const text = JSON.stringify({
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: 'oss:*', Resource: '*', Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } } },
        { Effect: 'Allow', Action: 'oss:GetObject', Resource: '*' },
        { Effect: 'Deny', Action: 'oss:GetObject', Resource: 'acs:oss:*:*:b/secret/*', Condition: { Bool: { 'acs:SecureTransport': 'false' } } },
      ],
    });
    expect(allows(text, 'oss:PutObject', 'acs:oss:r:1:b/k')).toBe(false);
    expect(allows(text, 'oss:GetObject', 'acs:oss:r:1:b/k')).toBe(true);
    expect(allows(text, 'oss:GetObject', 'acs:oss:r:1:b/secret/k')).toBe(false);
  });
});

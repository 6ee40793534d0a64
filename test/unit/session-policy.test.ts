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
  ])('refuses %s', (_, text) => {
    expect(parseSessionPolicy(text)).toBeUndefined();
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

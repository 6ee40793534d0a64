// The RPC signature (STS AssumeRole): Alibaba Cloud's documented example and ali-oss's own signer.
import { describe, expect, it } from 'vitest';
// @ts-expect-error ali-oss ships no types
import AliSTS from 'ali-oss/lib/sts.js';
import { canonicalQueryRpc, signatureRpc, stringToSignRpc } from '../../src/core/rpc-sign.js';

describe('RPC signature 1.0', () => {
  it('reproduces the documented DescribeRegions example', async () => {
    const params: Array<[string, string]> = [
      ['Timestamp', '2016-02-23T12:46:24Z'],
      ['Format', 'XML'],
      ['AccessKeyId', 'testid'],
      ['Action', 'DescribeRegions'],
      ['SignatureMethod', 'HMAC-SHA1'],
      ['SignatureNonce', '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf'],
      ['Version', '2014-05-26'],
      ['SignatureVersion', '1.0'],
    ];
    const sts = stringToSignRpc('GET', params);
    expect(sts).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1' +
        '%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0' +
        '%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
    );
    expect(await signatureRpc('testsecret', sts)).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it('leaves Signature out and encodes like RFC 3986 (space %20, * %2A, ~ raw)', () => {
    expect(canonicalQueryRpc([['b', 'x y*~'], ['Signature', 'zzz'], ['a', '中']])).toBe('a=%E4%B8%AD&b=x%20y%2A~');
  });

  it('agrees with ali-oss STS on a policy-bearing AssumeRole', async () => {
    const params = {
      Action: 'AssumeRole',
      RoleArn: 'acs:ram::1000000000000000:role/uploader',
      RoleSessionName: 'web@x.y',
      DurationSeconds: 900,
      Policy: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:PutObject'], Resource: ["acs:oss:*:*:demo/it's (a) *"] }] }),
      Format: 'JSON',
      Version: '2015-04-01',
      AccessKeyId: 'ak',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: 0.123,
      Timestamp: '2024-01-02T03:04:05.678Z',
    };
    const ali = new AliSTS({ accessKeyId: 'ak', accessKeySecret: 'sk' });
    const expected = ali._getSignature('POST', params, 'sk');
    const ours = await signatureRpc('sk', stringToSignRpc('POST', Object.entries(params).map(([k, v]) => [k, String(v)])));
    expect(ours).toBe(expected);
  });
});

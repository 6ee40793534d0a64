// STS over HTTP: the STS helper asks the local server's AssumeRole for temporary keys, the
// client uses them, and the server enforces their token, expiry and session policy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSClient, OSSError, STS } from '../../src/index.js';
import { signatureRpc, stringToSignRpc } from '../../src/core/rpc-sign.js';
import type { StartedServer } from '../../src/server/index.js';
import { creds, httpServer } from '../helpers/server.js';

const ROLE = 'acs:ram::1000000000000000:role/web-uploader';
const UPLOAD_ONLY = {
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: ['oss:PutObject'], Resource: ['acs:oss:*:*:demo/uploads/*'] }],
};

let clock = Date.now();
let server: StartedServer;
let sts: STS;

beforeAll(async () => {
  server = await httpServer({ buckets: ['demo', 'sts'], now: () => clock });
  sts = new STS({ ...creds, endpoint: `${server.url}/sts` });
});
afterAll(async () => server.close());

function clientWith(c: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string }, signatureVersion: 'v1' | 'v4' = 'v4') {
  return new OSSClient({
    endpoint: server.url, bucket: 'demo', signatureVersion, retries: 0,
    accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken,
  });
}

/** A raw RPC call, for what the STS helper never sends (replays, stale timestamps, GET, XML). */
async function rawCall(params: Record<string, string>, method = 'POST', secret = creds.accessKeySecret): Promise<Response> {
  const all: Record<string, string> = {
    Action: 'AssumeRole', RoleArn: ROLE, RoleSessionName: 'raw', Format: 'JSON', Version: '2015-04-01',
    AccessKeyId: creds.accessKeyId, SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0',
    SignatureNonce: crypto.randomUUID(), Timestamp: new Date(clock).toISOString(), ...params,
  };
  all.Signature = await signatureRpc(secret, stringToSignRpc(method, Object.entries(all)));
  const body = new URLSearchParams(all).toString();
  return method === 'GET'
    ? fetch(`${server.url}/sts?${body}`)
    : fetch(`${server.url}/sts/`, { method, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

describe('AssumeRole on the local server', () => {
  it('issues temporary keys with token and expiry', async () => {
    const result = await sts.assumeRole(ROLE, UPLOAD_ONLY, 900, 'alice');
    const c = result.credentials;
    expect(c.AccessKeyId).toMatch(/^STS\.[A-Za-z0-9]{25}$/);
    expect(c.AccessKeySecret).toMatch(/^[A-Za-z0-9]{44}$/);
    expect(c.SecurityToken.length).toBeGreaterThan(100);
    expect(c.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Math.abs(Date.parse(c.Expiration) - (clock + 900_000))).toBeLessThan(1000);
    expect(result.assumedRoleUser?.Arn).toBe(`${ROLE}/alice`);
    expect(result.assumedRoleUser?.AssumedRoleId).toMatch(/^\d{18}:alice$/);
    expect(result.res.status).toBe(200);
    expect(JSON.stringify(sts)).not.toContain(creds.accessKeySecret);
  });

  for (const version of ['v4', 'v1'] as const) {
    it(`temporary keys upload under the policy's prefix and nothing else (${version})`, async () => {
      const { credentials } = await sts.assumeRole(ROLE, UPLOAD_ONLY, 900, 'alice');
      const client = clientWith(credentials, version);
      const put = await client.put('uploads/ok.txt', 'hello');
      expect(put.res.status).toBe(200);
      const denied = { name: 'AccessDeniedError', status: 403, message: expect.stringContaining("authorizer's policy") };
      await expect(client.put('other/no.txt', 'x')).rejects.toMatchObject(denied);
      await expect(client.get('uploads/ok.txt')).rejects.toMatchObject(denied);
      await expect(client.delete('uploads/ok.txt')).rejects.toMatchObject(denied);
      await expect(client.list({ prefix: 'uploads/' })).rejects.toMatchObject(denied);
      await expect(client.listBuckets()).rejects.toMatchObject(denied);
      await expect(client.deleteBucket('sts')).rejects.toMatchObject(denied);
      // The long-term key sees the object.
      const owner = new OSSClient({ ...creds, endpoint: server.url, bucket: 'demo' });
      expect(new TextDecoder().decode((await owner.get('uploads/ok.txt')).content)).toBe('hello');
    });
  }

  it('a Deny beats an Allow, and a policy may allow reading a prefix', async () => {
    const { credentials } = await sts.assumeRole(ROLE, {
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: ['oss:GetObject', 'oss:PutObject'], Resource: 'acs:oss:*:*:demo/*' },
        { Effect: 'Deny', Action: 'oss:PutObject', Resource: 'acs:oss:*:*:demo/locked/*' },
      ],
    }, 900, 'bob');
    const client = clientWith(credentials);
    await client.put('open/a.txt', 'a');
    expect((await client.get('open/a.txt')).content.byteLength).toBe(1);
    await expect(client.put('locked/a.txt', 'a')).rejects.toMatchObject({ name: 'AccessDeniedError' });
  });

  it('without a policy the session may do what the account may', async () => {
    const { credentials } = await sts.assumeRole(ROLE);
    const client = clientWith(credentials);
    await client.put('anything/x', 'x');
    const page = await client.list({ prefix: 'anything/' });
    expect(page.objects.map((o) => o.name)).toEqual(['anything/x']);
  });

  it('refuses a wrong or missing token, and keys past their expiry', async () => {
    const { credentials } = await sts.assumeRole(ROLE, null, 900, 'carol');
    await expect(clientWith({ ...credentials, SecurityToken: 'CAISwrong' }).put('uploads/t', 't')).rejects.toMatchObject({ name: 'InvalidSecurityTokenError' });
    const noToken = new OSSClient({ endpoint: server.url, bucket: 'demo', retries: 0, accessKeyId: credentials.AccessKeyId, accessKeySecret: credentials.AccessKeySecret });
    await expect(noToken.put('uploads/t', 't')).rejects.toMatchObject({ name: 'InvalidAccessKeyIdError' });
    const client = clientWith(credentials);
    await client.put('uploads/t', 't');
    const saved = clock;
    clock += 900_000;
    try {
      client.clockOffset = 900_000;
      await expect(client.put('uploads/t', 't')).rejects.toMatchObject({ name: 'SecurityTokenExpiredError', status: 403 });
    } finally {
      clock = saved;
    }
  });

  it('answers STS errors like sts.aliyuncs.com', async () => {
    const wrong = new STS({ accessKeyId: creds.accessKeyId, accessKeySecret: 'not-the-secret', endpoint: `${server.url}/sts` });
    await expect(wrong.assumeRole(ROLE)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', status: 400, message: expect.stringContaining('server string to sign is:POST&%2F&') });
    const unknown = new STS({ accessKeyId: 'nobody', accessKeySecret: 'x', endpoint: `${server.url}/sts` });
    await expect(unknown.assumeRole(ROLE)).rejects.toMatchObject({ code: 'InvalidAccessKeyId.NotFound', status: 404 });
    await expect(sts.assumeRole('acs:ram::999:role/x')).rejects.toMatchObject({ code: 'EntityNotExist.Role', status: 404 });
    await expect(sts.assumeRole(ROLE, null, 7200)).rejects.toMatchObject({ code: 'InvalidParameter.DurationSeconds' });
    await expect(sts.assumeRole(ROLE, { Version: '1', Statement: [{ Effect: 'Maybe' }] })).rejects.toMatchObject({ code: 'InvalidParameter.PolicyGrammar' });
    const { credentials } = await sts.assumeRole(ROLE);
    const chained = new STS({ accessKeyId: credentials.AccessKeyId, accessKeySecret: credentials.AccessKeySecret, endpoint: `${server.url}/sts` });
    await expect(chained.assumeRole(ROLE)).rejects.toMatchObject({ code: 'NoPermission', status: 403 });
  });

  it('refuses replayed nonces and stale timestamps; answers GET and XML too', async () => {
    const nonce = crypto.randomUUID();
    expect((await rawCall({ SignatureNonce: nonce })).status).toBe(200);
    const replay = await rawCall({ SignatureNonce: nonce });
    expect(replay.status).toBe(400);
    expect((await replay.json()).Code).toBe('SignatureNonceUsed');
    const stale = await rawCall({ Timestamp: new Date(clock - 16 * 60_000).toISOString() });
    expect((await stale.json()).Code).toBe('InvalidTimeStamp.Expired');
    const xml = await rawCall({ Format: 'XML' }, 'GET');
    expect(xml.status).toBe(200);
    const text = await xml.text();
    expect(text).toMatch(/^<\?xml[^>]*>\s*<AssumeRoleResponse><RequestId>[^<]+<\/RequestId><AssumedRoleUser>/);
    expect(text).toMatch(/<Credentials><SecurityToken>CAIS[^<]+<\/SecurityToken><AccessKeyId>STS\./);
    const missing = await rawCall({ RoleArn: '' });
    expect(await missing.json()).toMatchObject({ Code: 'MissingRoleArn', Message: 'RoleArn is mandatory for this action.' });
  });

  it('leaves a bucket named "sts" reachable', async () => {
    const client = new OSSClient({ ...creds, endpoint: server.url, bucket: 'sts' });
    await client.put('x.txt', 'in the sts bucket');
    const page = await client.list();
    expect(page.objects.map((o) => o.name)).toEqual(['x.txt']);
  });

  it('validates arguments before sending', async () => {
    await expect(sts.assumeRole('not-an-arn')).rejects.toBeInstanceOf(TypeError);
    await expect(sts.assumeRole(ROLE, '{not json')).rejects.toMatchObject({ argument: 'policy' });
    await expect(sts.assumeRole(ROLE, null, 60)).rejects.toMatchObject({ argument: 'expirationSeconds' });
    await expect(sts.assumeRole(ROLE, null, 900, 'a')).rejects.toMatchObject({ argument: 'sessionName' });
    expect(() => new STS({ accessKeyId: '', accessKeySecret: 'x' })).toThrow(TypeError);
    const err = await sts.assumeRole(ROLE, null, 900, 'a').catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(OSSError);
  });
});

// The official ali-oss against the local server's STS and PostObject: its STS client gets keys,
// its OSS client uses them (and refreshes them), and its form-signing helpers upload by POST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error ali-oss ships no types
import OSS from 'ali-oss';
import { OSSClient, STS } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { creds, httpServer } from '../helpers/server.js';

const ROLE = 'acs:ram::1000000000000000:role/ali';
let server: StartedServer;
let owner: OSSClient;

beforeAll(async () => {
  server = await httpServer({ buckets: ['ali-sts'] });
  owner = new OSSClient({ ...creds, endpoint: server.url, bucket: 'ali-sts' });
});
afterAll(async () => server.close());

function aliClient(options: Record<string, unknown>) {
  return new OSS({ endpoint: server.url, region: 'oss-cn-hangzhou', bucket: 'ali-sts', authorizationV4: true, ...options });
}

describe('ali-oss STS against the local server', () => {
  it('assumeRole with a policy; the keys work for ali-oss within the policy only', async () => {
    const sts = new OSS.STS({ ...creds, endpoint: `${server.url}/sts` });
    const policy = { Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:PutObject', 'oss:GetObject'], Resource: ['acs:oss:*:*:ali-sts/in/*'] }] };
    const { credentials, res } = await sts.assumeRole(ROLE, policy, 900, 'ali-session');
    expect(res.status).toBe(200);
    expect(credentials.AccessKeyId).toMatch(/^STS\./);
    for (const authorizationV4 of [true, false]) {
      const client = aliClient({ accessKeyId: credentials.AccessKeyId, accessKeySecret: credentials.AccessKeySecret, stsToken: credentials.SecurityToken, authorizationV4 });
      await client.put('in/a.txt', Buffer.from('from ali-oss'));
      expect((await client.get('in/a.txt')).content.toString()).toBe('from ali-oss');
      await expect(client.put('out/a.txt', Buffer.from('x'))).rejects.toMatchObject({ status: 403, code: 'AccessDenied' });
    }
    // Presigned URLs carry the token too (ours; ali-oss refuses to presign for an IP endpoint).
    for (const signatureVersion of ['v4', 'v1'] as const) {
      const temp = new OSSClient({ endpoint: server.url, bucket: 'ali-sts', signatureVersion, accessKeyId: credentials.AccessKeyId, accessKeySecret: credentials.AccessKeySecret, stsToken: credentials.SecurityToken });
      expect(await (await fetch(await temp.signatureUrl('in/a.txt', { expires: 60 }))).text()).toBe('from ali-oss');
      expect((await fetch(await temp.signatureUrl('out/a.txt', { expires: 60 }))).status).toBe(403);
    }
  });

  it('an ali-oss STS key limited to a prefix can neither copy, part-copy nor batch-delete outside it', async () => {
    await owner.putBucket('ali-vault');
    await owner.put('secret.txt', 'TOP SECRET', { bucket: 'ali-vault' });
    await owner.put('out/keep.txt', 'keep', { bucket: 'ali-sts' });
    const sts = new OSS.STS({ ...creds, endpoint: `${server.url}/sts` });
    const policy = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:*', Resource: ['acs:oss:*:*:ali-sts/in/*'] }] };
    const { credentials } = await sts.assumeRole(ROLE, policy, 900, 'ali-thief');
    for (const authorizationV4 of [true, false]) {
      const client = aliClient({ accessKeyId: credentials.AccessKeyId, accessKeySecret: credentials.AccessKeySecret, stsToken: credentials.SecurityToken, authorizationV4 });
      const denied = { status: 403, code: 'AccessDenied' };
      await expect(client.copy('in/stolen.txt', 'secret.txt', 'ali-vault')).rejects.toMatchObject(denied);
      const { uploadId } = await client.initMultipartUpload('in/stolen-parts.bin');
      await expect(client.uploadPartCopy('in/stolen-parts.bin', uploadId, 1, '0-9', { sourceKey: 'secret.txt', sourceBucketName: 'ali-vault' })).rejects.toMatchObject(denied);
      await client.put('in/mine.txt', Buffer.from('mine'));
      await expect(client.deleteMulti(['in/mine.txt', 'out/keep.txt'])).rejects.toMatchObject(denied);
      expect((await client.get('in/mine.txt')).content.toString()).toBe('mine');
      // Within the prefix all three work.
      await client.copy('in/copy.txt', 'in/mine.txt');
      await client.uploadPartCopy('in/stolen-parts.bin', uploadId, 1, '0-3', { sourceKey: 'in/mine.txt', sourceBucketName: 'ali-sts' });
      await client.deleteMulti(['in/copy.txt']);
    }
    await expect(owner.head('in/stolen.txt')).rejects.toMatchObject({ code: 'NoSuchKey' });
    expect(new TextDecoder().decode((await owner.get('out/keep.txt')).content)).toBe('keep');
  });

  it('ali-oss sees STS errors with code and status', async () => {
    const sts = new OSS.STS({ accessKeyId: creds.accessKeyId, accessKeySecret: 'wrong', endpoint: `${server.url}/sts` });
    await expect(sts.assumeRole(ROLE)).rejects.toMatchObject({ status: 400, code: 'SignatureDoesNotMatch' });
  });

  it("our STS keys drive ali-oss's refreshSTSToken", async () => {
    const sts = new STS({ ...creds, endpoint: `${server.url}/sts` });
    let refreshes = 0;
    const fresh = async () => {
      refreshes++;
      const { credentials: c } = await sts.assumeRole(ROLE, null, 900, 'ali-refresh');
      return { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken };
    };
    const client = aliClient({ ...(await fresh()), refreshSTSToken: fresh, refreshSTSTokenInterval: 100 });
    await new Promise((r) => setTimeout(r, 150));
    await client.put('refreshed.txt', Buffer.from('ok'));
    expect(refreshes).toBe(2);
    expect((await owner.get('refreshed.txt')).content.byteLength).toBe(2);
  });
});

describe('ali-oss form signing against PostObject', () => {
  const ali = () => aliClient({ ...creds });
  const postForm = (fields: Record<string, string>, content: string) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([content]), 'f.txt');
    return fetch(`${server.url}/ali-sts/`, { method: 'POST', body: form });
  };

  it('calculatePostSignature (V1)', async () => {
    const policy = { expiration: new Date(Date.now() + 60_000).toISOString(), conditions: [['content-length-range', 1, 100], ['starts-with', '$key', 'v1form/']] };
    const sig = ali().calculatePostSignature(policy);
    const response = await postForm({ key: 'v1form/${filename}', ...sig }, 'signed by ali-oss v1');
    expect(response.status).toBe(204);
    expect(new TextDecoder().decode((await owner.get('v1form/f.txt')).content)).toBe('signed by ali-oss v1');
  });

  it('signPostObjectPolicyV4 (V4)', async () => {
    const date = new Date();
    const iso = date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const credential = `${creds.accessKeyId}/${iso.slice(0, 8)}/cn-hangzhou/oss/aliyun_v4_request`;
    const policy = {
      expiration: new Date(Date.now() + 60_000).toISOString(),
      conditions: [{ bucket: 'ali-sts' }, { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' }, { 'x-oss-credential': credential }, { 'x-oss-date': iso }, ['eq', '$key', 'v4form/a.txt']],
    };
    const signature = ali().signPostObjectPolicyV4(policy, date);
    const fields = {
      key: 'v4form/a.txt', policy: Buffer.from(JSON.stringify(policy)).toString('base64'),
      'x-oss-signature-version': 'OSS4-HMAC-SHA256', 'x-oss-credential': credential, 'x-oss-date': iso, 'x-oss-signature': signature,
    };
    expect((await postForm(fields, 'signed by ali-oss v4')).status).toBe(204);
    expect(new TextDecoder().decode((await owner.get('v4form/a.txt')).content)).toBe('signed by ali-oss v4');
    // Our signer produces the same signature for the same policy and date.
    expect(await owner.signPostObjectPolicyV4(policy, date)).toBe(signature);
  });
});

// Browser form uploads over HTTP: signPostObjectPolicy on the "back end", a FormData POST as a
// page would send it, and the server's PostObject checking policy, signature and size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSClient, STS, calculatePostSignature } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { creds, httpServer } from '../helpers/server.js';

let server: StartedServer;
let owner: OSSClient;

beforeAll(async () => {
  server = await httpServer({ buckets: ['forms', 'open-forms'] });
  owner = new OSSClient({ ...creds, endpoint: server.url, bucket: 'forms' });
  await owner.putBucketACL('open-forms', 'public-read-write');
});
afterAll(async () => server.close());

function post(url: string, fields: Record<string, string>, file: Blob | undefined, filename = 'photo.png', extra: Array<[string, string]> = []) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) form.append('file', file, filename);
  for (const [name, value] of extra) form.append(name, value);
  return fetch(url, { method: 'POST', body: form, redirect: 'manual' });
}

async function errorCode(response: Response): Promise<string | undefined> {
  return /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];
}

const bytes = (n: number) => new Uint8Array(n).map((_, i) => (i * 7) & 255);

describe('PostObject', () => {
  for (const version of ['v4', 'v1'] as const) {
    it(`uploads a file with a ${version} policy: key from \${filename}, metadata, content type`, async () => {
      const { url, fields } = await owner.signPostObjectPolicy({
        version, keyPrefix: `${version}/`, contentLengthRange: [1, 1_000_000],
        fields: { 'x-oss-meta-owner': 'ann', 'Cache-Control': 'no-cache' },
      });
      expect(url).toBe(`${server.url}/forms/`);
      const body = bytes(5000);
      const response = await post(url, fields, new Blob([body], { type: 'image/png' }), 'photo 1.png');
      expect(response.status).toBe(204);
      expect(response.headers.get('etag')).toMatch(/^"[0-9A-F]{32}"$/);
      const got = await owner.get(`${version}/photo 1.png`);
      expect(got.content).toEqual(body);
      expect(got.res.headers['content-type']).toBe('image/png');
      expect(got.res.headers['cache-control']).toBe('no-cache');
      expect(got.res.headers['x-oss-meta-owner']).toBe('ann');
    });
  }

  it('answers 201 with a PostResponse, 200 empty, and 303 to success_action_redirect', async () => {
    const s201 = await owner.signPostObjectPolicy({ key: 'status/201.txt', successActionStatus: 201 });
    const r201 = await post(s201.url, s201.fields, new Blob(['a']));
    expect(r201.status).toBe(201);
    const xml = await r201.text();
    expect(xml).toContain('<PostResponse><Bucket>forms</Bucket>');
    expect(xml).toContain(`<Location>${server.url}/forms/status/201.txt</Location>`);
    expect(xml).toMatch(/<Key>status\/201.txt<\/Key><ETag>&quot;[0-9A-F]{32}&quot;<\/ETag>/);
    const s200 = await owner.signPostObjectPolicy({ key: 'status/200.txt', successActionStatus: 200 });
    const r200 = await post(s200.url, s200.fields, new Blob(['a']));
    expect(r200.status).toBe(200);
    expect(await r200.text()).toBe('');
    const redirect = await owner.signPostObjectPolicy({ key: 'status/r.txt', successActionRedirect: 'https://app.example/done?x=1' });
    const r303 = await post(redirect.url, redirect.fields, new Blob(['a']));
    expect(r303.status).toBe(303);
    const location = new URL(r303.headers.get('location')!);
    expect([location.origin + location.pathname, location.searchParams.get('x'), location.searchParams.get('key')]).toEqual(['https://app.example/done', '1', 'status/r.txt']);
    expect(location.searchParams.get('etag')).toBe(r303.headers.get('etag'));
  });

  it('enforces the policy: conditions, expiry, size range, tampered fields', async () => {
    const signed = await owner.signPostObjectPolicy({ keyPrefix: 'limited/', contentLengthRange: [2, 10], successActionStatus: 201 });
    const tooBig = await post(signed.url, signed.fields, new Blob([bytes(11)]));
    expect([tooBig.status, await errorCode(tooBig)]).toEqual([400, 'EntityTooLarge']);
    const tooSmall = await post(signed.url, signed.fields, new Blob([bytes(1)]));
    expect(await errorCode(tooSmall)).toBe('EntityTooSmall');
    await expect(owner.head('limited/photo.png')).rejects.toMatchObject({ status: 404 });
    const otherKey = await post(signed.url, { ...signed.fields, key: 'elsewhere/x' }, new Blob(['abc']));
    expect(otherKey.status).toBe(403);
    expect(await otherKey.text()).toContain('Invalid according to Policy: Policy Condition failed: [&quot;starts-with&quot;,&quot;$key&quot;,&quot;limited/&quot;]');
    const otherStatus = await post(signed.url, { ...signed.fields, success_action_status: '200' }, new Blob(['abc']));
    expect(await errorCode(otherStatus)).toBe('AccessDenied');
    const expired = await owner.signPostObjectPolicy({ key: 'x', expires: new Date(Date.now() - 1000) });
    const late = await post(expired.url, expired.fields, new Blob(['abc']));
    expect(await late.text()).toContain('Policy expired.');
    const ok = await post(signed.url, signed.fields, new Blob(['abc']));
    expect(ok.status).toBe(201);
  });

  it('refuses a wrong signature, a form without file, and an anonymous form on a private bucket', async () => {
    const v4 = await owner.signPostObjectPolicy({ key: 'sig/x' });
    const forged = await post(v4.url, { ...v4.fields, 'x-oss-signature': '0'.repeat(64) }, new Blob(['a']));
    expect([forged.status, await errorCode(forged)]).toEqual([403, 'SignatureDoesNotMatch']);
    const v1 = await owner.signPostObjectPolicy({ key: 'sig/y', version: 'v1' });
    const forgedV1 = await post(v1.url, { ...v1.fields, Signature: 'AAAA' }, new Blob(['a']));
    expect(await errorCode(forgedV1)).toBe('SignatureDoesNotMatch');
    const noFile = await post(v4.url, v4.fields, undefined);
    expect(await errorCode(noFile)).toBe('InvalidArgument');
    const anonymous = await post(`${server.url}/forms/`, { key: 'anon.txt' }, new Blob(['a']));
    expect([anonymous.status, await errorCode(anonymous)]).toEqual([403, 'AccessDenied']);
    const notForm = await fetch(`${server.url}/forms/`, { method: 'POST', body: 'key=x', headers: { 'content-type': 'text/plain' } });
    expect(await errorCode(notForm)).toBe('MalformedPOSTRequest');
  });

  it('takes an anonymous form on a public-read-write bucket; fields after the file are ignored', async () => {
    const response = await post(`${server.url}/open-forms/`, { key: 'anon/${filename}' }, new Blob(['open']), 'note.txt', [['x-oss-meta-late', 'no']]);
    expect(response.status).toBe(204);
    const head = await owner.head('anon/note.txt', { bucket: 'open-forms' });
    expect(head.meta).toBeNull();
  });

  it('STS keys sign forms too: token field, and the session policy applies', async () => {
    const sts = new STS({ ...creds, endpoint: `${server.url}/sts` });
    const { credentials: c } = await sts.assumeRole('acs:ram::1000000000000000:role/forms', {
      Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:PutObject', Resource: 'acs:oss:*:*:forms/sts/*' }],
    }, 900, 'form');
    const temp = new OSSClient({ endpoint: server.url, bucket: 'forms', accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken });
    const allowed = await temp.signPostObjectPolicy({ keyPrefix: 'sts/' });
    expect(allowed.fields['x-oss-security-token']).toBe(c.SecurityToken);
    expect((await post(allowed.url, allowed.fields, new Blob(['s']))).status).toBe(204);
    const outside = await temp.signPostObjectPolicy({ keyPrefix: 'public/' });
    const denied = await post(outside.url, outside.fields, new Blob(['s']));
    expect(await denied.text()).toContain("authorizer&apos;s policy");
    const { 'x-oss-security-token': _t, ...noToken } = allowed.fields;
    const missing = await post(allowed.url, noToken, new Blob(['s']));
    expect(await errorCode(missing)).toBe('InvalidAccessKeyId');
  });

  it('streams a large file through the form (5 MB), bytes intact', async () => {
    const body = bytes(5 * 1024 * 1024 + 3);
    const signed = await owner.signPostObjectPolicy({ key: 'big/file.bin', contentLengthRange: [0, 6 * 1024 * 1024] });
    expect((await post(signed.url, signed.fields, new Blob([body]))).status).toBe(204);
    const got = await owner.get('big/file.bin');
    expect(got.content.byteLength).toBe(body.byteLength);
    expect(Buffer.compare(got.content, body)).toBe(0);
  });

  it("calculatePostSignature signs a policy the caller wrote (ali-oss's V1 helper)", async () => {
    const policy = { expiration: new Date(Date.now() + 60_000).toISOString(), conditions: [['starts-with', '$key', 'own/']] };
    const sig = await calculatePostSignature(owner, policy);
    expect(sig.OSSAccessKeyId).toBe(creds.accessKeyId);
    const response = await post(`${server.url}/forms/`, { key: 'own/a.txt', ...sig }, new Blob(['mine']));
    expect(response.status).toBe(204);
    expect(new TextDecoder().decode((await owner.get('own/a.txt')).content)).toBe('mine');
  });

  it('validates options before signing', async () => {
    await expect(owner.signPostObjectPolicy({})).rejects.toMatchObject({ argument: 'options.key' });
    await expect(owner.signPostObjectPolicy({ key: 'k', contentLengthRange: [5, 1] })).rejects.toMatchObject({ argument: 'options.contentLengthRange[1]' });
    await expect(owner.signPostObjectPolicy({ key: 'k', fields: { policy: 'x' } })).rejects.toMatchObject({ argument: 'options.fields.policy' });
    await expect(owner.calculatePostSignature(42 as never)).rejects.toMatchObject({ argument: 'policy' });
    const anonymous = new OSSClient({ endpoint: server.url, bucket: 'forms' });
    await expect(anonymous.signPostObjectPolicy({ key: 'k' })).rejects.toMatchObject({ argument: 'accessKeyId' });
  });
});

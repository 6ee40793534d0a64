// Request payment over HTTP: the Payer setting, and its enforcement on a Requester-pays bucket
// (other accounts must send x-oss-request-payer: requester; anonymous callers are refused).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { creds, httpServer, uniqueBucket } from '../helpers/server.js';

const OTHER = { accessKeyId: 'payer-other-key', accessKeySecret: 'payer-other-secret', ownerId: '2000000000000001' };

describe('request payment over HTTP', () => {
  let server: StartedServer;
  let owner: OSSClient;
  let other: OSSClient;
  let payingOther: OSSClient;
  const bucket = uniqueBucket('pay');

  beforeAll(async () => {
    server = await httpServer({ credentials: [creds, OTHER] });
    owner = new OSSClient({ ...server.clientOptions, bucket });
    const otherOptions = { ...server.clientOptions, accessKeyId: OTHER.accessKeyId, accessKeySecret: OTHER.accessKeySecret, bucket };
    other = new OSSClient(otherOptions);
    payingOther = new OSSClient({ ...otherOptions, isRequestPay: true });
    await owner.putBucket(bucket, { acl: 'public-read-write' });
    await owner.put('a.txt', 'A');
  });
  afterAll(async () => server.close());

  it('BucketOwner by default; put and get the Payer', async () => {
    expect((await owner.getBucketRequestPayment(bucket)).payer).toBe('BucketOwner');
    expect((await owner.putBucketRequestPayment(bucket, 'Requester')).status).toBe(200);
    expect((await owner.getBucketRequestPayment(bucket)).payer).toBe('Requester');
  });

  it('Requester pays: other accounts need the header, anonymous callers are refused, the owner is not asked', async () => {
    await owner.putBucketRequestPayment(bucket, 'Requester');
    for (const call of [() => other.get('a.txt'), () => other.put('b.txt', 'B'), () => other.head('a.txt'), () => other.list(), () => other.delete('a.txt')]) {
      await expect(call()).rejects.toMatchObject({ code: 'AccessDenied', status: 403 });
    }
    const refused = await fetch(`${server.url}/${bucket}/a.txt`, { headers: { 'x-oss-request-payer': 'bucketOwner' } });
    expect(refused.status).toBe(403);
    const body = await refused.text();
    expect(body).toContain('<Message>Access denied for requester pay bucket</Message>');
    expect(body).toContain(`<BucketName>${bucket}</BucketName>`);
    expect(refused.headers.get('x-oss-ec')).toBe('0003-00000703');
    expect((await fetch(`${server.url}/${bucket}/a.txt`, { headers: { 'x-oss-request-payer': 'requester' } })).status).toBe(403);

    expect(new TextDecoder().decode((await payingOther.get('a.txt')).content)).toBe('A');
    expect((await payingOther.put('b.txt', 'B')).res.status).toBe(200);
    expect((await payingOther.list()).objects?.map((o) => o.name)).toEqual(['a.txt', 'b.txt']);
    expect((await owner.get('b.txt')).res.status).toBe(200);

    await owner.putBucketRequestPayment(bucket, 'BucketOwner');
    expect((await other.get('a.txt')).res.status).toBe(200);
  });

  it('bad input is OSSArgumentError', async () => {
    await expect(owner.putBucketRequestPayment(bucket, 'Nobody' as never)).rejects.toBeInstanceOf(OSSArgumentError);
    expect(() => new OSSClient({ ...server.clientOptions, isRequestPay: 'yes' as never })).toThrow(OSSArgumentError);
  });
});

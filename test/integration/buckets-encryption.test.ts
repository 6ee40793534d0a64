// Server-side encryption end to end over HTTP: the bucket's default rule (put/get/delete, shown in
// getBucketInfo) and the per-object options of put, multipartUpload and copy, echoed by the server
// on the write, on each part, on Complete and on GET/HEAD as OSS does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient, OSSError } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';

const SSE = 'x-oss-server-side-encryption';
const KEY_ID = 'x-oss-server-side-encryption-key-id';
const DATA = 'x-oss-server-side-data-encryption';

describe('server-side encryption over HTTP', () => {
  let server: StartedServer;
  let client: OSSClient;
  const bucket = uniqueBucket('sse');

  beforeAll(async () => {
    server = await httpServer();
    client = new OSSClient({ ...server.clientOptions, bucket });
    await client.putBucket(bucket);
  });
  afterAll(async () => server.close());

  it('bucket rule: NoSuchServerSideEncryptionRule, put, get (KMS key only for KMS), bucket info, delete', async () => {
    const missing = await client.getBucketEncryption(bucket).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OSSError);
    expect(missing).toMatchObject({ code: 'NoSuchServerSideEncryptionRule', status: 404, name: 'NoSuchServerSideEncryptionRuleError' });
    expect((await client.getBucketInfo(bucket)).bucket.ServerSideEncryptionRule).toEqual({ SSEAlgorithm: 'None' });

    expect((await client.putBucketEncryption(bucket, { SSEAlgorithm: 'AES256' })).status).toBe(200);
    expect((await client.getBucketEncryption(bucket)).encryption).toEqual({ SSEAlgorithm: 'AES256' });
    await client.putBucketEncryption(bucket, { SSEAlgorithm: 'KMS', KMSMasterKeyID: 'key-1', KMSDataEncryption: 'SM4' });
    expect((await client.getBucketEncryption(bucket)).encryption).toEqual({ SSEAlgorithm: 'KMS', KMSMasterKeyID: 'key-1', KMSDataEncryption: 'SM4' });
    expect((await client.getBucketInfo(bucket)).bucket.ServerSideEncryptionRule).toEqual({ SSEAlgorithm: 'KMS', KMSMasterKeyID: 'key-1', KMSDataEncryption: 'SM4' });

    expect((await client.deleteBucketEncryption(bucket)).status).toBe(204);
    await expect(client.getBucketEncryption(bucket)).rejects.toMatchObject({ code: 'NoSuchServerSideEncryptionRule' });
  });

  it('put echoes the asked encryption, GET and HEAD return it; KMS without a key gets one', async () => {
    const aes = await client.put('aes.txt', 'a', { serverSideEncryption: 'AES256' });
    expect(aes.res.headers[SSE]).toBe('AES256');
    expect(aes.res.headers[KEY_ID]).toBeUndefined();
    expect((await client.head('aes.txt')).res.headers[SSE]).toBe('AES256');
    const kms = await client.put('kms.txt', 'k', { serverSideEncryption: 'KMS', serverSideDataEncryption: 'SM4' });
    expect(kms.res.headers[SSE]).toBe('KMS');
    expect(kms.res.headers[KEY_ID]).toBeTruthy();
    expect(kms.res.headers[DATA]).toBe('SM4');
    const got = await client.get('kms.txt');
    expect(got.res.headers).toMatchObject({ [SSE]: 'KMS', [KEY_ID]: kms.res.headers[KEY_ID], [DATA]: 'SM4' });
    expect((await client.put('plain.txt', 'p')).res.headers[SSE]).toBeUndefined();
  });

  it('the bucket default applies to uploads that name none; the request wins over it', async () => {
    const b = uniqueBucket('ssedef');
    await client.putBucket(b);
    await client.putBucketEncryption(b, { SSEAlgorithm: 'SM4' });
    expect((await client.put('d.txt', 'd', { bucket: b })).res.headers[SSE]).toBe('SM4');
    expect((await client.head('d.txt', { bucket: b })).res.headers[SSE]).toBe('SM4');
    expect((await client.put('e.txt', 'e', { bucket: b, serverSideEncryption: 'AES256' })).res.headers[SSE]).toBe('AES256');
  });

  it('multipartUpload: Initiate, each part and Complete echo the upload\'s encryption; the object keeps it', async () => {
    const body = new Uint8Array(250 * 1024).fill(7);
    const init = await client.initMultipartUpload('mp-init.bin', { serverSideEncryption: 'KMS', serverSideEncryptionKeyId: 'key-2' });
    expect(init.res.headers).toMatchObject({ [SSE]: 'KMS', [KEY_ID]: 'key-2' });
    const part = await client.uploadPart('mp-init.bin', init.uploadId, 1, body);
    expect(part.res.headers).toMatchObject({ [SSE]: 'KMS', [KEY_ID]: 'key-2' });
    await client.abortMultipartUpload('mp-init.bin', init.uploadId);

    const done = await client.multipartUpload('mp.bin', body, { partSize: 100 * 1024, serverSideEncryption: 'SM4' });
    expect(done.res.headers[SSE]).toBe('SM4');
    expect((await client.head('mp.bin')).res.headers[SSE]).toBe('SM4');
  });

  it('UploadPart and CompleteMultipartUpload that name an encryption are InvalidArgument', async () => {
    const { uploadId } = await client.initMultipartUpload('mp-bad.bin');
    await expect(client.uploadPart('mp-bad.bin', uploadId, 1, 'x', { headers: { [SSE]: 'AES256' } }))
      .rejects.toMatchObject({ code: 'InvalidArgument', status: 400 });
    await client.abortMultipartUpload('mp-bad.bin', uploadId);
  });

  it('copy takes the asked encryption (not the source\'s) and echoes it', async () => {
    await client.put('src.txt', 's', { serverSideEncryption: 'AES256' });
    const copied = await client.copy('dst.txt', 'src.txt', { serverSideEncryption: 'KMS', serverSideEncryptionKeyId: 'key-3' });
    expect(copied.res.headers).toMatchObject({ [SSE]: 'KMS', [KEY_ID]: 'key-3' });
    expect((await client.head('dst.txt')).res.headers[SSE]).toBe('KMS');
    await client.copy('dst2.txt', 'src.txt');
    expect((await client.head('dst2.txt')).res.headers[SSE]).toBeUndefined();
  });

  it('the server refuses an unknown algorithm with InvalidEncryptionAlgorithmError', async () => {
    await expect(client.put('x.txt', 'x', { headers: { [SSE]: 'DES' } }))
      .rejects.toMatchObject({ code: 'InvalidEncryptionAlgorithmError', status: 400 });
  });

  it('bad options are OSSArgumentError before anything is sent', async () => {
    const bad: Array<() => Promise<unknown>> = [
      () => client.put('x', 'x', { serverSideEncryption: 'DES' as never }),
      () => client.put('x', 'x', { serverSideEncryption: 'AES256', serverSideEncryptionKeyId: 'k' }),
      () => client.put('x', 'x', { serverSideEncryption: 'AES256', serverSideDataEncryption: 'SM4' }),
      () => client.multipartUpload('x', 'x', { serverSideEncryption: 'aes' as never }),
      () => client.copy('y', 'x', { serverSideEncryptionKeyId: 'k' }),
      () => client.putBucketEncryption(bucket, { SSEAlgorithm: 'DES' as never }),
      () => client.putBucketEncryption(bucket, { SSEAlgorithm: 'AES256', KMSMasterKeyID: 'k' }),
      () => client.putBucketEncryption(bucket, undefined as never),
    ];
    for (const call of bad) await expect(call()).rejects.toBeInstanceOf(OSSArgumentError);
  });
});

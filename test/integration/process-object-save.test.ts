// processObjectSave: the server processes an image and stores the result; ali-oss's call does
// the same against it.
// @ts-expect-error ali-oss ships no types
import OSS from 'ali-oss';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { creds, httpServer } from '../helpers/server.js';

let server: StartedServer;
let client: OSSClient;

beforeAll(async () => {
  server = await httpServer({ buckets: ['saveas', 'saveas-target'] });
  client = new OSSClient({ ...server.clientOptions, bucket: 'saveas' });
  const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#c03020' } }).jpeg().toBuffer();
  await client.put('big.jpg', new Uint8Array(jpeg));
});
afterAll(() => server.close());

describe('processObjectSave', () => {
  it('stores the processed image under the target key, in this bucket or another', async () => {
    const result = await client.processObjectSave('big.jpg', 'thumbs/中 small.jpg', 'image/resize,w_100');
    expect(result.status).toBe(200);
    expect(result.data).toMatchObject({ bucket: 'saveas', object: 'thumbs/中 small.jpg', status: 'OK' });
    const meta = await sharp((await client.get('thumbs/中 small.jpg')).content).metadata();
    expect([meta.width, meta.height]).toEqual([100, 75]);
    await client.processObjectSave('big.jpg', 'elsewhere.jpg', 'image/resize,w_50', 'saveas-target');
    const other = new OSSClient({ ...server.clientOptions, bucket: 'saveas-target' });
    expect((await sharp((await other.get('elsewhere.jpg')).content).metadata()).width).toBe(50);
  });

  it('refuses bad arguments before sending', async () => {
    await expect(client.processObjectSave('big.jpg', '', 'image/resize,w_1')).rejects.toBeInstanceOf(OSSArgumentError);
    await expect(client.processObjectSave('big.jpg', 't.jpg', '')).rejects.toBeInstanceOf(OSSArgumentError);
    await expect(client.processObjectSave('big.jpg', 't.jpg', 'image/resize,w_1|sys/saveas,o_eA')).rejects.toBeInstanceOf(OSSArgumentError);
  });

  it('ali-oss\'s processObjectSave gives the same object', async () => {
    const ali = new OSS({ endpoint: server.url, region: 'oss-cn-hangzhou', bucket: 'saveas', ...creds, authorizationV4: true });
    const result = await ali.processObjectSave('big.jpg', 'by-ali.jpg', 'image/resize,w_80');
    expect(result.status).toBe(200);
    await client.processObjectSave('big.jpg', 'by-us.jpg', 'image/resize,w_80');
    const [a, b] = await Promise.all([client.get('by-ali.jpg'), client.get('by-us.jpg')]);
    expect(Buffer.from(a.content).equals(Buffer.from(b.content))).toBe(true);
  });
});

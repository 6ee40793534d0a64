// The official ali-oss drives image processing on the local server: get/getStream with `process`,
// presigned URLs with `process`, processObjectSave, and its ImageClient's reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
// @ts-expect-error ali-oss ships no types
import OSS from 'ali-oss';
import { httpServer, uniqueBucket } from '../helpers/server.js';
import type { StartedServer } from '../../src/server/index.js';

async function streamBytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

for (const authorizationV4 of [false, true]) {
  describe(`ali-oss 6.23 image processing on the local server (${authorizationV4 ? 'V4' : 'V1'})`, () => {
    let server: StartedServer;
    let client: any;
    let options: Record<string, unknown>;
    const bucket = uniqueBucket('aliimg');
    const other = uniqueBucket('aliimg-to');

    beforeAll(async () => {
      server = await httpServer();
      options = {
        accessKeyId: server.clientOptions.accessKeyId,
        accessKeySecret: server.clientOptions.accessKeySecret,
        endpoint: server.url,
        region: 'oss-cn-hangzhou',
        authorizationV4,
      };
      client = new OSS(options);
      await client.putBucket(bucket);
      await client.putBucket(other);
      client.useBucket(bucket);
      const jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#336699' } })
        .jpeg().withMetadata({ orientation: 3 }).toBuffer();
      await client.put('pics/cat.jpg', jpeg);
      await client.put('readme.txt', Buffer.from('plain text'));
    });
    afterAll(async () => server.close());

    it('get and getStream with process return processed images', async () => {
      const got = await client.get('pics/cat.jpg', { process: 'image/resize,w_100/format,png' });
      expect(got.res.status).toBe(200);
      expect(got.res.headers['content-type']).toBe('image/png');
      expect(await sharp(got.content).metadata()).toMatchObject({ format: 'png', width: 100, height: 75 });
      const { stream } = await client.getStream('pics/cat.jpg', { process: 'image/crop,w_40,h_30,g_se' });
      expect(await sharp(await streamBytes(stream)).metadata()).toMatchObject({ width: 40, height: 30 });
    });

    it('image/info is the OSS JSON', async () => {
      const got = await client.get('pics/cat.jpg', { process: 'image/info' });
      const info = JSON.parse(got.content.toString());
      expect(info).toMatchObject({
        Format: { value: 'jpg' }, ImageWidth: { value: '320' }, ImageHeight: { value: '240' }, Orientation: { value: '3' },
      });
    });

    it('signatureUrl with process', async () => {
      // ali-oss presigns only for a host name (V1 query signature).
      const presigner = new OSS({ ...options, endpoint: `http://localhost:${server.port}`, sldEnable: true, bucket });
      const url = presigner.signatureUrl('pics/cat.jpg', { process: 'image/resize,m_fixed,w_33,h_44' });
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(await sharp(Buffer.from(await res.arrayBuffer())).metadata()).toMatchObject({ width: 33, height: 44 });
    });

    it('processObjectSave writes the processed image to the same or another bucket', async () => {
      const same = await client.processObjectSave('pics/cat.jpg', 'thumbs/cat small.webp', 'image/resize,w_64/format,webp');
      expect(same.status).toBe(200);
      const saved = await client.get('thumbs/cat small.webp');
      expect(await sharp(saved.content).metadata()).toMatchObject({ format: 'webp', width: 64, height: 48 });
      expect(saved.res.headers['content-type']).toBe('image/webp');
      await client.processObjectSave('pics/cat.jpg', 'copy.jpg', 'image/rotate,90', other);
      const copied = await new OSS({ ...options, bucket: other }).get('copy.jpg');
      expect(await sharp(copied.content).metadata()).toMatchObject({ width: 240, height: 320 });
    });

    it('errors are OSS errors', async () => {
      await expect(client.get('readme.txt', { process: 'image/resize,w_10' })).rejects.toMatchObject({ status: 400, code: 'BadRequest' });
      await expect(client.get('pics/cat.jpg', { process: 'image/resize,w_99999' })).rejects.toMatchObject({ status: 400, code: 'InvalidArgument' });
      // processObjectSave resolves whatever the status; the refusal is in it.
      const refused = await client.processObjectSave('pics/cat.jpg', 'x.jpg', 'image/resize,m_nope,w_1');
      expect(refused.status).toBe(400);
      expect(refused.res.data.toString()).toContain('<Code>InvalidArgument</Code>');
      await expect(client.head('x.jpg')).rejects.toMatchObject({ status: 404 });
    });

    it('its ImageClient reads through the image host', async () => {
      const images = new OSS.ImageClient({
        accessKeyId: server.clientOptions.accessKeyId,
        accessKeySecret: server.clientOptions.accessKeySecret,
        imageHost: server.url,
        region: 'oss-cn-hangzhou',
        bucket,
        authorizationV4,
      });
      const got = await images.get('pics/cat.jpg', null, { process: 'image/resize,h_60' });
      expect(await sharp(got.content).metadata()).toMatchObject({ width: 80, height: 60 });
      const { stream } = await images.getStream('pics/cat.jpg', { process: 'image/resize,w_16' });
      expect(await sharp(await streamBytes(stream)).metadata()).toMatchObject({ width: 16 });
    });
  });
}

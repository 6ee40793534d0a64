// Real image processing: fixtures made with sharp, processed by the local server, outputs decoded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { ImageClient, OSSArgumentError, OSSClient, OSSError } from '../../src/index.js';
import { creds, httpServer, inProcessFetch, uniqueBucket } from '../helpers/server.js';
import { createHandler, type StartedServer } from '../../src/server/index.js';

const decode = (bytes: Uint8Array) => sharp(bytes).metadata();

async function fixtures() {
  const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#c03020' } })
    .jpeg({ quality: 90 }).withMetadata({ orientation: 6, density: 72 }).toBuffer();
  const png = await sharp({ create: { width: 200, height: 100, channels: 4, background: { r: 0, g: 128, b: 255, alpha: 0.5 } } }).png().toBuffer();
  const webp = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#00ff00' } }).webp().toBuffer();
  return { jpeg: new Uint8Array(jpeg), png: new Uint8Array(png), webp: new Uint8Array(webp) };
}

for (const mode of ['in-process', 'http'] as const) {
  describe(`image processing (${mode})`, () => {
    let server: StartedServer | undefined;
    let client: OSSClient;
    let images: ImageClient;
    const bucket = uniqueBucket('img');
    let files: Awaited<ReturnType<typeof fixtures>>;

    beforeAll(async () => {
      files = await fixtures();
      if (mode === 'http') {
        server = await httpServer();
        client = new OSSClient({ ...server.clientOptions, bucket });
        // The image host wins over a dead endpoint.
        images = new ImageClient({ ...server.clientOptions, endpoint: 'http://127.0.0.1:1', imageHost: server.url, bucket });
      } else {
        const handler = createHandler();
        const fetch = (input: RequestInfo | URL, init?: RequestInit) => inProcessFetch(handler, input, init);
        client = new OSSClient({ ...creds, endpoint: 'http://127.0.0.1:1', region: 'cn-hangzhou', fetch, bucket });
        images = new ImageClient({ ...creds, endpoint: 'http://127.0.0.1:1', region: 'cn-hangzhou', fetch, bucket });
      }
      await client.putBucket(bucket);
      await client.put('photo.jpg', files.jpeg);
      await client.put('logo.png', files.png);
      await client.put('leaf.webp', files.webp);
      await client.put('notes.txt', 'not an image');
    });
    afterAll(async () => server?.close());

    it('resizes with every mode, checked by decoding the output', async () => {
      const cases: Array<[string, number, number]> = [
        ['image/resize,w_200', 200, 150],
        ['image/resize,h_60', 80, 60],
        ['image/resize,w_100,h_100', 100, 75], // lfit: inside the box
        ['image/resize,m_mfit,w_100,h_100', 133, 100], // cover the box
        ['image/resize,m_fill,w_100,h_100', 100, 100],
        ['image/resize,m_pad,w_100,h_100,color_FF0000', 100, 100],
        ['image/resize,m_fixed,w_50,h_120', 50, 120],
        ['image/resize,l_100', 100, 75],
        ['image/resize,s_60', 80, 60],
        ['image/resize,p_50', 200, 150],
        ['image/resize,w_800', 400, 300], // limit_1 by default: no enlarging
        ['image/resize,w_800,limit_0', 800, 600],
      ];
      for (const [process, width, height] of cases) {
        const { content, res } = await client.get('photo.jpg', { process });
        expect(res.headers['content-type'], process).toBe('image/jpeg');
        const meta = await decode(content);
        expect([meta.format, meta.width, meta.height], process).toEqual(['jpeg', width, height]);
      }
    });

    it('pads with the given colour', async () => {
      const { content } = await client.get('photo.jpg', { process: 'image/resize,m_pad,w_100,h_100,color_0000FF' });
      const { data } = await sharp(content).raw().toBuffer({ resolveWithObject: true });
      // The top-left pixel is padding (the 100×75 image sits in the middle).
      expect(data[0]).toBeLessThan(40);
      expect(data[2]).toBeGreaterThan(200);
    });

    it('crops, rotates, converts, sets quality, chained left to right', async () => {
      const crop = await decode((await client.get('photo.jpg', { process: 'image/crop,w_100,h_50,x_10,y_10' })).content);
      expect([crop.width, crop.height]).toEqual([100, 50]);
      const edge = await decode((await client.get('photo.jpg', { process: 'image/crop,w_500,h_500,x_350,y_280' })).content);
      expect([edge.width, edge.height]).toEqual([50, 20]);
      const centre = await decode((await client.get('logo.png', { process: 'image/crop,w_50,h_50,g_center' })).content);
      expect([centre.format, centre.width, centre.height]).toEqual(['png', 50, 50]);
      const rotated = await decode((await client.get('photo.jpg', { process: 'image/rotate,90' })).content);
      expect([rotated.width, rotated.height]).toEqual([300, 400]);
      const chain = await client.get('photo.jpg', { process: 'image/resize,w_200/rotate,90/format,png' });
      expect(chain.res.headers['content-type']).toBe('image/png');
      const chained = await decode(chain.content);
      expect([chained.format, chained.width, chained.height]).toEqual(['png', 150, 200]);
      const webp = await decode((await client.get('logo.png', { process: 'image/format,webp' })).content);
      expect([webp.format, webp.width, webp.height, webp.hasAlpha]).toEqual(['webp', 200, 100, true]);
      const toJpg = await decode((await client.get('leaf.webp', { process: 'image/format,jpg' })).content);
      expect(toJpg.format).toBe('jpeg');
      const low = (await client.get('photo.jpg', { process: 'image/quality,q_10' })).content;
      const high = (await client.get('photo.jpg', { process: 'image/quality,Q_95' })).content;
      expect(low.byteLength).toBeLessThan(high.byteLength);
    });

    it('answers image/info in the OSS shape, EXIF included', async () => {
      const { content, res } = await client.get('photo.jpg', { process: 'image/info' });
      expect(res.headers['content-type']).toBe('application/json');
      const info = JSON.parse(new TextDecoder().decode(content));
      expect(info).toMatchObject({
        FileSize: { value: String(files.jpeg.byteLength) },
        Format: { value: 'jpg' },
        FrameCount: { value: '1' },
        ImageHeight: { value: '300' },
        ImageWidth: { value: '400' },
        Orientation: { value: '6' },
        XResolution: { value: '72/1' },
        YResolution: { value: '72/1' },
        ResolutionUnit: { value: '2' },
      });
      for (const field of Object.values(info)) expect(typeof (field as { value: unknown }).value).toBe('string');
      const png = JSON.parse(new TextDecoder().decode((await client.get('logo.png', { process: 'image/info' })).content));
      expect(png.Format.value).toBe('png');
      expect(png.Orientation).toBeUndefined();
      expect(png.XResolution).toBeUndefined();
      // info after a transform describes the result.
      const small = JSON.parse(new TextDecoder().decode((await client.get('photo.jpg', { process: 'image/resize,w_40/format,png/info' })).content));
      expect([small.ImageWidth.value, small.ImageHeight.value]).toEqual(['40', '30']);
    });

    it('refuses non-images and bad parameters as OSS does', async () => {
      await expect(client.get('notes.txt', { process: 'image/resize,w_10' })).rejects.toMatchObject({ code: 'BadRequest', status: 400 });
      for (const process of ['image/resize,w_0', 'image/resize,m_zoom,w_10', 'image/resize,w_abc', 'image/blur,r_3', 'image/format,bmp', 'image/resize,zz_1', 'video/snapshot,t_1']) {
        await expect(client.get('photo.jpg', { process }), process).rejects.toMatchObject({ code: 'InvalidArgument', status: 400 });
      }
      await expect(client.get('photo.jpg', { process: 'style/none' })).rejects.toMatchObject({ code: 'NoSuchStyle', status: 404 });
      // A plain GET is untouched.
      expect((await client.get('photo.jpg')).content).toEqual(files.jpeg);
    });

    it('processes through a presigned URL', async () => {
      const url = await client.signatureUrl('photo.jpg', { process: 'image/resize,w_40' });
      if (mode === 'http') {
        const res = await fetch(url);
        expect(res.status).toBe(200);
        expect((await decode(new Uint8Array(await res.arrayBuffer()))).width).toBe(40);
      } else {
        expect(url).toContain('x-oss-process=image%2Fresize%2Cw_40');
      }
      const imageUrl = await images.signatureUrl('photo.jpg@40w_1l');
      expect(new URL(imageUrl).searchParams.get('x-oss-process')).toBe('image/resize,w_40,limit_1');
      if (mode === 'http') expect((await decode(new Uint8Array(await (await fetch(imageUrl)).arrayBuffer()))).width).toBe(40);
    });

    it('ImageClient: get, getStream, getInfo, getExif with seed names', async () => {
      const { content } = await images.get('photo.jpg@200w_200h');
      expect(await decode(content)).toMatchObject({ width: 200, height: 150 });
      const fill = await decode((await images.get('photo.jpg@100w_100h_1e_1c_50Q.png')).content);
      expect([fill.format, fill.width, fill.height]).toEqual(['png', 100, 100]);
      const chunks: Uint8Array[] = [];
      await images.get('photo.jpg@50p', new WritableStream({ write: (c) => void chunks.push(c) }));
      expect(await decode(Buffer.concat(chunks))).toMatchObject({ width: 200, height: 150 });
      const into: Uint8Array[] = [];
      await images.get('logo.png@2x_50w', { writable: new WritableStream({ write: (c) => void into.push(c) }) });
      expect(await decode(Buffer.concat(into))).toMatchObject({ width: 100, height: 50 });
      const { stream } = await images.getStream('leaf.webp@60w');
      const streamed = new Uint8Array(await new Response(stream).arrayBuffer());
      expect(await decode(streamed)).toMatchObject({ format: 'webp', width: 60, height: 40 });
      const info = await images.getInfo('photo.jpg@infoexif');
      expect(info.data).toMatchObject({ FileSize: String(files.jpeg.byteLength), Format: 'jpg', ImageWidth: '400', ImageHeight: '300', Orientation: '6' });
      const exif = await images.getExif('photo.jpg@exif');
      expect(exif.data.Orientation).toBe('6');
      expect(exif.data.ImageWidth).toBeUndefined();
      expect((await images.getExif('leaf.webp')).data).toEqual({});
      // A name without processing is the plain object.
      expect((await images.get('photo.jpg')).content).toEqual(files.jpeg);
    });

    it('ImageClient: style round trip and @!style', async () => {
      await images.putStyle('thumb', 'image/resize,m_fill,w_64,h_64');
      await images.putStyle('small.v2', '120w'); // a seed spec is translated
      const { data } = await images.getStyle('thumb');
      expect(data).toMatchObject({ Name: 'thumb', Content: 'image/resize,m_fill,w_64,h_64', Category: 'image' });
      expect(new Date(data.CreateTime).getTime()).not.toBeNaN();
      expect((await images.getStyle('small.v2')).data.Content).toBe('image/resize,w_120');
      const list = await images.listStyle();
      expect(list.data.map((s) => s.Name)).toEqual(['small.v2', 'thumb']);
      expect(await decode((await images.get('photo.jpg@!thumb')).content)).toMatchObject({ width: 64, height: 64 });
      expect(await decode((await client.get('photo.jpg', { process: 'style/small.v2' })).content)).toMatchObject({ width: 120, height: 90 });
      await images.putStyle('thumb', { content: 'image/resize,w_32' });
      expect(await decode((await images.get('photo.jpg@!thumb')).content)).toMatchObject({ width: 32 });
      expect((await images.deleteStyle('thumb')).res.status).toBe(204);
      await expect(images.getStyle('thumb')).rejects.toMatchObject({ code: 'NoSuchStyle', status: 404 });
      expect((await images.listStyle()).data.map((s) => s.Name)).toEqual(['small.v2']);
      await expect(images.putStyle('bad', 'image/resize,w_0')).rejects.toMatchObject({ code: 'InvalidArgument' });
    });

    it('ImageClient validates before sending', async () => {
      await expect(images.get('photo.jpg@200z')).rejects.toThrow(OSSArgumentError);
      await expect(images.getStream('photo.jpg@big')).rejects.toThrow(/not an image parameter/);
      await expect(images.signatureUrl('photo.jpg@1e')).rejects.toThrow(/need a size/);
      await expect(images.get('photo.jpg@', {})).rejects.toThrow(/no image processing/);
      await expect(images.putStyle('no spaces', 'image/resize,w_1')).rejects.toThrow(OSSArgumentError);
      expect(() => new ImageClient({ ...creds, region: 'cn-hangzhou' })).toThrow(/bucket/);
      await expect(images.get('missing.jpg@10w')).rejects.toBeInstanceOf(OSSError);
    });
  });
}

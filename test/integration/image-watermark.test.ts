// The watermark action over real HTTP, checked by decoding the pixels: text and image watermarks
// land where g/x/y put them, in their colour and opacity; bad parameters get OSS's IMG errors.
// Parameters: https://help.aliyun.com/en/oss/user-guide/add-watermarks and
// https://help.aliyun.com/en/oss/user-guide/basic-parameters (text_ base64url ≤ 64 characters,
// size 1-1000 (default 40), color RRGGBB, shadow 0-100, rotate 0-360, fill 0/1, t 0-100, g nw…se
// (default se), x/y 0-4096 (default 10), voffset -1000…1000, image_ base64url of a key of the same
// bucket with an optional ?x-oss-process=image/resize,P_<1-100>).
// Errors: https://www.alibabacloud.com/help/doc-detail/44706.htm (InvalidArgument, MissingArgument,
// BadRequest "Input is not base64 decoding.", WatermarkError, all 400).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { ImageClient, OSSClient } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { aliOssClient } from '../helpers/ali-oss.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const HELLO = b64('Hello');
const W = 300;
const H = 200;

/** Decoded RGB(A) pixels with a lookup and a "how many dark/red/blue pixels in this box" count. */
async function pixels(bytes: Uint8Array) {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)] as [number, number, number];
  const count = (box: [number, number, number, number], test: (p: [number, number, number]) => boolean) => {
    let n = 0;
    for (let y = box[1]; y < box[3]; y++) for (let x = box[0]; x < box[2]; x++) if (test(at(x, y))) n++;
    return n;
  };
  return { width: info.width, height: info.height, at, count };
}
const dark = ([r, g, b]: number[]) => r! < 80 && g! < 80 && b! < 80;
const red = ([r, g, b]: number[]) => r! > 180 && g! < 80 && b! < 80;
const blue = ([r, g, b]: number[]) => r! < 80 && g! < 80 && b! > 180;
const TOP_LEFT: [number, number, number, number] = [0, 0, W / 2, H / 2];
const BOTTOM_RIGHT: [number, number, number, number] = [W / 2, H / 2, W, H];

describe('image watermark (HTTP)', () => {
  let server: StartedServer;
  let client: OSSClient;
  const bucket = uniqueBucket('wm');

  beforeAll(async () => {
    server = await httpServer();
    client = new OSSClient({ ...server.clientOptions, bucket });
    await client.putBucket(bucket);
    await client.put('white.png', new Uint8Array(await sharp({ create: { width: W, height: H, channels: 3, background: '#ffffff' } }).png().toBuffer()));
    await client.put('white.jpg', new Uint8Array(await sharp({ create: { width: W, height: H, channels: 3, background: '#ffffff' } }).jpeg({ quality: 95 }).toBuffer()));
    await client.put('mark.png', new Uint8Array(await sharp({ create: { width: 40, height: 40, channels: 3, background: '#0000ff' } }).png().toBuffer()));
    await client.put('notes.txt', 'not an image');
  });
  afterAll(async () => server.close());

  const processed = async (process: string, key = 'white.png') => pixels((await client.get(key, { process })).content);

  it('text: black by default, bottom-right by default (g_se), where g/x/y put it otherwise', async () => {
    const se = await processed(`image/watermark,text_${HELLO}`);
    expect([se.width, se.height]).toEqual([W, H]);
    expect(se.count(BOTTOM_RIGHT, dark)).toBeGreaterThan(50);
    expect(se.count(TOP_LEFT, dark)).toBe(0);
    // The margins hold: nothing within 10 px of the right and bottom edges.
    expect(se.count([W - 10, 0, W, H], dark) + se.count([0, H - 10, W, H], dark)).toBe(0);

    const nw = await processed(`image/watermark,text_${HELLO},g_nw,x_20,y_30`);
    expect(nw.count(TOP_LEFT, dark)).toBeGreaterThan(50);
    expect(nw.count(BOTTOM_RIGHT, dark)).toBe(0);
    expect(nw.count([0, 0, 20, H], dark) + nw.count([0, 0, W, 30], dark)).toBe(0);

    const center = await processed(`image/watermark,text_${HELLO},g_center,size_30`);
    expect(center.count([W / 2 - 40, H / 2 - 20, W / 2 + 40, H / 2 + 20], dark)).toBeGreaterThan(30);
    // Padded base64 is accepted too (OSS's older pages keep the "=").
    const padded = await processed(`image/watermark,text_${Buffer.from('Hi').toString('base64').replace(/\+/g, '-').replace(/\//g, '_')},g_nw`);
    expect(padded.count(TOP_LEFT, dark)).toBeGreaterThan(10);
  });

  it('text: colour, size, opacity, shadow, rotation and fill change the pixels as asked', async () => {
    const redText = await processed(`image/watermark,text_${HELLO},color_FF0000,g_nw`);
    expect(redText.count(TOP_LEFT, red)).toBeGreaterThan(50);
    expect(redText.count(TOP_LEFT, dark)).toBe(0);
    const small = await processed(`image/watermark,text_${HELLO},size_10,g_nw`);
    const big = await processed(`image/watermark,text_${HELLO},size_80,g_nw`);
    expect(big.count([0, 0, W, H], dark)).toBeGreaterThan(4 * small.count([0, 0, W, H], dark));
    // t_0: fully transparent, the image is untouched; t_50: grey, not black.
    expect((await processed(`image/watermark,text_${HELLO},t_0`)).count([0, 0, W, H], (p) => p.some((c) => c < 250))).toBe(0);
    const half = await processed(`image/watermark,text_${HELLO},t_50,size_80`);
    expect(half.count([0, 0, W, H], dark)).toBe(0);
    expect(half.count([0, 0, W, H], ([r]) => r! > 100 && r! < 160)).toBeGreaterThan(50);
    const shadow = await processed(`image/watermark,text_${HELLO},color_FF0000,shadow_100,g_nw,size_60`);
    expect(shadow.count(TOP_LEFT, dark)).toBeGreaterThan(10);
    const rotated = await processed(`image/watermark,text_${b64('HelloHelloHello')},rotate_90,g_nw,size_20`);
    expect(rotated.count([0, 0, 40, H], dark)).toBeGreaterThan(30); // a tall, narrow band at the left
    const filled = await processed(`image/watermark,text_${HELLO},fill_1,size_20`);
    for (const box of [TOP_LEFT, BOTTOM_RIGHT, [W / 2, 0, W, H / 2], [0, H / 2, W / 2, H]] as Array<[number, number, number, number]>) {
      expect(filled.count(box, dark)).toBeGreaterThan(20);
    }
  });

  it('keeps the format: a JPEG stays a JPEG', async () => {
    const { content, res } = await client.get('white.jpg', { process: `image/watermark,text_${HELLO}` });
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect((await sharp(content).metadata()).format).toBe('jpeg');
    expect((await pixels(content)).count(BOTTOM_RIGHT, dark)).toBeGreaterThan(50);
  });

  it('image: an object of the bucket, optionally scaled to P_ percent of the main image', async () => {
    const mark = await processed(`image/watermark,image_${b64('mark.png')},g_center`);
    expect(mark.at(W / 2, H / 2)).toEqual([0, 0, 255]);
    expect(mark.count([0, 0, W, H], blue)).toBe(40 * 40);
    const scaled = await processed(`image/watermark,image_${b64('mark.png?x-oss-process=image/resize,P_50')},g_nw,x_0,y_0`);
    // Fit inside 150×100: the 40×40 mark becomes 100×100.
    expect(scaled.count([0, 0, W, H], blue)).toBe(100 * 100);
    const both = await processed(`image/watermark,image_${b64('mark.png')},g_nw/watermark,text_${HELLO},g_se`);
    expect(both.count(TOP_LEFT, blue)).toBe(1600);
    expect(both.count(BOTTOM_RIGHT, dark)).toBeGreaterThan(50);
  });

  it('bad parameters answer as OSS: InvalidArgument, MissingArgument, BadRequest, WatermarkError', async () => {
    const fails = (process: string) => client.get('white.png', { process }).then(() => undefined, (e: unknown) => e);
    for (const bad of [
      `text_${HELLO},size_0`, `text_${HELLO},size_1001`, `text_${HELLO},t_101`, `text_${HELLO},g_middle`,
      `text_${HELLO},color_GG0000`, `text_${HELLO},color_FFF`, `text_${HELLO},x_4097`, `text_${HELLO},y_-1`,
      `text_${HELLO},voffset_1001`, `text_${HELLO},rotate_361`, `text_${HELLO},fill_2`, `text_${HELLO},shadow_101`,
      `text_${HELLO},bogus_1`, `text_${HELLO},type_${b64('comic-sans')}`, `text_${b64('x'.repeat(60))}`,
      `image_${b64('mark.png?x-oss-process=image/resize,P_0')}`, `image_${b64('mark.png?x-oss-process=image/watermark,text_eA')}`,
    ]) {
      expect(await fails(`image/watermark,${bad}`), bad).toMatchObject({ code: 'InvalidArgument', status: 400 });
    }
    expect(await fails('image/watermark,g_se')).toMatchObject({ code: 'MissingArgument', status: 400 });
    // Standard base64's "+" and "/" are not URL-safe base64 ("/" even splits the action there).
    expect(await fails('image/watermark,text_a+b/c')).toMatchObject({ code: 'BadRequest', status: 400 });
    expect(await fails('image/watermark,text_!!!')).toMatchObject({ code: 'BadRequest', status: 400, message: 'Input is not base64 decoding.' });
    expect(await fails(`image/watermark,image_${b64('missing.png')}`)).toMatchObject({ code: 'WatermarkError', status: 400 });
    expect(await fails(`image/watermark,image_${b64('notes.txt')}`)).toMatchObject({ code: 'WatermarkError', status: 400 });
  });

  it('styles may hold a watermark; ImageClient and ali-oss pass it through', async () => {
    const images = new ImageClient({ ...server.clientOptions, bucket });
    await images.putStyle('marked', `image/watermark,text_${HELLO},g_nw`);
    const viaStyle = await pixels((await images.get('white.png@!marked')).content);
    expect(viaStyle.count(TOP_LEFT, dark)).toBeGreaterThan(50);
    await expect(images.putStyle('broken', `image/watermark,text_${HELLO},size_0`)).rejects.toMatchObject({ code: 'InvalidArgument' });

    const ali = aliOssClient(server, { bucket });
    const viaAli = await pixels((await ali.get('white.png', { process: `image/watermark,text_${HELLO},g_nw` })).content);
    expect(viaAli.count(TOP_LEFT, dark)).toBeGreaterThan(50);
    await expect(ali.get('white.png', { process: `image/watermark,text_${HELLO},t_200` })).rejects.toMatchObject({ code: 'InvalidArgument', status: 400 });
  });

  it('a watermark image is an object the request reads: the caller must be allowed to read it too', async () => {
    // The source is public, the watermark object private: an anonymous reader may have the
    // source processed, but not with a watermark it could not read itself.
    await client.put('public.png', new Uint8Array(await sharp({ create: { width: W, height: H, channels: 3, background: '#ffffff' } }).png().toBuffer()), { acl: 'public-read' });
    const anonymous = new OSSClient({ endpoint: server.url, region: 'cn-hangzhou', bucket });
    expect((await anonymous.get('public.png', { process: `image/watermark,text_${HELLO}` })).res.status).toBe(200);
    await expect(anonymous.get('public.png', { process: `image/watermark,image_${b64('mark.png')}` })).rejects.toMatchObject({ code: 'AccessDenied', status: 403 });
    await client.putACL('mark.png', 'public-read');
    expect((await anonymous.get('public.png', { process: `image/watermark,image_${b64('mark.png')}` })).res.status).toBe(200);
    await client.putACL('mark.png', 'default');
  });
});

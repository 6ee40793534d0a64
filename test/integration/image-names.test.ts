// The seed's channel names → x-oss-process: docs/images.md's table, row by row, and what is refused.
import { describe, expect, it } from 'vitest';
import { OSSArgumentError, translateImageName } from '../../src/index.js';

describe('translateImageName', () => {
  it.each([
    ['demo.jpg@200w_200h', 'demo.jpg', 'image/resize,w_200,h_200'],
    ['demo.jpg@100w_1e', 'demo.jpg', 'image/resize,m_mfit,w_100'],
    ['demo.jpg@100w_100h_1e_1c', 'demo.jpg', 'image/resize,m_fill,w_100,h_100'],
    ['demo.jpg@100w_0e', 'demo.jpg', 'image/resize,w_100'],
    ['demo.jpg@100w_1l', 'demo.jpg', 'image/resize,w_100,limit_1'],
    ['demo.jpg@100w_0l', 'demo.jpg', 'image/resize,w_100,limit_0'],
    ['demo.jpg@50p', 'demo.jpg', 'image/resize,p_50'],
    ['demo.jpg@100w_100h_2x', 'demo.jpg', 'image/resize,w_200,h_200'],
    ['demo.jpg@100w_100h_90Q.jpg', 'demo.jpg', 'image/resize,w_100,h_100/quality,Q_90/format,jpg'],
    ['demo.jpg@80q', 'demo.jpg', 'image/quality,q_80'],
    ['demo.png@.webp', 'demo.png', 'image/format,webp'],
    ['demo.jpg@200h.JPEG', 'demo.jpg', 'image/resize,h_200/format,jpg'],
    ['a@b/demo.jpg@!thumb', 'a@b/demo.jpg', 'style/thumb'],
    ['demo.jpg@!100-100.jpg', 'demo.jpg', 'style/100-100.jpg'],
    ['demo.jpg@infoexif', 'demo.jpg', 'image/info'],
    ['demo.jpg@exif', 'demo.jpg', 'image/info'],
  ])('%s', (name, key, process) => {
    expect(translateImageName(name)).toEqual({ key, process });
  });

  it('leaves a name without @ alone', () => {
    expect(translateImageName('plain/photo.jpg')).toEqual({ key: 'plain/photo.jpg', process: undefined });
  });

  it.each([
    ['demo.jpg@200z', /unknown image parameter "z"/],
    ['demo.jpg@wide', /not an image parameter/],
    ['demo.jpg@200w__1e', /not an image parameter/],
    ['demo.jpg@1e', /need a size/],
    ['demo.jpg@100w_2e', /edge priority/],
    ['demo.jpg@', /no image processing/],
    ['demo.jpg@!', /style name is missing/],
    ['@200w', /name/],
  ])('refuses %s', (name, message) => {
    expect(() => translateImageName(name)).toThrow(OSSArgumentError);
    expect(() => translateImageName(name)).toThrow(message);
  });
});

// getObjectUrl and generateObjectUrl: ali-oss's unsigned URLs, checked against ali-oss itself.
// @ts-expect-error ali-oss ships no types
import OSS from 'ali-oss';
import { describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient } from '../../src/index.js';

const keys = { accessKeyId: 'id', accessKeySecret: 'secret' };

describe('object URLs', () => {
  it('match ali-oss for a region endpoint, a custom domain and an explicit base', () => {
    const ours = new OSSClient({ ...keys, region: 'oss-cn-hangzhou', bucket: 'photos' });
    const theirs = new OSS({ ...keys, region: 'oss-cn-hangzhou', bucket: 'photos', secure: true });
    for (const name of ['a.png', 'dir/with space/ü+%.jpg']) {
      expect(ours.generateObjectUrl(name)).toBe(theirs.generateObjectUrl(name));
      expect(ours.getObjectUrl(name)).toBe(theirs.getObjectUrl(name));
      expect(ours.getObjectUrl(name, 'https://cdn.example.com')).toBe(theirs.getObjectUrl(name, 'https://cdn.example.com'));
      expect(ours.generateObjectUrl(name, 'https://cdn.example.com/')).toBe(theirs.generateObjectUrl(name, 'https://cdn.example.com/'));
    }
    const cname = new OSSClient({ ...keys, endpoint: 'https://img.example.com', cname: true, bucket: 'photos' });
    const theirCname = new OSS({ ...keys, endpoint: 'https://img.example.com', cname: true, bucket: 'photos' });
    expect(cname.getObjectUrl('a.png')).toBe(theirCname.getObjectUrl('a.png'));
  });

  it('generateObjectUrl works on an IP endpoint (path style); getObjectUrl there needs a base', () => {
    const local = new OSSClient({ ...keys, endpoint: 'http://127.0.0.1:9000', bucket: 'demo' });
    expect(local.generateObjectUrl('a b.txt')).toBe('http://127.0.0.1:9000/demo/a%20b.txt');
    expect(() => local.getObjectUrl('a.txt')).toThrow(OSSArgumentError);
    expect(local.getObjectUrl('a.txt', 'http://127.0.0.1:9000/demo')).toBe('http://127.0.0.1:9000/demo/a.txt');
    expect(() => local.getObjectUrl('a.txt', 'ftp://x')).toThrow(/http\(s\) URL/);
  });
});

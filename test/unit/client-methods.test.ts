// OSSClient's methods are attached from a table (src/client/client.ts) rather than written as
// class methods; they must still look and behave like class methods.
import { describe, expect, it } from 'vitest';
import { OSSClient, getObjectUrl } from '../../src/index.js';

const client = new OSSClient({ region: 'oss-cn-hangzhou', bucket: 'my-bucket', accessKeyId: 'id', accessKeySecret: 'secret' });

describe('OSSClient methods', () => {
  const names = Object.getOwnPropertyNames(OSSClient.prototype).filter((n) => n !== 'constructor');

  it('are named, writable, configurable, not enumerable and not constructors, like class methods', () => {
    expect(names.length).toBeGreaterThan(80);
    for (const name of names) {
      const d = Object.getOwnPropertyDescriptor(OSSClient.prototype, name)!;
      expect(d, name).toMatchObject({ enumerable: false, writable: true, configurable: true });
      expect(typeof d.value, name).toBe('function');
      expect(d.value.name, name).toBe(name);
      expect('prototype' in d.value, name).toBe(false);
    }
    expect(Object.keys(client)).not.toContain('put');
    for (const key in client) expect(typeof (client as unknown as Record<string, unknown>)[key], key).not.toBe('function');
  });

  it('pass the client as the core and the arguments through', () => {
    expect(client.getObjectUrl('a b.txt', 'https://cdn.example.com')).toBe(getObjectUrl(client, 'a b.txt', 'https://cdn.example.com'));
    expect(client.generateObjectUrl('k')).toBe('https://my-bucket.oss-cn-hangzhou.aliyuncs.com/k');
  });
});

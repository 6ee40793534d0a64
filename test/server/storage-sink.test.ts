// The sink store behind `oss-fetch serve --sink`: answers as the memory store does (so both
// clients' integrity checks pass), keeps no bytes, and reads objects back as zeros.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64 } from '../../src/core/crc64.js';
import { md5Hex } from '../../src/core/md5.js';
import { OSSClient } from '../../src/index.js';
import { startServer, type StartedServer } from '../../src/server/index.js';
import { zerosCrc64 } from '../../src/server/storage/sink.js';

describe('zerosCrc64', () => {
  it('is the CRC-64 of that many zero bytes, for odd sizes and across chunk boundaries', () => {
    for (const size of [0, 1, 2, 3, 7, 255, 256, 1000, 65_537, 262_144, 262_145, 1_000_003]) {
      expect(zerosCrc64(size), String(size)).toBe(crc64(new Uint8Array(size)));
    }
  });
});

describe('oss-fetch serve --sink', () => {
  let server: StartedServer;
  let client: OSSClient;
  const data = new Uint8Array(700_001).map((_, i) => (i * 7 + 3) % 251);

  beforeAll(async () => {
    server = await startServer({ port: 0, sink: true });
    client = new OSSClient({ ...server.clientOptions, bucket: 'sink-test' });
    await client.putBucket('sink-test');
  });
  afterAll(async () => server?.close());

  it('answers an upload with the real ETag and CRC-64, so the client check passes', async () => {
    const { res, etag } = await client.put('a.bin', data);
    expect(res.headers['x-oss-hash-crc64ecma']).toBe(crc64(data));
    expect(etag).toBe(`"${md5Hex(data).toUpperCase()}"`);
  });

  it('reads the object back as zeros of the same size, with their CRC-64 (checked by the client)', async () => {
    const { content, res } = await client.get('a.bin');
    expect(content.byteLength).toBe(data.length);
    expect(content.every((b) => b === 0)).toBe(true);
    expect(res.headers['x-oss-hash-crc64ecma']).toBe(crc64(new Uint8Array(data.length)));
    const head = await client.head('a.bin');
    expect(head.res.headers['content-length']).toBe(String(data.length));
    const { content: part } = await client.get('a.bin', { headers: { Range: 'bytes=100-199' } });
    expect(part).toEqual(new Uint8Array(100));
  });

  it('lists, deletes, and completes multipart uploads of the sizes sent', async () => {
    const result = await client.multipartUpload('mp.bin', data, { partSize: 100 * 1024 });
    expect(result.etag).toMatch(/-7"$/);
    expect((await client.head('mp.bin')).res.headers['content-length']).toBe(String(data.length));
    expect((await client.list()).objects.map((o) => [o.name, o.size])).toEqual([['a.bin', data.length], ['mp.bin', data.length]]);
    await client.delete('a.bin');
    await expect(client.get('a.bin')).rejects.toMatchObject({ name: 'NoSuchKeyError' });
  });
});

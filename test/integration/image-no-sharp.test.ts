// Without the optional peer `sharp`, image requests get a clear error naming it; other requests work.
import { describe, expect, it, vi } from 'vitest';
import { inProcessClient, uniqueBucket } from '../helpers/server.js';

vi.mock('sharp', () => {
  throw new Error("Cannot find package 'sharp'");
});

describe('image processing without sharp', () => {
  it('answers 501 NotImplemented naming the package, and serves plain objects', async () => {
    const { client } = inProcessClient();
    const bucket = uniqueBucket('nosharp');
    await client.putBucket(bucket);
    client.useBucket(bucket);
    await client.put('a.jpg', new Uint8Array([0xff, 0xd8, 0xff]));
    const err = await client.get('a.jpg', { process: 'image/resize,w_10' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NotImplemented', status: 501 });
    expect((err as Error).message).toMatch(/npm install sharp/);
    // Parameters are still checked first, as they would be with sharp.
    await expect(client.get('a.jpg', { process: 'image/resize,w_0' })).rejects.toMatchObject({ code: 'InvalidArgument' });
    expect((await client.get('a.jpg')).content).toEqual(new Uint8Array([0xff, 0xd8, 0xff]));
  });
});

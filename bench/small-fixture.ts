// The objects the profiled 1 KiB operations read and write (bench/profile.ts's child), set up once
// by whichever tool starts that child (profile.ts, instructions.ts), and by small-ops.ts, against a
// fresh sink server.
import { drivers, ossFetchClient } from './drivers.js';

export const SMALL_BUCKET = 'bench';
export const SMALL_KEYS = Array.from({ length: 256 }, (_, i) => `small/${i}`);
export const SMALL_BODY = new Uint8Array(1024).fill(7);

/** Make the bucket public-read-write (the unsigned contenders need it) and store every key, for the gets to read back. */
export async function seedSmallObjects(url: string): Promise<void> {
  await ossFetchClient(url, SMALL_BUCKET).putBucketACL(SMALL_BUCKET, 'public-read-write');
  const raw = drivers(url, SMALL_BUCKET).raw;
  await Promise.all(SMALL_KEYS.map((k) => raw.put(k, SMALL_BODY)));
}

// The sink store (`oss-fetch serve --sink`): every request is answered as the memory store
// answers it, but uploaded bytes are measured (size, MD5, CRC-64) and dropped. An object reads
// back as that many zero bytes, with the CRC-64 of those zeros. Benchmarks use it to take the
// server's memory and copying out of the client's numbers; nothing else should.
import { crc64, crc64Combine } from '../../core/crc64.js';
import { digestBody } from './digest.js';
import { MemoryStorage } from './memory.js';
import type { Stored } from './indexed.js';
import type { BodySource, ObjectRecord } from './types.js';

/** Every stored "chunk" is a view of this one zeroed buffer. */
const ZEROS = new Uint8Array(256 * 1024);

/** Views of ZEROS covering `size` bytes. */
function zeroChunks(size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let left = size; left > 0; left -= ZEROS.byteLength) out.push(ZEROS.subarray(0, Math.min(left, ZEROS.byteLength)));
  return out;
}

const zerosCrcCache = new Map<number, string>();

/** CRC-64 of `size` zero bytes, by squaring (log2(size) combines) instead of hashing them. */
export function zerosCrc64(size: number): string {
  let cached = zerosCrcCache.get(size);
  if (cached !== undefined) return cached;
  let crc = 0n; // of the zeros so far
  let power = BigInt(crc64(ZEROS.subarray(0, 1))); // of 2^k zeros, k = 0, 1, 2…
  let powerLength = 1;
  for (let n = size; n > 0; n = Math.floor(n / 2)) {
    if (n % 2) crc = crc64Combine(crc, power, powerLength);
    power = crc64Combine(power, power, powerLength);
    powerLength *= 2;
  }
  cached = crc.toString();
  if (zerosCrcCache.size > 1024) zerosCrcCache.clear();
  zerosCrcCache.set(size, cached);
  return cached;
}

/** The memory store, minus the bytes. */
export class SinkStorage extends MemoryStorage {
  protected override async store(_b: unknown, body: BodySource): Promise<Stored<readonly Uint8Array[]>> {
    const digest = await digestBody(body, () => {}, this.options.md5?.());
    return { data: zeroChunks(digest.size), digest };
  }

  override async getObject(bucket: string, key: string): Promise<ObjectRecord | undefined> {
    return asStored(await super.getObject(bucket, key));
  }

  override async getObjectVersion(bucket: string, key: string, versionId?: string): Promise<ObjectRecord | undefined> {
    return asStored(await super.getObjectVersion(bucket, key, versionId));
  }
}

/** A record as it reads back: its bytes are zeros, so is its checksum. */
function asStored(record: ObjectRecord | undefined): ObjectRecord | undefined {
  return record && { ...record, crc64: zerosCrc64(record.size) };
}

// Resuming skips a part only when its bytes are those the server holds. Checkpoints from this
// client carry CRC-64s; ones that carry only ETags (other tools, OSS without CRC in ListParts)
// are checked by MD5. Without the crc64Checks feature bytes in memory cannot be checked, so
// the part is sent again.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc64 } from '../../src/core/crc64.js';
import { sameBytes as sameBytesOf } from '../../src/client/multipart/checkpoint.js';
import { OSSCore } from '../../src/client/core.js';
import { crc64Checks } from '../../src/client/crc64-checks.js';

const checked = new OSSCore({ features: [crc64Checks] });
const sameBytes = (p: Parameters<typeof sameBytesOf>[1], held: Parameters<typeof sameBytesOf>[2]) => sameBytesOf(checked, p, held);

const part = (body: Uint8Array | Blob) => ({ number: 1, body, size: body instanceof Blob ? body.size : body.byteLength, release() {} });
const bytes = new Uint8Array(100_003).map((_, i) => (i * 7) % 251);
const etag = `"${createHash('md5').update(bytes).digest('hex').toUpperCase()}"`;

describe('sameBytes', () => {
  it('checks bytes in memory by CRC-64 when the checkpoint has one', async () => {
    expect(await sameBytes(part(bytes), { number: 1, etag: '"whatever"', size: bytes.length, crc64: crc64(bytes) })).toBe(true);
    expect(await sameBytes(part(bytes.subarray(1)), { number: 1, etag, size: bytes.length, crc64: crc64(bytes) })).toBe(false);
  });

  it('falls back to the ETag (MD5) when the checkpoint has no CRC-64', async () => {
    expect(await sameBytes(part(bytes), { number: 1, etag, size: bytes.length })).toBe(true);
    expect(await sameBytes(part(bytes), { number: 1, etag: etag.toLowerCase(), size: bytes.length })).toBe(true);
    const changed = bytes.slice();
    changed[500] ^= 1;
    expect(await sameBytes(part(changed), { number: 1, etag, size: bytes.length })).toBe(false);
  });

  it('trusts slices of the same file (a Blob) without reading them', async () => {
    expect(await sameBytes(part(new Blob([bytes])), { number: 1, etag: '"other"', size: bytes.length })).toBe(true);
  });

  it('sends bytes in memory again when the client cannot check them (no crc64Checks)', () => {
    const bare = new OSSCore();
    expect(sameBytesOf(bare, part(bytes), { number: 1, etag, size: bytes.length, crc64: crc64(bytes) })).toBe(false);
    expect(sameBytesOf(bare, part(new Blob([bytes])), { number: 1, etag, size: bytes.length })).toBe(true);
  });
});

// oss-fetch/node has the wasm CRC-64 kernel in before it hashes a big upload body, so no part of
// it runs on the slower JS kernel while the wasm one loads (a multipart upload's first parts did).
// Each test imports fresh modules: the kernel is per module instance, loaded at most once.
import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Crc64Module = typeof import('../../src/core/crc64.js');

async function fresh(): Promise<{ crc: Crc64Module; fileParts: typeof import('../../src/adapters/file-parts.js').fileParts; portableBody: typeof import('../../src/adapters/node-body.js').portableBody }> {
  const crc = await import('../../src/core/crc64.js');
  const { fileParts } = await import('../../src/adapters/file-parts.js');
  const { portableBody } = await import('../../src/adapters/node-body.js');
  // Nothing loaded it yet, or the assertions below could not fail.
  expect(crc.crc64Kernel()).toBe('js');
  return { crc, fileParts, portableBody };
}

const MiB = 1024 * 1024;
const memoryFile = (bytes: Uint8Array) => ({
  async readAt(buffer: Uint8Array, offset: number, length: number, position: number) {
    const chunk = bytes.subarray(position, position + length);
    buffer.set(chunk, offset);
    return chunk.byteLength;
  },
  async stat() {
    return { size: bytes.byteLength, mtimeMs: 1 };
  },
});

describe('the wasm CRC-64 kernel is in before a big upload body is hashed (oss-fetch/node)', () => {
  beforeEach(() => {
    vi.resetModules();
  });

  it('a file of 1 MiB or more: before its first part is handed out', async () => {
    const { crc, fileParts } = await fresh();
    const bytes = new Uint8Array(2 * MiB).fill(3);
    const parts = fileParts(memoryFile(bytes), 'big.bin', { size: bytes.byteLength, mtimeMs: 1 }, MiB);
    const first = await parts.next();
    expect(crc.crc64Kernel()).toBe('wasm');
    expect(first?.size).toBe(MiB);
  });

  it('bytes of 1 MiB or more, and any stream: once the body is taken', async () => {
    const { crc, portableBody } = await fresh();
    await portableBody(new Uint8Array(MiB));
    expect(crc.crc64Kernel()).toBe('wasm');
    vi.resetModules();
    const again = await fresh();
    await again.portableBody(Readable.from([Buffer.from('a')]));
    // A stream's load is started, not awaited: its first part takes a while to read.
    await vi.waitFor(() => expect(again.crc.crc64Kernel()).toBe('wasm'), { timeout: 10_000 });
  });

  it('a small body or file leaves the kernel alone (a small put never compiles wasm)', async () => {
    const { crc, fileParts, portableBody } = await fresh();
    await portableBody(new Uint8Array(MiB - 1));
    const bytes = new Uint8Array(1000).fill(1);
    await fileParts(memoryFile(bytes), 'small.bin', { size: bytes.byteLength, mtimeMs: 1 }, MiB).next();
    expect(crc.crc64Kernel()).toBe('js');
  });
});

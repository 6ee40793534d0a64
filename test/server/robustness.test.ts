// The server when clients misbehave: downloads cut off mid-body, keys that are not UTF-8, dot
// segments in paths, and the stall fault's `afterBytes`.
import { request as httpRequest } from 'node:http';
import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OSSClient } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { creds, httpServer } from '../helpers/server.js';

/** Paths of this process's open file descriptors (Linux). */
async function openFiles(): Promise<string[]> {
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter(Boolean);
}

/** GET `path` over HTTP, read the first body chunk, then hang up; resolves with that chunk's size. */
function abortAfterFirstChunk(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      res.once('data', (chunk: Buffer) => {
        res.pause();
        req.destroy();
        resolve(chunk.byteLength);
      });
      res.once('error', () => {});
    });
    req.on('error', reject); // not raised by the hang-up: destroy() without an error is silent
    req.end();
  });
}

describe('a download the client aborts', () => {
  let dir: string;
  let server: StartedServer;
  let client: OSSClient;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oss-abort-'));
    server = await httpServer({ dir, buckets: ['cut'] });
    client = new OSSClient({ ...creds, endpoint: server.url, region: 'cn-hangzhou', bucket: 'cut' });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('releases its data file at once: the handle is closed and a delete removes the file', async () => {
    const big = new Uint8Array(8 * 1024 * 1024).fill(7);
    await client.put('big.bin', big);
    const dataFiles = async () => (await readdir(join(dir, 'buckets', 'cut', 'data'), { recursive: true })).map(String);
    const before = await dataFiles();
    expect(before).toHaveLength(1);
    const url = await client.signatureUrl('big.bin', { expires: 600 });
    for (let i = 0; i < 3; i++) expect(await abortAfterFirstChunk(url)).toBeGreaterThan(0);
    expect((await client.head('big.bin')).status).toBe(200); // a HEAD never reads the body
    await client.delete('big.bin');
    // Without a garbage collection: the server must notice the hang-up and cancel the read.
    await vi.waitFor(async () => {
      expect(await dataFiles()).toEqual([]);
      expect((await openFiles()).filter((p) => p.startsWith(dir))).toEqual([]);
    }, { timeout: 5000, interval: 50 });
  });
});

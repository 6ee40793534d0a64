// A streamed download holds a listener on the caller's AbortSignal until it ends; it must let go
// however it ends: read to the end, cancelled by the reader, or failed mid-body.
import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSClient } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { creds, httpServer, uniqueBucket } from '../helpers/server.js';

describe('getStream releases the request however the stream ends', () => {
  let server: StartedServer;
  let client: OSSClient;
  const bucket = uniqueBucket('release');
  const data = new Uint8Array(256 * 1024).map((_, i) => i % 251);

  beforeAll(async () => {
    server = await httpServer({ admin: true });
    client = new OSSClient({ ...creds, endpoint: server.url, region: 'cn-hangzhou', bucket });
    await client.putBucket(bucket);
    await client.put('big.bin', data);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('read to the end', async () => {
    const signal = new AbortController().signal;
    for (let i = 0; i < 5; i++) {
      const { stream } = await client.getStream('big.bin', { signal });
      expect((await new Response(stream).arrayBuffer()).byteLength).toBe(data.length);
    }
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('cancelled after the first chunk', async () => {
    const signal = new AbortController().signal;
    for (let i = 0; i < 5; i++) {
      const { stream } = await client.getStream('big.bin', { signal });
      const reader = stream.getReader();
      await reader.read();
      await reader.cancel('enough');
    }
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('cancelled: the idle-timeout watch stops too (no timer keeps the process alive)', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const watched = new OSSClient({ ...creds, endpoint: server.url, region: 'cn-hangzhou', bucket, idleTimeout: 600_000 });
    const before = timers();
    for (let i = 0; i < 5; i++) {
      const { stream } = await watched.getStream('big.bin');
      const reader = stream.getReader();
      await reader.read();
      await reader.cancel('enough');
    }
    expect(timers()).toBeLessThan(before + 5);
  });

  const truncateNextGet = () => fetch(`${server.url}/-/faults`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'truncate', method: 'GET', keyPrefix: 'big.bin', afterBytes: 200_000 }),
  }).then((r) => expect(r.ok).toBe(true));

  it('failed mid-body, resumed or not', async () => {
    const signal = new AbortController().signal;
    // The default client resumes the break (Range + If-Match): every request it sent is released.
    await truncateNextGet();
    const resumed = (await client.getStream('big.bin', { signal })).stream;
    expect((await new Response(resumed).arrayBuffer()).byteLength).toBe(data.length);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    // Without retries, headers arrived, then the body stops short of its Content-Length: the reader sees an error.
    await truncateNextGet();
    const once = new OSSClient({ ...creds, endpoint: server.url, region: 'cn-hangzhou', bucket, retries: 0 });
    const failing = (await once.getStream('big.bin', { signal })).stream;
    await expect(new Response(failing).arrayBuffer()).rejects.toThrow();
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});

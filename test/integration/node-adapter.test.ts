import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { OSSClient, OSSCore, getFile, getNodeStream, nodeDefaults, putFile, putStream } from '../../src/adapters/node.js';
import { OSSClient as PortableClient, OSSCore as PortableCore, put } from '../../src/index.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';
import type { StartedServer } from '../../src/server/index.js';

describe('oss-fetch/node adapter', () => {
  let server: StartedServer;
  let client: OSSClient;
  let dir: string;

  beforeAll(async () => {
    server = await httpServer();
    client = new OSSClient({ ...server.clientOptions, bucket: uniqueBucket('node') });
    await client.putBucket(client.bucket!);
    dir = await mkdtemp(join(tmpdir(), 'oss-node-'));
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('putFile uploads from disk and getFile downloads to disk', async () => {
    const src = join(dir, 'src.bin');
    const data = new Uint8Array(1_500_000).map((_, i) => (i * 7) % 256);
    await writeFile(src, data);
    const put = await putFile(client, 'files/src.bin', src);
    expect(put.res.status).toBe(200);
    const dest = join(dir, 'dest.bin');
    await getFile(client, 'files/src.bin', dest);
    expect(new Uint8Array(await readFile(dest))).toEqual(data);
    expect((await readdir(dir)).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('getFile leaves no file behind when the object is missing', async () => {
    const dest = join(dir, 'missing.bin');
    await expect(getFile(client, 'files/none', dest)).rejects.toMatchObject({ name: 'NoSuchKeyError' });
    expect((await readdir(dir)).filter((f) => f.startsWith('missing'))).toEqual([]);
  });

  it('putStream uploads a Node Readable of unknown length; getNodeStream reads it back', async () => {
    const parts = ['alpha ', 'beta ', 'gamma'];
    await putStream(client, 'files/stream.txt', Readable.from(parts.map((p) => Buffer.from(p))));
    const { stream } = await getNodeStream(client, 'files/stream.txt');
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe(parts.join(''));
  });

  it('refuses a directory as a file', async () => {
    await expect(putFile(client, 'x', dir)).rejects.toMatchObject({ name: 'OSSArgumentError' });
  });

  it('its OSSClient and OSSCore send through nodeFetch and sign with nodeSubtle unless told otherwise', async () => {
    const { fetch, subtle } = nodeDefaults();
    expect(nodeDefaults().fetch).toBe(fetch); // one keep-alive pool for the process
    expect(client.options.fetch).toBe(fetch);
    expect(client.options.subtle).toBe(subtle);
    expect(client).toBeInstanceOf(PortableClient);
    const core = new OSSCore({ ...server.clientOptions, bucket: client.bucket! });
    expect(core).toBeInstanceOf(PortableCore);
    expect(core.options.fetch).toBe(fetch);
    expect((await put(core, 'defaults/a.txt', 'a')).res.status).toBe(200);
    // The caller's own fetch and subtle win.
    const seen: string[] = [];
    const own = new OSSClient({
      ...server.clientOptions, bucket: client.bucket!, subtle: globalThis.crypto.subtle,
      fetch: (input, init) => {
        seen.push(String(input));
        return globalThis.fetch(input, init);
      },
    });
    expect(own.options.subtle).toBe(globalThis.crypto.subtle);
    expect(new TextDecoder().decode((await own.get('defaults/a.txt')).content)).toBe('a');
    expect(seen).toHaveLength(1);
    // Bad options are still the core's to explain.
    expect(() => new OSSClient(null as never)).toThrow(/options/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile, readdir, utimes } from 'node:fs/promises';
import { appendFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ImageClient, OSSArgumentError, OSSClient, OSSCore, get, getFile, getNodeStream, multipartUploadFile, nodeDefaults, putFile, putStream, type MultipartCheckpoint } from '../../src/adapters/node.js';
import { ImageClient as PortableImageClient, OSSClient as PortableClient, OSSCore as PortableCore, put } from '../../src/index.js';
import sharp from 'sharp';
import { httpServer, uniqueBucket } from '../helpers/server.js';
import type { StartedServer } from '../../src/server/index.js';
import { expectBytes } from '../helpers/bytes.js';

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
    expectBytes(await readFile(dest), data);
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

  it('get gives a Buffer (the same memory), and a file path as second argument downloads into it', async () => {
    // Text goes as a Buffer: a string body is a file path on this entry, as in ali-oss.
    await client.put('buf/hello.txt', Buffer.from('héllo, world'));
    const { content, res } = await client.get('buf/hello.txt');
    expect(Buffer.isBuffer(content)).toBe(true);
    expect(content.toString()).toBe('héllo, world'); // what ali-oss users write
    expect(res.status).toBe(200);
    const ranged = await get(client, 'buf/hello.txt', { headers: { Range: 'bytes=0-5' } });
    expect(Buffer.isBuffer(ranged.content)).toBe(true);
    expect(ranged.content.toString()).toBe('héllo');
    const dest = join(dir, 'hello.txt');
    const into = await client.get('buf/hello.txt', dest);
    expect(into.res.status).toBe(200);
    expect(await readFile(dest, 'utf8')).toBe('héllo, world');
    // The portable client keeps Uint8Array: Buffer is Node's.
    const portable = new PortableClient({ ...server.clientOptions, bucket: client.bucket! });
    expect(Buffer.isBuffer((await portable.get('buf/hello.txt')).content)).toBe(false);
  });

  it('multipartUploadFile uploads a file in parts, and resumes it from a checkpoint unless the file changed', async () => {
    const src = join(dir, 'big.bin');
    const data = new Uint8Array(6 * 100 * 1024 + 123).map((_, i) => (i * 31 + 7) % 256);
    await writeFile(src, data);
    let last: MultipartCheckpoint | undefined;
    const controller = new AbortController();
    const first = await multipartUploadFile(client, 'mp/big.bin', src, {
      partSize: 100 * 1024, parallel: 1, signal: controller.signal,
      onCheckpoint: (cp) => {
        last = cp;
        if (cp.doneParts.length === 2) controller.abort(new Error('stop'));
      },
    }).catch((e: unknown) => e);
    expect(first).toMatchObject({ name: 'AbortError' });
    expect(last).toMatchObject({ name: 'mp/big.bin', fileName: 'big.bin', fileSize: data.length });
    expect(last!.doneParts.length).toBe(2);
    const saved = JSON.parse(JSON.stringify(last)) as MultipartCheckpoint;

    // The same file resumes: the object is whole and right.
    const result = await client.multipartUploadFile('mp/big.bin', src, { checkpoint: saved });
    expect(result.etag).toMatch(/-7"$/);
    expectBytes((await client.get('mp/big.bin')).content, data);

    // A file modified since the checkpoint is refused before anything is sent.
    await utimes(src, new Date(), new Date(Date.now() + 60_000));
    await expect(multipartUploadFile(client, 'mp/big.bin', src, { checkpoint: saved })).rejects.toBeInstanceOf(OSSArgumentError);
    await expect(multipartUploadFile(client, 'mp/x', join(dir, 'nope.bin'))).rejects.toThrow(/ENOENT|no such file/);
    await expect(multipartUploadFile(client, 'mp/x', dir)).rejects.toBeInstanceOf(OSSArgumentError);
  });

  it('multipartUploadFile sends a small file in one PUT, a large one in parallel parts, and fails on a file written to meanwhile', async () => {
    const small = join(dir, 'small.bin');
    const smallData = new Uint8Array(50_000).map((_, i) => (i * 13) % 256);
    await writeFile(small, smallData);
    const one = await multipartUploadFile(client, 'mp/small.bin', small, { partSize: 100 * 1024 });
    expect(one.etag).not.toMatch(/-\d+"$/); // a plain PUT, not a multipart object
    expectBytes((await client.get('mp/small.bin')).content, smallData);
    const empty = join(dir, 'empty.bin');
    await writeFile(empty, new Uint8Array(0));
    await multipartUploadFile(client, 'mp/empty.bin', empty);
    expect((await client.head('mp/empty.bin')).res.headers['content-length']).toBe('0');

    const large = join(dir, 'parallel.bin');
    const largeData = new Uint8Array(9 * 100 * 1024 + 1).map((_, i) => (i * 29 + 3) % 256);
    await writeFile(large, largeData);
    const many = await multipartUploadFile(client, 'mp/parallel.bin', large, { partSize: 100 * 1024, parallel: 3 });
    expect(many.etag).toMatch(/-10"$/);
    expectBytes((await client.get('mp/parallel.bin')).content, largeData);

    // The file loses its tail after the first part was read: a typed error, not a short object.
    const shrinking = join(dir, 'shrinking.bin');
    await writeFile(shrinking, largeData);
    const failed = await multipartUploadFile(client, 'mp/shrinking.bin', shrinking, {
      partSize: 100 * 1024, parallel: 1,
      onCheckpoint: (cp) => {
        if (cp.doneParts.length === 1) truncateSync(shrinking, 150 * 1024);
      },
    }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ name: 'FileChangedError', message: expect.stringContaining('shrinking.bin') });
    await expect(client.head('mp/shrinking.bin')).rejects.toMatchObject({ name: 'NoSuchKeyError' });

    // Bytes appended while it uploads: the upload does not end as a mix of the two versions.
    const growing = join(dir, 'growing.bin');
    await writeFile(growing, largeData);
    const grew = await multipartUploadFile(client, 'mp/growing.bin', growing, {
      partSize: 100 * 1024, parallel: 1,
      onCheckpoint: (cp) => {
        if (cp.doneParts.length === 1) appendFileSync(growing, 'more');
      },
    }).catch((e: unknown) => e);
    expect(grew).toMatchObject({ name: 'FileChangedError', message: expect.stringContaining('written to') });
    await expect(client.head('mp/growing.bin')).rejects.toMatchObject({ name: 'NoSuchKeyError' });
  });

  it('its ImageClient has the Node defaults and gives processed images as Buffers', async () => {
    const png = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#c33' } }).png().toBuffer();
    await client.put('img/red.png', png);
    const images = new ImageClient({ ...server.clientOptions, bucket: client.bucket!, imageHost: server.url });
    expect(images).toBeInstanceOf(PortableImageClient);
    expect(images.options.fetch).toBe(nodeDefaults().fetch);
    const { content } = await images.get('img/red.png@10w');
    expect(Buffer.isBuffer(content)).toBe(true);
    expect((await sharp(content).metadata()).width).toBe(10);
  });
});

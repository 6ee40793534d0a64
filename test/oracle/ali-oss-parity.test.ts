// ali-oss parity: the same calls through the official ali-oss 6.23 and through both entries of
// oss-fetch (the OSSClient of `oss-fetch` and of `oss-fetch/node`) against one local server,
// results compared field by field. Every place they differ names its entry in
// ali-oss-differences.json, the allow-list the README's "Coming from ali-oss" table is generated
// from (scripts/ali-oss-table.mjs), so the suite, the list and the table cannot drift apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
// @ts-expect-error ali-oss ships no types
import OSS from 'ali-oss';
import { OSSArgumentError, OSSClient as PortableClient, OSSError, type ResponseInfo } from '../../src/index.js';
import { ImageClient as NodeImageClient, OSSClient as NodeClient } from '../../src/adapters/node.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';
import type { StartedServer } from '../../src/server/index.js';
import differenceList from './ali-oss-differences.json';
// @ts-expect-error a plain .mjs script without types
import { docWithTable, renderTable, splitDoc } from '../../scripts/ali-oss-table.mjs';

const differences = new Set(differenceList.map((d) => d.id));
/** An intended difference: it must be on the allow-list (and so in the README's table). */
function differs(id: string): void {
  expect(differences.has(id), `"${id}" is listed in test/oracle/ali-oss-differences.json`).toBe(true);
}

/** Headers that differ by request, or by the HTTP stack that read them (urllib, undici, node:http). */
const VOLATILE_HEADERS = new Set(['date', 'x-oss-request-id', 'connection', 'keep-alive', 'transfer-encoding']);
const stableHeaders = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).filter(([k]) => !VOLATILE_HEADERS.has(k)).sort(([a], [b]) => a.localeCompare(b)));

type Entry = { label: string; client: PortableClient | NodeClient };

describe('ali-oss parity: the same calls through ali-oss 6.23 and both entries of oss-fetch', () => {
  let server: StartedServer;
  let ali: any;
  let entries: Entry[];
  let dir: string;
  const bucket = uniqueBucket('parity');

  /** ali-oss's URL of a key on an IP endpoint, and ours (path-style: the bucket in the path). */
  const urls = (key: string) => ({ ali: `${server.url}/${key}`, ours: `${server.url}/${bucket}/${key}` });

  /**
   * `res` field by field: the same status, headers and size (unless the body differs, as a list's
   * does: oss-fetch asks for encoded keys); both measure rt and list the URL.
   */
  function sameRes(ours: ResponseInfo, theirs: any, key: string | null, sameBody = true): void {
    expect(ours.status).toBe(theirs.status);
    expect(ours.statusCode).toBe(theirs.statusCode);
    // Bodies that differ differ in length: both carry a Content-Length, not the same one.
    const comparable = ({ 'content-length': length, ...rest }: Record<string, string>) => ({ ...rest, 'content-length': sameBody ? length : typeof length });
    expect(comparable(stableHeaders(ours.headers))).toEqual(comparable(stableHeaders(theirs.headers)));
    if (sameBody) expect(ours.size).toBe(theirs.size);
    expect(typeof ours.rt).toBe(typeof theirs.rt);
    expect(ours.requestUrls).toHaveLength(theirs.requestUrls.length);
    if (key !== null) {
      differs('ip-endpoint-url');
      expect(theirs.requestUrls[0].split('?')[0]).toBe(urls(key).ali);
      expect(ours.requestUrls[0].split('?')[0]).toBe(urls(key).ours);
    }
  }

  beforeAll(async () => {
    server = await httpServer();
    const { accessKeyId, accessKeySecret, region } = server.clientOptions;
    ali = new OSS({ accessKeyId, accessKeySecret, endpoint: server.url, region: `oss-${region}`, authorizationV4: true });
    await ali.putBucket(bucket);
    ali.useBucket(bucket);
    entries = [
      { label: 'oss-fetch', client: new PortableClient({ ...server.clientOptions, bucket }) },
      { label: 'oss-fetch/node', client: new NodeClient({ ...server.clientOptions, bucket }) },
    ];
    dir = await mkdtemp(join(tmpdir(), 'oss-parity-'));
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('put of bytes: the same result, plus etag; the same stored object', async () => {
    const body = Buffer.from('same bytes');
    const theirs = await ali.put('p/same.txt', body);
    for (const { client } of entries) {
      const ours = await client.put('p/same.txt', new Uint8Array(body));
      expect(ours.name).toBe(theirs.name);
      expect(theirs.url).toBe(urls('p/same.txt').ali);
      expect(ours.url).toBe(urls('p/same.txt').ours);
      differs('put-result');
      expect(ours.etag).toBe(theirs.res.headers.etag);
      sameRes(ours.res, theirs.res, 'p/same.txt');
    }
  });

  it('the default Content-Type of a key by its extension is the one ali-oss sends (.js, .mjs, .ico, .flac)', async () => {
    for (const key of ['m/app.js', 'm/mod.mjs', 'm/favicon.ico', 'm/song.flac']) {
      await ali.put(key, Buffer.from('x'));
      const wanted = (await ali.head(key)).res.headers['content-type'];
      for (const { label, client } of entries) {
        await client.put(key, new Uint8Array([120]));
        expect((await ali.head(key)).res.headers['content-type'], `${label} ${key}`).toBe(wanted);
      }
    }
  });

  it('trap 1: put(name, path) uploads the file with oss-fetch/node as with ali-oss; a string is content only in oss-fetch', async () => {
    const path = join(dir, 'report.json');
    await writeFile(path, '{"ok":true}');
    await ali.put('files/ali.bin', path);
    const theirs = await ali.get('files/ali.bin');
    const [portable, node] = entries.map((e) => e.client);
    await node.put('files/node.bin', path);
    const ours = await ali.get('files/node.bin');
    expect(ours.content.equals(theirs.content)).toBe(true);
    expect(ours.content.toString()).toBe('{"ok":true}');
    // ali-oss types the upload by the file's extension; so does oss-fetch/node.
    expect(ours.res.headers['content-type']).toBe(theirs.res.headers['content-type']);
    // A path is never stored as content: a missing file is a typed error that says so.
    await expect(node.put('files/missing.bin', join(dir, 'nope.json'))).rejects.toThrow(OSSArgumentError);
    await expect(node.put('files/missing.bin', join(dir, 'nope.json'))).rejects.toThrow(/file path.*Buffer\.from/);
    differs('put-string-body');
    await portable.put('files/portable.bin', path);
    expect((await ali.get('files/portable.bin')).content.toString()).toBe(path);
  });

  it('trap 1: multipartUpload(name, path) and append(name, path) read the file on oss-fetch/node', async () => {
    const path = join(dir, 'big.bin');
    const data = Buffer.alloc(300 * 1024, 7);
    await writeFile(path, data);
    const node = entries[1]!.client as NodeClient;
    await ali.multipartUpload('mp/ali.bin', path, { partSize: 100 * 1024 });
    await node.multipartUpload('mp/node.bin', path, { partSize: 100 * 1024 });
    expect((await ali.get('mp/node.bin')).content.equals((await ali.get('mp/ali.bin')).content)).toBe(true);
    differs('multipart-upload-path');
    await ali.append('ap/ali.txt', join(dir, 'report.json'));
    await node.append('ap/node.txt', join(dir, 'report.json'));
    expect((await ali.get('ap/node.txt')).content.toString()).toBe((await ali.get('ap/ali.txt')).content.toString());
    // ali-oss's uploadPart(name, uploadId, partNo, file, start, end): the bytes [start, end) of the file.
    const { uploadId } = await node.initMultipartUpload('mp/part.bin');
    const part = await node.uploadPart('mp/part.bin', uploadId, 1, path, 10, 110);
    await node.completeMultipartUpload('mp/part.bin', uploadId, [{ number: 1, etag: part.etag }]);
    expect((await ali.get('mp/part.bin')).content.equals(data.subarray(10, 110))).toBe(true);
    differs('upload-part');
  });

  it('trap 1: ImageClient.get(name, path) of oss-fetch/node writes the image to the file, as ali-oss does', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#884422' } }).png().toBuffer();
    await ali.put('img/red.png', png);
    const { accessKeyId, accessKeySecret } = server.clientOptions;
    const aliImages = new OSS.ImageClient({ accessKeyId, accessKeySecret, imageHost: server.url, region: 'oss-cn-hangzhou', bucket, authorizationV4: true });
    const ourImages = new NodeImageClient({ ...server.clientOptions, bucket });
    const theirFile = join(dir, 'ali.png');
    const ourFile = join(dir, 'ours.png');
    await aliImages.get('img/red.png', theirFile, { process: 'image/resize,w_20' });
    const result = await ourImages.get('img/red.png@20w', ourFile);
    expect(result.res.status).toBe(200);
    expect(await sharp(await readFile(ourFile)).metadata()).toMatchObject({ width: 20, height: 15 });
    expect((await readFile(ourFile)).equals(await readFile(theirFile))).toBe(true);
    differs('image-get-file');
  });

  it('trap 2: an object stored with Content-Encoding: gzip comes back decoded, the same bytes from ali-oss and both entries', async () => {
    const text = 'squeezed '.repeat(200);
    await ali.put('gz/page.txt', gzipSync(text), { headers: { 'Content-Encoding': 'gzip' } });
    const theirs = await ali.get('gz/page.txt');
    expect(theirs.content.toString()).toBe(text);
    differs('gzip-content');
    for (const { label, client } of entries) {
      const ours = await client.get('gz/page.txt');
      expect(Buffer.from(ours.content).equals(theirs.content), label).toBe(true);
      expect(stableHeaders(ours.res.headers)).toEqual(stableHeaders(theirs.res.headers));
    }
  });

  it('get and head: the same content, meta and res', async () => {
    await ali.put('g/a.txt', Buffer.from('hello parity'), { meta: { owner: 'ann' } });
    const theirs = await ali.get('g/a.txt');
    const theirHead = await ali.head('g/a.txt');
    for (const { label, client } of entries) {
      const ours = await client.get('g/a.txt');
      expect(Buffer.from(ours.content).equals(theirs.content)).toBe(true);
      differs('get-content-type');
      expect(Buffer.isBuffer(ours.content)).toBe(label === 'oss-fetch/node');
      sameRes(ours.res, theirs.res, 'g/a.txt');
      const head = await client.head('g/a.txt');
      expect(head.status).toBe(theirHead.status);
      expect(head.meta).toEqual(theirHead.meta);
      sameRes(head.res, theirHead.res, 'g/a.txt');
    }
  });

  it('list: the same objects field by field; prefixes [] for none', async () => {
    await ali.put('l/one.txt', Buffer.from('1'));
    await ali.put('l/two.txt', Buffer.from('22'));
    const theirs = await ali.list({ prefix: 'l/' });
    for (const { client } of entries) {
      const ours = await client.list({ prefix: 'l/' });
      expect(ours.objects.map(({ url: _u, ...o }) => o)).toEqual(theirs.objects.map(({ url: _u, ...o }: any) => o));
      expect(ours.objects.map((o) => o.url)).toEqual(theirs.objects.map((o: any) => `${server.url}/${bucket}/${o.name}`));
      expect(ours.nextMarker).toBe(theirs.nextMarker);
      expect(ours.isTruncated).toBe(theirs.isTruncated);
      differs('list-prefixes');
      expect(theirs.prefixes).toBeNull();
      expect(ours.prefixes).toEqual([]);
      sameRes(ours.res, theirs.res, null, false);
    }
  });

  it('errors: the same name, code, status, message (OSS\'s own), ecCode (sent by the server), params; host always', async () => {
    const theirs = await ali.get('e/missing.txt').catch((e: unknown) => e);
    expect(theirs.ecCode).toBe('0026-00000001');
    for (const { client } of entries) {
      const ours = await client.get('e/missing.txt').catch((e: unknown) => e) as OSSError;
      expect(ours).toBeInstanceOf(OSSError);
      for (const field of ['name', 'code', 'status', 'message', 'ecCode', 'hostId'] as const) expect(ours[field], field).toBe(theirs[field]);
      differs('error-shape');
      expect(ours.ec).toBe(ours.ecCode);
      expect(typeof ours.requestId).toBe('string');
      expect(ours.params).toEqual({ bucket, object: 'e/missing.txt', method: 'GET', query: {} });
      expect({ bucket: theirs.params.bucket, object: theirs.params.object, method: theirs.params.method }).toEqual({ bucket, object: 'e/missing.txt', method: 'GET' });
      differs('error-host');
      expect(theirs.host).toBeUndefined();
      expect(ours.host).toBe(new URL(server.url).host);
    }
    const theirHead = await ali.head('e/missing.txt').catch((e: unknown) => e);
    for (const { client } of entries) {
      const ours = await client.head('e/missing.txt').catch((e: unknown) => e) as OSSError;
      expect([ours.name, ours.code, ours.status]).toEqual([theirHead.name, theirHead.code, theirHead.status]);
      differs('head-error-message');
      expect(theirHead.message).toBe('Object not exists');
      expect(ours.message).toBe('The specified key does not exist.');
      expect(ours.ecCode).toBe('0026-00000001');
    }
  });

  it('the server sends an EC (the <EC> element and x-oss-ec) with every error', async () => {
    const bad = await ali.putBucket('Bad_Name').catch((e: unknown) => e);
    expect(bad.name).toMatch(/Error$/);
    for (const call of [() => ali.getBucketInfo(uniqueBucket('none')), () => ali.deleteBucket(bucket), () => ali.abortMultipartUpload('k', '0123456789ABCDEF0123456789ABCDEF')]) {
      const err = await call().catch((e: unknown) => e);
      expect(err.ecCode, err.code).toMatch(/^\d{4}-\d{8}$/);
    }
    const anonymous = await fetch(`${server.url}/${bucket}/g/a.txt`);
    expect(anonymous.status).toBe(403);
    expect(anonymous.headers.get('x-oss-ec')).toMatch(/^\d{4}-\d{8}$/);
    expect(await anonymous.text()).toMatch(/<EC>\d{4}-\d{8}<\/EC>/);
  });

  it('listUploads (empty markers), listBuckets (tag) and object tagging (status) have ali-oss\'s shapes', async () => {
    const theirs = await ali.listUploads({ prefix: 'none/' });
    for (const { client } of entries) {
      const ours = await client.listUploads({ prefix: 'none/' });
      for (const field of ['bucket', 'uploads', 'isTruncated', 'nextKeyMarker', 'nextUploadIdMarker'] as const) expect(ours[field], field).toEqual(theirs[field]);
      differs('list-uploads');
    }
    const theirBuckets = await ali.listBuckets({ prefix: bucket });
    differs('list-buckets-tag');
    expect(theirBuckets.buckets[0].tag).toEqual({ undefined: undefined });
    for (const { client } of entries) expect((await client.listBuckets({ prefix: bucket })).buckets[0]!.tag).toEqual({});
    await ali.put('t/x.txt', Buffer.from('x'));
    const theirPut = await ali.putObjectTagging('t/x.txt', { a: '1' });
    const theirGet = await ali.getObjectTagging('t/x.txt');
    const theirDelete = await ali.deleteObjectTagging('t/x.txt');
    for (const { client } of entries) {
      const put = await client.putObjectTagging('t/x.txt', { a: '1' });
      const got = await client.getObjectTagging('t/x.txt');
      const deleted = await client.deleteObjectTagging('t/x.txt');
      expect([put.status, got.status, deleted.status]).toEqual([theirPut.status, theirGet.status, theirDelete.status]);
      expect(got.tag).toEqual(theirGet.tag);
    }
  });

  it('a key with a leading "/" is refused (ali-oss drops the "/")', async () => {
    await ali.put('/lead.txt', Buffer.from('x'));
    expect((await ali.get('lead.txt')).content.toString()).toBe('x');
    differs('leading-slash');
    for (const { client } of entries) await expect(client.put('/lead.txt', new Uint8Array(1))).rejects.toThrow(OSSArgumentError);
  });

  it('trap 4: ali-oss option names and typos are refused with the oss-fetch spelling, before anything is sent', async () => {
    differs('unknown-options');
    const refused = async (call: () => Promise<unknown>, argument: string, advice: RegExp) => {
      const err = await call().then(() => undefined, (e: unknown) => e);
      expect(err, argument).toBeInstanceOf(OSSArgumentError);
      expect((err as OSSArgumentError).argument).toBe(argument);
      expect((err as Error).message).toMatch(advice);
    };
    for (const { client } of entries) {
      const c = client as PortableClient;
      const any = c as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      await refused(() => any.get!('g/a.txt', { subres: { 'response-content-type': 'text/html' } }), 'options.subres', /uses response, process/);
      await refused(() => any.put!('k', new Uint8Array(1), { progress: () => {} }), 'options.progress', /uses onProgress/);
      await refused(() => any.multipartUpload!('k', new Uint8Array(1), { progress: () => {} }), 'options.progress', /onProgress/);
      await refused(() => any.get!('g/a.txt', { ctx: {} }), 'options.ctx', /signal/);
      await refused(() => any.restore!('k', { Days: 2 }), 'options.Days', /days/);
      await refused(() => any.put!('k', new Uint8Array(1), { disabledMD5: true }), 'options.disabledMD5', /uses crc64/);
      await refused(() => any.get!('g/a.txt', { headers: {}, amendTimeSkewed: 1 }), 'options.amendTimeSkewed', /no equivalent/);
      await refused(() => any.signatureUrl!('k', { 'x-oss-traffic-limit': 1 }), 'options.x-oss-traffic-limit', /headers/);
      // Typos, and options of another call.
      await refused(() => any.put!('k', new Uint8Array(1), { heders: {} }), 'options.heders', /not an option of this call \(it takes bucket mime meta headers/);
      await refused(() => any.delete!('k', { quiet: true }), 'options.quiet', /not an option/);
      await refused(() => any.putBucketACL!(bucket, 'private', { acl: 'x' }), 'options.acl', /not an option/);
    }
    for (const Client of [PortableClient, NodeClient]) {
      for (const [name, advice] of [['retryMax', /retries/], ['agent', /nodeFetch/], ['urllib', /fetch/], ['bucekt', /not an option/]] as const) {
        expect(() => new Client({ ...server.clientOptions, [name]: 1 } as never), name).toThrow(advice);
      }
      // ali-oss's useFetch is honoured: oss-fetch always uses fetch.
      expect(() => new Client({ ...server.clientOptions, useFetch: true })).not.toThrow();
    }
  });

  it('the README\'s "Coming from ali-oss" table is generated from ali-oss-differences.json', () => {
    const ids = differenceList.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    const { table } = splitDoc(readFileSync(docWithTable(), 'utf8'));
    expect(table, 'run node scripts/ali-oss-table.mjs').toBe(renderTable(differenceList));
  });
});

/**
 * Compile-time half of trap 4 (checked by `tsc --noEmit`, the typecheck suite): ali-oss's names
 * are typed `never`, so each line below must be an error. The options are variables, as code
 * ported from ali-oss passes them: TypeScript's excess-property check covers only literals, so
 * without the `never` keys these compiled (and the names were ignored at run time).
 */
export function aliOssNamesAreTypeErrors(client: PortableClient): void {
  const getOptions = { headers: {}, subres: { 'response-content-type': 'text/html' } };
  // @ts-expect-error subres: use the named option (response, process…)
  void client.get('k', getOptions);
  const uploadOptions = { partSize: 1024 * 1024, progress: (_fraction: number) => {} };
  // @ts-expect-error progress: use onProgress
  void client.multipartUpload('k', new Uint8Array(1), uploadOptions);
  const headOptions = { headers: {}, ctx: {} };
  // @ts-expect-error ctx: use signal
  void client.head('k', headOptions);
  const restoreOptions = { tier: 'Standard' as const, Days: 2 };
  // @ts-expect-error Days: use days
  void client.restore('k', restoreOptions);
  const clientOptions = { region: 'cn-hangzhou', retryMax: 3 };
  // @ts-expect-error retryMax: use retries
  void new PortableClient(clientOptions);
}

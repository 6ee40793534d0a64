// listBuckets' tag filter over HTTP: `tag-key` alone, `tag-key` with `tag-value`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { httpServer, uniqueBucket } from '../helpers/server.js';

describe('listBuckets with a tag filter over HTTP', () => {
  let server: StartedServer;
  let client: OSSClient;

  beforeAll(async () => {
    server = await httpServer();
    client = new OSSClient(server.clientOptions);
  });
  afterAll(async () => server.close());

  it('keeps the buckets that carry the tag (and value)', async () => {
    const [a, b, c] = [uniqueBucket('tga'), uniqueBucket('tgb'), uniqueBucket('tgc')];
    for (const name of [a, b, c]) await client.putBucket(name);
    await client.putBucketTags(a, { team: 'red', env: 'prod' });
    await client.putBucketTags(b, { team: 'blue' });
    const names = async (query: Record<string, string>) => (await client.listBuckets(query)).buckets.map((x) => x.name).sort();
    expect(await names({ 'tag-key': 'team' })).toEqual([a, b].sort());
    expect(await names({ 'tag-key': 'team', 'tag-value': 'blue' })).toEqual([b]);
    expect(await names({ 'tag-key': 'env' })).toEqual([a]);
    expect(await names({ 'tag-key': 'none' })).toEqual([]);
    expect((await names({})).length).toBeGreaterThanOrEqual(3);
    const refused = await fetch(`${server.url}/?tag-value=x`);
    expect(refused.status).toBe(403); // anonymous: refused before the filter is read
  });

  it('tag-value without tag-key is refused: OSSArgumentError before sending, InvalidArgument by the server', async () => {
    await expect(client.listBuckets({ 'tag-value': 'blue' })).rejects.toBeInstanceOf(OSSArgumentError);
    await expect(client.listBuckets({ 'tag-key': 5 as never })).rejects.toBeInstanceOf(OSSArgumentError);
    const raw = new OSSClient({ ...server.clientOptions, headers: {} });
    // Bypass the client check to see the server's answer.
    await expect(raw.request({ method: 'GET', query: { 'tag-value': 'blue' } })).rejects.toMatchObject({ code: 'InvalidArgument', status: 400 });
  });
});

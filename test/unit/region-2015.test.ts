// The 2015 API's region argument lives in one wrapper for OSSClient (src/client/bucket/region-2015.ts):
// OSSClient takes `(name, region, …)` as well as `(name, …)`, the standalone functions only today's
// shape, refusing the old one with a typed error rather than reading the region as an option.
import { describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient, OSSCore, getBucketACL, putBucketACL, putBucketReferer } from '../../src/index.js';

function recording() {
  const urls: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    urls.push(String(input));
    return new Response('<AccessControlPolicy><Owner><ID>1</ID><DisplayName>1</DisplayName></Owner><AccessControlList><Grant>private</Grant></AccessControlList></AccessControlPolicy>', { status: 200 });
  };
  return { urls, options: { accessKeyId: 'id', accessKeySecret: 'secret-secret', endpoint: 'http://127.0.0.1:1', fetch } };
}

describe('the 2015 region argument', () => {
  it('OSSClient takes both shapes and sends the same request', async () => {
    const { urls, options } = recording();
    const client = new OSSClient(options);
    expect((await client.getBucketACL('b-1x', 'oss-cn-hangzhou')).acl).toBe('private');
    expect((await client.getBucketACL('b-1x')).acl).toBe('private');
    await client.putBucketACL('b-1x', 'cn-hangzhou', 'public-read');
    await client.putBucketACL('b-1x', 'public-read');
    await client.putBucketReferer('b-1x', 'oss-cn-hangzhou', true, []);
    expect(urls).toEqual([...Array(4).fill('http://127.0.0.1:1/b-1x/?acl='), 'http://127.0.0.1:1/b-1x/?referer=']);
    await expect(client.getBucketACL('b-1x', 'Hang Zhou')).rejects.toMatchObject({ argument: 'region' });
  });

  it('the standalone functions take today\'s shape only: the old one is refused, nothing sent', async () => {
    const { urls, options } = recording();
    const core = new OSSCore(options);
    await expect(getBucketACL(core, 'b-1x', 'oss-cn-hangzhou' as never)).rejects.toBeInstanceOf(OSSArgumentError);
    await expect(putBucketACL(core, 'b-1x', 'oss-cn-hangzhou' as never, 'private' as never)).rejects.toBeInstanceOf(OSSArgumentError);
    await expect(putBucketReferer(core, 'b-1x', 'oss-cn-hangzhou' as never, true as never)).rejects.toBeInstanceOf(OSSArgumentError);
    expect(urls).toEqual([]);
  });
});

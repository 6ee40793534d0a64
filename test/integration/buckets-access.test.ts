// Who may read and write what, as the server enforces it: bucket ACL for anonymous callers and
// other accounts, bucket policies (Allow/Deny, wildcards, principals), hotlink protection on
// anonymous and presigned requests, and static-website answers to anonymous visitors.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OSSClient } from '../../src/index.js';
import { createHandler, type OSSHandler, type StartedServer } from '../../src/server/index.js';
import { creds, httpServer, uniqueBucket } from '../helpers/server.js';

const OTHER = { accessKeyId: 'other-account-key', accessKeySecret: 'other-account-secret', ownerId: '2000000000000000' };

describe('access control over HTTP', () => {
  let server: StartedServer;
  let owner: OSSClient;
  let other: OSSClient;
  const anon = (bucket: string, key: string, init?: RequestInit) => fetch(`${server.url}/${bucket}/${encodeURI(key)}`, init);
  const put = (bucket: string, key: string, body: string) => anon(bucket, key, { method: 'PUT', body });

  beforeAll(async () => {
    server = await httpServer({ credentials: [creds, OTHER] });
    owner = new OSSClient(server.clientOptions);
    other = new OSSClient({ ...server.clientOptions, accessKeyId: OTHER.accessKeyId, accessKeySecret: OTHER.accessKeySecret });
  });
  afterAll(async () => server.close());

  async function bucketWith(acl: 'private' | 'public-read' | 'public-read-write', objects: Record<string, string> = { 'a.txt': 'A' }) {
    const name = uniqueBucket(acl.replace(/-/g, ''));
    await owner.putBucket(name, { acl });
    for (const [k, v] of Object.entries(objects)) await owner.put(k, v, { bucket: name });
    return name;
  }

  describe('bucket ACL', () => {
    it('private: anonymous reads, lists and writes are AccessDenied', async () => {
      const b = await bucketWith('private');
      const get = await anon(b, 'a.txt');
      expect(get.status).toBe(403);
      expect(await get.text()).toContain('<Code>AccessDenied</Code>');
      expect((await anon(b, '')).status).toBe(403);
      expect((await put(b, 'new.txt', 'x')).status).toBe(403);
      expect((await anon(b, 'missing.txt')).status).toBe(403);
    });

    it('public-read: anonymous reads and lists succeed, writes and deletes do not', async () => {
      const b = await bucketWith('public-read');
      const get = await anon(b, 'a.txt');
      expect(get.status).toBe(200);
      expect(await get.text()).toBe('A');
      expect((await anon(b, 'missing.txt')).status).toBe(404);
      expect(await (await anon(b, '')).text()).toContain('<Key>a.txt</Key>');
      expect((await put(b, 'new.txt', 'x')).status).toBe(403);
      expect((await anon(b, 'a.txt', { method: 'DELETE' })).status).toBe(403);
    });

    it('an object ACL overrides the bucket ACL both ways; public-read-write lets anyone read too', async () => {
      const closed = await bucketWith('private', {});
      await owner.put('open.txt', 'O', { bucket: closed, headers: { 'x-oss-object-acl': 'public-read' } });
      const open = await anon(closed, 'open.txt');
      expect(open.status).toBe(200);
      expect(await open.text()).toBe('O');
      const opened = await bucketWith('public-read', {});
      await owner.put('closed.txt', 'C', { bucket: opened, headers: { 'x-oss-object-acl': 'private' } });
      expect((await anon(opened, 'closed.txt')).status).toBe(403);
      const rw = await bucketWith('public-read-write');
      const read = await anon(rw, 'a.txt');
      expect(read.status).toBe(200);
      expect(await read.text()).toBe('A');
    });

    it('says why: another account is refused the bucket, an anonymous caller by the ACL, an anonymous service call outright', async () => {
      const b = await bucketWith('private');
      await expect(other.get('a.txt', { bucket: b })).rejects.toMatchObject({ name: 'AccessDeniedError', message: expect.stringContaining('You have no right to access this bucket.') });
      expect(await (await anon(b, 'a.txt')).text()).toContain('<Message>You have no right to access this object because of bucket acl.</Message>');
      const service = await fetch(`${server.url}/`);
      expect(service.status).toBe(403);
      expect(await service.text()).toContain('<Message>Anonymous access is forbidden for this operation.</Message>');
    });

    it('public-read-write: anonymous writes succeed; bucket management stays the owner\'s', async () => {
      const b = await bucketWith('public-read-write');
      expect((await put(b, 'anon.txt', 'from anyone')).status).toBe(200);
      expect(new TextDecoder().decode((await owner.get('anon.txt', { bucket: b })).content)).toBe('from anyone');
      expect((await anon(b, '?acl')).status).toBe(403);
      expect((await anon(b, '', { method: 'DELETE' })).status).toBe(403);
    });

    it('changing the ACL changes the answer', async () => {
      const b = await bucketWith('private');
      expect((await anon(b, 'a.txt')).status).toBe(403);
      await owner.putBucketACL(b, 'public-read');
      expect((await anon(b, 'a.txt')).status).toBe(200);
      await owner.putBucketACL(b, 'private');
      expect((await anon(b, 'a.txt')).status).toBe(403);
    });

    it('another account\'s key is held to the ACL like an anonymous caller', async () => {
      const priv = await bucketWith('private');
      await expect(other.get('a.txt', { bucket: priv })).rejects.toMatchObject({ name: 'AccessDeniedError', status: 403 });
      const pub = await bucketWith('public-read');
      expect(new TextDecoder().decode((await other.get('a.txt', { bucket: pub })).content)).toBe('A');
      await expect(other.put('b.txt', 'x', { bucket: pub })).rejects.toMatchObject({ name: 'AccessDeniedError' });
      await expect(other.getBucketACL(pub)).rejects.toMatchObject({ name: 'AccessDeniedError' });
    });
  });

  describe('bucket policy', () => {
    it('an Allow for everyone opens a prefix of a private bucket to anonymous reads', async () => {
      const b = await bucketWith('private', { 'public/a.txt': 'pub', 'private/b.txt': 'priv' });
      await owner.putBucketPolicy(b, {
        Version: '1',
        Statement: [{ Effect: 'Allow', Action: ['oss:GetObject'], Principal: ['*'], Resource: [`acs:oss:*:*:${b}/public/*`] }],
      });
      expect(await (await anon(b, 'public/a.txt')).text()).toBe('pub');
      expect((await anon(b, 'private/b.txt')).status).toBe(403);
      expect((await put(b, 'public/new.txt', 'x')).status).toBe(403);
      expect((await anon(b, '')).status).toBe(403);
      await owner.deleteBucketPolicy(b);
      expect((await anon(b, 'public/a.txt')).status).toBe(403);
    });

    it('a copy of a source version needs every action it takes: an Allow of GetObject alone does not grant GetObjectVersion', async () => {
      const src = await bucketWith('private', {});
      await owner.putBucketVersioning(src, 'Enabled');
      const v1 = (await owner.put('k.txt', 'one', { bucket: src })).res.headers['x-oss-version-id'];
      await owner.put('k.txt', 'two', { bucket: src });
      await owner.putBucketPolicy(src, {
        Version: '1',
        Statement: [{ Effect: 'Allow', Action: ['oss:GetObject'], Principal: [OTHER.accessKeyId], Resource: [`acs:oss:*:*:${src}/*`] }],
      });
      const dst = uniqueBucket('copydst');
      await other.putBucket(dst);
      const copyFrom = async (source: string): Promise<number | unknown> => {
        try {
          const raw = await other.request({ method: 'PUT', bucket: dst, key: 'copy.txt', headers: { 'x-oss-copy-source': source } });
          await raw.response.arrayBuffer();
          raw.done();
          return raw.response.status;
        } catch (err) {
          return err;
        }
      };
      expect(await copyFrom(`/${src}/k.txt`)).toBe(200);
      expect(v1).toBeTruthy();
      expect(await copyFrom(`/${src}/k.txt?versionId=${v1}`)).toMatchObject({ name: 'AccessDeniedError' });
    });

    it('an explicit Deny wins over the ACL and over an Allow, but never locks out the owner', async () => {
      const b = await bucketWith('public-read', { 'open.txt': 'o', 'secret/s.txt': 's' });
      await owner.putBucketPolicy(b, {
        Version: '1',
        Statement: [
          { Effect: 'Allow', Action: 'oss:Get*', Principal: '*', Resource: `acs:oss:*:*:${b}/*` },
          { Effect: 'Deny', Action: 'oss:GetObject', Principal: '*', Resource: `acs:oss:*:*:${b}/secret/*` },
        ],
      });
      expect((await anon(b, 'open.txt')).status).toBe(200);
      const denied = await anon(b, 'secret/s.txt');
      expect(denied.status).toBe(403);
      expect(await denied.text()).toContain('bucket policy');
      await expect(other.get('secret/s.txt', { bucket: b })).rejects.toMatchObject({ name: 'AccessDeniedError' });
      expect(new TextDecoder().decode((await owner.get('secret/s.txt', { bucket: b })).content)).toBe('s');
    });

    it('grants another account\'s key exactly the actions and resources named', async () => {
      const b = await bucketWith('private');
      await owner.putBucketPolicy(b, {
        Version: '1',
        Statement: [
          { Effect: 'Allow', Action: ['oss:PutObject', 'oss:GetObject'], Principal: [OTHER.accessKeyId], Resource: [`acs:oss:*:*:${b}/shared/*`] },
          { Effect: 'Allow', Action: ['oss:ListObjects'], Principal: [OTHER.ownerId], Resource: [`acs:oss:*:*:${b}`] },
        ],
      });
      await other.put('shared/x.txt', 'by other', { bucket: b });
      expect(new TextDecoder().decode((await other.get('shared/x.txt', { bucket: b })).content)).toBe('by other');
      await expect(other.put('elsewhere.txt', 'no', { bucket: b })).rejects.toMatchObject({ name: 'AccessDeniedError' });
      await expect(other.delete('shared/x.txt', { bucket: b })).rejects.toMatchObject({ name: 'AccessDeniedError' });
      expect((await other.list({}, { bucket: b })).objects.map((o) => o.name)).toEqual(['a.txt', 'shared/x.txt']);
      // The policy names OTHER only: anonymous callers gain nothing.
      expect((await anon(b, 'shared/x.txt')).status).toBe(403);
    });
  });

  describe('hotlink protection (referer)', () => {
    let b: string;
    beforeAll(async () => {
      b = await bucketWith('public-read', { 'img.png': 'png' });
    });
    // Every test starts from these rules, whatever the one before it set.
    beforeEach(async () => {
      await owner.putBucketReferer(b, false, ['https://*.example.com/*', 'https://exact.test/page'], { blacklist: ['https://bad.example.com/*'] });
    });
    const withReferer = (referer?: string) => anon(b, 'img.png', referer ? { headers: { referer } } : {});

    it('anonymous requests need a white-listed referer; empty and black-listed ones are refused', async () => {
      expect((await withReferer('https://www.example.com/gallery.html')).status).toBe(200);
      expect((await withReferer('https://exact.test/page?utm=1')).status).toBe(200);
      const empty = await withReferer();
      expect(empty.status).toBe(403);
      expect(await empty.text()).toContain('You are denied by bucket referer policy.');
      expect((await withReferer('https://elsewhere.test/')).status).toBe(403);
      expect((await withReferer('https://bad.example.com/x')).status).toBe(403);
    });

    it('refuses with OSS\'s error details, and a referer that is no URL under truncatePath is refused, not a crash', async () => {
      const refused = await withReferer('https://elsewhere.test/');
      const body = await refused.text();
      expect(body).toContain(`<BucketName>${b}</BucketName>`);
      expect(body).toContain('<EC>0003-00000503</EC>');
      await owner.putBucketReferer(b, false, ['https://exact.test'], { truncatePath: true });
      const odd = await withReferer('no scheme here');
      expect(odd.status).toBe(403);
      expect(await odd.text()).toContain('You are denied by bucket referer policy.');
    });

    it('presigned URLs are checked, header-signed requests are not', async () => {
      const url = await owner.signatureUrl('img.png', { bucket: b });
      expect((await fetch(url)).status).toBe(403);
      expect((await fetch(url, { headers: { referer: 'https://cdn.example.com/p' } })).status).toBe(200);
      expect(new TextDecoder().decode((await owner.get('img.png', { bucket: b })).content)).toBe('png');
    });

    it('allowTruncateQueryString: false matches the query string too; allowEmpty lets empty referers in', async () => {
      await owner.putBucketReferer(b, true, ['https://exact.test/page'], { allowTruncateQueryString: false });
      expect((await withReferer('https://exact.test/page?utm=1')).status).toBe(403);
      expect((await withReferer('https://exact.test/page')).status).toBe(200);
      expect((await withReferer()).status).toBe(200);
      await owner.putBucketReferer(b, false, ['https://exact.test'], { truncatePath: true });
      expect((await withReferer('https://exact.test/any/path')).status).toBe(200);
      await owner.deleteBucketReferer(b);
      expect((await withReferer('https://anything.test/')).status).toBe(200);
    });
  });
});

describe('static website for anonymous visitors', () => {
  let handler: OSSHandler;
  let owner: OSSClient;
  const visit = (path: string, init?: RequestInit) => handler(new Request(`http://127.0.0.1:1/${path}`, init));
  const body = async (r: Response) => [r.status, await r.text()] as const;

  beforeAll(async () => {
    handler = createHandler();
    owner = new OSSClient({ ...creds, endpoint: 'http://127.0.0.1:1', fetch: (i, init) => handler(new Request(i, init)) });
    await owner.putBucket('site', { acl: 'public-read' });
    for (const [k, v] of Object.entries({ 'index.html': 'home', 'docs/index.html': 'docs home', 'guide/index.html': 'guide home', '404.html': 'not found page', 'page.html': 'a page' })) {
      await owner.put(k, v, { bucket: 'site' });
    }
    await owner.putBucketWebsite('site', { index: 'index.html', error: '404.html' });
    await owner.putBucket('private-site');
    await owner.put('index.html', 'secret home', { bucket: 'private-site' });
    await owner.putBucketWebsite('private-site', { index: 'index.html' });
  });

  it('the bucket root serves the index document; signed listing is unchanged', async () => {
    const root = await visit('site/');
    expect(await body(root)).toEqual([200, 'home']);
    expect(root.headers.get('content-type')).toBe('text/html');
    // Listing parameters ask for a listing, which a public-read bucket gives anyone.
    const listing = await visit('site/?prefix=docs/');
    expect(listing.status).toBe(200);
    expect(await listing.text()).toContain('<Key>docs/index.html</Key>');
    expect((await owner.list({}, { bucket: 'site' })).objects.length).toBe(5);
  });

  it('documents obey the ACL: a private site answers anonymous visitors with AccessDenied', async () => {
    const res = await visit('private-site/');
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('AccessDenied');
  });

  it('a directory serves the root index (SupportSubDir off) or its own (on)', async () => {
    expect(await body(await visit('site/docs/'))).toEqual([200, 'home']);
    await owner.putBucketWebsite('site', { index: 'index.html', error: '404.html', supportSubDir: true });
    expect(await body(await visit('site/docs/'))).toEqual([200, 'docs home']);
    expect(await body(await visit('site/page.html'))).toEqual([200, 'a page']);
  });

  it('a missing key serves the error document with its status', async () => {
    await owner.putBucketWebsite('site', { index: 'index.html', error: '404.html' });
    expect(await body(await visit('site/nowhere.html'))).toEqual([404, 'not found page']);
    await owner.putBucketWebsite('site', { index: 'index.html', error: '404.html', errorHttpStatus: 200 });
    expect(await body(await visit('site/nowhere.html'))).toEqual([200, 'not found page']);
    const head = await visit('site/nowhere.html', { method: 'HEAD' });
    expect(head.status).toBe(200);
    // Signed callers get the plain answer.
    await expect(owner.get('nowhere.html', { bucket: 'site' })).rejects.toMatchObject({ name: 'NoSuchKeyError' });
  });

  it('a "directory" without its slash: Type 0 redirects, 2 serves the index, 1 is the error document', async () => {
    await owner.putBucketWebsite('site', { index: 'index.html', error: '404.html', supportSubDir: true, type: 0 });
    const redirect = await visit('site/guide');
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/site/guide/');
    await owner.putBucketWebsite('site', { index: 'index.html', error: '404.html', supportSubDir: true, type: 2 });
    expect(await body(await visit('site/guide'))).toEqual([200, 'guide home']);
    await owner.putBucketWebsite('site', { index: 'index.html', error: '404.html', supportSubDir: true, type: 1 });
    expect(await body(await visit('site/guide'))).toEqual([404, 'not found page']);
  });
});

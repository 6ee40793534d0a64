// Authorization per resource, table-driven: operation × principal (owner, another account,
// anonymous, an STS key whose session policy allows only demo/user1/*) × resource role (source,
// destination) × signature (V1, V4, V1/V4 presigned). Every operation that reads one object and
// writes another must be refused when the caller may not read the source, whatever it may do to
// the destination (issue 14), and the batch delete is authorized key by key (issue 22).
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { OSSClient, OSSError, STS } from '../../src/index.js';
import { toBase64 } from '../../src/core/crypto.js';
import { md5 } from '../../src/core/md5.js';
import { presignV4, signV4Header } from '../../src/core/sign-v4.js';
import { createHandler, type OSSHandler } from '../../src/server/index.js';
import { creds, inProcessFetch } from '../helpers/server.js';

const OTHER = { accessKeyId: 'other-account-key', accessKeySecret: 'other-account-secret', ownerId: '2000000000000000' };
const ENDPOINT = 'http://127.0.0.1:1';
const ROLE = 'acs:ram::1000000000000000:role/user1';
/** The session policy of issue 14: everything, but only under demo/user1/. */
const USER1_ONLY = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:*', Resource: ['acs:oss:*:*:demo/user1/*'] }] };

type Who = 'owner' | 'other' | 'anonymous' | 'sts';
type Sig = 'v1' | 'v4' | 'url-v1' | 'url-v4';
type Where = readonly [bucket: string, key: string];

interface Req {
  method: string;
  bucket: string;
  key: string | null;
  query?: Record<string, string | null>;
  headers?: Record<string, string>;
  body?: Uint8Array<ArrayBuffer>;
}
interface Outcome {
  status: number;
  code?: string;
}

let handler: OSSHandler;
const clients = {} as Record<Exclude<Who, 'anonymous'>, Record<'v1' | 'v4', OSSClient>>;
const fetchIn = (input: RequestInfo | URL, init?: RequestInit) => inProcessFetch(handler, input, init);
const owner = () => clients.owner.v4;

function client(keys: { accessKeyId: string; accessKeySecret: string; stsToken?: string }, signatureVersion: 'v1' | 'v4') {
  // Only the keys: the client refuses options it does not take (an account's ownerId, say).
  const { accessKeyId, accessKeySecret, stsToken } = keys;
  return new OSSClient({ accessKeyId, accessKeySecret, stsToken, endpoint: ENDPOINT, region: 'cn-hangzhou', signatureVersion, retries: 0, fetch: fetchIn });
}

async function outcome(response: Response): Promise<Outcome> {
  const text = await response.text();
  return { status: response.status, code: /<Code>([^<]+)<\/Code>/.exec(text)?.[1] };
}

/** Send one request as `who`, signed as `sig` (anonymous requests carry no signature). */
async function send(who: Who, sig: Sig, r: Req): Promise<Outcome> {
  const init = { method: r.method, headers: r.headers, body: r.body };
  if (who === 'anonymous') return outcome(await fetchIn(owner().url(r.bucket, r.key, r.query), init));
  const c = clients[who][sig.endsWith('v1') ? 'v1' : 'v4'];
  if (sig === 'v1' || sig === 'v4') {
    try {
      const raw = await c.request({ ...r, okStatuses: [] });
      await raw.response.arrayBuffer();
      raw.done();
      return { status: raw.response.status };
    } catch (err) {
      if (err instanceof OSSError) return { status: err.status, code: err.code };
      throw err;
    }
  }
  const url = await c.signatureUrl(r.key!, { bucket: r.bucket, method: r.method as 'PUT', headers: r.headers, subResource: r.query, expires: 600 });
  return outcome(await fetchIn(url, init));
}

const sourceHeader = ([bucket, key]: Where) => ({ 'x-oss-copy-source': `/${bucket}/${encodeURIComponent(key)}` });

let serial = 0;
const fresh = ([bucket, prefix]: Where): Where => [bucket, `${prefix}t${++serial}`];

/** Does the object exist? Asked as the bucket's owner. */
async function exists([bucket, key]: Where): Promise<boolean> {
  const asker = bucket === 'elsewhere' ? clients.other.v4 : owner();
  return asker.head(key, { bucket }).then(() => true, (err: OSSError) => {
    if (err.code === 'NoSuchKey') return false;
    throw err;
  });
}

/** What each operation does, given a source it reads and a destination it writes. */
const OPERATIONS: Record<string, (who: Who, sig: Sig, src: Where, dst: Where) => Promise<Outcome>> = {
  CopyObject: (who, sig, src, dst) => send(who, sig, { method: 'PUT', bucket: dst[0], key: dst[1], headers: sourceHeader(src) }),
  UploadPartCopy: async (who, sig, src, dst) => {
    // The upload is the destination owner's; the part is the caller's to copy.
    const asker = dst[0] === 'elsewhere' ? clients.other.v4 : owner();
    const { uploadId } = await asker.initMultipartUpload(dst[1], { bucket: dst[0] });
    return send(who, sig, { method: 'PUT', bucket: dst[0], key: dst[1], query: { partNumber: '1', uploadId }, headers: sourceHeader(src) });
  },
};

interface Rights {
  readable: Where[];
  unreadable: Where[];
  /** Prefixes the caller may write under, and may not. */
  writable: Where[];
  unwritable: Where[];
  sigs: Sig[];
}

const SIGNED: Sig[] = ['v1', 'v4', 'url-v1', 'url-v4'];
// demo: private. vault: public-read, with a bucket policy denying everyone GetObject on
// secret.txt. drop: public-read-write, denying DeleteObject under keep/. elsewhere: another
// account's private bucket.
/** Another account and an anonymous caller have the same rights: the ACLs' and the policies'. */
const OUTSIDER: Omit<Rights, 'sigs'> = {
  readable: [['vault', 'public.txt']],
  unreadable: [['vault', 'secret.txt'], ['demo', 'user1/own.txt']],
  writable: [['drop', 'copies/']],
  unwritable: [['demo', 'copies/']],
};
const RIGHTS: Record<Who, Rights> = {
  owner: {
    readable: [['vault', 'secret.txt'], ['demo', 'user1/own.txt']],
    unreadable: [['elsewhere', 'x.txt']],
    writable: [['demo', 'copies/']],
    unwritable: [['elsewhere', 'copies/']],
    sigs: SIGNED,
  },
  other: { ...OUTSIDER, sigs: SIGNED },
  anonymous: { ...OUTSIDER, sigs: ['v1'] }, // no signature at all; the value is not used
  sts: {
    readable: [['demo', 'user1/own.txt']],
    unreadable: [['vault', 'secret.txt'], ['vault', 'public.txt'], ['demo', 'other/x.txt']],
    writable: [['demo', 'user1/copies/']],
    unwritable: [['demo', 'copies/'], ['drop', 'copies/']],
    sigs: SIGNED,
  },
};

interface Row {
  op: string;
  who: Who;
  sig: Sig;
  role: 'source' | 'destination';
  src: Where;
  dst: Where;
  allowed: boolean;
}

function rows(): Row[] {
  const out: Row[] = [];
  for (const op of Object.keys(OPERATIONS)) {
    for (const [who, r] of Object.entries(RIGHTS) as Array<[Who, Rights]>) {
      for (const sig of r.sigs) {
        for (const src of r.readable) out.push({ op, who, sig, role: 'source', src, dst: r.writable[0]!, allowed: true });
        for (const src of r.unreadable) out.push({ op, who, sig, role: 'source', src, dst: r.writable[0]!, allowed: false });
        for (const dst of r.unwritable) out.push({ op, who, sig, role: 'destination', src: r.readable[0]!, dst, allowed: false });
      }
    }
  }
  return out;
}

const label = (w: Where) => `${w[0]}/${w[1]}`;

beforeAll(async () => {
  handler = createHandler({ credentials: [creds, OTHER], buckets: ['demo', 'vault', 'drop'] });
  clients.owner = { v1: client(creds, 'v1'), v4: client(creds, 'v4') };
  clients.other = { v1: client(OTHER, 'v1'), v4: client(OTHER, 'v4') };
  const sts = new STS({ ...creds, endpoint: `${ENDPOINT}/sts`, fetch: fetchIn });
  const { credentials: c } = await sts.assumeRole(ROLE, USER1_ONLY, 3600, 'user1');
  const temp = { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken };
  clients.sts = { v1: client(temp, 'v1'), v4: client(temp, 'v4') };

  const o = owner();
  await o.putBucketACL('vault', 'public-read');
  await o.putBucketACL('drop', 'public-read-write');
  await o.put('secret.txt', 'TOP SECRET', { bucket: 'vault' });
  await o.put('public.txt', 'hello', { bucket: 'vault' });
  await o.putBucketPolicy('vault', {
    Version: '1',
    Statement: [{ Effect: 'Deny', Action: ['oss:GetObject'], Principal: ['*'], Resource: ['acs:oss:*:*:vault/secret.txt'] }],
  });
  await o.putBucketPolicy('drop', {
    Version: '1',
    Statement: [{ Effect: 'Deny', Action: ['oss:DeleteObject'], Principal: ['*'], Resource: ['acs:oss:*:*:drop/keep/*'] }],
  });
  await o.put('user1/own.txt', 'mine', { bucket: 'demo' });
  await o.put('other/x.txt', 'not yours', { bucket: 'demo' });
  await clients.other.v4.putBucket('elsewhere');
  await clients.other.v4.put('x.txt', 'theirs', { bucket: 'elsewhere' });
});

describe('copy and part-copy: every resource is authorized with its own action', () => {
  for (const row of rows()) {
    const how = row.who === 'anonymous' ? 'anonymous' : `${row.who} ${row.sig}`;
    const what = row.role === 'source' ? `reads source ${label(row.src)}` : `writes ${label(row.dst)}`;
    it(`${row.op}: ${how} ${what} → ${row.allowed ? 'allowed' : 'AccessDenied'}`, async () => {
      const dst = fresh(row.dst);
      const result = await OPERATIONS[row.op]!(row.who, row.sig, row.src, dst);
      if (row.allowed) {
        expect(result).toEqual({ status: 200 });
      } else {
        expect(result).toMatchObject({ status: 403, code: 'AccessDenied' });
        if (row.op === 'CopyObject') expect(await exists(dst)).toBe(false);
      }
    });
  }
});

describe('the attacks of issue 14', () => {
  for (const sig of SIGNED) {
    it(`an STS key limited to demo/user1/* cannot copy vault/secret.txt into demo/user1/stolen (CopyObject, ${sig})`, async () => {
      const stolen: Where = ['demo', `user1/stolen-${sig}`];
      expect(await OPERATIONS.CopyObject!('sts', sig, ['vault', 'secret.txt'], stolen)).toMatchObject({ status: 403, code: 'AccessDenied' });
      expect(await send('sts', sig, { method: 'GET', bucket: 'demo', key: stolen[1] })).toMatchObject({ status: 404, code: 'NoSuchKey' });
    });

    it(`… nor part-copy it into an upload of demo/user1/stolen (UploadPartCopy, ${sig})`, async () => {
      const c = clients.sts[sig.endsWith('v1') ? 'v1' : 'v4'];
      const { uploadId } = await c.initMultipartUpload(`user1/stolen-part-${sig}`, { bucket: 'demo' });
      const part = await send('sts', sig, {
        method: 'PUT', bucket: 'demo', key: `user1/stolen-part-${sig}`, query: { partNumber: '1', uploadId }, headers: sourceHeader(['vault', 'secret.txt']),
      });
      expect(part).toMatchObject({ status: 403, code: 'AccessDenied' });
      expect((await c.listParts(`user1/stolen-part-${sig}`, uploadId, {}, { bucket: 'demo' })).parts).toEqual([]);
    });
  }

  it('a bucket-policy Deny on vault/secret.txt stops the anonymous GET and the anonymous copy into a public-read-write bucket', async () => {
    expect(await send('anonymous', 'v1', { method: 'GET', bucket: 'vault', key: 'secret.txt' })).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(await send('anonymous', 'v1', { method: 'GET', bucket: 'vault', key: 'public.txt' })).toEqual({ status: 200 });
    for (const op of Object.keys(OPERATIONS)) {
      const loot: Where = ['drop', `loot-${op}`];
      expect(await OPERATIONS[op]!('anonymous', 'v1', ['vault', 'secret.txt'], loot)).toMatchObject({ status: 403, code: 'AccessDenied' });
      expect(await exists(loot)).toBe(false);
    }
  });

  for (const sig of ['v1', 'v4'] as const) {
    it(`… and another account's copy (${sig}), while the owner may copy it`, async () => {
      for (const op of Object.keys(OPERATIONS)) {
        const loot: Where = ['drop', `loot-other-${op}-${sig}`];
        expect(await OPERATIONS[op]!('other', sig, ['vault', 'secret.txt'], loot)).toMatchObject({ status: 403, code: 'AccessDenied' });
        expect(await exists(loot)).toBe(false);
      }
      expect(await OPERATIONS.CopyObject!('owner', sig, ['vault', 'secret.txt'], ['drop', `owner-${sig}`])).toEqual({ status: 200 });
    });
  }
});

describe('a versioned copy source needs GetObjectVersion as well as GetObject', () => {
  it('an STS key allowed GetObject but not GetObjectVersion copies the current object, not a named version', async () => {
    const o = owner();
    await o.putBucket('hist');
    await o.putBucketVersioning('hist', 'Enabled');
    const put = await o.put('doc.txt', 'v1', { bucket: 'hist' });
    const versionId = put.res.headers['x-oss-version-id']!;
    expect(versionId).toBeTruthy();
    const sts = new STS({ ...creds, endpoint: `${ENDPOINT}/sts`, fetch: fetchIn });
    const keyWith = async (actions: string[]) => {
      const { credentials: c } = await sts.assumeRole(ROLE, {
        Version: '1',
        Statement: [
          { Effect: 'Allow', Action: actions, Resource: ['acs:oss:*:*:hist/*'] },
          { Effect: 'Allow', Action: 'oss:PutObject', Resource: ['acs:oss:*:*:demo/user1/*'] },
        ],
      }, 900, 'versions');
      return client({ accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken }, 'v4');
    };
    const copy = (c: OSSClient, source: string) => c.request({ method: 'PUT', bucket: 'demo', key: 'user1/restored.txt', headers: { 'x-oss-copy-source': source } })
      .then((raw) => { raw.done(); return raw.response.status; }, (err: OSSError) => err.code);
    const getOnly = await keyWith(['oss:GetObject']);
    expect(await copy(getOnly, '/hist/doc.txt')).toBe(200);
    expect(await copy(getOnly, `/hist/doc.txt?versionId=${versionId}`)).toBe('AccessDenied');
    const both = await keyWith(['oss:GetObject', 'oss:GetObjectVersion']);
    expect(await copy(both, `/hist/doc.txt?versionId=${versionId}`)).toBe(200);
  });
});

describe('DeleteMultipleObjects authorizes each key', () => {
  function deleteBody(keys: string[]): { body: Uint8Array<ArrayBuffer>; md5: string } {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>false</Quiet>${keys.map((k) => `<Object><Key>${k}</Key></Object>`).join('')}</Delete>`;
    const body = new TextEncoder().encode(xml);
    return { body, md5: toBase64(md5(body)) };
  }
  const deleteMulti = (who: Who, sig: Sig, bucket: string, keys: string[]) => {
    const { body, md5: digest } = deleteBody(keys);
    return send(who, sig, { method: 'POST', bucket, key: null, query: { delete: null }, headers: { 'content-md5': digest }, body });
  };

  // Per principal: a bucket, a key it may delete (or none), a key it may not.
  const CASES: Array<{ who: Who; bucket: string; mayDelete?: string; mayNot: string; owner: OSSClient | (() => OSSClient) }> = [
    { who: 'owner', bucket: 'elsewhere', mayNot: 'x.txt', owner: () => clients.other.v4 },
    { who: 'other', bucket: 'drop', mayDelete: 'del/a', mayNot: 'keep/k', owner },
    { who: 'anonymous', bucket: 'drop', mayDelete: 'del/a', mayNot: 'keep/k', owner },
    { who: 'anonymous', bucket: 'demo', mayNot: 'user1/own.txt', owner },
    { who: 'sts', bucket: 'demo', mayDelete: 'user1/del-a', mayNot: 'other/x.txt', owner },
  ];
  for (const c of CASES) {
    for (const sig of c.who === 'anonymous' ? (['v1'] as const) : (['v1', 'v4'] as const)) {
      const how = c.who === 'anonymous' ? 'anonymous' : `${c.who} ${sig}`;
      it(`${how} on ${c.bucket}: a list with ${c.mayNot} is refused and deletes nothing${c.mayDelete ? `; ${c.mayDelete} alone is deleted` : ''}`, async () => {
        const bucketOwner = typeof c.owner === 'function' ? c.owner() : c.owner;
        await bucketOwner.put(c.mayNot, 'keep me', { bucket: c.bucket });
        const keys = c.mayDelete ? [c.mayDelete, c.mayNot] : [c.mayNot];
        if (c.mayDelete) await bucketOwner.put(c.mayDelete, 'delete me', { bucket: c.bucket });
        expect(await deleteMulti(c.who, sig, c.bucket, keys)).toMatchObject({ status: 403, code: 'AccessDenied' });
        for (const k of keys) expect(await exists([c.bucket, k])).toBe(true);
        if (!c.mayDelete) return;
        expect(await deleteMulti(c.who, sig, c.bucket, [c.mayDelete])).toEqual({ status: 200 });
        expect(await exists([c.bucket, c.mayDelete])).toBe(false);
      });
    }
  }

  it('an anonymous deleteMulti cannot empty a private bucket (issue 22)', async () => {
    const before = (await owner().list({ 'max-keys': 1000 }, { bucket: 'demo' })).objects.map((o) => o.name);
    expect(before.length).toBeGreaterThan(1);
    expect(await deleteMulti('anonymous', 'v1', 'demo', before)).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect((await owner().list({ 'max-keys': 1000 }, { bucket: 'demo' })).objects.map((o) => o.name)).toEqual(before);
  });
});

describe('symlinks: the link and its target are both resources', () => {
  beforeAll(async () => {
    await owner().putSymlink('user1/link-out', 'other/x.txt', { bucket: 'demo' });
    await owner().putSymlink('user1/link-in', 'user1/own.txt', { bucket: 'demo' });
    await owner().putSymlink('to-secret', 'secret.txt', { bucket: 'vault' });
    await owner().putSymlink('to-public', 'public.txt', { bucket: 'vault' });
  });

  for (const sig of SIGNED) {
    it(`an STS key reads through a link to its own prefix, not through one leading out of it (${sig})`, async () => {
      expect(await send('sts', sig, { method: 'GET', bucket: 'demo', key: 'user1/link-in' })).toEqual({ status: 200 });
      expect(await send('sts', sig, { method: 'GET', bucket: 'demo', key: 'user1/link-out' })).toMatchObject({ status: 403, code: 'AccessDenied' });
      expect(await send('sts', sig, { method: 'HEAD', bucket: 'demo', key: 'user1/link-out' })).toMatchObject({ status: 403 });
      // GetSymlink reads only the link (GetObject on it), as OSS documents.
      expect(await send('sts', sig, { method: 'GET', bucket: 'demo', key: 'user1/link-out', query: { symlink: null } })).toEqual({ status: 200 });
    });
  }

  it('a bucket-policy Deny on the target holds through a public link; the owner is exempt', async () => {
    expect(await send('anonymous', 'v1', { method: 'GET', bucket: 'vault', key: 'to-public' })).toEqual({ status: 200 });
    expect(await send('anonymous', 'v1', { method: 'GET', bucket: 'vault', key: 'to-secret' })).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(await send('other', 'v4', { method: 'GET', bucket: 'vault', key: 'to-secret' })).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(await send('owner', 'v4', { method: 'GET', bucket: 'vault', key: 'to-secret' })).toEqual({ status: 200 });
  });

  it('PutSymlink needs PutObject on the link only, as OSS documents: the target is checked when read', async () => {
    expect(await send('sts', 'v4', { method: 'PUT', bucket: 'demo', key: 'user1/link-new', query: { symlink: null }, headers: { 'x-oss-symlink-target': 'other/x.txt' } })).toEqual({ status: 200 });
    expect(await send('sts', 'v4', { method: 'PUT', bucket: 'demo', key: 'other/link-new', query: { symlink: null }, headers: { 'x-oss-symlink-target': 'user1/own.txt' } })).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(await send('sts', 'v4', { method: 'GET', bucket: 'demo', key: 'user1/link-new' })).toMatchObject({ status: 403, code: 'AccessDenied' });
  });
});

describe('image sys/saveas: PostProcessTask on the source, PutObject on the target', () => {
  const saveas = (who: Who, sig: Sig, src: Where, target: Where) => {
    const b64 = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const form = `x-oss-process=${encodeURIComponent(`image/resize,w_1|sys/saveas,o_${b64(target[1])},b_${b64(target[0])}`)}`;
    return send(who, sig, { method: 'POST', bucket: src[0], key: src[1], query: { 'x-oss-process': null }, body: new TextEncoder().encode(form) });
  };

  beforeAll(async () => {
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#f00' } }).png().toBuffer();
    await owner().put('user1/pic.png', new Uint8Array(png), { bucket: 'demo' });
    await owner().put('other/pic.png', new Uint8Array(png), { bucket: 'demo' });
  });

  for (const sig of ['v1', 'v4'] as const) {
    it(`an STS key saves from and to its prefix only (${sig})`, async () => {
      expect(await saveas('sts', sig, ['demo', 'user1/pic.png'], ['demo', `user1/thumb-${sig}.png`])).toEqual({ status: 200 });
      expect(await saveas('sts', sig, ['demo', 'user1/pic.png'], ['demo', `other/thumb-${sig}.png`])).toMatchObject({ status: 403, code: 'AccessDenied' });
      expect(await exists(['demo', `other/thumb-${sig}.png`])).toBe(false);
      expect(await saveas('sts', sig, ['demo', 'other/pic.png'], ['demo', `user1/stolen-${sig}.png`])).toMatchObject({ status: 403, code: 'AccessDenied' });
      expect(await exists(['demo', `user1/stolen-${sig}.png`])).toBe(false);
    });

    it(`another account cannot save into the owner's private bucket from its own (${sig})`, async () => {
      await owner().put('pic.png', (await owner().get('user1/pic.png', { bucket: 'demo' })).content, { bucket: 'drop' });
      expect(await saveas('other', sig, ['drop', 'pic.png'], ['demo', `planted-${sig}.png`])).toMatchObject({ status: 403, code: 'AccessDenied' });
      expect(await exists(['demo', `planted-${sig}.png`])).toBe(false);
    });
  }
});

describe('PostObject: the form signer is authorized on the form key', () => {
  const post = async (c: OSSClient, version: 'v1' | 'v4', bucket: string, key: string) => {
    const { url, fields } = await c.signPostObjectPolicy({ version, key, bucket });
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob(['posted']), 'f.txt');
    return outcome(await fetchIn(url, { method: 'POST', body: form }));
  };

  for (const version of ['v1', 'v4'] as const) {
    it(`an STS form may post under demo/user1/ only (${version})`, async () => {
      expect(await post(clients.sts[version], version, 'demo', `user1/posted-${version}`)).toEqual({ status: 204 });
      expect(await post(clients.sts[version], version, 'demo', `other/posted-${version}`)).toMatchObject({ status: 403, code: 'AccessDenied' });
      expect(await post(clients.sts[version], version, 'drop', `posted-${version}`)).toMatchObject({ status: 403, code: 'AccessDenied' });
    });

    it(`another account's form may post to the public-read-write bucket, not to the private one (${version})`, async () => {
      expect(await post(clients.other[version], version, 'drop', `other-posted-${version}`)).toEqual({ status: 204 });
      expect(await post(clients.other[version], version, 'demo', `other-posted-${version}`)).toMatchObject({ status: 403, code: 'AccessDenied' });
    });
  }
});

describe('V4 credential scope: the server\'s region and the product oss only', () => {
  const date = () => new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');

  async function headerSigned(region: string, product: string): Promise<Response> {
    const d = date();
    const headers = { 'x-oss-date': d, 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' };
    const { authorization } = await signV4Header({ ...creds, region, product, method: 'GET', bucket: 'vault', key: 'public.txt', headers, date: d });
    return fetchIn(`${ENDPOINT}/vault/public.txt`, { headers: { ...headers, authorization } });
  }

  async function presigned(region: string, product: string): Promise<Response> {
    const { url } = await presignV4({ ...creds, region, product, method: 'GET', bucket: 'vault', key: 'public.txt', endpoint: ENDPOINT, pathStyle: true, date: new Date(), expires: 600 });
    return fetchIn(url);
  }

  async function postForm(region: string, product: string): Promise<Response> {
    const { fields, url } = await owner().signPostObjectPolicy({ version: 'v4', key: 'scoped.txt', bucket: 'demo' });
    // Re-sign the same policy under the foreign scope, so only the scope is wrong.
    const d = fields['x-oss-date']!;
    const { signingKeyV4 } = await import('../../src/core/sign-v4.js');
    const { hmac, toHex } = await import('../../src/core/crypto.js');
    const key = await signingKeyV4(creds.accessKeySecret, d.slice(0, 8), region, product);
    const forged = { ...fields, 'x-oss-credential': `${creds.accessKeyId}/${d.slice(0, 8)}/${region}/${product}/aliyun_v4_request`, 'x-oss-signature': toHex(await hmac(key, fields.policy!, 'SHA-256')) };
    const form = new FormData();
    for (const [name, value] of Object.entries(forged)) form.append(name, value);
    form.append('file', new Blob(['x']), 'f.txt');
    return fetchIn(url, { method: 'POST', body: form });
  }

  const KINDS = { header: headerSigned, presigned, post: postForm };
  const EC = {
    header: { region: '0002-00000228', product: '0002-00000227' },
    presigned: { region: '0002-00000226', product: undefined },
    post: { region: '0002-00000715', product: '0002-00000716' },
  };

  for (const [kind, make] of Object.entries(KINDS) as Array<[keyof typeof KINDS, typeof headerSigned]>) {
    it(`${kind}: a correctly signed scope for us-west-1 or for s3 is refused with InvalidArgument`, async () => {
      const ok = await make('cn-hangzhou', 'oss');
      expect(ok.status).toBeLessThan(300);
      for (const [region, product, what] of [['us-west-1', 'oss', 'region'], ['cn-hangzhou', 's3', 'product'], ['us-west-1', 's3', 'region']] as const) {
        const response = await make(region, product);
        const text = await response.text();
        expect(response.status, `${region}/${product}`).toBe(400);
        expect(text).toContain('<Code>InvalidArgument</Code>');
        expect(text).toContain(`<Message>The signing ${what} in credential is invalid.</Message>`);
        const ec = EC[kind][what];
        if (ec) expect(text).toContain(`<EC>${ec}</EC>`);
      }
    });
  }
});

describe('static website: the document served is the resource authorized', () => {
  beforeAll(async () => {
    const o = owner();
    await o.putBucket('site', { acl: 'public-read' });
    await o.put('index.html', 'home', { bucket: 'site' });
    await o.put('staff/index.html', 'staff only', { bucket: 'site' });
    await o.put('404.html', 'not here', { bucket: 'site' });
    await o.putBucketWebsite('site', { index: 'index.html', error: '404.html', supportSubDir: true });
    await o.putBucketPolicy('site', {
      Version: '1',
      Statement: [{ Effect: 'Deny', Action: ['oss:GetObject'], Principal: ['*'], Resource: ['acs:oss:*:*:site/staff/*'] }],
    });
  });

  it('a Deny on staff/index.html holds when a visitor asks for staff/, not only for the key itself', async () => {
    expect(await send('anonymous', 'v1', { method: 'GET', bucket: 'site', key: 'staff/index.html' })).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(await send('anonymous', 'v1', { method: 'GET', bucket: 'site', key: 'staff/' })).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(await send('anonymous', 'v1', { method: 'GET', bucket: 'site', key: null })).toEqual({ status: 200 });
    // The error document is its own resource too: a path under the denied prefix still gets it.
    expect(await send('anonymous', 'v1', { method: 'GET', bucket: 'site', key: 'staff/missing.html' })).toMatchObject({ status: 404 });
  });
});

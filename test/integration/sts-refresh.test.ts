// refreshSTSToken under load: the ali-oss failures of issues #1363 and #1391 (parallel requests
// near expiry sign with the old token while one of them refreshes) must not happen here. The
// server counts what it refuses; the page's refresh callback counts how often it runs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OSSClient, STS, type OSSOptions } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { temporaryKey } from '../../src/server/sts.js';
import { creds, httpServer } from '../helpers/server.js';

const ROLE = 'acs:ram::1000000000000000:role/web-uploader';
const PARALLEL = 24;

let clock = Date.now();
let server: StartedServer;
let sts: STS;
/** Counters of one test. */
let refreshes = 0;
let rejected = 0;
let keysUsed: string[] = [];
let issued: string[] = [];

beforeAll(async () => {
  server = await httpServer({ buckets: ['demo'], now: () => clock });
  sts = new STS({ ...creds, endpoint: `${server.url}/sts` });
});
afterAll(async () => server.close());
beforeEach(() => {
  clock = Date.now();
  refreshes = 0;
  rejected = 0;
  keysUsed = [];
  issued = [];
});

/** What a page's refreshSTSToken does: ask the back end, which asks STS. */
async function refreshSTSToken() {
  refreshes++;
  const { credentials: c } = await sts.assumeRole(ROLE, null, 900, 'page');
  issued.push(c.AccessKeyId);
  return { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken, expiration: c.Expiration };
}

/** The client's wire: which key signed each request, and how many the server refused. */
const countingFetch: typeof fetch = async (input, init) => {
  const auth = new Headers(init?.headers).get('authorization') ?? '';
  keysUsed.push(/Credential=([^/]+)\//.exec(auth)?.[1] ?? '');
  const response = await fetch(input, init);
  if (response.status === 403) rejected++;
  return response;
};

function client(options: OSSOptions = {}) {
  return new OSSClient({ endpoint: server.url, bucket: 'demo', refreshSTSToken, fetch: countingFetch, retries: 0, ...options });
}

const putMany = (c: OSSClient, tag: string) =>
  Promise.all(Array.from({ length: PARALLEL }, (_, i) => c.put(`race/${tag}-${i}`, `${tag} ${i}`)));

describe('refreshSTSToken with parallel requests', () => {
  it('near expiry: one refresh for all, no request signed with the old token', async () => {
    const c = client();
    await c.put('race/warm-up', 'x');
    expect(refreshes).toBe(1);
    // 4 minutes before expiry: inside the early-refresh window, token still valid on the server.
    clock += 11 * 60_000;
    c.clockOffset = 11 * 60_000;
    keysUsed = [];
    const results = await putMany(c, 'near');
    expect(results.every((r) => r.res.status === 200)).toBe(true);
    expect(refreshes).toBe(2);
    expect(rejected).toBe(0);
    expect(new Set(keysUsed)).toEqual(new Set([issued[1]]));
  });

  it('refresh interval elapsed (ali-oss #1363): parallel uploads wait for the one refresh', async () => {
    const first = await refreshSTSToken();
    const c = client({ ...first, refreshSTSTokenInterval: 200 });
    await new Promise((r) => setTimeout(r, 250));
    const results = await putMany(c, 'interval');
    expect(results).toHaveLength(PARALLEL);
    expect(refreshes).toBe(2);
    expect(rejected).toBe(0);
    expect(keysUsed.filter((k) => k === issued[0])).toEqual([]);
    expect(new Set(keysUsed)).toEqual(new Set([issued[1]]));
  });

  it('keys the server already considers expired: every refused request retries after one shared refresh', async () => {
    const c = client();
    await c.put('race/warm-up', 'x');
    // The server's view of expiry moved (clocks disagree); the client still trusts its keys.
    temporaryKey(server.handler.state, issued[0]!)!.expiresAt = clock - 1;
    keysUsed = [];
    const results = await putMany(c, 'expired');
    expect(results.every((r) => r.res.status === 200)).toBe(true);
    expect(refreshes).toBe(2);
    expect(rejected).toBe(PARALLEL);
    expect(keysUsed.filter((k) => k === issued[1])).toHaveLength(PARALLEL);
    const owner = new OSSClient({ ...creds, endpoint: server.url, bucket: 'demo' });
    expect(new TextDecoder().decode((await owner.get('race/expired-7')).content)).toBe('expired 7');
  });

  it('a stream body cannot be sent twice: the expired-token error reaches the caller', async () => {
    const c = client();
    await c.put('race/warm-up', 'x');
    temporaryKey(server.handler.state, issued[0]!)!.expiresAt = clock - 1;
    const body = new Blob(['streamed']).stream();
    await expect(c.put('race/stream', body)).rejects.toMatchObject({ name: 'SecurityTokenExpiredError' });
    expect(refreshes).toBe(1);
  });

  it('a failed refresh is reported and the next call refreshes again', async () => {
    let fail = true;
    const c = new OSSClient({
      endpoint: server.url, bucket: 'demo', retries: 0,
      refreshSTSToken: async () => {
        if (fail) throw new Error('back end down');
        return refreshSTSToken();
      },
    });
    await expect(c.put('race/f', 'f')).rejects.toThrow('back end down');
    fail = false;
    expect((await c.put('race/f', 'f')).res.status).toBe(200);
  });
});

// Secrets stay secret: run failing and succeeding operations with a distinctive access key secret
// and STS token, and grep everything that comes out (errors in every rendering, console output,
// retry hook data, the client itself) for them.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OSSClient, STS, type OSSOptions } from '../../src/index.js';
import { createHandler, type OSSHandler } from '../../src/server/index.js';
import { inProcessFetch } from '../helpers/server.js';

const ID = 'LTAIsecretsTestKeyId';
const SECRET = 'ZzSuperSecret-9f3a7c1e5b-DoNotLeak';
const WRONG_SECRET = 'ZzWrongSecret-41d0e2a6c8-AlsoPrivate';
const FAKE_TOKEN = 'ZzStsToken-CAIS8f00ba4-PrivateToken';
const ROLE = 'acs:ram::1000000000000000:role/secrets';

let clock = Date.now();
let handler: OSSHandler;
const outputs: string[] = [];
const thrown: unknown[] = [];

const render = (value: unknown): string => {
  try {
    return typeof value === 'string' ? value : `${String(value)} ${JSON.stringify(value)}`;
  } catch {
    return String(value);
  }
};

function make(extra: Partial<OSSOptions> = {}): OSSClient {
  return new OSSClient({
    accessKeyId: ID, accessKeySecret: SECRET, endpoint: 'http://127.0.0.1:1', region: 'cn-hangzhou', bucket: 'secrets',
    retryDelay: 1, fetch: (i, init) => inProcessFetch(handler, i, init),
    onRetry: (info) => console.warn('retrying', info), // a typical log line: must carry nothing private
    ...extra,
  });
}

/** Run an operation; keep whatever it throws. */
async function attempt(run: () => unknown): Promise<void> {
  try {
    await run();
  } catch (err) {
    thrown.push(err);
  }
}

const spies: Array<ReturnType<typeof vi.spyOn>> = [];
beforeAll(async () => {
  for (const level of ['log', 'error', 'warn', 'info', 'debug'] as const) {
    spies.push(vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void outputs.push(args.map(render).join(' '))));
  }
  handler = createHandler({ credentials: [{ accessKeyId: ID, accessKeySecret: SECRET }], admin: true, now: () => clock });
  await make().putBucket('secrets');
  await make().put('present.bin', new Uint8Array(50_000).fill(7));
});
afterAll(() => {
  for (const spy of spies) spy.mockRestore();
});

describe('secrets never leak', () => {
  it('through errors, logs and the client, across failing and succeeding operations', async () => {
    const faults = handler.state.faults;
    await attempt(() => make({ accessKeySecret: WRONG_SECRET }).get('present.bin')); // SignatureDoesNotMatch
    await attempt(() => make({ accessKeySecret: WRONG_SECRET, signatureVersion: 'v1' }).put('x.txt', 'x'));
    await attempt(() => make({ stsToken: FAKE_TOKEN }).head('present.bin')); // a token the server never issued
    await attempt(() => make().get('missing.txt')); // NoSuchKey
    await attempt(() => make().put('', 'x')); // argument errors
    await attempt(() => make().put('k', 42 as never));
    await attempt(() => make({ accessKeySecret: 42 as never }));
    await attempt(() => make({ stsToken: { token: FAKE_TOKEN } as never }));
    faults.add({ kind: 'stall', ms: 2000, method: 'HEAD' });
    await attempt(() => make({ timeout: 100 }).head('present.bin')); // TimeoutError
    faults.clear();
    faults.add({ kind: 'stall', ms: 2000, method: 'HEAD' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await attempt(() => make().head('present.bin', { signal: controller.signal })); // AbortError
    faults.clear();
    faults.add({ kind: 'corrupt', afterBytes: 100, method: 'GET' });
    await attempt(() => make().get('present.bin')); // CRC64Mismatch on download
    faults.add({ kind: 'corrupt', requestBytes: 3, method: 'PUT', count: 10 });
    await attempt(() => make({ retries: 1 }).put('crc.bin', new Uint8Array(100).fill(1))); // CRC64Mismatch on upload, retried
    faults.add({ kind: 'status', status: 503, count: 10 });
    await attempt(() => make({ retries: 2 }).head('present.bin')); // retries then ServiceUnavailable
    faults.clear();

    // Temporary keys: a working one, then the same once expired.
    const sts = new STS({ accessKeyId: ID, accessKeySecret: SECRET, endpoint: 'http://127.0.0.1:1/sts', fetch: (i, init) => inProcessFetch(handler, i, init) });
    const { credentials: c } = await sts.assumeRole(ROLE, undefined, 900, 'secrets');
    const temp = make({ accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken });
    expect((await temp.head('present.bin')).status).toBe(200);
    await attempt(() => new STS({ accessKeyId: ID, accessKeySecret: WRONG_SECRET, endpoint: 'http://127.0.0.1:1/sts', fetch: (i, init) => inProcessFetch(handler, i, init) })
      .assumeRole(ROLE, undefined, 900, 'denied'));
    clock += 901_000;
    await attempt(() => temp.get('present.bin')); // SecurityTokenExpired
    clock -= 901_000;

    // Successes log and print too.
    const ok = make();
    console.log(await ok.put('fine.txt', 'fine'));
    console.log(await ok.get('fine.txt'));
    console.log(await ok.signatureUrl('fine.txt'));
    outputs.push(render(ok), render(temp), render(sts), render(ok.options));

    const codes = thrown.map((e) => (e as { code?: string; name?: string }).code ?? (e as Error).name);
    expect(codes).toEqual(expect.arrayContaining([
      'SignatureDoesNotMatch', 'NoSuchKey', 'InvalidArgument', 'CRC64Mismatch', 'ServiceUnavailable', 'SecurityTokenExpired',
    ]));
    expect(thrown.some((e) => (e as Error).name === 'TimeoutError')).toBe(true);
    expect(thrown.some((e) => (e as Error).name === 'AbortError')).toBe(true);
    expect(thrown.length).toBeGreaterThanOrEqual(14);
    expect(outputs.some((line) => line.includes('retrying'))).toBe(true); // the log really ran

    const secrets = [SECRET, WRONG_SECRET, FAKE_TOKEN, c.AccessKeySecret, c.SecurityToken];
    const leaks: string[] = [];
    for (const err of thrown) {
      const views: string[] = [];
      for (let e: unknown = err; e; e = (e as Error).cause) {
        const x = e as Error;
        views.push(String(x.message), String(x), render(x), String(x.stack));
      }
      for (const view of views) for (const s of secrets) if (view.includes(s)) leaks.push(`${(err as Error).name}: ${view.slice(0, 200)}`);
    }
    for (const line of outputs) for (const s of secrets) if (line.includes(s)) leaks.push(`console: ${line.slice(0, 200)}`);
    expect(leaks).toEqual([]);
  }, 15_000);
});

// Secrets stay secret: run failing and succeeding operations with a distinctive access key secret
// and STS token, and grep everything that comes out (errors in every rendering, console output,
// retry hook data, the client itself) for them, in every encoding OSS could echo them in.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OSSClient, STS, type OSSOptions } from '../../src/index.js';
import { createHandler, type OSSHandler } from '../../src/server/index.js';
import { inProcessFetch } from '../helpers/server.js';

const ID = 'LTAIsecretsTestKeyId';
const SECRET = 'ZzSuperSecret-9f3a7c1e5b-DoNotLeak';
const WRONG_SECRET = 'ZzWrongSecret-41d0e2a6c8-AlsoPrivate';
const FAKE_TOKEN = 'ZzStsToken-CAIS8f00ba4-PrivateToken';
const ROLE = 'acs:ram::1000000000000000:role/secrets';
// A secret with the characters that URL-encoding and base64url change.
const ID2 = 'LTAIsecretsTestKeyTwo';
const SECRET2 = 'Zz+Secret/9f3a7c=DoNotLeak+Encoded/2';

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
  handler = createHandler({
    credentials: [{ accessKeyId: ID, accessKeySecret: SECRET }, { accessKeyId: ID2, accessKeySecret: SECRET2 }], admin: true, now: () => clock,
  });
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

/**
 * Every way a secret could be written in what comes out: plain, hex (either case, bytes spaced as
 * in StringToSignBytes, or not), URL-encoded, base64 and base64url; and because inside a longer
 * base64 text (x-oss-err) a secret's encoding depends on its offset modulo 3, the characters its
 * bytes alone decide at each of the three offsets.
 */
function encodings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const hex = bytes.toString('hex');
  const spaced = hex.replace(/(..)(?!$)/g, '$1 ');
  const url = encodeURIComponent(secret);
  const forms = [secret, hex, hex.toUpperCase(), spaced, spaced.toUpperCase(), url, url.toLowerCase(), bytes.toString('base64url')];
  for (let offset = 0; offset < 3; offset++) {
    const text = Buffer.concat([Buffer.alloc(offset, 0x41), bytes]).toString('base64');
    const inner = text.slice(offset ? 4 : 0, Math.floor((offset + bytes.length) / 3) * 4);
    forms.push(inner, inner.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

/** What a user sees of a value: console.log, JSON, string conversion, the stack. */
function views(value: unknown): string[] {
  const out = [inspect(value, { depth: Infinity, showHidden: true, maxStringLength: Infinity, maxArrayLength: Infinity })];
  try {
    out.push(JSON.stringify(value) ?? '');
  } catch {
    // circular: inspect has it
  }
  out.push(String(value));
  for (let e: unknown = value; e instanceof Error; e = e.cause) out.push(String(e.stack), e.message);
  return out;
}

describe('secrets never leak, in any encoding', () => {
  it('from any error the client can give, its results, or the client itself', async () => {
    const sts = new STS({ accessKeyId: ID2, accessKeySecret: SECRET2, endpoint: 'http://127.0.0.1:1/sts', fetch: (i, init) => inProcessFetch(handler, i, init) });
    const { credentials: c } = await sts.assumeRole(ROLE, undefined, 900, 'encodings');
    const limited = (await sts.assumeRole(ROLE, {
      Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:GetObject'], Resource: ['acs:oss:*:*:secrets/allowed/*'] }],
    }, 900, 'limited')).credentials;
    const temp = { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken };
    const wrong = { ...temp, accessKeySecret: WRONG_SECRET };
    const noKeys = { accessKeyId: undefined, accessKeySecret: undefined };
    const seen: Record<string, unknown> = {};
    const keep = async (label: string, run: () => unknown): Promise<void> => {
      try {
        seen[label] = await run();
      } catch (err) {
        seen[label] = err;
      }
    };
    const faults = handler.state.faults;
    for (const signatureVersion of ['v1', 'v4'] as const) {
      // The server echoes the token in StringToSign / CanonicalRequest, their hex bytes, and on HEAD in x-oss-err.
      await keep(`SignatureDoesNotMatch ${signatureVersion} GET`, () => make({ ...wrong, signatureVersion }).get('present.bin'));
      await keep(`SignatureDoesNotMatch ${signatureVersion} HEAD`, () => make({ ...wrong, signatureVersion }).head('present.bin'));
      await keep(`SignatureDoesNotMatch ${signatureVersion} PUT`, () => make({ ...wrong, signatureVersion }).put('w.txt', 'w'));
      const refreshed = make({ ...noKeys, signatureVersion, refreshSTSToken: async () => ({ ...wrong, expiration: Date.now() + 3_600_000 }) });
      await keep(`SignatureDoesNotMatch ${signatureVersion} refreshed keys`, () => refreshed.head('present.bin'));
      const narrow = make({ signatureVersion, accessKeyId: limited.AccessKeyId, accessKeySecret: limited.AccessKeySecret, stsToken: limited.SecurityToken });
      await keep(`AccessDenied ${signatureVersion} GET`, () => narrow.get('present.bin'));
      await keep(`AccessDenied ${signatureVersion} HEAD`, () => narrow.head('present.bin'));
      await keep(`NoSuchKey ${signatureVersion} GET`, () => make({ ...temp, signatureVersion }).get('missing.txt'));
      await keep(`NoSuchKey ${signatureVersion} HEAD`, () => make({ ...temp, signatureVersion }).head('missing.txt'));
      await keep(`InvalidAccessKeyId ${signatureVersion}`, () => make({ ...temp, accessKeyId: 'LTAInobody', signatureVersion }).head('present.bin'));
    }
    // A fetch whose failure reports the request it was given, as logging wrappers do.
    const reporting: typeof fetch = async (input, init) => {
      throw new TypeError(`fetch failed: ${String(input)} ${JSON.stringify(init?.headers)}`);
    };
    await keep('network error', () => make({ ...temp, fetch: reporting, retries: 0 }).get('present.bin'));
    faults.add({ kind: 'stall', ms: 2000, method: 'HEAD' });
    await keep('timeout', () => make({ ...temp, timeout: 100, retries: 0 }).head('present.bin'));
    faults.clear();
    faults.add({ kind: 'stall', ms: 2000, method: 'HEAD' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await keep('abort', () => make(temp).head('present.bin', { signal: controller.signal }));
    faults.clear();
    await keep('STS refresh throws', () => make({ ...noKeys, refreshSTSToken: async () => { throw new Error('vault unreachable'); } }).head('present.bin'));
    await keep('STS refresh resolves nonsense', () => make({ ...noKeys, refreshSTSToken: async () => ({ token: c.SecurityToken }) as never }).head('present.bin'));
    await keep('STS assumeRole with a wrong secret', () => new STS({ accessKeyId: ID2, accessKeySecret: WRONG_SECRET, endpoint: 'http://127.0.0.1:1/sts', fetch: (i, init) => inProcessFetch(handler, i, init) }).assumeRole(ROLE));
    await keep('argument: endpoint', () => make({ ...temp, endpoint: 'http://exa mple.com:99999' }));
    await keep('argument: bucket', () => make({ ...temp, bucket: 'Not_A_Bucket' }));
    await keep('argument: timeout', () => make({ ...temp, timeout: -1 }));
    await keep('argument: key', () => make(temp).put('', 'x'));
    await keep('argument: presign expires', () => make(temp).signatureUrl('k', { expires: -1 }));
    await keep('argument: presign method', () => make(temp).signatureUrl('k', { method: 'BREW' as never }));
    const client = make(temp);
    seen['result: put'] = await client.put('ok.txt', 'ok');
    seen['result: get'] = await client.get('ok.txt');
    seen['result: head'] = await client.head('ok.txt');
    seen['result: list'] = await client.list();
    seen['client'] = client;
    seen['client.options'] = client.options;
    seen['sts'] = sts;

    // Each case did what its label says (the scan below would pass vacuously otherwise).
    const code = (label: string) => (seen[label] as { code?: string }).code;
    for (const v of ['v1', 'v4']) {
      for (const m of ['GET', 'HEAD', 'PUT', 'refreshed keys']) expect(code(`SignatureDoesNotMatch ${v} ${m}`)).toBe('SignatureDoesNotMatch');
      expect([code(`AccessDenied ${v} GET`), code(`AccessDenied ${v} HEAD`)]).toEqual(['AccessDenied', 'AccessDenied']);
      expect([code(`NoSuchKey ${v} GET`), code(`NoSuchKey ${v} HEAD`)]).toEqual(['NoSuchKey', 'NoSuchKey']);
    }
    expect((seen['SignatureDoesNotMatch v1 GET'] as OSSErrorLike).details.StringToSignBytes).toMatch(/^[0-9A-F]{2}( [0-9A-F]{2})+$/);
    expect((seen['SignatureDoesNotMatch v4 HEAD'] as OSSErrorLike).headers['x-oss-err']).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(code('network error')).toBe('RequestError');
    expect([code('timeout'), code('abort')]).toEqual(['Timeout', 'RequestAborted']);
    for (const label of Object.keys(seen).filter((l) => l.startsWith('argument'))) expect(code(label), label).toBe('InvalidArgument');
    expect((seen['STS refresh throws'] as Error).message).toBe('vault unreachable');
    expect(code('STS refresh resolves nonsense')).toBe('InvalidArgument');
    expect(code('STS assumeRole with a wrong secret')).toBe('SignatureDoesNotMatch');

    const secrets = [SECRET, SECRET2, WRONG_SECRET, c.AccessKeySecret, c.SecurityToken, limited.AccessKeySecret, limited.SecurityToken];
    const leaks: string[] = [];
    for (const [label, value] of Object.entries(seen)) {
      for (const view of views(value)) {
        for (const secret of secrets) {
          const form = encodings(secret).find((f) => view.includes(f));
          if (form) leaks.push(`${label}: "${form.slice(0, 24)}…" of ${secret.slice(0, 12)}…`);
        }
      }
    }
    expect([...new Set(leaks)]).toEqual([]);
  }, 30_000);
});

interface OSSErrorLike {
  details: Record<string, string>;
  headers: Record<string, string>;
}

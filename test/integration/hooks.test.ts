// Hooks (issue 20): beforeRequest, beforeRetry and afterResponse around every request, over HTTP
// against the local server: a header a hook adds is signed and sent, responses are seen success
// or not, retries are announced (onRetry first), a hook that throws fails the call.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient, OSSError, type HookResponse, type RetryInfo } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { creds, httpServer, uniqueBucket } from '../helpers/server.js';

describe('hooks', () => {
  let server: StartedServer;
  const bucket = uniqueBucket('hooks');
  const make = (extra: ConstructorParameters<typeof OSSClient>[0] = {}) =>
    new OSSClient({ ...creds, endpoint: server.url, region: 'cn-hangzhou', bucket, retryDelay: 1, ...extra });

  beforeAll(async () => {
    server = await httpServer({ admin: true });
    await make().putBucket(bucket);
  });
  afterAll(async () => server?.close());
  beforeEach(() => server.handler.state.faults.clear());

  it('beforeRequest: headers a hook adds are signed and sent, whatever their case', async () => {
    const sent: Headers[] = [];
    const client = make({
      fetch: (input, init) => {
        sent.push(new Headers(init?.headers));
        return fetch(input, init);
      },
      hooks: { beforeRequest: [({ headers }) => void (headers['X-OSS-Meta-Trace'] = 't-1'), (r) => void (r.headers['x-request-tag'] = `${r.method} ${r.attempt}`)] },
    });
    await client.put('a.txt', 'hello');
    expect(sent[0]!.get('x-oss-meta-trace')).toBe('t-1');
    expect(sent[0]!.get('x-request-tag')).toBe('PUT 1');
    // x-oss-* headers are signed: the server accepted the request and stored the metadata.
    expect((await make().head('a.txt')).meta).toEqual({ trace: 't-1' });
  });

  it('afterResponse sees every response, an error one included, before it becomes an error', async () => {
    const seen: HookResponse[] = [];
    const client = make({ hooks: { afterResponse: [(r) => void seen.push(r)] } });
    await client.put('b.txt', 'x');
    await expect(client.get('missing.txt')).rejects.toMatchObject({ code: 'NoSuchKey' });
    expect(seen.map((r) => [r.method, r.status, r.attempt])).toEqual([['PUT', 200, 1], ['GET', 404, 1]]);
    expect(seen[1]!.headers.get('x-oss-request-id')).toBeTruthy();
  });

  it('beforeRetry announces each retry, after onRetry; attempts count up in beforeRequest', async () => {
    server.handler.state.faults.add({ kind: 'status', status: 503, count: 2 });
    const order: string[] = [];
    const attempts: number[] = [];
    const client = make({
      onRetry: (i) => void order.push(`onRetry ${i.attempt}`),
      hooks: { beforeRetry: [(i: RetryInfo) => void order.push(`hook ${i.attempt} ${i.error.status}`)], beforeRequest: [(r) => void attempts.push(r.attempt)] },
    });
    await client.put('c.txt', 'after two 503s');
    expect(order).toEqual(['onRetry 1', 'hook 1 503', 'onRetry 2', 'hook 2 503']);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('a hook that throws fails the call with its error: before sending, nothing is sent', async () => {
    let sent = 0;
    const boom = new Error('no trace id');
    const client = make({ fetch: (i, init) => (sent++, fetch(i, init)), hooks: { beforeRequest: [() => { throw boom; }] } });
    await expect(client.put('d.txt', 'x')).rejects.toBe(boom);
    expect(sent).toBe(0);
    const after = make({ hooks: { afterResponse: [() => { throw boom; }] } });
    await expect(after.put('d.txt', 'x')).rejects.toBe(boom);
  });

  it.each([
    ['not an object', 'x'],
    ['an unknown hook', { beforeSend: [() => {}] }],
    ['not an array', { beforeRequest: () => {} }],
    ['not functions', { afterResponse: ['log'] }],
  ])('refuses hooks that are %s', (_what, hooks) => {
    expect(() => make({ hooks: hooks as never })).toThrow(OSSArgumentError);
  });

  it('errors keep their type through hooks', async () => {
    const client = make({ hooks: { afterResponse: [() => {}] } });
    const err = await client.get('missing.txt').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OSSError);
  });
});

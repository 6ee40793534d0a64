// Every listAll-style walker, over HTTP to the local server: once the loop has gone through a
// page, the next page is requested while the loop works through the current one; a loop that
// breaks cancels that request; `readAhead: false` requests a page only when the loop reaches it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSClient } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { creds, httpServer } from '../helpers/server.js';

let server: StartedServer;
let client: OSSClient;
let uploadId = '';
/** Requests the walk sends: their signals, and a promise per count reached. */
let sent: AbortSignal[] = [];
let waiting: Array<{ count: number; resolve: () => void }> = [];

beforeAll(async () => {
  server = await httpServer({ buckets: ['ahead'] });
  client = new OSSClient({
    ...server.clientOptions, ...creds, bucket: 'ahead',
    fetch: (input, init) => {
      sent.push(init!.signal!);
      for (const w of waiting.filter((x) => x.count <= sent.length)) w.resolve();
      return fetch(input, init);
    },
  });
  await client.putBucketVersioning('ahead', 'Enabled');
  for (const n of [1, 2, 3, 4]) await client.put(`ra/${n}`, String(n));
  for (const n of [1, 2, 3, 4]) await client.initMultipartUpload(`up/${n}`);
  uploadId = (await client.initMultipartUpload('parts')).uploadId;
  for (const n of [1, 2, 3, 4]) await client.uploadPart('parts', uploadId, n, String(n));
  for (const n of [1, 2, 3, 4]) await client.putBucket(`ra-${n}`);
});
afterAll(() => server.close());

/** Resolves once the walk has sent `count` requests. */
function sentCount(count: number): Promise<void> {
  return new Promise((resolve) => {
    if (sent.length >= count) resolve();
    else waiting.push({ count, resolve });
  });
}

// Each walker over four items, one per page.
const walkers: Array<[string, (readAhead?: boolean) => AsyncIterable<unknown>]> = [
  ['listAll', (readAhead) => client.listAll({ prefix: 'ra/', pageSize: 1, readAhead })],
  ['listAllV2', (readAhead) => client.listAllV2({ prefix: 'ra/', pageSize: 1, readAhead })],
  ['listAllVersions', (readAhead) => client.listAllVersions({ prefix: 'ra/', pageSize: 1, readAhead })],
  ['listAllUploads', (readAhead) => client.listAllUploads({ prefix: 'up/', pageSize: 1, readAhead })],
  ['listAllParts', (readAhead) => client.listAllParts('parts', uploadId, { pageSize: 1, readAhead })],
  ['listAllBuckets', (readAhead) => client.listAllBuckets({ prefix: 'ra-', pageSize: 1, readAhead })],
];

describe.each(walkers)('%s', (_name, walk) => {
  it('walks every page, with or without reading ahead', async () => {
    for (const readAhead of [undefined, false]) {
      sent = [];
      let items = 0;
      for await (const _ of walk(readAhead)) items++;
      expect(items).toBe(4);
      expect(sent).toHaveLength(4);
    }
  });

  it('requests page 3 while the loop is still in page 2, and cancels it when the loop breaks there', async () => {
    sent = [];
    waiting = [];
    let items = 0;
    for await (const _ of walk()) {
      if (++items < 2) continue;
      await sentCount(3); // never resolves without read-ahead: the test times out
      expect(sent[2]!.aborted).toBe(false);
      break;
    }
    expect(sent).toHaveLength(3);
    expect(sent[2]!.aborted).toBe(true);
  });

  it('with readAhead: false, a loop that breaks in page 2 has sent two requests', async () => {
    sent = [];
    let items = 0;
    for await (const _ of walk(false)) if (++items === 2) break;
    await new Promise((r) => setTimeout(r, 50)); // a request started late would show up here
    expect(sent).toHaveLength(2);
  });
});

it('a page read ahead that is refused throws when the loop reaches it', async () => {
  let n = 0;
  const refusing = new OSSClient({
    ...server.clientOptions, ...creds, bucket: 'ahead',
    fetch: (input, init) => (++n === 3 ? Promise.resolve(new Response('<Error><Code>AccessDenied</Code><Message>no</Message></Error>', { status: 403 })) : fetch(input, init)),
  });
  const seen: string[] = [];
  await expect((async () => {
    for await (const o of refusing.listAll({ prefix: 'ra/', pageSize: 1 })) seen.push(o.name);
  })()).rejects.toMatchObject({ name: 'AccessDeniedError', status: 403 });
  expect(seen).toEqual(['ra/1', 'ra/2']);
});

it('refuses an unknown option of a walker, as every call does, and a readAhead that is no boolean', async () => {
  await expect(client.listAllV2({ prefix: 'ra/', readahead: true } as never).next()).rejects.toMatchObject({ name: 'OSSArgumentError' });
  await expect(client.listAllVersions({ marker: 'x' } as never).next()).rejects.toMatchObject({ name: 'OSSArgumentError' });
  await expect(client.listAll({ readAhead: 'no' } as never).next()).rejects.toMatchObject({ name: 'OSSArgumentError', message: expect.stringContaining('options.readAhead') });
});

describe('the next page requested from the head of a reply, before the reply is read', () => {
  /** Each request's start and the end of its body, in order, with the body trickled in 256-byte chunks. */
  let events: string[] = [];
  let requests = 0;
  const restart = () => ((events = []), (requests = 0));
  let trickling: OSSClient;
  beforeAll(async () => {
    for (let n = 0; n < 40; n++) await client.put(`head/${String(n).padStart(3, '0')}`, 'x');
    trickling = new OSSClient({
      ...server.clientOptions, ...creds, bucket: 'ahead',
      fetch: async (input, init) => {
        const n = requests++;
        events.push(`fetch ${n}`);
        const res = await fetch(input, init);
        const bytes = new Uint8Array(await res.arrayBuffer());
        let at = 0;
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            await new Promise((r) => setTimeout(r, 0));
            if (at >= bytes.length) {
              events.push(`end ${n}`);
              return controller.close();
            }
            controller.enqueue(bytes.slice(at, (at += 256)));
          },
        });
        return new Response(body, { status: res.status, headers: res.headers });
      },
    });
  });

  const keys = Array.from({ length: 40 }, (_, n) => `head/${String(n).padStart(3, '0')}`);
  const paged: Array<[string, (readAhead?: boolean) => AsyncIterable<{ name: string }>]> = [
    ['listAll', (readAhead) => trickling.listAll({ prefix: 'head/', pageSize: 10, readAhead })],
    ['listAllV2', (readAhead) => trickling.listAllV2({ prefix: 'head/', pageSize: 10, readAhead })],
  ];

  it.each(paged)('%s: from the second page on, each next request leaves before this reply has been read', async (_name, walk) => {
    restart();
    const names: string[] = [];
    for await (const o of walk()) names.push(o.name);
    expect(names).toEqual(keys);
    const at = (event: string) => events.indexOf(event);
    expect(events.filter((e) => e.startsWith('fetch'))).toHaveLength(4);
    expect(at('fetch 1')).toBeGreaterThan(at('end 0')); // the first page: a loop may end in it
    expect(at('fetch 2')).toBeLessThan(at('end 1'));
    expect(at('fetch 3')).toBeLessThan(at('end 2'));
  });

  it.each(paged)('%s, readAhead: false: each request leaves once the loop reaches its page', async (_name, walk) => {
    restart();
    const names: string[] = [];
    for await (const o of walk(false)) names.push(o.name);
    expect(names).toEqual(keys);
    for (const n of [1, 2, 3]) expect(events.indexOf(`fetch ${n}`)).toBeGreaterThan(events.indexOf(`end ${n - 1}`));
  });

  it.each([
    ['listAll', (prefix: string) => client.listAll({ prefix, pageSize: 1 })],
    ['listAllV2', (prefix: string) => client.listAllV2({ prefix, pageSize: 1 })],
  ] as const)('%s: keys whose markers need escaping or encoding come back whole and in order', async (_name, walk) => {
    const odd = ['odd/a&b', 'odd/a<b>', 'odd/a b', 'odd/a%2Fb', 'odd/é/你', 'odd/q"\'', 'odd/z'];
    for (const key of odd) await client.put(key, 'x');
    const names: string[] = [];
    for await (const o of walk('odd/')) names.push(o.name);
    expect(names).toEqual([...odd].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
  });
});

// listAllV2 and listAllVersions walk every page, in OSS's order, and stop when the loop breaks.
import { beforeAll, describe, expect, it } from 'vitest';
import { OSSClient } from '../../src/index.js';
import { inProcessClient } from '../helpers/server.js';

let client: OSSClient;
let requests = 0;

beforeAll(async () => {
  const made = inProcessClient({ buckets: ['walkers'] }, { bucket: 'walkers' });
  const handler = made.handler;
  client = new OSSClient({
    ...made.client.options, accessKeyId: 'ossfetch-dev-key', accessKeySecret: 'ossfetch-dev-secret',
    fetch: (input, init) => {
      if (new URL(String(input instanceof Request ? input.url : input)).search.includes('list-type=2') || String(input).includes('versions')) requests++;
      return handler(new Request(input, init));
    },
  });
  await handler.ready;
  for (const name of ['a/1', 'a/2', 'a/3', 'a/sub/x', 'b/1']) await client.put(name, name);
});

describe('listAllV2', () => {
  it('yields every object across pages, with prefixes under a delimiter, and honours startAfter', async () => {
    const names: string[] = [];
    for await (const entry of client.listAllV2({ prefix: 'a/', pageSize: 2 })) names.push(entry.name);
    expect(names).toEqual(['a/1', 'a/2', 'a/3', 'a/sub/x']);
    const grouped: string[] = [];
    for await (const entry of client.listAllV2({ prefix: 'a/', delimiter: '/', pageSize: 1 })) grouped.push(`${entry.name}${'isPrefix' in entry ? ' (prefix)' : ''}`);
    expect(grouped).toEqual(['a/1', 'a/2', 'a/3', 'a/sub/ (prefix)']);
    const after: string[] = [];
    for await (const entry of client.listAllV2({ startAfter: 'a/3', pageSize: 1 })) after.push(entry.name);
    expect(after).toEqual(['a/sub/x', 'b/1']);
  });

  it('asks for no page beyond the one the loop stops in', async () => {
    requests = 0;
    for await (const entry of client.listAllV2({ pageSize: 2 })) if (entry.name === 'a/2') break;
    expect(requests).toBe(1);
  });
});

describe('listAllVersions', () => {
  it('yields versions and delete markers across pages, each key newest first', async () => {
    await client.putBucketVersioning('walkers', 'Enabled');
    await client.put('v/doc', 'one');
    await client.put('v/doc', 'two');
    await client.delete('v/doc');
    await client.put('v/other', 'x');
    const seen: string[] = [];
    for await (const entry of client.listAllVersions({ prefix: 'v/', pageSize: 1 })) {
      if ('isPrefix' in entry) continue;
      seen.push(`${entry.name} ${entry.isDeleteMarker ? 'marker' : 'version'}${entry.isLatest ? ' latest' : ''}`);
    }
    expect(seen).toEqual(['v/doc marker latest', 'v/doc version', 'v/doc version', 'v/other version latest']);
  });
});

// The contenders behind one small interface: oss-fetch (the portable client on Node's built-in
// fetch and crypto.subtle), oss-fetch/node (the same client from the Node entry: nodeFetch over
// node:http with keep-alive, nodeSubtle on node:crypto), ali-oss 6.23 and unsigned fetch (the
// practical limit: no signing, no parsing). The bucket is public-read-write so the raw requests
// get the same access.
// @ts-expect-error ali-oss ships no types
import OSS from 'ali-oss';
import { OSSClient } from '../src/index.js';
import { OSSClient as NodeOSSClient } from '../src/adapters/node.js';
import { DEV_CREDENTIALS } from '../src/server/handler.js';

/** The OSSClient of oss-fetch/node: nodeFetch and nodeSubtle. */
export const NODE_FETCH = 'oss-fetch/node';
export type ClientName = 'oss-fetch' | typeof NODE_FETCH | 'ali-oss' | 'raw';
export const CLIENTS: readonly ClientName[] = ['oss-fetch', NODE_FETCH, 'ali-oss', 'raw'];

export interface Driver {
  put(key: string, body: Uint8Array<ArrayBuffer>): Promise<void>;
  /** Resolves with the number of bytes received. */
  get(key: string): Promise<number>;
  /** Counts every key under `prefix`, paging 1000 at a time. */
  countKeys(prefix: string): Promise<number>;
}

export function ossFetchClient(url: string, bucket: string): OSSClient {
  return new OSSClient({ endpoint: url, bucket, region: 'cn-hangzhou', ...DEV_CREDENTIALS });
}

/** The client from oss-fetch/node: node:http instead of the built-in fetch, node:crypto for signing. */
export function nodeFetchClient(url: string, bucket: string): NodeOSSClient {
  return new NodeOSSClient({ endpoint: url, bucket, region: 'cn-hangzhou', ...DEV_CREDENTIALS });
}

export function aliClient(url: string, bucket: string): any {
  return new OSS({ endpoint: url, bucket, region: 'oss-cn-hangzhou', ...DEV_CREDENTIALS });
}

export function rawObjectUrl(url: string, bucket: string, key: string): string {
  return `${url}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

function ossFetchDriver(client: OSSClient): Driver {
  return {
    async put(key, body) {
      await client.put(key, body);
    },
    async get(key) {
      return (await client.get(key)).content.byteLength;
    },
    async countKeys(prefix) {
      let n = 0;
      for await (const _ of client.listAll({ prefix })) n++;
      return n;
    },
  };
}

export function drivers(url: string, bucket: string): Record<ClientName, Driver> {
  const ali = aliClient(url, bucket);
  return {
    'oss-fetch': ossFetchDriver(ossFetchClient(url, bucket)),
    [NODE_FETCH]: ossFetchDriver(nodeFetchClient(url, bucket)),
    'ali-oss': {
      async put(key, body) {
        await ali.put(key, Buffer.from(body.buffer, body.byteOffset, body.byteLength));
      },
      async get(key) {
        return (await ali.get(key)).content.length;
      },
      async countKeys(prefix) {
        let n = 0;
        let marker: string | undefined;
        do {
          const page = await ali.list({ prefix, marker, 'max-keys': 1000 });
          n += page.objects?.length ?? 0;
          marker = page.isTruncated ? page.nextMarker : undefined;
        } while (marker);
        return n;
      },
    },
    raw: {
      async put(key, body) {
        const res = await fetch(rawObjectUrl(url, bucket, key), { method: 'PUT', body });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`raw put ${res.status}`);
      },
      async get(key) {
        const res = await fetch(rawObjectUrl(url, bucket, key));
        const bytes = await res.arrayBuffer();
        if (!res.ok) throw new Error(`raw get ${res.status}`);
        return bytes.byteLength;
      },
      async countKeys(prefix) {
        let n = 0;
        let token: string | undefined;
        do {
          const q = new URLSearchParams({ 'list-type': '2', 'max-keys': '1000', prefix });
          if (token) q.set('continuation-token', token);
          const xml = await (await fetch(`${url}/${bucket}/?${q}`)).text();
          n += xml.split('<Key>').length - 1;
          token = /<NextContinuationToken>([^<]*)</.exec(xml)?.[1];
        } while (token);
        return n;
      },
    },
  };
}

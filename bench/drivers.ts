// The three contenders behind one small interface: oss-fetch, ali-oss 6.23 and unsigned fetch
// (the practical limit: no signing, no parsing). The bucket is public-read-write so the raw
// requests get the same access.
// @ts-expect-error ali-oss ships no types
import OSS from 'ali-oss';
import { OSSClient } from '../src/index.js';
import { DEV_CREDENTIALS } from '../src/server/handler.js';

export type ClientName = 'oss-fetch' | 'ali-oss' | 'raw';
export const CLIENTS: readonly ClientName[] = ['oss-fetch', 'ali-oss', 'raw'];

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

export function aliClient(url: string, bucket: string): any {
  return new OSS({ endpoint: url, bucket, region: 'oss-cn-hangzhou', ...DEV_CREDENTIALS });
}

export function rawObjectUrl(url: string, bucket: string, key: string): string {
  return `${url}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

export function drivers(url: string, bucket: string): Record<ClientName, Driver> {
  const ours = ossFetchClient(url, bucket);
  const ali = aliClient(url, bucket);
  return {
    'oss-fetch': {
      async put(key, body) {
        await ours.put(key, body);
      },
      async get(key) {
        return (await ours.get(key)).content.byteLength;
      },
      async countKeys(prefix) {
        let n = 0;
        for await (const _ of ours.listAll({ prefix })) n++;
        return n;
      },
    },
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

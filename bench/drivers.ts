// The contenders behind one small interface: oss-fetch (the portable client on Node's built-in
// fetch and crypto.subtle), oss-fetch/node (the same client from the Node entry: nodeFetch over
// node:http with keep-alive, nodeSubtle on node:crypto) and ali-oss 6.23, each signing V4 and V1
// (like is compared with like only), and unsigned fetch (the practical limit: no signing, no
// parsing). The bucket is public-read-write so the raw requests get the same access.
// @ts-expect-error ali-oss ships no types
import OSS from 'ali-oss';
import type { OSSClient } from '../src/index.js';
import type { OSSClient as NodeOSSClient } from '../src/adapters/node.js';
import { nodeEntry, root } from './package.js';
import { DEV_CREDENTIALS } from '../src/server/handler.js';
import { Agent, request } from 'node:http';
import { Agent as UndiciAgent } from 'undici';

/** The OSSClient of oss-fetch/node: nodeFetch and nodeSubtle. */
export const NODE_FETCH = 'oss-fetch/node';
/** The signing clients; each runs once per signature version. */
export type Client = typeof NODE_FETCH | 'oss-fetch' | 'ali-oss';
export const SIGNING_CLIENTS: readonly Client[] = [NODE_FETCH, 'oss-fetch', 'ali-oss'];
export type Sig = 'V4' | 'V1';
export const SIGS: readonly Sig[] = ['V4', 'V1'];
/** A contender: a client and the signature version it signs with, or unsigned fetch. */
export type ClientName = `${Client} ${Sig}` | 'raw';
export const CLIENTS: readonly ClientName[] = [...SIGS.flatMap((sig) => SIGNING_CLIENTS.map((c) => `${c} ${sig}` as const)), 'raw'];
/** A contender's client and signature version (raw: neither). */
export function parseContender(name: string): { client: Client; sig: Sig } | undefined {
  const m = /^(.+) (V4|V1)$/.exec(name);
  return m ? { client: m[1] as Client, sig: m[2] as Sig } : undefined;
}
const signatureVersion = (sig: Sig) => (sig === 'V1' ? 'v1' : 'v4');

export interface Driver {
  put(key: string, body: Uint8Array<ArrayBuffer>): Promise<void>;
  /** Resolves with the number of bytes received. */
  get(key: string): Promise<number>;
  /** Counts every key under `prefix`, paging 1000 at a time. */
  countKeys(prefix: string): Promise<number>;
}

export function ossFetchClient(url: string, bucket: string, sig: Sig = 'V4'): OSSClient {
  return new root.OSSClient({ endpoint: url, bucket, region: 'cn-hangzhou', ...DEV_CREDENTIALS, signatureVersion: signatureVersion(sig) });
}

/** The client from oss-fetch/node: node:http instead of the built-in fetch, node:crypto for signing. */
export function nodeFetchClient(url: string, bucket: string, sig: Sig = 'V4'): NodeOSSClient {
  return new nodeEntry.OSSClient({ endpoint: url, bucket, region: 'cn-hangzhou', ...DEV_CREDENTIALS, signatureVersion: signatureVersion(sig) });
}

/** ali-oss signs V1 unless `authorizationV4: true`. */
export function aliClient(url: string, bucket: string, sig: Sig = 'V1'): any {
  return new OSS({ endpoint: url, bucket, region: 'oss-cn-hangzhou', ...DEV_CREDENTIALS, authorizationV4: sig === 'V4' });
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

function aliDriver(ali: any): Driver {
  return {
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
        // No `marker: undefined`: ali-oss's V4 signer would sign the empty query it never sends.
        const page = await ali.list({ prefix, 'max-keys': 1000, ...(marker ? { marker } : {}) });
        n += page.objects?.length ?? 0;
        marker = page.isTruncated ? page.nextMarker : undefined;
      } while (marker);
      return n;
    },
  };
}

export function drivers(url: string, bucket: string): Record<ClientName, Driver> {
  const signed = SIGS.flatMap((sig) => [
    [`${NODE_FETCH} ${sig}`, ossFetchDriver(nodeFetchClient(url, bucket, sig))],
    [`oss-fetch ${sig}`, ossFetchDriver(ossFetchClient(url, bucket, sig))],
    [`ali-oss ${sig}`, aliDriver(aliClient(url, bucket, sig))],
  ]);
  return {
    ...Object.fromEntries(signed),
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
  } as Record<ClientName, Driver>;
}

/**
 * Unsigned requests straight over node:http with a keep-alive agent: the floor under any client
 * that sends through node:http (oss-fetch/node and ali-oss do), for `bench/small-ops.ts
 * --clients '…,raw node:http'`. Not one of CLIENTS: the floor is a measure, not a contender.
 */
export function rawNodeHttpDriver(url: string, bucket: string): Pick<Driver, 'put' | 'get'> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const send = (method: string, key: string, body?: Uint8Array) => new Promise<number>((resolve, reject) => {
    const req = request(rawObjectUrl(url, bucket, key), { method, agent, headers: body ? { 'content-length': body.byteLength } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode! < 300 ? resolve(Buffer.concat(chunks).byteLength) : reject(new Error(`raw node:http ${method} ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
  return {
    async put(key, body) {
      await send('PUT', key, body);
    },
    get: (key) => send('GET', key),
  };
}

/**
 * The floor under nodeFetch's default transport: unsigned requests through undici's dispatcher
 * itself (a handler that keeps the body's chunks, nothing else), as `raw node:http` is node:http's.
 */
export function rawUndiciDriver(url: string, bucket: string): Pick<Driver, 'put' | 'get'> {
  const agent = new UndiciAgent({ connections: 64 });
  const send = (method: 'GET' | 'PUT', key: string, body?: Uint8Array) => new Promise<number>((resolve, reject) => {
    const { origin, pathname } = new URL(rawObjectUrl(url, bucket, key));
    const chunks: Buffer[] = [];
    let status = 0;
    agent.dispatch({ origin, path: pathname, method, body: body ?? null, headers: body ? { 'content-length': String(body.byteLength) } : {} }, {
      onConnect() {},
      onHeaders(code: number) {
        status = code;
        return true;
      },
      onData(chunk: Buffer) {
        chunks.push(chunk);
        return true;
      },
      onComplete: () => (status < 300 ? resolve(Buffer.concat(chunks).byteLength) : reject(new Error(`raw undici ${method} ${status}`))),
      onError: reject,
    });
  });
  return {
    async put(key, body) {
      await send('PUT', key, body);
    },
    get: (key) => send('GET', key),
  };
}

/** Unsigned requests through oss-fetch/node's transport alone (nodeFetch): the layer between undici and the client. */
export function rawNodeFetchDriver(url: string, bucket: string): Pick<Driver, 'put' | 'get'> {
  const send = nodeEntry.nodeFetch();
  const call = async (method: string, key: string, body?: Uint8Array<ArrayBuffer>) => {
    const res = await send(rawObjectUrl(url, bucket, key), { method, body });
    const bytes = await res.arrayBuffer();
    if (res.status >= 300) throw new Error(`raw nodeFetch ${method} ${res.status}`);
    return bytes.byteLength;
  };
  return {
    async put(key, body) {
      await call('PUT', key, body as Uint8Array<ArrayBuffer>);
    },
    get: (key) => call('GET', key),
  };
}

/** The unsigned floors by name, for the focused benchmarks' `--clients`/`--client`: node:http, undici and nodeFetch alone. */
export const FLOORS = ['raw node:http', 'raw undici', 'raw nodeFetch'] as const;
export type Floor = (typeof FLOORS)[number];
export const isFloor = (name: string): name is Floor => (FLOORS as readonly string[]).includes(name);
export function floorDrivers(url: string, bucket: string): Record<Floor, Pick<Driver, 'put' | 'get'>> {
  return { 'raw node:http': rawNodeHttpDriver(url, bucket), 'raw undici': rawUndiciDriver(url, bucket), 'raw nodeFetch': rawNodeFetchDriver(url, bucket) };
}

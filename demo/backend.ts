// The demo's back end, one Node process: the local OSS server (with its STS endpoint), and the
// Vite dev server of the page with one API route, `/api/sts`, that turns the long-term key
// (which never leaves this process) into short-lived keys limited to the demo's upload folder.
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Plugin } from 'vite';
import { OSSClient, STS } from '../src/index.js';
import { startServer, type StartedServer } from '../src/server/index.js';
import { LOOPBACK_ORIGINS } from '../src/server/cors.js';

export const DEMO_BUCKET = 'demo';
export const UPLOAD_PREFIX = 'uploads/';
/** Seconds the page's keys live (STS's minimum); the page refreshes them before they expire. */
const SESSION_SECONDS = 900;

export interface DemoOptions {
  /** Ports (0 = any free one). */
  ossPort?: number;
  demoPort?: number;
  /** Keep objects in this directory; in memory when absent. */
  dir?: string;
}

export interface RunningDemo {
  ossUrl: string;
  demoUrl: string;
  oss: StartedServer;
  close(): Promise<void>;
}

/** What the page may do with its keys: the upload folder, and listing the bucket. */
export function sessionPolicy(bucket = DEMO_BUCKET, prefix = UPLOAD_PREFIX) {
  return {
    Version: '1',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['oss:PutObject', 'oss:GetObject', 'oss:DeleteObject', 'oss:AbortMultipartUpload', 'oss:ListParts'],
        Resource: [`acs:oss:*:*:${bucket}/${prefix}*`],
      },
      { Effect: 'Allow', Action: ['oss:ListObjects', 'oss:ListMultipartUploads'], Resource: [`acs:oss:*:*:${bucket}`] },
    ],
  };
}

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const oss = await startServer({
    port: options.ossPort ?? 0,
    ...(options.dir ? { dir: options.dir } : {}),
    buckets: [DEMO_BUCKET],
  });
  const sts = new STS({ accessKeyId: oss.clientOptions.accessKeyId, accessKeySecret: oss.clientOptions.accessKeySecret, endpoint: `${oss.url}/sts` });
  const role = `acs:ram::${oss.handler.state.defaultOwner.id}:role/demo-uploader`;
  const vite = await createServer({
    configFile: false,
    root: fileURLToPath(new URL('.', import.meta.url)),
    server: { port: options.demoPort ?? 0, strictPort: true, host: '127.0.0.1' },
    define: {
      __OSS_ENDPOINT__: JSON.stringify(oss.url),
      __OSS_BUCKET__: JSON.stringify(DEMO_BUCKET),
      __OSS_REGION__: JSON.stringify(oss.clientOptions.region),
      __UPLOAD_PREFIX__: JSON.stringify(UPLOAD_PREFIX),
    },
    plugins: [stsRoute(sts, role)],
    logLevel: 'warn',
  });
  const close = async () => {
    await vite.close();
    await oss.close();
  };
  try {
    await vite.listen();
    const address = vite.httpServer?.address();
    const port = address && typeof address === 'object' ? address.port : options.demoPort;
    // As on real OSS, the bucket must let the page's origin call it (CORS), set with the owner's key.
    const owner = new OSSClient({ ...oss.clientOptions, bucket: DEMO_BUCKET });
    await owner.putBucketCORS(DEMO_BUCKET, [{
      // Any page on this machine, so a snippet run from another local dev server works too.
      allowedOrigin: [...LOOPBACK_ORIGINS],
      allowedMethod: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'],
      allowedHeader: '*',
      exposeHeader: ['ETag', 'x-oss-request-id', 'x-oss-hash-crc64ecma', 'x-oss-ec', 'x-oss-err', 'Content-Length', 'Content-Type', 'Last-Modified'],
      maxAgeSeconds: 600,
    }]);
    return { ossUrl: oss.url, demoUrl: `http://127.0.0.1:${port}/`, oss, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** `GET /api/sts`: fresh temporary keys in the shape refreshSTSToken returns. */
function stsRoute(sts: STS, role: string): Plugin {
  return {
    name: 'demo-sts-route',
    configureServer(server) {
      server.middlewares.use('/api/sts', (req: IncomingMessage, res: ServerResponse) => {
        const reply = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(JSON.stringify(body));
        };
        if (req.method !== 'GET' && req.method !== 'POST') return reply(405, { error: 'use GET' });
        sts.assumeRole(role, sessionPolicy(), SESSION_SECONDS, 'demo-page').then(
          ({ credentials: c }) => reply(200, { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken, expiration: c.Expiration }),
          (err: unknown) => reply(502, { error: err instanceof Error ? err.message : String(err) }),
        );
      });
    },
  };
}

// The server every runtime of one conformance run talks to: the local OSS server over HTTP on
// 127.0.0.1, with a bucket per runtime that carries a CORS rule (a page cannot create buckets: the
// preflight of a PutBucket has no bucket rule to pass, as on OSS), stalling on one key prefix for
// the timeout tests, and a tiny "back end" route that vends STS credentials the way an
// application's server would (AssumeRole with the STS helper).

import { OSSClient, STS, type CORSRule } from '../../src/index.js';
import { createHandler, DEV_CREDENTIALS, listen } from '../../src/server/index.js';
import { bucketFor, type ConformanceContext } from './suite.js';

export const STALL_PREFIX = 'conformance-stall/';
export const STS_PATH = '/-conformance/sts';
export const RUNTIMES = ['node', 'happy-dom', 'chromium', 'deno', 'bun', 'workerd'] as const;
const ROLE = 'acs:ram::1000000000000000:role/conformance';

/** What a page that signs its own requests needs: any header in, the SDK's headers out. */
const BROWSER_CORS: CORSRule = {
  allowedOrigin: '*',
  allowedMethod: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'],
  allowedHeader: '*',
  // OSS takes no wildcard here: a page lists the user metadata it reads.
  exposeHeader: [
    'ETag', 'x-oss-request-id', 'x-oss-hash-crc64ecma', 'x-oss-err', 'x-oss-ec', 'Content-Length', 'Content-Range',
    'x-oss-meta-owner', 'x-oss-meta-note', 'x-oss-meta-k',
  ],
  maxAgeSeconds: 600,
};

export interface ConformanceServer {
  /** Everything a runtime needs, except its own name. */
  context: Omit<ConformanceContext, 'runtime'>;
  close(): Promise<void>;
}

export async function startConformanceServer(): Promise<ConformanceServer> {
  const handler = createHandler({
    // Every request under the prefix hangs (until the client gives up), however many runtimes ask.
    faults: [{ kind: 'stall', keyPrefix: STALL_PREFIX, ms: 60_000, count: 1_000_000 }],
  });
  const inProcess = (input: RequestInfo | URL, init?: RequestInit) => handler(new Request(input, init));
  const admin = new OSSClient({ ...DEV_CREDENTIALS, endpoint: 'http://127.0.0.1', fetch: inProcess });
  for (const runtime of RUNTIMES) {
    await admin.putBucket(bucketFor(runtime));
    await admin.putBucketCORS(bucketFor(runtime), [BROWSER_CORS]);
  }
  const sts = new STS({ ...DEV_CREDENTIALS, endpoint: 'http://127.0.0.1/sts', fetch: inProcess });
  const running = await listen(async (request) => {
    if (new URL(request.url).pathname !== STS_PATH) return handler(request);
    const { credentials: c } = await sts.assumeRole(ROLE, undefined, 900, 'conformance');
    const body = { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken, expiration: c.Expiration };
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' } });
  });
  return {
    context: {
      endpoint: running.url,
      ...DEV_CREDENTIALS,
      region: handler.state.region,
      stallPrefix: STALL_PREFIX,
      stsUrl: `${running.url}${STS_PATH}`,
    },
    close: () => running.close(),
  };
}

// oss-fetch in a Cloudflare Worker: no nodejs_compat flag, no polyfills.
//
//   npm run example:worker      Miniflare (installed with the project) on http://127.0.0.1:8787,
//                               bound to `npm start`'s server (scripts/worker-example.mjs)
//
// Configure with vars/secrets OSS_ENDPOINT (or OSS_REGION), OSS_BUCKET, OSS_ACCESS_KEY_ID and
// OSS_ACCESS_KEY_SECRET. Routes: `PUT /<key>` stores the request body, `GET /<key>` streams the
// object back, `GET /` lists the bucket as JSON.
import { OSSClient, OSSError } from 'oss-fetch';

export interface Env {
  OSS_ENDPOINT?: string;
  OSS_REGION?: string;
  OSS_BUCKET: string;
  OSS_ACCESS_KEY_ID: string;
  OSS_ACCESS_KEY_SECRET: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const client = new OSSClient({
      endpoint: env.OSS_ENDPOINT,
      region: env.OSS_REGION ?? 'cn-hangzhou',
      bucket: env.OSS_BUCKET,
      accessKeyId: env.OSS_ACCESS_KEY_ID,
      accessKeySecret: env.OSS_ACCESS_KEY_SECRET,
    });
    const key = decodeURIComponent(new URL(request.url).pathname.slice(1));
    try {
      if (!key) {
        const { objects } = await client.list({ 'max-keys': 100 });
        return Response.json(objects.map((o) => ({ name: o.name, size: o.size })));
      }
      if (request.method === 'PUT') {
        // The request body streams straight through to OSS.
        const { etag } = await client.put(key, request.body ?? '', { mime: request.headers.get('content-type') ?? undefined });
        return Response.json({ key, etag });
      }
      const { stream, res } = await client.getStream(key);
      return new Response(stream, { headers: { 'content-type': res.headers['content-type'] ?? 'application/octet-stream' } });
    } catch (err) {
      if (err instanceof OSSError) return Response.json({ error: err.name, message: err.message }, { status: err.status > 0 ? err.status : 502 });
      throw err;
    }
  },
};

// A Worker built on oss-fetch/workers, run in workerd (Miniflare) by scripts/adapters/run.mjs:
//   PUT /stream/<key>   streams the request body to OSS (putRequestBody)
//   GET /object/<key>   reads it back through clientFromEnv
//   /oss/*              the upload broker (STS keys, presigned PUT, POST policy, callbacks)
import { clientFromEnv, optionsFromEnv, putRequestBody, uploadBroker, OSSArgumentError, type OSSEnv } from '../../src/adapters/workers/index.js';

interface Env extends OSSEnv {
  STS_ROLE_ARN: string;
  STS_ENDPOINT: string;
  CALLBACK_KEY_PREFIX: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path.startsWith('/oss/')) {
      const broker = uploadBroker({
        keys: optionsFromEnv(env),
        // The app's own check: here a bearer token naming the user.
        authorize: (req) => {
          const user = /^Bearer (\w+)$/.exec(req.headers.get('authorization') ?? '')?.[1];
          return user ? { prefix: `uploads/${user}/` } : null;
        },
        sts: { roleArn: env.STS_ROLE_ARN, endpoint: env.STS_ENDPOINT },
        callback: { allowKeyUrl: (url) => url.startsWith(env.CALLBACK_KEY_PREFIX) },
        onUpload: (cb) => ({ received: cb.fields }),
      });
      return broker(request);
    }
    const client = clientFromEnv(env);
    if (path.startsWith('/stream/') && request.method === 'PUT') {
      try {
        const { etag } = await putRequestBody(client, decodeURIComponent(path.slice('/stream/'.length)), request);
        return Response.json({ etag });
      } catch (err) {
        if (err instanceof OSSArgumentError) return Response.json({ error: err.name, message: err.message }, { status: 400 });
        throw err;
      }
    }
    if (path.startsWith('/object/')) {
      const { stream } = await client.getStream(decodeURIComponent(path.slice('/object/'.length)));
      return new Response(stream);
    }
    return new Response('not found', { status: 404 });
  },
};

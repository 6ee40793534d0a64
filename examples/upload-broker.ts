// The back end of a browser upload page as a Cloudflare Worker: hands each signed-in user
// short-lived keys, presigned PUT URLs or POST form fields for their own folder, and takes OSS's
// upload callbacks. The long-term key stays in the Worker's secrets.
//
//   Bindings: OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET (secrets), OSS_BUCKET, OSS_REGION or
//   OSS_ENDPOINT, STS_ROLE_ARN (vars). Routes: POST /oss/credentials, /oss/presign,
//   /oss/post-policy, /oss/callback.
import { optionsFromEnv, uploadBroker, type OSSEnv } from 'oss-fetch/workers';

interface Env extends OSSEnv {
  STS_ROLE_ARN: string;
  STS_ENDPOINT?: string;
  /** Demo only: the shared token that stands in for your app's sign-in. */
  DEMO_TOKEN: string;
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    return uploadBroker({
      keys: optionsFromEnv(env),
      // Your sign-in check goes here; each user writes under their own prefix.
      authorize: (req) => {
        const [user, token] = (req.headers.get('authorization') ?? '').replace(/^Bearer /, '').split(':');
        return user && /^\w+$/.test(user) && token === env.DEMO_TOKEN ? { prefix: `uploads/${user}/` } : null;
      },
      sts: { roleArn: env.STS_ROLE_ARN, endpoint: env.STS_ENDPOINT },
      onUpload: ({ fields }) => ({ stored: fields.object, size: fields.size }),
    })(request);
  },
};

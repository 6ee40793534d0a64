// Bucket policy: PutBucketPolicy / GetBucketPolicy / DeleteBucketPolicy. The document is kept
// as sent; ../../policy.ts parses and evaluates it.

import { parsePolicy } from '../../policy.js';
import { readTextBody } from '../common.js';
import { configRoutes } from './config-family.js';

const MAX_POLICY_BYTES = 16 * 1024;

export const policyRoutes = configRoutes({
  sub: 'policy',
  name: 'policy',
  async read(ctx) {
    const body = await readTextBody(ctx, MAX_POLICY_BYTES);
    parsePolicy(body);
    return body;
  },
  missing: { code: 'NoSuchBucketPolicy', message: 'The bucket policy does not exist.' },
  show: (policy) => new Response(policy, { status: 200, headers: { 'content-type': 'application/json' } }),
  remove: true,
});

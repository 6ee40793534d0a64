// Pay-by-requester buckets (PutBucketRequestPayment Payer=Requester): every caller but the owner
// must acknowledge the charge with `x-oss-request-payer: requester`; anonymous callers cannot.

import type { BucketRecord } from './storage/types.js';
import { ServerError } from './errors.js';
import { getConfig } from './ops/bucket/config-store.js';

/** Throw OSS's AccessDenied when a non-owner reaches a Requester-pays bucket without the header. */
export function checkRequesterPays(headers: { get(name: string): string | undefined }, anonymous: boolean, bucket: BucketRecord): void {
  if (getConfig(bucket, 'requestPayment') !== 'Requester') return;
  if (!anonymous && headers.get('x-oss-request-payer')?.toLowerCase() === 'requester') return;
  throw new ServerError('AccessDenied', 'Access denied for requester pay bucket', { BucketName: bucket.name }, 403, '0003-00000703');
}

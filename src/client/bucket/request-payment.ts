// Request payment (PUT/GET /?requestPayment): whether the owner or the requester pays for
// requests and traffic. Requesters acknowledge with the client option `isRequestPay: true`.

import { buildXml, child, text } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { bucketCall, bucketXml, checkBucketCall, type BucketCallOptions } from './common.js';
import { assertOneOf } from '../one-of.js';

export type RequestPayer = 'BucketOwner' | 'Requester';

/**
 * Choose who pays: `Requester` makes every other account send `x-oss-request-payer: requester`
 * (client option `isRequestPay`) and refuses anonymous access.
 * @example await putBucketRequestPayment(core, 'my-bucket', 'Requester')
 */
export async function putBucketRequestPayment(
  core: OSSCore, name: string, payer: RequestPayer, options: BucketCallOptions = {},
): Promise<{ status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  assertOneOf(payer, ['BucketOwner', 'Requester'], 'payer');
  const body = buildXml('RequestPaymentConfiguration', { Payer: payer });
  const res = await bucketCall(core, name, { method: 'PUT', sub: 'requestPayment', body }, options);
  return { status: res.status, res };
}

/**
 * Who pays for the bucket's requests.
 * @example const { payer } = await getBucketRequestPayment(core, 'my-bucket') // 'BucketOwner'
 */
export async function getBucketRequestPayment(
  core: OSSCore, name: string, options: BucketCallOptions = {},
): Promise<{ payer: RequestPayer; status: number; res: ResponseInfo }> {
  checkBucketCall(name, options);
  const { doc, res } = await bucketXml(core, name, 'requestPayment', options);
  const payer = text(child(doc.RequestPaymentConfiguration, 'Payer')) as RequestPayer;
  return { payer, status: res.status, res };
}

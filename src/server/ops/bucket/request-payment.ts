// Request payment (PUT/GET /?requestPayment): who pays for requests and traffic, the owner or the
// requester. Enforcement lives in ../requester-pays.ts, called by authorization.

import { child, text } from '../../../core/xml.js';
import { serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { emptyResponse, readXmlBody, xmlResponse } from '../common.js';
import { getConfig, setConfig } from './config-store.js';
import { ownBucket, rootOf } from './config-family.js';
import { defineRoute, type RouteDef } from '../routes.js';

async function putBucketRequestPayment(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const payer = text(child(rootOf(await readXmlBody(ctx), 'RequestPaymentConfiguration'), 'Payer'));
  if (payer !== 'BucketOwner' && payer !== 'Requester') throw serverError('MalformedXML');
  await setConfig(ctx.state.storage, bucket.name, 'requestPayment', payer === 'Requester' ? payer : undefined);
  return emptyResponse(200);
}

async function getBucketRequestPayment(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  return xmlResponse('RequestPaymentConfiguration', { Payer: getConfig(bucket, 'requestPayment') ?? 'BucketOwner' });
}

export const requestPaymentRoutes: RouteDef[] = [
  defineRoute('bucket', 'PUT', 'requestPayment', putBucketRequestPayment),
  defineRoute('bucket', 'GET', 'requestPayment', getBucketRequestPayment),
];

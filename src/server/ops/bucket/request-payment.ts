// Request payment (PUT/GET /?requestPayment): who pays for requests and traffic, the owner or the
// requester. Enforcement lives in ../../requester-pays.ts, called by authorization.

import { child, text } from '../../../core/xml.js';
import { serverError } from '../../errors.js';
import { readXmlBody, xmlResponse } from '../common.js';
import { configRoutes, rootOf } from './config-family.js';

export const requestPaymentRoutes = configRoutes({
  sub: 'requestPayment',
  name: 'requestPayment',
  async read(ctx) {
    const payer = text(child(rootOf(await readXmlBody(ctx), 'RequestPaymentConfiguration'), 'Payer'));
    if (payer !== 'BucketOwner' && payer !== 'Requester') throw serverError('MalformedXML');
    return payer === 'Requester' ? payer : undefined;
  },
  show: (payer) => xmlResponse('RequestPaymentConfiguration', { Payer: payer ?? 'BucketOwner' }),
});

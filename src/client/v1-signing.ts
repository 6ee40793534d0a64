// The V1 signer as an opt-in feature: `new OSSCore({ signatureVersion: 'v1', features: [v1Signing] })`.
// V4 is the default, so a page that signs V4 never carries V1's code.

import { formatRfc1123 } from '../core/encoding.js';
import { signV1Header, type SignV1HeaderInput } from '../core/sign-v1.js';

/** Sign a request's headers (adding x-oss-date and authorization) with V1 at `now`. */
async function sign(input: Omit<SignV1HeaderInput, 'date'> & { headers: Record<string, string> }, now: Date, subtle?: SubtleCrypto): Promise<void> {
  const date = formatRfc1123(now);
  input.headers['x-oss-date'] = date;
  input.headers.authorization = (await signV1Header({ ...input, date }, subtle)).authorization;
}

/** Signature V1 (`OSS <id>:<signature>`) for `signatureVersion: 'v1'`. */
export const v1Signing = { name: 'v1', sign } as const;

// The V1 signer as an opt-in feature: `new OSSCore({ signatureVersion: 'v1', features: [v1Signing] })`.
// V4 is the default, so a page that signs V4 never carries V1's code.

import { signV1Header } from '../core/sign-v1.js';

/** Signature V1 (`OSS <id>:<signature>`) for `signatureVersion: 'v1'`. */
export const v1Signing = { name: 'v1', signHeader: signV1Header } as const;

// oss-fetch/workers: what a Cloudflare Worker adds to the Web-standard core — a client from env
// bindings, request bodies streamed straight to OSS, and an upload broker for web pages.

export * from '../../index.js';
export { clientFromEnv, optionsFromEnv, type OSSEnv } from './env.js';
export { putRequestBody } from './request-body.js';
export { fixedLengthFetch } from './fixed-length-fetch.js';
export { uploadBroker, uploadPolicy, type UploadBrokerOptions, type UploadGrant } from './broker.js';
export { verifyCallback, OSS_CALLBACK_KEY_PREFIXES, type VerifyCallbackOptions, type VerifiedCallback } from '../../client/callback-verify.js';

// oss-fetch: the public entry. Standalone functions tree-shake; OSSClient has them all.

export { OSSClient } from './client/client.js';
export { OSSCore, responseInfo } from './client/core.js';
export type { OSSOptions, ResponseInfo, RequestParams, RawResponse, RequestBody } from './client/core.js';
export type { Credentials, RefreshedCredentials, RefreshCredentials } from './client/credentials.js';
export type { BodyInput } from './client/body.js';
export { put } from './client/object/put.js';
export type { PutOptions, PutResult } from './client/object/put.js';
export { get, getStream } from './client/object/get.js';
export type { GetOptions, GetResult, GetStreamResult } from './client/object/get.js';
export { head } from './client/object/head.js';
export type { HeadOptions, HeadResult } from './client/object/head.js';
export { deleteObject } from './client/object/delete.js';
export { list, listAll } from './client/object/list.js';
export type { ListQuery, ListResult, ListAllOptions, ListEntry, ObjectSummary } from './client/object/list.js';
export type { CallOptions } from './client/object/common.js';
export { listBuckets, putBucket, deleteBucket } from './client/bucket/buckets.js';
export type { ListBucketsQuery, ListBucketsResult, BucketSummary, PutBucketOptions, BucketCallOptions } from './client/bucket/buckets.js';
export { OSSError, OSSArgumentError, errorName } from './core/errors.js';
export * from './core/sign.js';
export { mimeFromKey } from './client/mime.js';

// -- more object exports (issue 3) go above this line --
// -- more bucket exports (issue 4) go above this line --
// -- multipart, managed upload, STS, POST policy exports (issue 5) go above this line --
// -- reliability exports (issue 7) go above this line --
// -- image exports (issue 9) go above this line --

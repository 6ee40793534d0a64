// oss-fetch: the public entry. Standalone functions tree-shake; OSSClient has them all.

export { OSSClient } from './client/client.js';
export { OSSCore, responseInfo } from './client/core.js';
// Opt-in features (OSSClient has them all): a page imports those it uses and passes them as
// `new OSSCore({ features: [...] })`; a bundler drops the others.
export { v1Signing } from './client/v1-signing.js';
export { crc64Checks } from './client/crc64-checks.js';
export { uploadProgress } from './client/upload-progress.js';
export { mimeTypes } from './client/mime.js';
export { uploadCallbacks } from './client/callback.js';
export type { Feature, FeatureMap, FeatureName } from './client/features.js';
export type { OSSOptions, ClientOptions, ResponseInfo, RequestParams, RawResponse, AbortState, RequestBody, Hooks, HookRequest, HookResponse } from './client/core.js';
export type { Duration } from './core/duration.js';
export type { Credentials, RefreshedCredentials, RefreshCredentials } from './client/credentials.js';
export type { BodyInput, SendableBody } from './client/body.js';
export { put } from './client/object/put.js';
export type { PutOptions, PutResult } from './client/object/put.js';
export { get, getStream } from './client/object/get.js';
export type { GetOptions, GetResult, GetStreamResult, GetIntoOptions, GetIntoResult } from './client/object/get.js';
export { head } from './client/object/head.js';
export type { HeadOptions, HeadResult } from './client/object/head.js';
export { deleteObject } from './client/object/delete.js';
export { list, listAll, listV2 } from './client/object/list.js';
export { listAllV2, listAllVersions } from './client/object/list-walkers.js';
export type { ListAllV2Options, VersionEntry } from './client/object/list-walkers.js';
export { getObjectUrl, generateObjectUrl } from './client/object/object-url.js';
export { processObjectSave } from './client/object/process-save.js';
export type { ProcessObjectSaveResult } from './client/object/process-save.js';
export type { ListQuery, ListResult, ListAllOptions, ListEntry, ObjectSummary, ListV2Query, ListV2Result } from './client/object/list.js';
export type { CallOptions, VersionedCallOptions, StorageClass, ResponseHeaderOverrides, RestoreInfo } from './client/object/common.js';
export { listBuckets, putBucket, deleteBucket } from './client/bucket/buckets.js';
export type { ListBucketsQuery, ListBucketsResult, BucketSummary, PutBucketOptions, BucketCallOptions } from './client/bucket/buckets.js';
export { OSSError, OSSArgumentError, errorName } from './core/errors.js';
export type { OSSErrorInit, RequestSummary } from './core/errors.js';
export type { RetryInfo } from './client/retry.js';
export * from './core/sign.js';
export { mimeFromKey } from './client/mime.js';
export { optionsFromVariables, OSS_ENV_VARIABLES } from './client/env-options.js';
export { envCredentials, roleCredentials, credentialChain } from './client/credential-providers.js';
export type { RoleCredentialsOptions } from './client/credential-providers.js';
export { verifyCallback, OSS_CALLBACK_KEY_PREFIXES } from './client/callback-verify.js';
export type { VerifyCallbackOptions, VerifiedCallback } from './client/callback-verify.js';
export type { UploadCallback } from './client/callback.js';

export { append } from './client/object/append.js';
export type { AppendOptions, AppendResult } from './client/object/append.js';
export { putSymlink, getSymlink } from './client/object/symlink.js';
export type { PutSymlinkOptions, GetSymlinkResult } from './client/object/symlink.js';
export { putACL, getACL } from './client/object/acl.js';
export type { ObjectACL, GetACLResult } from './client/object/acl.js';
export { putObjectTagging, getObjectTagging, deleteObjectTagging } from './client/object/tagging.js';
export { restore } from './client/object/restore.js';
export type { RestoreOptions, RestoreResult } from './client/object/restore.js';
export { signatureUrl } from './client/object/presign.js';
export type { SignatureUrlOptions } from './client/object/presign.js';
export { getObjectMeta } from './client/object/object-meta.js';
export type { ObjectMetaResult } from './client/object/object-meta.js';
export { deleteMulti } from './client/object/delete-multi.js';
export type { DeleteMultiName, DeleteMultiOptions, DeleteMultiResult, DeletedObject } from './client/object/delete-multi.js';
export { copy, putMeta } from './client/object/copy.js';
export type { CopyOptions, CopyResult, PutMetaOptions } from './client/object/copy.js';
export { listAllBuckets } from './client/bucket/buckets.js';
export type { ListAllBucketsOptions, BucketACL } from './client/bucket/buckets.js';
export { getBucketInfo, getBucketLocation } from './client/bucket/info.js';
export type { BucketInfo } from './client/bucket/info.js';
export { putBucketACL, getBucketACL } from './client/bucket/acl.js';
export type { GetBucketACLResult } from './client/bucket/acl.js';
export { putBucketLogging, getBucketLogging, deleteBucketLogging } from './client/bucket/logging.js';
export type { PutBucketLoggingOptions, GetBucketLoggingResult } from './client/bucket/logging.js';
export { putBucketWebsite, getBucketWebsite, deleteBucketWebsite } from './client/bucket/website.js';
export type { BucketWebsiteConfig, GetBucketWebsiteResult } from './client/bucket/website.js';
export { putBucketReferer, getBucketReferer, deleteBucketReferer } from './client/bucket/referer.js';
export type { PutBucketRefererOptions, GetBucketRefererResult } from './client/bucket/referer.js';
export { putBucketLifecycle, getBucketLifecycle, deleteBucketLifecycle } from './client/bucket/lifecycle.js';
export type {
  LifecycleRule, LifecycleRuleResult, LifecycleTransition, LifecycleTag, LifecycleWhen, PutBucketLifecycleOptions,
} from './client/bucket/lifecycle.js';
export { putBucketCORS, getBucketCORS, deleteBucketCORS } from './client/bucket/cors.js';
export type { CORSRule, CORSRuleResult, CORSMethod, PutBucketCORSOptions } from './client/bucket/cors.js';
export { putBucketVersioning, getBucketVersioning, listObjectVersions } from './client/bucket/versioning.js';
export type {
  VersioningStatus, ListObjectVersionsQuery, ListObjectVersionsResult, ObjectVersion, DeleteMarkerEntry,
} from './client/bucket/versioning.js';
export { putBucketTags, getBucketTags, deleteBucketTags } from './client/bucket/tags.js';
export type { DeleteBucketTagsOptions } from './client/bucket/tags.js';
export { putBucketPolicy, getBucketPolicy, deleteBucketPolicy } from './client/bucket/policy.js';
export type { BucketPolicy } from './client/bucket/policy.js';
export { putBucketEncryption, getBucketEncryption, deleteBucketEncryption } from './client/bucket/encryption.js';
export type { BucketEncryptionRule } from './client/bucket/encryption.js';
export type { ServerSideEncryption, ServerSideEncryptionOptions } from './client/object/encryption.js';
export { putBucketRequestPayment, getBucketRequestPayment } from './client/bucket/request-payment.js';
export type { RequestPayer } from './client/bucket/request-payment.js';
export { getBucketStat } from './client/bucket/stat.js';
export type { BucketStat } from './client/bucket/stat.js';
export { initiateBucketWorm, abortBucketWorm, completeBucketWorm, extendBucketWorm, getBucketWorm } from './client/bucket/worm.js';
export type { GetBucketWormResult } from './client/bucket/worm.js';
export { putBucketInventory, getBucketInventory, listBucketInventory, deleteBucketInventory } from './client/bucket/inventory.js';
export type { BucketInventory, ListBucketInventoryResult } from './client/bucket/inventory.js';
export { STS } from './client/sts.js';
export type { STSOptions, STSCredentials, STSPolicy, AssumeRoleResult, AssumeRoleOptions } from './client/sts.js';
export { calculatePostSignature, signPostObjectPolicy, signPostObjectPolicyV4 } from './client/post-policy.js';
export type { PostSignatureV1, SignPostObjectPolicyOptions, SignedPostObjectPolicy } from './client/post-policy.js';
export {
  initMultipartUpload, uploadPart, uploadPartCopy, completeMultipartUpload, abortMultipartUpload,
} from './client/multipart/primitives.js';
export type {
  InitMultipartOptions, InitMultipartResult, UploadPartOptions, UploadPartResult, CompletedPart, CompleteMultipartOptions,
  CompleteMultipartResult, PartCopySource, UploadPartCopyOptions, UploadPartCopyResult,
} from './client/multipart/primitives.js';
export { listParts, listAllParts, listUploads, listAllUploads } from './client/multipart/list.js';
export type {
  ListPartsQuery, ListPartsResult, PartSummary, ListUploadsQuery, ListUploadsResult, UploadSummary, ListAllUploadsOptions,
  ListAllOptions as ListAllPartsOptions,
} from './client/multipart/list.js';
export { multipartUpload, choosePartSize } from './client/multipart/upload.js';
export type { MultipartUploadOptions, MultipartUploadResult } from './client/multipart/upload.js';
export { multipartUploadCopy } from './client/multipart/upload-copy.js';
export type { MultipartCopySource, MultipartUploadCopyOptions } from './client/multipart/upload-copy.js';
export type { MultipartCheckpoint, CheckpointPart, CopySourceIdentity } from './client/multipart/checkpoint.js';
export type { UploadProgress, OnUploadProgress } from './client/progress.js';
export { requestStreamsSupported } from './client/upload-progress.js';
export { ImageClient, translateImageName } from './client/image.js';
export type { ImageClientOptions, ImageGetOptions, ImageStyle } from './client/image.js';

// OSSClient: every operation as an ali-oss-style method over one OSSCore. Pages that care about
// bundle size import the standalone functions instead.

import { OSSCore, type OSSOptions } from './core.js';
import { withAllFeatures } from './all-features.js';
import { accept2015Region } from './bucket/region-2015.js';
import type { BodyInput } from './body.js';
import { put, type PutOptions } from './object/put.js';
import { get, getStream, type GetIntoOptions, type GetIntoResult, type GetOptions, type GetResult } from './object/get.js';
import { head, type HeadOptions } from './object/head.js';
import { deleteObject } from './object/delete.js';
import { list, listAll, listV2, type ListAllOptions, type ListQuery, type ListV2Query } from './object/list.js';
import { getObjectMeta } from './object/object-meta.js';
import { listAllV2, listAllVersions, type ListAllV2Options } from './object/list-walkers.js';
import { generateObjectUrl, getObjectUrl } from './object/object-url.js';
import { processObjectSave } from './object/process-save.js';
import { deleteMulti, type DeleteMultiName, type DeleteMultiOptions } from './object/delete-multi.js';
import { copy, putMeta, type CopyOptions, type PutMetaOptions } from './object/copy.js';
import type { CallOptions, VersionedCallOptions } from './object/common.js';
import {
  abortMultipartUpload, completeMultipartUpload, initMultipartUpload, uploadPart, uploadPartCopy,
  type CompletedPart, type CompleteMultipartOptions, type InitMultipartOptions, type PartCopySource, type UploadPartCopyOptions, type UploadPartOptions,
} from './multipart/primitives.js';
import {
  listAllParts, listAllUploads, listParts, listUploads, type ListAllOptions as ListAllPartsOptions, type ListAllUploadsOptions,
  type ListPartsQuery, type ListUploadsQuery,
} from './multipart/list.js';
import { multipartUpload, type MultipartUploadOptions } from './multipart/upload.js';
import { multipartUploadCopy, type MultipartCopySource, type MultipartUploadCopyOptions } from './multipart/upload-copy.js';
import { calculatePostSignature, signPostObjectPolicy, signPostObjectPolicyV4, type SignPostObjectPolicyOptions } from './post-policy.js';
import type { PostPolicy } from '../core/post-policy.js';
import { append, type AppendOptions } from './object/append.js';
import { getSymlink, putSymlink, type PutSymlinkOptions } from './object/symlink.js';
import { getACL, putACL, type ObjectACL } from './object/acl.js';
import { deleteObjectTagging, getObjectTagging, putObjectTagging } from './object/tagging.js';
import { restore, type RestoreOptions } from './object/restore.js';
import { signatureUrl, type SignatureUrlOptions } from './object/presign.js';
import {
  deleteBucket, listAllBuckets, listBuckets, putBucket, type BucketACL, type ListAllBucketsOptions, type ListBucketsQuery,
  type PutBucketOptions,
} from './bucket/buckets.js';
import type { BucketCallOptions } from './bucket/common.js';
import { getBucketInfo, getBucketLocation } from './bucket/info.js';
import { getBucketACL, putBucketACL } from './bucket/acl.js';
import { deleteBucketLogging, getBucketLogging, putBucketLogging, type PutBucketLoggingOptions } from './bucket/logging.js';
import { deleteBucketWebsite, getBucketWebsite, putBucketWebsite, type BucketWebsiteConfig } from './bucket/website.js';
import { deleteBucketReferer, getBucketReferer, putBucketReferer, type PutBucketRefererOptions } from './bucket/referer.js';
import {
  deleteBucketLifecycle, getBucketLifecycle, putBucketLifecycle, type LifecycleRule, type PutBucketLifecycleOptions,
} from './bucket/lifecycle.js';
import { deleteBucketCORS, getBucketCORS, putBucketCORS, type CORSRule, type PutBucketCORSOptions } from './bucket/cors.js';
import {
  getBucketVersioning, listObjectVersions, putBucketVersioning, type ListObjectVersionsQuery, type VersioningStatus,
} from './bucket/versioning.js';
import { deleteBucketTags, getBucketTags, putBucketTags, type DeleteBucketTagsOptions } from './bucket/tags.js';
import { deleteBucketPolicy, getBucketPolicy, putBucketPolicy, type BucketPolicy } from './bucket/policy.js';
import { getBucketRequestPayment, putBucketRequestPayment, type RequestPayer } from './bucket/request-payment.js';
import { getBucketStat } from './bucket/stat.js';
import { abortBucketWorm, completeBucketWorm, extendBucketWorm, getBucketWorm, initiateBucketWorm } from './bucket/worm.js';
import { deleteBucketInventory, getBucketInventory, listBucketInventory, putBucketInventory, type BucketInventory } from './bucket/inventory.js';
import { deleteBucketEncryption, getBucketEncryption, putBucketEncryption, type BucketEncryptionRule } from './bucket/encryption.js';

/**
 * The OSS client: every operation as an ali-oss-style method, and every opt-in feature (V1
 * signing, CRC-64 checks, upload progress, MIME types, upload callbacks).
 * `new OSSClient({ region, accessKeyId, accessKeySecret, bucket })`.
 */
export class OSSClient extends OSSCore {
  constructor(options: OSSOptions = {}) {
    super(withAllFeatures(options));
  }
}

// The methods, each an operation with the client as its core; declared here for the types and
// docs, attached below from one table (a table of names is far smaller than a method per call).
export interface OSSClient {
  /** {@inheritDoc put} */
  put(name: string, body: BodyInput, options?: PutOptions): ReturnType<typeof put>;

  /**
   * Download an object into memory, or with `{ writable }` into a WritableStream. A 304 (from
   * `If-None-Match` / `If-Modified-Since`) is a result with `res.status === 304`; a failed
   * `If-Match` / `If-Unmodified-Since` throws PreconditionFailedError.
   * @example const { content } = await client.get('notes.txt', { headers: { Range: 'bytes=0-99' } })
   */
  get(name: string, options: GetIntoOptions): Promise<GetIntoResult>;
  get(name: string, options?: GetOptions): Promise<GetResult>;

  /** {@inheritDoc getStream} */
  getStream(name: string, options?: GetOptions): ReturnType<typeof getStream>;

  /** {@inheritDoc head} */
  head(name: string, options?: HeadOptions): ReturnType<typeof head>;

  /** {@inheritDoc deleteObject} */
  delete(name: string, options?: VersionedCallOptions): ReturnType<typeof deleteObject>;

  /** {@inheritDoc list} */
  list(query?: ListQuery, options?: CallOptions): ReturnType<typeof list>;

  /** {@inheritDoc listAll} */
  listAll(options?: ListAllOptions): ReturnType<typeof listAll>;

  /** {@inheritDoc listAllV2} */
  listAllV2(options?: ListAllV2Options): ReturnType<typeof listAllV2>;

  /** {@inheritDoc listAllVersions} */
  listAllVersions(options?: ListAllOptions): ReturnType<typeof listAllVersions>;

  /** {@inheritDoc getObjectUrl} */
  getObjectUrl(name: string, baseUrl?: string): ReturnType<typeof getObjectUrl>;

  /** {@inheritDoc generateObjectUrl} */
  generateObjectUrl(name: string, baseUrl?: string): ReturnType<typeof generateObjectUrl>;

  /** {@inheritDoc processObjectSave} */
  processObjectSave(sourceObject: string, targetObject: string, process: string, targetBucket?: string, options?: CallOptions): ReturnType<typeof processObjectSave>;

  /** {@inheritDoc append} */
  append(name: string, body: BodyInput, options?: AppendOptions): ReturnType<typeof append>;

  /** {@inheritDoc putSymlink} */
  putSymlink(name: string, targetName: string, options?: PutSymlinkOptions): ReturnType<typeof putSymlink>;

  /** {@inheritDoc getSymlink} */
  getSymlink(name: string, options?: VersionedCallOptions): ReturnType<typeof getSymlink>;

  /** {@inheritDoc putACL} */
  putACL(name: string, acl: ObjectACL, options?: VersionedCallOptions): ReturnType<typeof putACL>;

  /** {@inheritDoc getACL} */
  getACL(name: string, options?: VersionedCallOptions): ReturnType<typeof getACL>;

  /** {@inheritDoc putObjectTagging} */
  putObjectTagging(name: string, tag: Record<string, string>, options?: VersionedCallOptions): ReturnType<typeof putObjectTagging>;

  /** {@inheritDoc getObjectTagging} */
  getObjectTagging(name: string, options?: VersionedCallOptions): ReturnType<typeof getObjectTagging>;

  /** {@inheritDoc deleteObjectTagging} */
  deleteObjectTagging(name: string, options?: VersionedCallOptions): ReturnType<typeof deleteObjectTagging>;

  /** {@inheritDoc restore} */
  restore(name: string, options?: RestoreOptions): ReturnType<typeof restore>;

  /** {@inheritDoc signatureUrl} */
  signatureUrl(name: string, options?: SignatureUrlOptions): ReturnType<typeof signatureUrl>;

  /** ali-oss's name for {@link OSSClient.signatureUrl}. */
  asyncSignatureUrl(name: string, options?: SignatureUrlOptions): ReturnType<typeof signatureUrl>;

  /** {@inheritDoc getObjectMeta} */
  getObjectMeta(name: string, options?: VersionedCallOptions): ReturnType<typeof getObjectMeta>;

  /** {@inheritDoc deleteMulti} */
  deleteMulti(names: DeleteMultiName[], options?: DeleteMultiOptions): ReturnType<typeof deleteMulti>;

  /** {@inheritDoc copy} */
  copy(name: string, sourceName: string, options?: CopyOptions): ReturnType<typeof copy>;

  /** {@inheritDoc putMeta} */
  putMeta(name: string, meta: Record<string, string | number> | null, options?: PutMetaOptions): ReturnType<typeof putMeta>;

  /** {@inheritDoc listV2} */
  listV2(query?: ListV2Query, options?: CallOptions): ReturnType<typeof listV2>;


  // Bucket operations. Overloads with a `region` after the name are the 2015 shapes (region-2015.ts); the
  // region is checked and dropped, as the client's endpoint decides where requests go.

  /** {@inheritDoc listBuckets} */
  listBuckets(query?: ListBucketsQuery, options?: BucketCallOptions): ReturnType<typeof listBuckets>;

  /** {@inheritDoc listAllBuckets} */
  listAllBuckets(options?: ListAllBucketsOptions): ReturnType<typeof listAllBuckets>;

  /** {@inheritDoc putBucket} */
  putBucket(name: string, options?: PutBucketOptions): ReturnType<typeof putBucket>;
  putBucket(name: string, region: string, options?: PutBucketOptions): ReturnType<typeof putBucket>;

  /** {@inheritDoc deleteBucket} */
  deleteBucket(name: string, options?: BucketCallOptions): ReturnType<typeof deleteBucket>;
  deleteBucket(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof deleteBucket>;

  /** {@inheritDoc getBucketInfo} */
  getBucketInfo(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketInfo>;
  getBucketInfo(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof getBucketInfo>;

  /** {@inheritDoc getBucketLocation} */
  getBucketLocation(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketLocation>;
  getBucketLocation(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof getBucketLocation>;

  /** {@inheritDoc putBucketACL} */
  putBucketACL(name: string, acl: BucketACL, options?: BucketCallOptions): ReturnType<typeof putBucketACL>;
  putBucketACL(name: string, region: string, acl: BucketACL, options?: BucketCallOptions): ReturnType<typeof putBucketACL>;

  /** {@inheritDoc getBucketACL} */
  getBucketACL(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketACL>;
  getBucketACL(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof getBucketACL>;

  /** {@inheritDoc putBucketLogging} */
  putBucketLogging(name: string, prefix?: string, options?: PutBucketLoggingOptions): ReturnType<typeof putBucketLogging>;
  putBucketLogging(name: string, region: string, prefix: string | null | undefined, options?: PutBucketLoggingOptions): ReturnType<typeof putBucketLogging>;

  /** {@inheritDoc getBucketLogging} */
  getBucketLogging(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketLogging>;
  getBucketLogging(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof getBucketLogging>;

  /** {@inheritDoc deleteBucketLogging} */
  deleteBucketLogging(name: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketLogging>;
  deleteBucketLogging(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketLogging>;

  /** {@inheritDoc putBucketWebsite} */
  putBucketWebsite(name: string, config?: BucketWebsiteConfig, options?: BucketCallOptions): ReturnType<typeof putBucketWebsite>;
  putBucketWebsite(name: string, region: string, config?: BucketWebsiteConfig, options?: BucketCallOptions): ReturnType<typeof putBucketWebsite>;

  /** {@inheritDoc getBucketWebsite} */
  getBucketWebsite(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketWebsite>;
  getBucketWebsite(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof getBucketWebsite>;

  /** {@inheritDoc deleteBucketWebsite} */
  deleteBucketWebsite(name: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketWebsite>;
  deleteBucketWebsite(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketWebsite>;

  /** {@inheritDoc putBucketReferer} */
  putBucketReferer(name: string, allowEmpty: boolean, referers?: string[] | null, options?: PutBucketRefererOptions): ReturnType<typeof putBucketReferer>;
  putBucketReferer(name: string, region: string, allowEmpty: boolean, referers?: string[] | null, options?: PutBucketRefererOptions): ReturnType<typeof putBucketReferer>;

  /** {@inheritDoc getBucketReferer} */
  getBucketReferer(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketReferer>;
  getBucketReferer(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof getBucketReferer>;

  /** {@inheritDoc deleteBucketReferer} */
  deleteBucketReferer(name: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketReferer>;
  deleteBucketReferer(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketReferer>;

  /** {@inheritDoc putBucketLifecycle} */
  putBucketLifecycle(name: string, rules: LifecycleRule[], options?: PutBucketLifecycleOptions): ReturnType<typeof putBucketLifecycle>;
  putBucketLifecycle(name: string, region: string, rules: LifecycleRule[], options?: PutBucketLifecycleOptions): ReturnType<typeof putBucketLifecycle>;

  /** {@inheritDoc getBucketLifecycle} */
  getBucketLifecycle(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketLifecycle>;
  getBucketLifecycle(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof getBucketLifecycle>;

  /** {@inheritDoc deleteBucketLifecycle} */
  deleteBucketLifecycle(name: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketLifecycle>;
  deleteBucketLifecycle(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketLifecycle>;

  /** {@inheritDoc putBucketCORS} */
  putBucketCORS(name: string, rules: CORSRule[], options?: PutBucketCORSOptions): ReturnType<typeof putBucketCORS>;
  putBucketCORS(name: string, region: string, rules: CORSRule[], options?: PutBucketCORSOptions): ReturnType<typeof putBucketCORS>;

  /** {@inheritDoc getBucketCORS} */
  getBucketCORS(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketCORS>;
  getBucketCORS(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof getBucketCORS>;

  /** {@inheritDoc deleteBucketCORS} */
  deleteBucketCORS(name: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketCORS>;
  deleteBucketCORS(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketCORS>;

  /** {@inheritDoc putBucketVersioning} */
  putBucketVersioning(name: string, status: VersioningStatus, options?: BucketCallOptions): ReturnType<typeof putBucketVersioning>;

  /** {@inheritDoc getBucketVersioning} */
  getBucketVersioning(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketVersioning>;

  /** {@inheritDoc listObjectVersions} */
  listObjectVersions(query?: ListObjectVersionsQuery, options?: CallOptions): ReturnType<typeof listObjectVersions>;

  /** ali-oss's other name of {@link OSSClient.listObjectVersions}. */
  getBucketVersions(query?: ListObjectVersionsQuery, options?: CallOptions): ReturnType<typeof listObjectVersions>;

  /** {@inheritDoc putBucketTags} */
  putBucketTags(name: string, tag: Record<string, string>, options?: BucketCallOptions): ReturnType<typeof putBucketTags>;

  /** {@inheritDoc getBucketTags} */
  getBucketTags(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketTags>;

  /** {@inheritDoc deleteBucketTags} */
  deleteBucketTags(name: string, options?: DeleteBucketTagsOptions): ReturnType<typeof deleteBucketTags>;

  /** {@inheritDoc putBucketPolicy} */
  putBucketPolicy(name: string, policy: BucketPolicy | string, options?: BucketCallOptions): ReturnType<typeof putBucketPolicy>;

  /** {@inheritDoc getBucketPolicy} */
  getBucketPolicy(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketPolicy>;

  /** {@inheritDoc deleteBucketPolicy} */
  deleteBucketPolicy(name: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketPolicy>;

  /** {@inheritDoc putBucketEncryption} */
  putBucketEncryption(name: string, rule: BucketEncryptionRule, options?: BucketCallOptions): ReturnType<typeof putBucketEncryption>;

  /** {@inheritDoc getBucketEncryption} */
  getBucketEncryption(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketEncryption>;

  /** {@inheritDoc deleteBucketEncryption} */
  deleteBucketEncryption(name: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketEncryption>;

  /** {@inheritDoc putBucketRequestPayment} */
  putBucketRequestPayment(name: string, payer: RequestPayer, options?: BucketCallOptions): ReturnType<typeof putBucketRequestPayment>;

  /** {@inheritDoc getBucketRequestPayment} */
  getBucketRequestPayment(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketRequestPayment>;

  /** {@inheritDoc getBucketStat} */
  getBucketStat(name?: string, options?: BucketCallOptions): ReturnType<typeof getBucketStat>;

  /** {@inheritDoc initiateBucketWorm} */
  initiateBucketWorm(name: string, days: number, options?: BucketCallOptions): ReturnType<typeof initiateBucketWorm>;

  /** {@inheritDoc abortBucketWorm} */
  abortBucketWorm(name: string, options?: BucketCallOptions): ReturnType<typeof abortBucketWorm>;

  /** {@inheritDoc completeBucketWorm} */
  completeBucketWorm(name: string, wormId: string, options?: BucketCallOptions): ReturnType<typeof completeBucketWorm>;

  /** {@inheritDoc extendBucketWorm} */
  extendBucketWorm(name: string, wormId: string, days: number, options?: BucketCallOptions): ReturnType<typeof extendBucketWorm>;

  /** {@inheritDoc getBucketWorm} */
  getBucketWorm(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketWorm>;

  /** {@inheritDoc putBucketInventory} */
  putBucketInventory(name: string, inventory: BucketInventory, options?: BucketCallOptions): ReturnType<typeof putBucketInventory>;

  /** {@inheritDoc getBucketInventory} */
  getBucketInventory(name: string, inventoryId: string, options?: BucketCallOptions): ReturnType<typeof getBucketInventory>;

  /** {@inheritDoc listBucketInventory} */
  listBucketInventory(name: string, options?: BucketCallOptions & { continuationToken?: string }): ReturnType<typeof listBucketInventory>;

  /** {@inheritDoc deleteBucketInventory} */
  deleteBucketInventory(name: string, inventoryId: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketInventory>;


  /** {@inheritDoc calculatePostSignature} */
  calculatePostSignature(policy: PostPolicy): ReturnType<typeof calculatePostSignature>;

  /** {@inheritDoc signPostObjectPolicyV4} */
  signPostObjectPolicyV4(policy: PostPolicy, date: Date): ReturnType<typeof signPostObjectPolicyV4>;

  /** {@inheritDoc signPostObjectPolicy} */
  signPostObjectPolicy(options?: SignPostObjectPolicyOptions): ReturnType<typeof signPostObjectPolicy>;

  /** {@inheritDoc multipartUpload} */
  multipartUpload(name: string, body: BodyInput, options?: MultipartUploadOptions): ReturnType<typeof multipartUpload>;

  /** {@inheritDoc multipartUploadCopy} */
  multipartUploadCopy(name: string, source: MultipartCopySource, options?: MultipartUploadCopyOptions): ReturnType<typeof multipartUploadCopy>;

  /** {@inheritDoc initMultipartUpload} */
  initMultipartUpload(name: string, options?: InitMultipartOptions): ReturnType<typeof initMultipartUpload>;

  /** {@inheritDoc uploadPart} */
  uploadPart(name: string, uploadId: string, partNumber: number, body: BodyInput, options?: UploadPartOptions): ReturnType<typeof uploadPart>;

  /** {@inheritDoc uploadPartCopy} */
  uploadPartCopy(name: string, uploadId: string, partNumber: number, range: string | undefined, source: PartCopySource, options?: UploadPartCopyOptions): ReturnType<typeof uploadPartCopy>;

  /** {@inheritDoc completeMultipartUpload} */
  completeMultipartUpload(name: string, uploadId: string, parts: CompletedPart[] | null, options?: CompleteMultipartOptions): ReturnType<typeof completeMultipartUpload>;

  /** {@inheritDoc abortMultipartUpload} */
  abortMultipartUpload(name: string, uploadId: string, options?: CallOptions): ReturnType<typeof abortMultipartUpload>;

  /** {@inheritDoc listParts} */
  listParts(name: string, uploadId: string, query?: ListPartsQuery, options?: CallOptions): ReturnType<typeof listParts>;

  /** {@inheritDoc listAllParts} */
  listAllParts(name: string, uploadId: string, options?: ListAllPartsOptions): ReturnType<typeof listAllParts>;

  /** {@inheritDoc listUploads} */
  listUploads(query?: ListUploadsQuery, options?: CallOptions): ReturnType<typeof listUploads>;

  /** {@inheritDoc listAllUploads} */
  listAllUploads(options?: ListAllUploadsOptions): ReturnType<typeof listAllUploads>;


  // -- image processing (issue 9) goes above this line --
}

const METHODS: Record<string, (core: OSSCore, ...args: never[]) => unknown> = {
  put,
  get,
  getStream,
  head,
  delete: deleteObject,
  list,
  listAll,
  listAllV2,
  listAllVersions,
  getObjectUrl,
  generateObjectUrl,
  processObjectSave,
  append,
  putSymlink,
  getSymlink,
  putACL,
  getACL,
  putObjectTagging,
  getObjectTagging,
  deleteObjectTagging,
  restore,
  signatureUrl,
  asyncSignatureUrl: signatureUrl,
  getObjectMeta,
  deleteMulti,
  copy,
  putMeta,
  listV2,
  listBuckets,
  listAllBuckets,
  putBucket,
  // The 2015 shapes with a region after the name, for these calls only (region-2015.ts).
  ...accept2015Region({
    deleteBucket,
    getBucketInfo,
    getBucketLocation,
    putBucketACL,
    getBucketACL,
    putBucketLogging,
    getBucketLogging,
    deleteBucketLogging,
    putBucketWebsite,
    getBucketWebsite,
    deleteBucketWebsite,
    putBucketReferer,
    getBucketReferer,
    deleteBucketReferer,
    putBucketLifecycle,
    getBucketLifecycle,
    deleteBucketLifecycle,
    putBucketCORS,
    getBucketCORS,
    deleteBucketCORS,
  }),
  putBucketVersioning,
  getBucketVersioning,
  listObjectVersions,
  getBucketVersions: listObjectVersions,
  putBucketTags,
  getBucketTags,
  deleteBucketTags,
  putBucketPolicy,
  getBucketPolicy,
  deleteBucketPolicy,
  putBucketEncryption,
  getBucketEncryption,
  deleteBucketEncryption,
  putBucketRequestPayment,
  getBucketRequestPayment,
  getBucketStat,
  initiateBucketWorm,
  abortBucketWorm,
  completeBucketWorm,
  extendBucketWorm,
  getBucketWorm,
  putBucketInventory,
  getBucketInventory,
  listBucketInventory,
  deleteBucketInventory,
  calculatePostSignature,
  signPostObjectPolicyV4,
  signPostObjectPolicy,
  multipartUpload,
  multipartUploadCopy,
  initMultipartUpload,
  uploadPart,
  uploadPartCopy,
  completeMultipartUpload,
  abortMultipartUpload,
  listParts,
  listAllParts,
  listUploads,
  listAllUploads,
};

for (const [name, op] of Object.entries(METHODS)) {
  // Like a class method: named, not enumerable, not a constructor.
  Object.defineProperty(OSSClient.prototype, name, {
    value: { [name](this: OSSCore, ...args: never[]) { return op(this, ...args); } }[name],
    writable: true,
    configurable: true,
  });
}

// OSSClient: every operation as an ali-oss-style method over one OSSCore. Pages that care about
// bundle size import the standalone functions instead.

import { OSSCore, type OSSOptions } from './core.js';
import { withAllFeatures } from './all-features.js';
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
import { anyShape, type BucketCallOptions } from './bucket/common.js';
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

  /** {@inheritDoc put} */
  put(name: string, body: BodyInput, options?: PutOptions) {
    return put(this, name, body, options);
  }

  /**
   * Download an object into memory, or with `{ writable }` into a WritableStream. A 304 (from
   * `If-None-Match` / `If-Modified-Since`) is a result with `res.status === 304`; a failed
   * `If-Match` / `If-Unmodified-Since` throws PreconditionFailedError.
   * @example const { content } = await client.get('notes.txt', { headers: { Range: 'bytes=0-99' } })
   */
  get(name: string, options: GetIntoOptions): Promise<GetIntoResult>;
  get(name: string, options?: GetOptions): Promise<GetResult>;
  get(name: string, options?: GetOptions | GetIntoOptions) {
    return get(this, name, options as GetOptions);
  }

  /** {@inheritDoc getStream} */
  getStream(name: string, options?: GetOptions) {
    return getStream(this, name, options);
  }

  /** {@inheritDoc head} */
  head(name: string, options?: HeadOptions) {
    return head(this, name, options);
  }

  /** {@inheritDoc deleteObject} */
  delete(name: string, options?: VersionedCallOptions) {
    return deleteObject(this, name, options);
  }

  /** {@inheritDoc list} */
  list(query?: ListQuery, options?: CallOptions) {
    return list(this, query, options);
  }

  /** {@inheritDoc listAll} */
  listAll(options?: ListAllOptions) {
    return listAll(this, options);
  }

  /** {@inheritDoc listAllV2} */
  listAllV2(options?: ListAllV2Options) {
    return listAllV2(this, options);
  }

  /** {@inheritDoc listAllVersions} */
  listAllVersions(options?: ListAllOptions) {
    return listAllVersions(this, options);
  }

  /** {@inheritDoc getObjectUrl} */
  getObjectUrl(name: string, baseUrl?: string) {
    return getObjectUrl(this, name, baseUrl);
  }

  /** {@inheritDoc generateObjectUrl} */
  generateObjectUrl(name: string, baseUrl?: string) {
    return generateObjectUrl(this, name, baseUrl);
  }

  /** {@inheritDoc processObjectSave} */
  processObjectSave(sourceObject: string, targetObject: string, process: string, targetBucket?: string, options?: CallOptions) {
    return processObjectSave(this, sourceObject, targetObject, process, targetBucket, options);
  }

  /** {@inheritDoc append} */
  append(name: string, body: BodyInput, options?: AppendOptions) {
    return append(this, name, body, options);
  }

  /** {@inheritDoc putSymlink} */
  putSymlink(name: string, targetName: string, options?: PutSymlinkOptions) {
    return putSymlink(this, name, targetName, options);
  }

  /** {@inheritDoc getSymlink} */
  getSymlink(name: string, options?: VersionedCallOptions) {
    return getSymlink(this, name, options);
  }

  /** {@inheritDoc putACL} */
  putACL(name: string, acl: ObjectACL, options?: VersionedCallOptions) {
    return putACL(this, name, acl, options);
  }

  /** {@inheritDoc getACL} */
  getACL(name: string, options?: VersionedCallOptions) {
    return getACL(this, name, options);
  }

  /** {@inheritDoc putObjectTagging} */
  putObjectTagging(name: string, tag: Record<string, string>, options?: VersionedCallOptions) {
    return putObjectTagging(this, name, tag, options);
  }

  /** {@inheritDoc getObjectTagging} */
  getObjectTagging(name: string, options?: VersionedCallOptions) {
    return getObjectTagging(this, name, options);
  }

  /** {@inheritDoc deleteObjectTagging} */
  deleteObjectTagging(name: string, options?: VersionedCallOptions) {
    return deleteObjectTagging(this, name, options);
  }

  /** {@inheritDoc restore} */
  restore(name: string, options?: RestoreOptions) {
    return restore(this, name, options);
  }

  /** {@inheritDoc signatureUrl} */
  signatureUrl(name: string, options?: SignatureUrlOptions) {
    return signatureUrl(this, name, options);
  }

  /** ali-oss's name for {@link OSSClient.signatureUrl}. */
  asyncSignatureUrl(name: string, options?: SignatureUrlOptions) {
    return signatureUrl(this, name, options);
  }

  /** {@inheritDoc getObjectMeta} */
  getObjectMeta(name: string, options?: VersionedCallOptions) {
    return getObjectMeta(this, name, options);
  }

  /** {@inheritDoc deleteMulti} */
  deleteMulti(names: DeleteMultiName[], options?: DeleteMultiOptions) {
    return deleteMulti(this, names, options);
  }

  /** {@inheritDoc copy} */
  copy(name: string, sourceName: string, options?: CopyOptions) {
    return copy(this, name, sourceName, options);
  }

  /** {@inheritDoc putMeta} */
  putMeta(name: string, meta: Record<string, string | number> | null, options?: PutMetaOptions) {
    return putMeta(this, name, meta, options);
  }

  /** {@inheritDoc listV2} */
  listV2(query?: ListV2Query, options?: CallOptions) {
    return listV2(this, query, options);
  }


  // Bucket operations. Overloads with a `region` after the name are the seed (2015) shapes; the
  // region is checked and dropped, as the client's endpoint decides where requests go.

  /** {@inheritDoc listBuckets} */
  listBuckets(query?: ListBucketsQuery, options?: BucketCallOptions) {
    return listBuckets(this, query, options);
  }

  /** {@inheritDoc listAllBuckets} */
  listAllBuckets(options?: ListAllBucketsOptions) {
    return listAllBuckets(this, options);
  }

  /** {@inheritDoc putBucket} */
  putBucket(name: string, options?: PutBucketOptions): ReturnType<typeof putBucket>;
  putBucket(name: string, region: string, options?: PutBucketOptions): ReturnType<typeof putBucket>;
  putBucket(name: string, ...rest: unknown[]) {
    return anyShape(putBucket)(this, name, ...rest);
  }

  /** {@inheritDoc deleteBucket} */
  deleteBucket(name: string, options?: BucketCallOptions): ReturnType<typeof deleteBucket>;
  deleteBucket(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof deleteBucket>;
  deleteBucket(name: string, ...rest: unknown[]) {
    return anyShape(deleteBucket)(this, name, ...rest);
  }

  /** {@inheritDoc getBucketInfo} */
  getBucketInfo(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketInfo>;
  getBucketInfo(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof getBucketInfo>;
  getBucketInfo(name: string, ...rest: unknown[]) {
    return anyShape(getBucketInfo)(this, name, ...rest);
  }

  /** {@inheritDoc getBucketLocation} */
  getBucketLocation(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketLocation>;
  getBucketLocation(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof getBucketLocation>;
  getBucketLocation(name: string, ...rest: unknown[]) {
    return anyShape(getBucketLocation)(this, name, ...rest);
  }

  /** {@inheritDoc putBucketACL} */
  putBucketACL(name: string, acl: BucketACL, options?: BucketCallOptions): ReturnType<typeof putBucketACL>;
  putBucketACL(name: string, region: string, acl: BucketACL, options?: BucketCallOptions): ReturnType<typeof putBucketACL>;
  putBucketACL(name: string, ...rest: unknown[]) {
    return anyShape(putBucketACL)(this, name, ...rest);
  }

  /** {@inheritDoc getBucketACL} */
  getBucketACL(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketACL>;
  getBucketACL(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof getBucketACL>;
  getBucketACL(name: string, ...rest: unknown[]) {
    return anyShape(getBucketACL)(this, name, ...rest);
  }

  /** {@inheritDoc putBucketLogging} */
  putBucketLogging(name: string, prefix?: string, options?: PutBucketLoggingOptions): ReturnType<typeof putBucketLogging>;
  putBucketLogging(name: string, region: string, prefix: string | null | undefined, options?: PutBucketLoggingOptions): ReturnType<typeof putBucketLogging>;
  putBucketLogging(name: string, ...rest: unknown[]) {
    return anyShape(putBucketLogging)(this, name, ...rest);
  }

  /** {@inheritDoc getBucketLogging} */
  getBucketLogging(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketLogging>;
  getBucketLogging(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof getBucketLogging>;
  getBucketLogging(name: string, ...rest: unknown[]) {
    return anyShape(getBucketLogging)(this, name, ...rest);
  }

  /** {@inheritDoc deleteBucketLogging} */
  deleteBucketLogging(name: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketLogging>;
  deleteBucketLogging(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketLogging>;
  deleteBucketLogging(name: string, ...rest: unknown[]) {
    return anyShape(deleteBucketLogging)(this, name, ...rest);
  }

  /** {@inheritDoc putBucketWebsite} */
  putBucketWebsite(name: string, config?: BucketWebsiteConfig, options?: BucketCallOptions): ReturnType<typeof putBucketWebsite>;
  putBucketWebsite(name: string, region: string, config?: BucketWebsiteConfig, options?: BucketCallOptions): ReturnType<typeof putBucketWebsite>;
  putBucketWebsite(name: string, ...rest: unknown[]) {
    return anyShape(putBucketWebsite)(this, name, ...rest);
  }

  /** {@inheritDoc getBucketWebsite} */
  getBucketWebsite(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketWebsite>;
  getBucketWebsite(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof getBucketWebsite>;
  getBucketWebsite(name: string, ...rest: unknown[]) {
    return anyShape(getBucketWebsite)(this, name, ...rest);
  }

  /** {@inheritDoc deleteBucketWebsite} */
  deleteBucketWebsite(name: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketWebsite>;
  deleteBucketWebsite(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketWebsite>;
  deleteBucketWebsite(name: string, ...rest: unknown[]) {
    return anyShape(deleteBucketWebsite)(this, name, ...rest);
  }

  /** {@inheritDoc putBucketReferer} */
  putBucketReferer(name: string, allowEmpty: boolean, referers?: string[] | null, options?: PutBucketRefererOptions): ReturnType<typeof putBucketReferer>;
  putBucketReferer(name: string, region: string, allowEmpty: boolean, referers?: string[] | null, options?: PutBucketRefererOptions): ReturnType<typeof putBucketReferer>;
  putBucketReferer(name: string, ...rest: unknown[]) {
    return anyShape(putBucketReferer)(this, name, ...rest);
  }

  /** {@inheritDoc getBucketReferer} */
  getBucketReferer(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketReferer>;
  getBucketReferer(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof getBucketReferer>;
  getBucketReferer(name: string, ...rest: unknown[]) {
    return anyShape(getBucketReferer)(this, name, ...rest);
  }

  /** {@inheritDoc deleteBucketReferer} */
  deleteBucketReferer(name: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketReferer>;
  deleteBucketReferer(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketReferer>;
  deleteBucketReferer(name: string, ...rest: unknown[]) {
    return anyShape(deleteBucketReferer)(this, name, ...rest);
  }

  /** {@inheritDoc putBucketLifecycle} */
  putBucketLifecycle(name: string, rules: LifecycleRule[], options?: PutBucketLifecycleOptions): ReturnType<typeof putBucketLifecycle>;
  putBucketLifecycle(name: string, region: string, rules: LifecycleRule[], options?: PutBucketLifecycleOptions): ReturnType<typeof putBucketLifecycle>;
  putBucketLifecycle(name: string, ...rest: unknown[]) {
    return anyShape(putBucketLifecycle)(this, name, ...rest);
  }

  /** {@inheritDoc getBucketLifecycle} */
  getBucketLifecycle(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketLifecycle>;
  getBucketLifecycle(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof getBucketLifecycle>;
  getBucketLifecycle(name: string, ...rest: unknown[]) {
    return anyShape(getBucketLifecycle)(this, name, ...rest);
  }

  /** {@inheritDoc deleteBucketLifecycle} */
  deleteBucketLifecycle(name: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketLifecycle>;
  deleteBucketLifecycle(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketLifecycle>;
  deleteBucketLifecycle(name: string, ...rest: unknown[]) {
    return anyShape(deleteBucketLifecycle)(this, name, ...rest);
  }

  /** {@inheritDoc putBucketCORS} */
  putBucketCORS(name: string, rules: CORSRule[], options?: PutBucketCORSOptions): ReturnType<typeof putBucketCORS>;
  putBucketCORS(name: string, region: string, rules: CORSRule[], options?: PutBucketCORSOptions): ReturnType<typeof putBucketCORS>;
  putBucketCORS(name: string, ...rest: unknown[]) {
    return anyShape(putBucketCORS)(this, name, ...rest);
  }

  /** {@inheritDoc getBucketCORS} */
  getBucketCORS(name: string, options?: BucketCallOptions): ReturnType<typeof getBucketCORS>;
  getBucketCORS(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof getBucketCORS>;
  getBucketCORS(name: string, ...rest: unknown[]) {
    return anyShape(getBucketCORS)(this, name, ...rest);
  }

  /** {@inheritDoc deleteBucketCORS} */
  deleteBucketCORS(name: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketCORS>;
  deleteBucketCORS(name: string, region: string, options?: BucketCallOptions): ReturnType<typeof deleteBucketCORS>;
  deleteBucketCORS(name: string, ...rest: unknown[]) {
    return anyShape(deleteBucketCORS)(this, name, ...rest);
  }

  /** {@inheritDoc putBucketVersioning} */
  putBucketVersioning(name: string, status: VersioningStatus, options?: BucketCallOptions) {
    return putBucketVersioning(this, name, status, options);
  }

  /** {@inheritDoc getBucketVersioning} */
  getBucketVersioning(name: string, options?: BucketCallOptions) {
    return getBucketVersioning(this, name, options);
  }

  /** {@inheritDoc listObjectVersions} */
  listObjectVersions(query?: ListObjectVersionsQuery, options?: CallOptions) {
    return listObjectVersions(this, query, options);
  }

  /** ali-oss's other name of {@link OSSClient.listObjectVersions}. */
  getBucketVersions(query?: ListObjectVersionsQuery, options?: CallOptions) {
    return listObjectVersions(this, query, options);
  }

  /** {@inheritDoc putBucketTags} */
  putBucketTags(name: string, tag: Record<string, string>, options?: BucketCallOptions) {
    return putBucketTags(this, name, tag, options);
  }

  /** {@inheritDoc getBucketTags} */
  getBucketTags(name: string, options?: BucketCallOptions) {
    return getBucketTags(this, name, options);
  }

  /** {@inheritDoc deleteBucketTags} */
  deleteBucketTags(name: string, options?: DeleteBucketTagsOptions) {
    return deleteBucketTags(this, name, options);
  }

  /** {@inheritDoc putBucketPolicy} */
  putBucketPolicy(name: string, policy: BucketPolicy | string, options?: BucketCallOptions) {
    return putBucketPolicy(this, name, policy, options);
  }

  /** {@inheritDoc getBucketPolicy} */
  getBucketPolicy(name: string, options?: BucketCallOptions) {
    return getBucketPolicy(this, name, options);
  }

  /** {@inheritDoc deleteBucketPolicy} */
  deleteBucketPolicy(name: string, options?: BucketCallOptions) {
    return deleteBucketPolicy(this, name, options);
  }

  /** {@inheritDoc putBucketEncryption} */
  putBucketEncryption(name: string, rule: BucketEncryptionRule, options?: BucketCallOptions) {
    return putBucketEncryption(this, name, rule, options);
  }

  /** {@inheritDoc getBucketEncryption} */
  getBucketEncryption(name: string, options?: BucketCallOptions) {
    return getBucketEncryption(this, name, options);
  }

  /** {@inheritDoc deleteBucketEncryption} */
  deleteBucketEncryption(name: string, options?: BucketCallOptions) {
    return deleteBucketEncryption(this, name, options);
  }

  /** {@inheritDoc putBucketRequestPayment} */
  putBucketRequestPayment(name: string, payer: RequestPayer, options?: BucketCallOptions) {
    return putBucketRequestPayment(this, name, payer, options);
  }

  /** {@inheritDoc getBucketRequestPayment} */
  getBucketRequestPayment(name: string, options?: BucketCallOptions) {
    return getBucketRequestPayment(this, name, options);
  }

  /** {@inheritDoc getBucketStat} */
  getBucketStat(name?: string, options?: BucketCallOptions) {
    return getBucketStat(this, name, options);
  }

  /** {@inheritDoc initiateBucketWorm} */
  initiateBucketWorm(name: string, days: number, options?: BucketCallOptions) {
    return initiateBucketWorm(this, name, days, options);
  }

  /** {@inheritDoc abortBucketWorm} */
  abortBucketWorm(name: string, options?: BucketCallOptions) {
    return abortBucketWorm(this, name, options);
  }

  /** {@inheritDoc completeBucketWorm} */
  completeBucketWorm(name: string, wormId: string, options?: BucketCallOptions) {
    return completeBucketWorm(this, name, wormId, options);
  }

  /** {@inheritDoc extendBucketWorm} */
  extendBucketWorm(name: string, wormId: string, days: number, options?: BucketCallOptions) {
    return extendBucketWorm(this, name, wormId, days, options);
  }

  /** {@inheritDoc getBucketWorm} */
  getBucketWorm(name: string, options?: BucketCallOptions) {
    return getBucketWorm(this, name, options);
  }

  /** {@inheritDoc putBucketInventory} */
  putBucketInventory(name: string, inventory: BucketInventory, options?: BucketCallOptions) {
    return putBucketInventory(this, name, inventory, options);
  }

  /** {@inheritDoc getBucketInventory} */
  getBucketInventory(name: string, inventoryId: string, options?: BucketCallOptions) {
    return getBucketInventory(this, name, inventoryId, options);
  }

  /** {@inheritDoc listBucketInventory} */
  listBucketInventory(name: string, options?: BucketCallOptions & { continuationToken?: string }) {
    return listBucketInventory(this, name, options);
  }

  /** {@inheritDoc deleteBucketInventory} */
  deleteBucketInventory(name: string, inventoryId: string, options?: BucketCallOptions) {
    return deleteBucketInventory(this, name, inventoryId, options);
  }


  /** {@inheritDoc calculatePostSignature} */
  calculatePostSignature(policy: PostPolicy) {
    return calculatePostSignature(this, policy);
  }

  /** {@inheritDoc signPostObjectPolicyV4} */
  signPostObjectPolicyV4(policy: PostPolicy, date: Date) {
    return signPostObjectPolicyV4(this, policy, date);
  }

  /** {@inheritDoc signPostObjectPolicy} */
  signPostObjectPolicy(options?: SignPostObjectPolicyOptions) {
    return signPostObjectPolicy(this, options);
  }

  /** {@inheritDoc multipartUpload} */
  multipartUpload(name: string, body: BodyInput, options?: MultipartUploadOptions) {
    return multipartUpload(this, name, body, options);
  }

  /** {@inheritDoc multipartUploadCopy} */
  multipartUploadCopy(name: string, source: MultipartCopySource, options?: MultipartUploadCopyOptions) {
    return multipartUploadCopy(this, name, source, options);
  }

  /** {@inheritDoc initMultipartUpload} */
  initMultipartUpload(name: string, options?: InitMultipartOptions) {
    return initMultipartUpload(this, name, options);
  }

  /** {@inheritDoc uploadPart} */
  uploadPart(name: string, uploadId: string, partNumber: number, body: BodyInput, options?: UploadPartOptions) {
    return uploadPart(this, name, uploadId, partNumber, body, options);
  }

  /** {@inheritDoc uploadPartCopy} */
  uploadPartCopy(name: string, uploadId: string, partNumber: number, range: string | undefined, source: PartCopySource, options?: UploadPartCopyOptions) {
    return uploadPartCopy(this, name, uploadId, partNumber, range, source, options);
  }

  /** {@inheritDoc completeMultipartUpload} */
  completeMultipartUpload(name: string, uploadId: string, parts: CompletedPart[] | null, options?: CompleteMultipartOptions) {
    return completeMultipartUpload(this, name, uploadId, parts, options);
  }

  /** {@inheritDoc abortMultipartUpload} */
  abortMultipartUpload(name: string, uploadId: string, options?: CallOptions) {
    return abortMultipartUpload(this, name, uploadId, options);
  }

  /** {@inheritDoc listParts} */
  listParts(name: string, uploadId: string, query?: ListPartsQuery, options?: CallOptions) {
    return listParts(this, name, uploadId, query, options);
  }

  /** {@inheritDoc listAllParts} */
  listAllParts(name: string, uploadId: string, options?: ListAllPartsOptions) {
    return listAllParts(this, name, uploadId, options);
  }

  /** {@inheritDoc listUploads} */
  listUploads(query?: ListUploadsQuery, options?: CallOptions) {
    return listUploads(this, query, options);
  }

  /** {@inheritDoc listAllUploads} */
  listAllUploads(options?: ListAllUploadsOptions) {
    return listAllUploads(this, options);
  }


  // -- image processing (issue 9) goes above this line --
}

// OSSClient: every operation as an ali-oss-style method over one OSSCore. Pages that care about
// bundle size import the standalone functions instead.

import { OSSCore } from './core.js';
import type { BodyInput } from './body.js';
import { put, type PutOptions } from './object/put.js';
import { get, getStream, type GetOptions } from './object/get.js';
import { head, type HeadOptions } from './object/head.js';
import { deleteObject } from './object/delete.js';
import { list, listAll, type ListAllOptions, type ListQuery } from './object/list.js';
import type { CallOptions } from './object/common.js';
import {
  deleteBucket, listBuckets, putBucket, type BucketCallOptions, type ListBucketsQuery, type PutBucketOptions,
} from './bucket/buckets.js';

export class OSSClient extends OSSCore {
  /** {@inheritDoc put} */
  put(name: string, body: BodyInput, options?: PutOptions) {
    return put(this, name, body, options);
  }

  /** {@inheritDoc get} */
  get(name: string, options?: GetOptions) {
    return get(this, name, options);
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
  delete(name: string, options?: CallOptions) {
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

  // -- more object operations (issue 3) go above this line --

  /** {@inheritDoc listBuckets} */
  listBuckets(query?: ListBucketsQuery, options?: BucketCallOptions) {
    return listBuckets(this, query, options);
  }

  /** {@inheritDoc putBucket} */
  putBucket(name: string, options?: PutBucketOptions) {
    return putBucket(this, name, options);
  }

  /** {@inheritDoc deleteBucket} */
  deleteBucket(name: string, options?: BucketCallOptions) {
    return deleteBucket(this, name, options);
  }

  // -- more bucket operations (issue 4) go above this line --

  // -- multipart, managed upload, STS, POST policy (issue 5) go above this line --

  // -- image processing (issue 9) goes above this line --
}

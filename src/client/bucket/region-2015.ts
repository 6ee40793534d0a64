// The 2015 API (ali-oss 4.x) put a region after the bucket name: `putBucketACL(name, region,
// acl)`. OSSClient still takes those shapes, through this one wrapper; the standalone functions
// take only today's. The region is checked and dropped (the client's endpoint decides where
// requests go). putBucket is not wrapped: its 2015 region becomes the bucket's LocationConstraint.

import type { OSSCore } from '../core.js';
import { isSeedRegion } from './common.js';

/** Calls whose first argument after the name may be a string today: the 2015 shape is told by the second. */
const TOLD_BY_SECOND: Record<string, (rest: unknown[]) => boolean> = {
  putBucketACL: (rest) => typeof rest[1] === 'string',
  putBucketReferer: (rest) => typeof rest[1] === 'boolean',
  putBucketLogging: (rest) => rest.length >= 3 || typeof rest[1] === 'string' || rest[1] === null,
};

type BucketOp = (core: OSSCore, name: string, ...rest: never[]) => unknown;

/** The operations, each taking the 2015 shape `(name, region, …)` as well as today's `(name, …)`. */
export function accept2015Region<T extends Record<string, BucketOp>>(ops: T): T {
  const wrapped: Record<string, BucketOp> = {};
  for (const [name, op] of Object.entries(ops)) {
    const is2015 = TOLD_BY_SECOND[name] ?? (() => true);
    // async: a bad region rejects the call, as every argument check does.
    wrapped[name] = async (core, bucket, ...rest) => op(core, bucket, ...((is2015(rest) && isSeedRegion(rest[0]) ? rest.slice(1) : rest) as never[]));
  }
  return wrapped as T;
}

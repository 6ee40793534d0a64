// Bucket sub-resource configurations as they live in BucketRecord.config, typed (the CORS and
// website shapes are defined here so that this module imports none of their users), and updated one
// writer per bucket at a time so that two concurrent PUTs (?cors and ?website) both survive.

import type { RefererConfig } from '../../referer.js';
import type { Storage, BucketRecord } from '../../storage/types.js';
import { serverError } from '../../errors.js';
import type { LifecycleRule } from './lifecycle-rules.js';
import type { XmlBuildValue } from '../../../core/xml.js';

export interface CorsRule {
  allowedOrigins: string[];
  /** Upper-case: GET, PUT, DELETE, POST, HEAD. */
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

export interface CorsConfig {
  rules: CorsRule[];
  /** Add `Vary: Origin` to responses (OSS ResponseVary). */
  responseVary: boolean;
}

export interface WebsiteConfig {
  /** Index document suffix, e.g. `index.html`. */
  index?: string;
  /** A directory path serves its own index (else the root's). */
  supportSubDir: boolean;
  /** For a missing `dir` whose `dir/index` exists: 0 redirect to `dir/`, 1 error document, 2 serve it. */
  type: 0 | 1 | 2;
  errorDocument?: string;
  /** Status of error-document responses: 404 (default) or 200. */
  errorStatus: number;
  /** Stored as sent, returned by GetBucketWebsite, not applied. */
  routingRules?: XmlBuildValue;
}

export interface LoggingConfig {
  targetBucket: string;
  targetPrefix: string;
}

export type VersioningStatus = 'Enabled' | 'Suspended';

export interface WormConfig {
  id: string;
  /** InProgress for 24 h after InitiateBucketWorm (then it lapses), Locked once completed. */
  state: 'InProgress' | 'Locked';
  days: number;
  /** Milliseconds since the epoch. */
  created: number;
}

/** Server-side encryption of an object or a bucket's default: OSS's three header values. */
export interface EncryptionRule {
  /** AES256, KMS or SM4. */
  algorithm: string;
  /** KMS only: the customer master key. */
  keyId?: string;
  /** KMS only: `SM4` encrypts the data with SM4 instead of AES-256. */
  dataEncryption?: string;
}

export interface BucketConfigs {
  cors: CorsConfig;
  website: WebsiteConfig;
  referer: RefererConfig;
  logging: LoggingConfig;
  lifecycle: LifecycleRule[];
  versioning: VersioningStatus;
  tags: Record<string, string>;
  /** The policy document as the owner sent it (GetBucketPolicy returns it unchanged). */
  policy: string;
  /** PutBucket's DataRedundancyType (LRS when absent). */
  dataRedundancyType: string;
  /** PutBucketEncryption's default rule for objects whose upload names none. */
  encryption: EncryptionRule;
  /** Set only for a pay-by-requester bucket (the default payer is BucketOwner). */
  requestPayment: 'Requester';
  /** The bucket's WORM retention policy. */
  worm: WormConfig;
  /** Inventory configurations by id, each the validated document GetBucketInventory returns. */
  inventory: Record<string, XmlBuildValue>;
}

export function getConfig<K extends keyof BucketConfigs>(bucket: BucketRecord, name: K): BucketConfigs[K] | undefined {
  return bucket.config[name] as BucketConfigs[K] | undefined;
}

const queues = new WeakMap<Storage, Map<string, Promise<unknown>>>();

/** Run `work` after every earlier update of the same bucket has finished. */
function serialised<T>(storage: Storage, bucket: string, work: () => Promise<T>): Promise<T> {
  let perStorage = queues.get(storage);
  if (!perStorage) queues.set(storage, (perStorage = new Map()));
  const previous = perStorage.get(bucket) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.catch(() => undefined);
  perStorage.set(bucket, settled);
  void settled.then(() => {
    if (perStorage.get(bucket) === settled) perStorage.delete(bucket);
  });
  return next;
}

/**
 * Re-read the bucket, let `change` edit a copy of it, store the copy. `undefined` values delete
 * a configuration.
 */
export function updateBucket(
  storage: Storage, name: string, change: (bucket: BucketRecord) => void,
): Promise<BucketRecord> {
  return serialised(storage, name, async () => {
    const current = await storage.getBucket(name);
    if (!current) throw serverError('NoSuchBucket', { BucketName: name });
    const next: BucketRecord = { ...current, config: { ...current.config } };
    change(next);
    for (const [k, v] of Object.entries(next.config)) if (v === undefined) delete next.config[k];
    await storage.putBucket(next);
    return next;
  });
}

/** Set (or, with `undefined`, remove) one configuration of a bucket. */
export function setConfig<K extends keyof BucketConfigs>(
  storage: Storage, bucket: string, name: K, value: BucketConfigs[K] | undefined,
): Promise<BucketRecord> {
  return updateBucket(storage, bucket, (b) => {
    b.config[name] = value;
  });
}

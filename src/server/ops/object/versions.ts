// The version-aware object primitives every object operation calls: write, read and delete
// with versionId, delete markers (the bucket's versioning routes are ../bucket/versioning.ts).

import { ServerError, serverError } from '../../errors.js';
import type { RequestContext, ServerState } from '../../context.js';
import type {
  BodySource, BucketRecord, ByteRange, ExtendedStorage, ObjectRecord, VersioningMode, WriteDigest, WriteOptions,
} from '../../storage/types.js';
import { authorize, emptyResponse, httpDate, type Access } from '../common.js';
import { getConfig } from '../bucket/config-store.js';
import { requireKey } from './common.js';

/** The storage's version API, or NotImplemented when the store has none. */
export function versionStore(state: ServerState): ExtendedStorage {
  const s = state.storage as Partial<ExtendedStorage>;
  if (typeof s.putObjectVersioned !== 'function' || typeof s.listObjectVersions !== 'function') {
    throw serverError('NotImplemented', {}, 'This storage keeps no object versions.');
  }
  return state.storage as ExtendedStorage;
}

/** How writes to the bucket treat older versions. */
export function versioningMode(bucket: BucketRecord): VersioningMode {
  const status = getConfig(bucket, 'versioning');
  return status === 'Enabled' ? 'enabled' : status === 'Suspended' ? 'suspended' : 'off';
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh version id (OSS's look: `CAEQ` and opaque letters and digits). */
export function newVersionId(): string {
  let id = 'CAEQ';
  for (const b of crypto.getRandomValues(new Uint8Array(36))) id += ID_CHARS[b % ID_CHARS.length];
  return id;
}

/**
 * What a write to this bucket passes to the storage and stamps on its record: no version id
 * while versioning was never enabled, a new one when enabled, `null` when suspended.
 */
export function versionStamp(bucket: BucketRecord): { options: WriteOptions; versionId: string | undefined } {
  const mode = versioningMode(bucket);
  return { options: { versioning: mode }, versionId: mode === 'enabled' ? newVersionId() : mode === 'suspended' ? 'null' : undefined };
}

/** Storage.putObject that honours the bucket's versioning (the PutObject hook). */
export async function putVersioned(
  ctx: RequestContext, bucket: BucketRecord, key: string, body: BodySource,
  finish: (digest: WriteDigest) => ObjectRecord | Promise<ObjectRecord>,
): Promise<ObjectRecord> {
  const stamp = versionStamp(bucket);
  if (stamp.versionId === undefined) return ctx.state.storage.putObject(bucket.name, key, body, finish);
  return versionStore(ctx.state).putObjectVersioned(
    bucket.name, key, body, async (digest) => ({ ...(await finish(digest)), versionId: stamp.versionId }), stamp.options,
  );
}

/** `x-oss-version-id` of a record written or read in a versioned bucket. */
export function setVersionHeader(headers: Headers, record: ObjectRecord): void {
  if (record.versionId !== undefined) headers.set('x-oss-version-id', record.versionId);
}

/** The request's `?versionId=`, or null for the current version; an empty id is refused. */
export function requestedVersion(ctx: RequestContext): string | null {
  const versionId = ctx.query.get('versionId');
  if (versionId === '') throw serverError('InvalidArgument', { ArgumentName: 'versionId', ArgumentValue: '' }, 'Invalid version id specified.');
  return versionId;
}

/** NoSuchKey for a key whose current version is missing; a delete marker says so in headers, as OSS does. */
async function missingCurrent(state: ServerState, bucket: BucketRecord, key: string): Promise<ServerError> {
  const store = state.storage as Partial<ExtendedStorage>;
  const current = typeof store.getObjectVersion === 'function' ? await store.getObjectVersion(bucket.name, key) : undefined;
  const headers: Record<string, string> = current?.deleteMarker
    ? { 'x-oss-delete-marker': 'true', 'x-oss-version-id': current.versionId ?? 'null' }
    : {};
  return new ServerError('NoSuchKey', 'The specified key does not exist.', { Key: key }, 404, undefined, headers);
}

/**
 * The record a GET/HEAD (access `read`) or an object sub-resource call (`subresource: true`)
 * addresses: the current version, or the one `?versionId=` names. A delete marker named by its
 * id answers 405 with `x-oss-delete-marker`. Checks permission like the plain lookup: without
 * it, a missing key or version is not distinguishable.
 */
export async function loadVersion(
  ctx: RequestContext, bucket: BucketRecord, key: string, access: Access, subresource = false,
): Promise<ObjectRecord> {
  const versionId = requestedVersion(ctx);
  if (versionId === null) {
    const record = await ctx.state.storage.getObject(bucket.name, key);
    authorize(ctx, bucket, access, record);
    if (!record) throw await missingCurrent(ctx.state, bucket, key);
    return record;
  }
  const record = await versionStore(ctx.state).getObjectVersion(bucket.name, key, versionId);
  authorize(ctx, bucket, access, record);
  if (!record) throw new ServerError('NoSuchVersion', 'The specified version does not exist.', { Key: key, VersionId: versionId }, 404);
  if (record.deleteMarker) {
    throw new ServerError(
      'MethodNotAllowed', 'The specified method is not allowed against a delete marker.', {}, 405,
      // OSS's code for a sub-resource call (ACL, tagging, …) on a delete marker.
      subresource ? '0017-00000002' : undefined,
      { 'x-oss-delete-marker': 'true', 'x-oss-version-id': versionId, 'last-modified': httpDate(record.lastModified) },
    );
  }
  return record;
}

/** The bytes of exactly the record loadVersion returned (the GetObject body hook). */
export function readVersion(ctx: RequestContext, bucket: BucketRecord, record: ObjectRecord, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
  if (record.versionId === undefined) return ctx.state.storage.readObject(bucket.name, record.key, range);
  return versionStore(ctx.state).readObjectVersion(bucket.name, record.key, record.versionId, range);
}

/** The version a sub-resource call addresses (current, or `?versionId=`), authorized. */
export function loadRecord(ctx: RequestContext, bucket: BucketRecord, access: Access): Promise<ObjectRecord> {
  return loadVersion(ctx, bucket, requireKey(ctx), access, true);
}

/** `x-oss-version-id` of the version a sub-resource call acted on, if it has one. */
export function versionHeaders(record: ObjectRecord, init?: HeadersInit): Headers {
  const headers = new Headers(init);
  setVersionHeader(headers, record);
  return headers;
}

export interface DeleteOutcome {
  /** The version removed for good, or the delete marker's id. */
  versionId?: string;
  /** A delete marker was added, or the version removed was one. */
  deleteMarker: boolean;
}

/**
 * Delete as the bucket's versioning says: with a version id that version goes for good; without
 * one, an unversioned bucket drops the key and a versioned one gets a delete marker.
 * (DeleteObject and DeleteMultipleObjects share this.)
 */
export async function removeObject(state: ServerState, bucket: BucketRecord, key: string, versionId?: string): Promise<DeleteOutcome> {
  if (versionId !== undefined) {
    const store = versionStore(state);
    const record = await store.getObjectVersion(bucket.name, key, versionId);
    await store.deleteObjectVersion(bucket.name, key, versionId);
    return { versionId, deleteMarker: record?.deleteMarker === true };
  }
  const stamp = versionStamp(bucket);
  if (stamp.versionId === undefined) {
    await state.storage.deleteObject(bucket.name, key);
    return { deleteMarker: false };
  }
  await versionStore(state).putDeleteMarker(bucket.name, deleteMarker(key, stamp.versionId, state.now()), stamp.options);
  return { versionId: stamp.versionId, deleteMarker: true };
}

function deleteMarker(key: string, versionId: string, now: number): ObjectRecord {
  return {
    key, versionId, deleteMarker: true, size: 0, etag: '', lastModified: now, crc64: '0', contentType: '',
    headers: {}, meta: {}, objectType: 'Normal', storageClass: 'Standard', acl: 'default', tags: {},
  };
}

/** The DeleteObject hook: removeObject for `?versionId`, answered with OSS's headers. */
export async function deleteVersioned(ctx: RequestContext, bucket: BucketRecord, key: string): Promise<Response> {
  const versionId = requestedVersion(ctx);
  const outcome = await removeObject(ctx.state, bucket, key, versionId ?? undefined);
  const headers = new Headers();
  if (outcome.versionId !== undefined) headers.set('x-oss-version-id', outcome.versionId);
  if (outcome.deleteMarker) headers.set('x-oss-delete-marker', 'true');
  return emptyResponse(204, headers);
}

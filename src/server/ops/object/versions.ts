// Versioning: PutBucketVersioning / GetBucketVersioning, ListObjectVersions (GET /?versions), and
// the version-aware object primitives the object routes call (write, read, delete with
// versionId, delete markers).

import { encodeQueryComponent } from '../../../core/encoding.js';
import { compareUtf8 } from '../../../core/order.js';
import { child, text } from '../../../core/xml.js';
import { ServerError, serverError } from '../../errors.js';
import type { RequestContext, ServerState } from '../../context.js';
import type {
  BodySource, BucketRecord, ByteRange, ExtendedStorage, ObjectRecord, VersioningMode, WriteDigest, WriteOptions,
} from '../../storage/types.js';
import {
  authorize, bucketOwner, emptyResponse, httpDate, isoDate, loadBucket, readXmlBody, xmlResponse, type Access,
} from '../common.js';
import { getConfig, setConfig, type VersioningStatus } from '../bucket/config-store.js';
import { defineRoute, type RouteDef } from '../routes.js';
import { restoreInfo } from './restore-state.js';

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

// -- bucket routes --

async function putBucketVersioning(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'owner');
  const doc = await readXmlBody(ctx);
  const status = text(child(doc.VersioningConfiguration, 'Status'));
  if (status !== 'Enabled' && status !== 'Suspended') throw serverError('MalformedXML');
  if (status === 'Enabled') versionStore(ctx.state);
  await setConfig(ctx.state.storage, bucket.name, 'versioning', status satisfies VersioningStatus);
  return emptyResponse(200);
}

async function getBucketVersioning(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'owner');
  return xmlResponse('VersioningConfiguration', { Status: getConfig(bucket, 'versioning') });
}

function intParam(ctx: RequestContext, name: string, dflt: number, max: number): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return dflt;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw serverError('InvalidArgument', { ArgumentName: name, ArgumentValue: raw }, `Argument ${name} must be an integer from 1 to ${max}.`);
  }
  return Number(raw);
}

interface VersionEntry {
  record: ObjectRecord;
  isLatest: boolean;
}

/** Every version after (key-marker, version-id-marker), newest first per key, latest flagged. */
async function* versionsAfter(store: ExtendedStorage, bucket: string, prefix: string, keyMarker: string, versionIdMarker: string): AsyncGenerator<VersionEntry> {
  if (keyMarker && versionIdMarker) {
    let seen = false;
    for await (const record of store.listObjectVersions(bucket, { prefix: keyMarker })) {
      if (record.key !== keyMarker) break;
      if (seen && record.key.startsWith(prefix)) yield { record, isLatest: false };
      if ((record.versionId ?? 'null') === versionIdMarker) seen = true;
    }
  }
  let last: string | undefined;
  for await (const record of store.listObjectVersions(bucket, { prefix, after: keyMarker || undefined })) {
    yield { record, isLatest: record.key !== last };
    last = record.key;
  }
}

async function listObjectVersions(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'read');
  const store = versionStore(ctx.state);
  const now = ctx.state.now();
  const q = ctx.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const keyMarker = q.get('key-marker') ?? '';
  const versionIdMarker = q.get('version-id-marker') ?? '';
  const maxKeys = intParam(ctx, 'max-keys', 100, 1000);
  const encoding = q.get('encoding-type');
  if (encoding !== null && encoding !== 'url') throw serverError('InvalidArgument', { ArgumentName: 'encoding-type', ArgumentValue: encoding }, 'The encoding-type must be url.');
  if (versionIdMarker && !keyMarker) throw serverError('InvalidArgument', { ArgumentName: 'version-id-marker', ArgumentValue: versionIdMarker }, 'A version-id marker cannot be specified without a key marker.');
  const enc = encoding === 'url' ? encodeQueryComponent : (s: string) => s;

  const entries: VersionEntry[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let next: { key: string; versionId?: string } | undefined;
  for await (const entry of versionsAfter(store, bucket.name, prefix, keyMarker, versionIdMarker)) {
    const key = entry.record.key;
    let common: string | undefined;
    if (delimiter) {
      const cut = key.indexOf(delimiter, prefix.length);
      if (cut !== -1) common = key.slice(0, cut + delimiter.length);
    }
    if (common !== undefined && (common === prefixes[prefixes.length - 1] || compareUtf8(common, keyMarker) <= 0)) continue;
    if (entries.length + prefixes.length === maxKeys) {
      truncated = true;
      break;
    }
    if (common !== undefined) {
      prefixes.push(common);
      next = { key: common };
    } else {
      entries.push(entry);
      next = { key, versionId: entry.record.versionId ?? 'null' };
    }
  }
  const owner = bucketOwner(bucket);
  const ownerXml = { ID: owner.id, DisplayName: owner.displayName };
  return xmlResponse('ListVersionsResult', {
    Name: bucket.name,
    Prefix: enc(prefix),
    KeyMarker: enc(keyMarker),
    VersionIdMarker: versionIdMarker,
    MaxKeys: maxKeys,
    Delimiter: enc(delimiter),
    EncodingType: encoding ?? undefined,
    IsTruncated: truncated,
    NextKeyMarker: truncated && next ? enc(next.key) : undefined,
    NextVersionIdMarker: truncated && next ? next.versionId : undefined,
    Version: entries.filter((e) => !e.record.deleteMarker).map(({ record, isLatest }) => ({
      Key: enc(record.key),
      VersionId: record.versionId ?? 'null',
      IsLatest: isLatest,
      LastModified: isoDate(record.lastModified),
      ETag: record.etag,
      Type: record.objectType,
      Size: record.size,
      StorageClass: record.storageClass,
      RestoreInfo: restoreInfo(record, now),
      Owner: ownerXml,
    })),
    DeleteMarker: entries.filter((e) => e.record.deleteMarker).map(({ record, isLatest }) => ({
      Key: enc(record.key),
      VersionId: record.versionId ?? 'null',
      IsLatest: isLatest,
      LastModified: isoDate(record.lastModified),
      Owner: ownerXml,
    })),
    CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
  });
}

export const versioningRoutes: RouteDef[] = [
  defineRoute('bucket', 'PUT', 'versioning', putBucketVersioning),
  defineRoute('bucket', 'GET', 'versioning', getBucketVersioning),
  defineRoute('bucket', 'GET', 'versions', listObjectVersions),
];

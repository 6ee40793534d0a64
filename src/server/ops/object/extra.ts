// Object operations beyond put/get: AppendObject, PutSymlink/GetSymlink, object ACL, object
// tagging and RestoreObject; plus the hooks GetObject/HeadObject call to follow a symlink, to
// refuse reading a frozen archive, and to show append/restore/tagging state in headers.

import { fromBase64 } from '../../../core/crypto.js';
import { crc64Combine } from '../../../core/crc64.js';
import { decodeUriComponentSafe, encodeQueryComponent } from '../../../core/encoding.js';
import { decodeObjectName } from '../../address.js';
import { md5Hex } from '../../../core/md5.js';
import { MAX_OBJECT_TAGS, objectTagProblem } from '../../../core/object-tags.js';
import { asArray, child, text, type XmlValue } from '../../../core/xml.js';
import { ServerError, errorResponse, serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import type { BucketRecord, ExtendedStorage, ObjectRecord, Storage, WriteDigest } from '../../storage/types.js';
import {
  authorize, authorizeResource, bucketOwner, emptyResponse, httpDate, loadBucket, readXmlBody, setHeader, xmlResponse, type Access,
} from '../common.js';
import {
  checkForbidOverwrite, checkKey, objectAcl, requireKey, storageClass, storedHeaders, userMeta,
} from './common.js';
import { defineRoute, type RouteDef } from '../routes.js';
import { loadVersion, putVersioned, setVersionHeader } from './versions.js';
import { checkRetention } from '../bucket/worm.js';
import { ARCHIVE_CLASSES, restoreInfo, restoreState, type RestoreState } from './restore-state.js';

const MAX_OBJECT_BYTES = 5 * 1024 ** 3;
const DAY_MS = 86_400_000;

/** The version a sub-resource call addresses (current, or `?versionId=`), authorized. */
function loadRecord(ctx: RequestContext, bucket: BucketRecord, access: Access): Promise<ObjectRecord> {
  return loadVersion(ctx, bucket, requireKey(ctx), access, true);
}

/** `x-oss-version-id` of the version a sub-resource call acted on, if it has one. */
function versionHeaders(record: ObjectRecord, init?: HeadersInit): Headers {
  const headers = new Headers(init);
  setVersionHeader(headers, record);
  return headers;
}

// ---- tags ------------------------------------------------------------------------------------

function checkedTags(pairs: Array<[string, string]>): Record<string, string> {
  if (pairs.length > MAX_OBJECT_TAGS) {
    throw new ServerError('InvalidTag', `An object can have at most ${MAX_OBJECT_TAGS} tags.`, {}, 400, '0010-00000218');
  }
  const tags: Record<string, string> = {};
  for (const [key, value] of pairs) {
    const problem = objectTagProblem(key, value);
    if (problem) throw new ServerError('InvalidTag', `The tag is invalid: ${problem}.`, {}, 400, '0010-00000217');
    if (Object.hasOwn(tags, key)) throw new ServerError('InvalidTag', `The tag key "${key}" is given twice.`, {}, 400, '0010-00000218');
    tags[key] = value;
  }
  return tags;
}

/**
 * The tags of an `x-oss-tagging: k1=v1&k2=v2` request header (keys and values URL-encoded; a
 * bare `k` is an empty value), validated as PutObjectTagging would. No header: no tags.
 */
export function parseTaggingHeader(header: string | undefined): Record<string, string> {
  if (header === undefined || header === '') return {};
  const pairs = header.split('&').map((item): [string, string] => {
    const parts = item.split('=');
    if (parts.length > 2 || parts[0] === '') {
      throw new ServerError('InvalidArgument', `x-oss-tagging must be key1=value1&key2=value2, got "${header}".`, {}, 400, '0010-00000219');
    }
    return [decodeUriComponentSafe(parts[0]!), decodeUriComponentSafe(parts[1] ?? '')];
  });
  return checkedTags(pairs);
}

export async function putObjectTagging(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  const record = await loadRecord(ctx, bucket, 'write');
  const doc = await readXmlBody(ctx);
  if (doc.Tagging === undefined) throw serverError('MalformedXML');
  const pairs = asArray(child(child(doc.Tagging, 'TagSet'), 'Tag')).map((tag: XmlValue): [string, string] => {
    const key = text(child(tag, 'Key'));
    if (key === undefined) throw serverError('MalformedXML');
    return [key, text(child(tag, 'Value')) ?? ''];
  });
  // Tagging changes neither the bytes nor Last-Modified.
  await ctx.state.storage.updateObjectRecord(bucket.name, { ...record, tags: checkedTags(pairs) });
  return emptyResponse(200, versionHeaders(record));
}

export async function getObjectTagging(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  const record = await loadRecord(ctx, bucket, 'read');
  return xmlResponse('Tagging', { TagSet: { Tag: Object.entries(record.tags).map(([Key, Value]) => ({ Key, Value })) } }, 200, versionHeaders(record));
}

export async function deleteObjectTagging(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  const record = await loadRecord(ctx, bucket, 'write');
  await ctx.state.storage.updateObjectRecord(bucket.name, { ...record, tags: {} });
  return emptyResponse(204, versionHeaders(record));
}

// ---- ACL -------------------------------------------------------------------------------------

export async function putObjectAcl(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  const record = await loadRecord(ctx, bucket, 'owner');
  if (!ctx.headers.has('x-oss-object-acl')) {
    throw serverError('InvalidArgument', { ArgumentName: 'x-oss-object-acl' }, 'The x-oss-object-acl header is missing.');
  }
  await ctx.state.storage.updateObjectRecord(bucket.name, { ...record, acl: objectAcl(ctx) });
  return emptyResponse(200, versionHeaders(record));
}

export async function getObjectAcl(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  const record = await loadRecord(ctx, bucket, 'owner');
  const owner = bucketOwner(bucket);
  return xmlResponse('AccessControlPolicy', {
    Owner: { ID: owner.id, DisplayName: owner.displayName },
    AccessControlList: { Grant: record.acl },
  }, 200, versionHeaders(record));
}

// ---- symlinks --------------------------------------------------------------------------------

/** As ali-oss sends it: encodeURIComponent with `/` kept. */
function encodeSymlinkTarget(target: string): string {
  return encodeQueryComponent(target).replace(/%2F/g, '/');
}

export async function putSymlink(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'write');
  const key = requireKey(ctx);
  if (ARCHIVE_CLASSES.has(bucket.storageClass)) throw serverError('OperationNotSupported', {}, 'Symlinks cannot be created in an archive bucket.');
  const raw = ctx.headers.get('x-oss-symlink-target');
  if (!raw) throw serverError('InvalidArgument', { ArgumentName: 'x-oss-symlink-target' }, 'The x-oss-symlink-target header is missing.');
  const target = checkKey(decodeObjectName(raw));
  const acl = objectAcl(ctx);
  const cls = storageClass(ctx, bucket.storageClass);
  const meta = userMeta(ctx);
  const tags = parseTaggingHeader(ctx.headers.get('x-oss-tagging'));
  await checkRetention(ctx, bucket, key);
  checkForbidOverwrite(ctx, await ctx.state.storage.getObject(bucket.name, key));
  const now = ctx.state.now();
  // In a versioned bucket the link is a new version, as any write is.
  const record = await putVersioned(ctx, bucket, key, new Uint8Array(0), (): ObjectRecord => ({
    key,
    size: 0,
    // Not an MD5 of content (a link has none): derived from the target so it changes with it.
    etag: `"${md5Hex(target).toUpperCase()}"`,
    lastModified: now,
    crc64: '0',
    contentType: ctx.headers.get('content-type') || 'application/octet-stream',
    headers: {},
    meta,
    objectType: 'Symlink',
    storageClass: cls,
    acl,
    tags,
    symlinkTarget: target,
  }));
  return emptyResponse(200, versionHeaders(record, { etag: record.etag }));
}

export async function getSymlink(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  const record = await loadRecord(ctx, bucket, 'read');
  if (record.objectType !== 'Symlink' || record.symlinkTarget === undefined) {
    throw new ServerError('NotSymlink', 'The specified object is not a symlink.', {}, 400, '0043-00000101');
  }
  const headers = versionHeaders(record, {
    'x-oss-symlink-target': encodeSymlinkTarget(record.symlinkTarget),
    etag: record.etag,
    'last-modified': httpDate(record.lastModified),
    'content-type': record.contentType,
  });
  for (const [name, value] of Object.entries(record.meta)) setHeader(headers, `x-oss-meta-${name}`, value);
  return emptyResponse(200, headers);
}

/**
 * GetObject/HeadObject hook: the record whose bytes and headers to serve. A symlink resolves to
 * its target, which the caller must also be allowed to read (GetObject on the target's own key,
 * its own ACL: OSS grants the stricter of link and target); a dangling link is NoSuchKey; a
 * link to a link is refused, as OSS forbids chains. Other records are returned as they are.
 */
export async function resolveSymlink(ctx: RequestContext, bucket: BucketRecord, record: ObjectRecord): Promise<ObjectRecord> {
  if (record.objectType !== 'Symlink') return record;
  const target = await ctx.state.storage.getObject(bucket.name, record.symlinkTarget ?? '');
  if (!target) {
    throw new ServerError('NoSuchKey', 'The object the symlink points to does not exist.', { Key: record.key }, 404, '0026-00000012');
  }
  if (target.objectType === 'Symlink') throw serverError('InvalidTargetType', {}, 'The target of a symlink cannot be a symlink.');
  authorizeResource(ctx, { bucket, key: target.key, actions: ['oss:GetObject'], access: 'read', object: target });
  return target;
}

/**
 * What GET/HEAD show for a symlink, as HeadObject documents it
 * (https://help.aliyun.com/document_detail/31984.htm, "response headers" of a symlink): the
 * target's Content-Length, ETag and storage class, Last-Modified the later of link and target,
 * every other header the link's own: `x-oss-object-type: Symlink`, its user metadata, its
 * version (aliyun-oss-csharp-sdk's CreateAndGetSymlinkWithUserMetadataTest asserts the first two
 * against live OSS). The bytes' CRC-64 and content headers stay the target's: they describe the
 * body that is sent. Any other record is shown as it is.
 */
export function symlinkView(link: ObjectRecord, target: ObjectRecord): ObjectRecord {
  if (link === target) return target;
  return {
    ...target,
    objectType: link.objectType,
    meta: link.meta,
    versionId: link.versionId,
    lastModified: Math.max(link.lastModified, target.lastModified),
  };
}

// ---- append ----------------------------------------------------------------------------------

function withAppend(storage: Storage): ExtendedStorage {
  if (typeof (storage as Partial<ExtendedStorage>).appendObject !== 'function') {
    throw serverError('NotImplemented', {}, 'This server storage does not support appendable objects.');
  }
  return storage as ExtendedStorage;
}

function positionParam(ctx: RequestContext): number {
  const raw = ctx.query.get('position');
  if (raw === null || !/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw serverError('InvalidArgument', { ArgumentName: 'position', ArgumentValue: raw ?? '' }, 'position must be the current length of the object.');
  }
  return Number(raw);
}

function sameMd5(header: string, md5: Uint8Array): boolean {
  try {
    const given = fromBase64(header);
    return given.length === md5.length && given.every((b, i) => b === md5[i]);
  } catch {
    return false;
  }
}

/** Appendable objects have no content MD5; this ETag changes with every append, as OSS's does. */
function appendEtag(crc64: string, size: number): string {
  return `"${BigInt(crc64).toString(16).padStart(16, '0')}${size.toString(16).padStart(16, '0')}"`.toUpperCase();
}

export async function appendObject(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'write');
  const key = requireKey(ctx);
  const position = positionParam(ctx);
  const storage = withAppend(ctx.state.storage);
  const h = ctx.headers;
  const declared = h.get('content-length');
  const contentMd5 = h.get('content-md5');
  // What only the first append sets; later appends ignore these headers, as OSS does.
  const acl = objectAcl(ctx);
  const cls = storageClass(ctx, bucket.storageClass);
  const meta = userMeta(ctx);
  const stored = storedHeaders(ctx);
  const tags = parseTaggingHeader(h.get('x-oss-tagging'));
  const now = ctx.state.now();
  let currentLength = 0;
  const finish = (digest: WriteDigest, previous: ObjectRecord | undefined): ObjectRecord => {
    if (previous && previous.objectType !== 'Appendable') {
      throw new ServerError('ObjectNotAppendable', 'The object is not appendable.', {}, 409, '0026-00000017');
    }
    currentLength = previous?.size ?? 0;
    if (position !== currentLength) {
      throw new ServerError('PositionNotEqualToLength', 'Position is not equal to file length.', {}, 409, '0026-00000016');
    }
    if (declared !== undefined && Number(declared) !== digest.size) {
      throw serverError('InvalidArgument', {}, `The body is ${digest.size} bytes but Content-Length said ${declared}.`);
    }
    if (contentMd5 !== undefined && !sameMd5(contentMd5, digest.md5)) throw serverError('InvalidDigest', {}, 'The Content-MD5 you specified did not match what we received.');
    const size = currentLength + digest.size;
    if (size > MAX_OBJECT_BYTES) throw serverError('EntityTooLarge', {}, 'An appendable object cannot grow beyond 5 GB.');
    const crc64 = previous ? crc64Combine(previous.crc64, digest.crc64, digest.size).toString() : digest.crc64;
    const base: ObjectRecord = previous ?? {
      key, size: 0, etag: '', lastModified: now, crc64: '0',
      contentType: h.get('content-type') || 'application/octet-stream',
      headers: stored, meta, objectType: 'Appendable', storageClass: cls, acl, tags,
    };
    return { ...base, size, crc64, etag: appendEtag(crc64, size), lastModified: now };
  };
  let record: ObjectRecord;
  try {
    record = await storage.appendObject(bucket.name, key, ctx.request.body ?? new Uint8Array(0), finish);
  } catch (err) {
    // The only error that tells the client where to continue.
    if (err instanceof ServerError && err.code === 'PositionNotEqualToLength') {
      return errorResponse(err, ctx, new Headers({ 'x-oss-next-append-position': String(currentLength) }));
    }
    throw err;
  }
  return emptyResponse(200, { 'x-oss-next-append-position': String(record.size), 'x-oss-hash-crc64ecma': record.crc64 });
}

// ---- restore ---------------------------------------------------------------------------------

const MAX_RESTORE_DAYS: Record<string, number> = { Archive: 7, ColdArchive: 365, DeepColdArchive: 365 };
const TIERS: Record<string, string[]> = {
  ColdArchive: ['Expedited', 'Standard', 'Bulk'],
  DeepColdArchive: ['Expedited', 'Standard'],
};

/**
 * Days (default 1) and, for cold archives, the Tier (default Standard) of the optional
 * `<RestoreRequest>` body (https://help.aliyun.com/en/oss/developer-reference/restoreobject).
 * JobParameters on an Archive object is MalformedXML, as live OSS answers it
 * (aliyun-oss-python-sdk's test_restore_archive_object_with_job_parameters).
 */
async function restoreRequest(ctx: RequestContext, storageClass: string): Promise<{ days: number; tier: string | undefined }> {
  const tiers = TIERS[storageClass];
  const defaultTier = tiers ? 'Standard' : undefined;
  if (!ctx.request.body || ctx.headers.get('content-length') === '0') return { days: 1, tier: defaultTier };
  const doc = await readXmlBody(ctx);
  if (doc.RestoreRequest === undefined) throw serverError('MalformedXML');
  const rawDays = text(child(doc.RestoreRequest, 'Days'));
  const days = rawDays === undefined ? 1 : Number(rawDays);
  const max = MAX_RESTORE_DAYS[storageClass]!;
  if (!Number.isInteger(days) || days < 1 || days > max) {
    throw serverError('InvalidArgument', { ArgumentName: 'Days', ArgumentValue: rawDays ?? '' }, `Days must be an integer from 1 to ${max} for ${storageClass} objects.`);
  }
  const jobParameters = child(doc.RestoreRequest, 'JobParameters');
  if (jobParameters !== undefined && !tiers) throw serverError('MalformedXML');
  const tier = text(child(jobParameters, 'Tier'));
  if (tier !== undefined && tiers && !tiers.includes(tier)) {
    throw serverError('InvalidArgument', { ArgumentName: 'Tier', ArgumentValue: tier }, `Tier must be one of ${tiers.join(', ')}.`);
  }
  return { days, tier: tier ?? defaultTier };
}

/** The restore priority header: cold archives only, as RestoreObject documents it. */
function priorityHeader(state: RestoreState | undefined): Record<string, string> {
  return state?.tier === undefined ? {} : { 'x-oss-object-restore-priority': state.tier };
}

export async function restoreObject(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  const record = await loadRecord(ctx, bucket, 'write');
  if (!ARCHIVE_CLASSES.has(record.storageClass)) {
    throw serverError('OperationNotSupported', {}, `The operation is not supported for ${record.storageClass} objects.`);
  }
  const { days, tier } = await restoreRequest(ctx, record.storageClass);
  const now = ctx.state.now();
  const state = restoreState(record);
  if (state && now < state.readyAt) throw serverError('RestoreAlreadyInProgress', {}, 'The restore operation is in progress.');
  const restored = state !== undefined && now < state.expiresAt;
  // A restored copy gets its days counted again from now; a frozen object starts a restore.
  const next: RestoreState = restored
    ? { readyAt: state.readyAt, expiresAt: now + days * DAY_MS, ...(state.tier !== undefined ? { tier: state.tier } : {}) }
    : { readyAt: now + ctx.state.restoreDelayMs, expiresAt: now + ctx.state.restoreDelayMs + days * DAY_MS, ...(tier !== undefined ? { tier } : {}) };
  await ctx.state.storage.updateObjectRecord(bucket.name, { ...record, extra: { ...record.extra, restore: next } });
  return emptyResponse(restored ? 200 : 202, versionHeaders(record, priorityHeader(next)));
}

/**
 * GetObject hook (not HeadObject): archived objects are readable only while a restored copy
 * exists; otherwise 403 InvalidObjectState.
 */
export function checkReadable(record: ObjectRecord, now: number): void {
  if (!ARCHIVE_CLASSES.has(record.storageClass)) return;
  const state = restoreState(record);
  if (state && now >= state.readyAt && now < state.expiresAt) return;
  throw new ServerError('InvalidObjectState', "The operation is not valid for the object's state", {}, 403, '0016-00000404');
}

/**
 * GetObject/HeadObject hook: headers that show an object's state — where the next append goes,
 * how a restore stands, how many tags it has.
 */
export function objectStateHeaders(record: ObjectRecord, now: number): Record<string, string> {
  const out: Record<string, string> = {};
  if (record.objectType === 'Appendable') out['x-oss-next-append-position'] = String(record.size);
  const restore = restoreInfo(record, now);
  if (restore !== undefined) {
    out['x-oss-restore'] = restore;
    Object.assign(out, priorityHeader(restoreState(record)));
  }
  const tagCount = Object.keys(record.tags).length;
  if (tagCount) out['x-oss-tagging-count'] = String(tagCount);
  return out;
}

export const objectExtraRoutes: RouteDef[] = [
  defineRoute('object', 'POST', 'append', appendObject),
  defineRoute('object', 'PUT', 'symlink', putSymlink),
  defineRoute('object', 'GET', 'symlink', getSymlink),
  defineRoute('object', 'PUT', 'acl', putObjectAcl),
  defineRoute('object', 'GET', 'acl', getObjectAcl),
  defineRoute('object', 'PUT', 'tagging', putObjectTagging),
  defineRoute('object', 'GET', 'tagging', getObjectTagging),
  defineRoute('object', 'DELETE', 'tagging', deleteObjectTagging),
  defineRoute('object', 'POST', 'restore', restoreObject),
];

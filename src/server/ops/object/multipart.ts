// Multipart upload: Initiate, UploadPart, UploadPartCopy, Complete, Abort, ListParts and
// ListMultipartUploads. Complete's checks run inside the store's commit, so a part replaced
// concurrently can never slip into the object with another ETag than the one listed.

import { crc64Combine } from '../../../core/crc64.js';
import { toBase64, toHex } from '../../../core/crypto.js';
import { encodeQueryComponent, encodeUriPath } from '../../../core/encoding.js';
import { md5 } from '../../../core/md5.js';
import { compareUtf8 } from '../../../core/order.js';
import { asArray, child, text } from '../../../core/xml.js';
import { ServerError, serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { parseXmlBody } from '../../xml-body.js';
import { isUploadId } from '../../storage/semantics.js';
import type { ExtendedStorage, ObjectRecord, PartRecord, UploadRecord, WriteDigest } from '../../storage/types.js';
import { authorize, emptyResponse, intParam, isoDate, loadBucket, readTextBody, xmlResponse } from '../common.js';
import { copySourceBytes, loadCopySource, parseCopySource, sourceVersionHeaders } from './copy-source.js';
import {
  checkForbidOverwrite, evaluateConditions, objectAcl, requireKey, sameMd5, storageClass, storedHeaders, userMeta,
} from './common.js';
import { encryptionHeaders, refuseEncryptionHeaders, requestedEncryption, storedEncryption } from './encryption.js';
import { parseTaggingHeader } from './tagging.js';
import { defineRoute, type RouteDef } from '../routes.js';
import { checkRetention } from '../bucket/worm.js';

const MIN_PART_BYTES = 100 * 1024;
const MAX_PART_BYTES = 5 * 1024 ** 3;
const MAX_PART_NUMBER = 10_000;
const MAX_LISTED = 1000;
const MAX_COMPLETE_XML = 4 * 1024 * 1024;

function multipartStorage(ctx: RequestContext): ExtendedStorage {
  const storage = ctx.state.storage as Partial<ExtendedStorage>;
  if (typeof storage.createUpload !== 'function') throw serverError('NotImplemented', {}, 'This storage does not keep multipart uploads.');
  return storage as ExtendedStorage;
}

/** `encoding-type=url` encodes keys and markers in the reply; anything else is refused. */
function encodingOf(ctx: RequestContext): { type: 'url' | undefined; enc: (s: string) => string } {
  const type = ctx.query.get('encoding-type');
  if (type !== null && type !== 'url') throw serverError('InvalidArgument', { ArgumentName: 'encoding-type', ArgumentValue: type }, 'The encoding-type must be url.');
  return type === 'url' ? { type, enc: encodeQueryComponent } : { type: undefined, enc: (s) => s };
}

function noSuchUpload(uploadId: string): Error {
  return serverError('NoSuchUpload', { UploadId: uploadId }, 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');
}

/** The upload named by `?uploadId=`, which must belong to the request's key. */
async function loadUpload(ctx: RequestContext, storage: ExtendedStorage, bucket: string, key: string): Promise<UploadRecord> {
  const uploadId = ctx.query.get('uploadId') ?? '';
  const upload = isUploadId(uploadId) ? await storage.getUpload(bucket, uploadId) : undefined;
  if (!upload || upload.key !== key) throw noSuchUpload(uploadId);
  return upload;
}

/** Store errors of a race (the upload vanished, a part is gone) as OSS answers them. */
async function storeErrors<T>(uploadId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ServerError) throw err;
    const code = (err as { code?: unknown }).code;
    if (code === 'NoSuchUpload') throw noSuchUpload(uploadId);
    if (code === 'InvalidPart') throw invalidPart();
    throw err;
  }
}

function invalidPart(extra: Record<string, string> = {}): Error {
  return serverError('InvalidPart', extra, "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.");
}

/** Letters and digits only (the fs store makes directories of them); time first, so ids sort by age. */
let idCounter = 0;
function newUploadId(now: number): string {
  idCounter = (idCounter + 1) % 0x10000;
  const random = toHex(crypto.getRandomValues(new Uint8Array(8)));
  return `${now.toString(16).padStart(12, '0')}${idCounter.toString(16).padStart(4, '0')}${random}`.toUpperCase();
}

export async function initiateUpload(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'write');
  const key = requireKey(ctx);
  const { type, enc } = encodingOf(ctx);
  const storage = multipartStorage(ctx);
  const now = ctx.state.now();
  const upload: UploadRecord = {
    uploadId: newUploadId(now),
    key,
    initiated: now,
    template: {
      contentType: ctx.headers.get('content-type') || 'application/octet-stream',
      headers: { ...storedHeaders(ctx), ...encryptionHeaders(requestedEncryption(ctx, bucket)) },
      meta: userMeta(ctx),
      acl: objectAcl(ctx),
      storageClass: storageClass(ctx, bucket.storageClass),
      tags: parseTaggingHeader(ctx.headers.get('x-oss-tagging')),
    },
  };
  await storage.createUpload(bucket.name, upload);
  return xmlResponse('InitiateMultipartUploadResult', { EncodingType: type, Bucket: bucket.name, Key: enc(key), UploadId: upload.uploadId }, 200, storedEncryption(upload.template.headers));
}

function partNumberOf(ctx: RequestContext): number {
  const raw = ctx.query.get('partNumber');
  if (raw === null) throw serverError('InvalidArgument', { ArgumentName: 'partNumber', ArgumentValue: '' }, 'Unexpected query string parameter: partNumber is missing.');
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_PART_NUMBER) {
    throw serverError('InvalidArgument', { ArgumentName: 'PartNumber', ArgumentValue: raw }, 'Part number must be an integer between 1 and 10000, inclusive.');
  }
  return n;
}

function partRecord(partNumber: number, digest: WriteDigest, now: number): PartRecord {
  if (digest.size > MAX_PART_BYTES) throw serverError('EntityTooLarge', {}, 'Your proposed upload exceeds the maximum allowed part size.');
  return { partNumber, size: digest.size, etag: `"${toHex(digest.md5).toUpperCase()}"`, md5: digest.md5, crc64: digest.crc64, lastModified: now };
}

export async function uploadPart(ctx: RequestContext): Promise<Response> {
  if (ctx.headers.has('x-oss-copy-source')) return uploadPartCopy(ctx);
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'write');
  const key = requireKey(ctx);
  const partNumber = partNumberOf(ctx);
  refuseEncryptionHeaders(ctx);
  const storage = multipartStorage(ctx);
  const upload = await loadUpload(ctx, storage, bucket.name, key);
  const declared = ctx.headers.get('content-length');
  if (declared !== undefined && Number(declared) > MAX_PART_BYTES) throw serverError('EntityTooLarge', {}, 'Your proposed upload exceeds the maximum allowed part size.');
  const contentMd5 = ctx.headers.get('content-md5');
  const now = ctx.state.now();
  const body = ctx.request.body ?? new Uint8Array(0);
  const part = await storeErrors(upload.uploadId, () =>
    storage.putPart(bucket.name, upload.uploadId, partNumber, body, (digest) => {
      if (declared !== undefined && Number(declared) !== digest.size) {
        throw serverError('InvalidArgument', {}, `The body is ${digest.size} bytes but Content-Length said ${declared}.`);
      }
      if (contentMd5 !== undefined && !sameMd5(contentMd5, digest.md5)) throw serverError('InvalidDigest', {}, 'The Content-MD5 you specified did not match what we received.');
      return partRecord(partNumber, digest, now);
    }),
  );
  return emptyResponse(200, { etag: part.etag, 'x-oss-hash-crc64ecma': part.crc64, 'content-md5': toBase64(part.md5), ...storedEncryption(upload.template.headers) });
}


/** `bytes=<first>-<last>` within the source, or the whole source when absent. */
function copyRange(ctx: RequestContext, size: number): { start: number; end: number } | undefined {
  const raw = ctx.headers.get('x-oss-copy-source-range');
  if (raw === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d+)$/.exec(raw.trim());
  if (!m || Number(m[1]) > Number(m[2])) {
    throw serverError('InvalidArgument', { ArgumentName: 'x-oss-copy-source-range', ArgumentValue: raw }, 'The copy range must be bytes=<first>-<last> with first <= last.');
  }
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end >= size) throw serverError('InvalidRange', { RangeRequested: raw, ActualObjectSize: String(size) }, 'The requested range cannot be satisfied.');
  return { start, end };
}

async function uploadPartCopy(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'write');
  const key = requireKey(ctx);
  const partNumber = partNumberOf(ctx);
  const storage = multipartStorage(ctx);
  const upload = await loadUpload(ctx, storage, bucket.name, key);
  const { bucket: sourceBucket, record } = await loadCopySource(ctx, bucket, parseCopySource(ctx.headers.get('x-oss-copy-source')!));
  const outcome = evaluateConditions(ctx, record, 'x-oss-copy-source-');
  if (outcome?.status === 412) throw serverError('PreconditionFailed', { Condition: outcome.condition });
  if (outcome?.status === 304) return new Response(null, { status: 304, headers: { etag: record.etag } });
  const range = copyRange(ctx, record.size);
  if ((range ? range.end - range.start + 1 : record.size) > MAX_PART_BYTES) {
    throw serverError('EntityTooLarge', {}, 'Your proposed upload exceeds the maximum allowed part size.');
  }
  const bytes = await copySourceBytes(ctx, sourceBucket, record, range);
  const now = ctx.state.now();
  const part = await storeErrors(upload.uploadId, () =>
    storage.putPart(bucket.name, upload.uploadId, partNumber, bytes, (digest) => partRecord(partNumber, digest, now)),
  );
  // ali-oss takes the part's ETag from the header, others from the XML.
  return xmlResponse('CopyPartResult', { LastModified: isoDate(part.lastModified), ETag: part.etag }, 200, {
    etag: part.etag, 'x-oss-hash-crc64ecma': part.crc64, ...sourceVersionHeaders(record),
  });
}

const bareEtag = (etag: string) => etag.replace(/"/g, '').toUpperCase();

/** The parts a Complete names, checked for shape and order before the store is asked. */
async function requestedParts(ctx: RequestContext, storage: ExtendedStorage, bucket: string, uploadId: string): Promise<Array<{ number: number; etag?: string }>> {
  const body = await readTextBody(ctx, MAX_COMPLETE_XML);
  if (ctx.headers.get('x-oss-complete-all')?.toLowerCase() === 'yes') {
    if (body.trim()) throw serverError('InvalidArgument', { ArgumentName: 'x-oss-complete-all', ArgumentValue: 'yes' }, 'With x-oss-complete-all: yes the request must not list parts.');
    const stored = await storeErrors(uploadId, () => storage.listParts(bucket, uploadId));
    if (!stored.length) throw invalidPart();
    return stored.map((p) => ({ number: p.partNumber }));
  }
  if (!body.trim()) throw serverError('MalformedXML');
  const doc = parseXmlBody(body);
  let parts: Array<{ number: number; etag: string }>;
  try {
    parts = asArray(child(doc.CompleteMultipartUpload, 'Part')).map((p) => {
      const number = text(child(p, 'PartNumber'))?.trim() ?? '';
      const etag = text(child(p, 'ETag'))?.trim() ?? '';
      if (!/^\d+$/.test(number) || !etag) throw new Error('bad part');
      return { number: Number(number), etag };
    });
  } catch {
    throw serverError('MalformedXML');
  }
  if (!parts.length) throw serverError('MalformedXML');
  for (let i = 0; i < parts.length; i++) {
    const n = parts[i]!.number;
    if (n < 1 || n > MAX_PART_NUMBER) throw invalidPart({ PartNumber: String(n) });
    if (i > 0 && n <= parts[i - 1]!.number) {
      throw serverError('InvalidPartOrder', { PartNumber: String(n) }, 'The list of parts was not in ascending order. Parts list must be specified in order by part number.');
    }
  }
  return parts;
}

/** The S3 rule OSS's ETags also follow: MD5 of the parts' binary MD5s, then "-" and the count. */
function multipartEtag(parts: PartRecord[]): string {
  const all = new Uint8Array(parts.length * 16);
  parts.forEach((p, i) => all.set(p.md5, i * 16));
  return `"${toHex(md5(all)).toUpperCase()}-${parts.length}"`;
}

function combinedCrc(parts: PartRecord[]): string {
  return parts.reduce((crc, p) => crc64Combine(crc, p.crc64, p.size), 0n).toString();
}

export async function completeUpload(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'write');
  const key = requireKey(ctx);
  const { type, enc } = encodingOf(ctx);
  refuseEncryptionHeaders(ctx);
  const storage = multipartStorage(ctx);
  const upload = await loadUpload(ctx, storage, bucket.name, key);
  const requested = await requestedParts(ctx, storage, bucket.name, upload.uploadId);
  await checkRetention(ctx, bucket, key);
  checkForbidOverwrite(ctx, await storage.getObject(bucket.name, key));
  const now = ctx.state.now();
  const record = await storeErrors(upload.uploadId, () =>
    storage.completeUpload(bucket.name, upload.uploadId, requested.map((p) => p.number), (parts): ObjectRecord => {
      parts.forEach((part, i) => {
        const wanted = requested[i]!.etag;
        if (wanted !== undefined && bareEtag(wanted) !== bareEtag(part.etag)) throw invalidPart({ PartNumber: String(part.partNumber), ETag: wanted });
        if (i < parts.length - 1 && part.size < MIN_PART_BYTES) {
          throw serverError('EntityTooSmall', { PartNumber: String(part.partNumber), ProposedSize: String(part.size), MinSizeAllowed: String(MIN_PART_BYTES) }, 'Your proposed upload is smaller than the minimum allowed size.');
        }
      });
      return {
        key,
        size: parts.reduce((sum, p) => sum + p.size, 0),
        etag: multipartEtag(parts),
        lastModified: now,
        crc64: combinedCrc(parts),
        ...upload.template,
        objectType: 'Multipart',
      };
    }, { versioning: 'off' }),
  );
  const host = ctx.headers.get('host') ?? ctx.hostId;
  const base = host.startsWith(`${bucket.name}.`) ? host : `${host}/${bucket.name}`;
  return xmlResponse('CompleteMultipartUploadResult', {
    EncodingType: type,
    Location: `${ctx.url.protocol}//${base}/${encodeUriPath(key)}`,
    Bucket: bucket.name,
    Key: enc(key),
    ETag: record.etag,
  }, 200, { etag: record.etag, 'x-oss-hash-crc64ecma': record.crc64, ...storedEncryption(record.headers) });
}

export async function abortUpload(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'write');
  const key = requireKey(ctx);
  const storage = multipartStorage(ctx);
  const upload = await loadUpload(ctx, storage, bucket.name, key);
  if (!(await storage.abortUpload(bucket.name, upload.uploadId))) throw noSuchUpload(upload.uploadId);
  return emptyResponse(204);
}

export async function listParts(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'read');
  const key = requireKey(ctx);
  const { type, enc } = encodingOf(ctx);
  const maxParts = intParam(ctx, 'max-parts', 1, MAX_LISTED, MAX_LISTED);
  const marker = intParam(ctx, 'part-number-marker', 0, MAX_PART_NUMBER, 0);
  const storage = multipartStorage(ctx);
  const upload = await loadUpload(ctx, storage, bucket.name, key);
  const after = (await storeErrors(upload.uploadId, () => storage.listParts(bucket.name, upload.uploadId))).filter((p) => p.partNumber > marker);
  const page = after.slice(0, maxParts);
  return xmlResponse('ListPartsResult', {
    EncodingType: type,
    Bucket: bucket.name,
    Key: enc(key),
    UploadId: upload.uploadId,
    StorageClass: upload.template.storageClass,
    PartNumberMarker: marker,
    NextPartNumberMarker: page.length ? page[page.length - 1]!.partNumber : marker,
    MaxParts: maxParts,
    IsTruncated: after.length > maxParts,
    Part: page.map((p) => ({
      PartNumber: p.partNumber, LastModified: isoDate(p.lastModified), ETag: p.etag, HashCrc64ecma: p.crc64, Size: p.size,
    })),
  });
}

export async function listUploads(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'read');
  const { type, enc } = encodingOf(ctx);
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const keyMarker = ctx.query.get('key-marker') ?? '';
  const uploadIdMarker = ctx.query.get('upload-id-marker') ?? '';
  const maxUploads = intParam(ctx, 'max-uploads', 1, MAX_LISTED, MAX_LISTED);
  const storage = multipartStorage(ctx);
  // Upload ids start with their creation time, so within one key id order is age order.
  const after = (u: UploadRecord) => {
    const byKey = compareUtf8(u.key, keyMarker);
    return byKey > 0 || (byKey === 0 && uploadIdMarker !== '' && compareUtf8(u.uploadId, uploadIdMarker) > 0);
  };
  const uploads: UploadRecord[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let next = { key: '', uploadId: '' };
  for (const u of await storage.listUploads(bucket.name)) {
    if (!u.key.startsWith(prefix) || (keyMarker !== '' && !after(u))) continue;
    const cut = delimiter ? u.key.indexOf(delimiter, prefix.length) : -1;
    const common = cut === -1 ? undefined : u.key.slice(0, cut + delimiter.length);
    if (common !== undefined && (common === next.key || compareUtf8(common, keyMarker) <= 0)) continue;
    if (uploads.length + prefixes.length === maxUploads) {
      truncated = true;
      break;
    }
    if (common !== undefined) {
      prefixes.push(common);
      next = { key: common, uploadId: '' };
    } else {
      uploads.push(u);
      next = { key: u.key, uploadId: u.uploadId };
    }
  }
  return xmlResponse('ListMultipartUploadsResult', {
    EncodingType: type,
    Bucket: bucket.name,
    KeyMarker: enc(keyMarker),
    UploadIdMarker: uploadIdMarker,
    NextKeyMarker: truncated ? enc(next.key) : '',
    NextUploadIdMarker: truncated ? next.uploadId : '',
    Delimiter: enc(delimiter),
    Prefix: enc(prefix),
    MaxUploads: maxUploads,
    IsTruncated: truncated,
    Upload: uploads.map((u) => ({ Key: enc(u.key), UploadId: u.uploadId, StorageClass: u.template.storageClass, Initiated: isoDate(u.initiated) })),
    CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
  });
}

export const multipartRoutes: RouteDef[] = [
  defineRoute('object', 'POST', 'uploads', initiateUpload),
  defineRoute('object', 'PUT', 'uploadId', uploadPart),
  defineRoute('object', 'POST', 'uploadId', completeUpload),
  defineRoute('object', 'DELETE', 'uploadId', abortUpload),
  defineRoute('object', 'GET', 'uploadId', listParts),
  defineRoute('bucket', 'GET', 'uploads', listUploads),
];

// GetBucketStat (GET /?stat): storage and counts computed from the store at the time of the call
// (OSS's figures lag by up to an hour; these are exact). Every version counts, delete markers
// apart; billed storage of the cold classes applies OSS's 64 KB minimum per object.

import type { RequestContext } from '../../context.js';
import type { ExtendedStorage, ObjectRecord } from '../../storage/types.js';
import { xmlResponse } from '../common.js';
import { ownBucket } from './config-family.js';
import { defineRoute, type RouteDef } from '../routes.js';

const MIN_BILLED = 64 * 1024;
/** Storage class → the element-name prefix OSS uses for it. */
const CLASSES: Array<[string, string]> = [
  ['IA', 'InfrequentAccess'], ['Archive', 'Archive'], ['ColdArchive', 'ColdArchive'], ['DeepColdArchive', 'DeepColdArchive'],
];

interface Tally { billed: number; real: number; count: number }

function records(ctx: RequestContext, bucket: string): AsyncIterable<ObjectRecord> {
  const store = ctx.state.storage as Partial<ExtendedStorage>;
  return typeof store.listObjectVersions === 'function' ? store.listObjectVersions(bucket) : ctx.state.storage.listObjects(bucket);
}

async function getBucketStat(ctx: RequestContext): Promise<Response> {
  const bucket = await ownBucket(ctx);
  const tallies = new Map<string, Tally>();
  let deleteMarkers = 0;
  for await (const record of records(ctx, bucket.name)) {
    if (record.deleteMarker) {
      deleteMarkers += 1;
      continue;
    }
    const tally = tallies.get(record.storageClass) ?? { billed: 0, real: 0, count: 0 };
    tally.real += record.size;
    tally.billed += record.storageClass === 'Standard' ? record.size : Math.max(record.size, MIN_BILLED);
    tally.count += 1;
    tallies.set(record.storageClass, tally);
  }
  const store = ctx.state.storage as Partial<ExtendedStorage>;
  const uploads = store.listUploads ? await store.listUploads(bucket.name) : [];
  let parts = 0;
  let partBytes = 0;
  for (const upload of uploads) {
    for (const part of await store.listParts!(bucket.name, upload.uploadId)) {
      parts += 1;
      partBytes += part.size;
    }
  }
  const all = [...tallies.values()];
  const standard = tallies.get('Standard') ?? { billed: 0, real: 0, count: 0 };
  const body: Record<string, number> = {
    Storage: all.reduce((n, t) => n + t.billed, 0) + partBytes,
    ObjectCount: all.reduce((n, t) => n + t.count, 0),
    MultipartUploadCount: uploads.length,
    LiveChannelCount: 0,
    MultipartPartCount: parts,
    DeleteMarkerCount: deleteMarkers,
    LastModifiedTime: Math.floor(ctx.state.now() / 1000),
    StandardStorage: standard.billed,
    StandardObjectCount: standard.count,
  };
  for (const [cls, name] of CLASSES) {
    const t = tallies.get(cls) ?? { billed: 0, real: 0, count: 0 };
    body[`${name}Storage`] = t.billed;
    body[`${name}RealStorage`] = t.real;
    body[`${name}ObjectCount`] = t.count;
  }
  return xmlResponse('BucketStat', body);
}

export const bucketStatRoutes: RouteDef[] = [defineRoute('bucket', 'GET', 'stat', getBucketStat)];

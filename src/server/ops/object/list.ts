// ListObjects and ListObjectsV2 (GET / on a bucket, `list-type=2`): one page of keys and
// rolled-up common prefixes. ListObjectVersions is ../bucket/versioning.ts.

import { encodeQueryComponent } from '../../../core/encoding.js';
import { compareUtf8 } from '../../../core/order.js';
import { serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import type { ObjectRecord } from '../../storage/types.js';
import { authorize, bucketOwner, intParam, isoDate, loadBucket, xmlResponse } from '../common.js';
import { decodeContinuationToken, encodeContinuationToken } from '../list-token.js';
import { restoreInfo } from './restore-state.js';

export async function listObjects(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'read');
  // ListObjectsV2 is the same request with `list-type=2` (not a sub-resource, so it routes here).
  const listType = ctx.query.get('list-type');
  if (listType !== null && listType !== '2') throw serverError('InvalidArgument', { ArgumentName: 'list-type', ArgumentValue: listType }, 'The list-type must be 2.');
  const v2 = listType === '2';
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const maxKeys = intParam(ctx, 'max-keys', 1, 1000, 100);
  const encoding = ctx.query.get('encoding-type');
  if (encoding !== null && encoding !== 'url') throw serverError('InvalidArgument', { ArgumentName: 'encoding-type', ArgumentValue: encoding }, 'The encoding-type must be url.');
  const enc = encoding === 'url' ? encodeQueryComponent : (s: string) => s;
  const owner = bucketOwner(bucket);
  const now = ctx.state.now();
  const contents = (objects: ObjectRecord[], withOwner: boolean) => objects.map((o) => ({
    Key: enc(o.key),
    LastModified: isoDate(o.lastModified),
    ETag: o.etag,
    Type: o.objectType,
    Size: o.size,
    StorageClass: o.storageClass,
    RestoreInfo: restoreInfo(o, now),
    Owner: withOwner ? { ID: owner.id, DisplayName: owner.displayName } : undefined,
  }));

  if (!v2) {
    const marker = ctx.query.get('marker') ?? '';
    const page = await collectPage(ctx, bucket.name, prefix, marker, delimiter, maxKeys);
    return xmlResponse('ListBucketResult', {
      Name: bucket.name,
      Prefix: enc(prefix),
      Marker: enc(marker),
      MaxKeys: maxKeys,
      Delimiter: enc(delimiter),
      EncodingType: encoding ?? undefined,
      IsTruncated: page.truncated,
      NextMarker: page.truncated ? enc(page.next) : undefined,
      Contents: contents(page.objects, true),
      CommonPrefixes: page.prefixes.map((p) => ({ Prefix: enc(p) })),
    });
  }

  const token = ctx.query.get('continuation-token');
  const startAfter = ctx.query.get('start-after') ?? '';
  // A continuation token wins over start-after: it is further along the same listing.
  const after = token !== null && token !== '' ? decodeContinuationToken(token) : startAfter;
  const page = await collectPage(ctx, bucket.name, prefix, after, delimiter, maxKeys);
  return xmlResponse('ListBucketResult', {
    Name: bucket.name,
    Prefix: enc(prefix),
    StartAfter: startAfter ? enc(startAfter) : undefined,
    ContinuationToken: token ? enc(token) : undefined,
    MaxKeys: maxKeys,
    Delimiter: enc(delimiter),
    EncodingType: encoding ?? undefined,
    IsTruncated: page.truncated,
    NextContinuationToken: page.truncated ? enc(encodeContinuationToken(page.next)) : undefined,
    KeyCount: page.objects.length + page.prefixes.length,
    Contents: contents(page.objects, ctx.query.get('fetch-owner') === 'true'),
    CommonPrefixes: page.prefixes.map((p) => ({ Prefix: enc(p) })),
  });
}

interface Page {
  objects: ObjectRecord[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned: where the next page starts. */
  next: string;
}

/** One page of a listing: objects and rolled-up common prefixes, each counting toward max-keys. */
async function collectPage(
  ctx: RequestContext, bucket: string, prefix: string, after: string, delimiter: string, maxKeys: number,
): Promise<Page> {
  const page: Page = { objects: [], prefixes: [], truncated: false, next: '' };
  let count = 0;
  for await (const record of ctx.state.storage.listObjects(bucket, { prefix, after })) {
    let commonPrefix: string | undefined;
    if (delimiter) {
      const cut = record.key.indexOf(delimiter, prefix.length);
      if (cut !== -1) commonPrefix = record.key.slice(0, cut + delimiter.length);
    }
    // Keys under a prefix already returned (on this page or as the marker) roll into it.
    if (commonPrefix !== undefined && (commonPrefix === page.next || compareUtf8(commonPrefix, after) <= 0)) continue;
    if (count === maxKeys) {
      page.truncated = true;
      break;
    }
    count++;
    if (commonPrefix !== undefined) {
      page.prefixes.push(commonPrefix);
      page.next = commonPrefix;
    } else {
      page.objects.push(record);
      page.next = record.key;
    }
  }
  return page;
}


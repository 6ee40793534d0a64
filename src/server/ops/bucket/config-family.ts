// What every bucket-configuration operation starts with: the bucket, checked to be the caller's to
// manage, and the root element of its XML request body.

import type { XmlNode } from '../../../core/xml.js';
import { serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import type { BucketRecord } from '../../storage/types.js';
import { authorize, loadBucket } from '../common.js';

/** The bucket, after checking that the caller may manage it. */
export async function ownBucket(ctx: RequestContext): Promise<BucketRecord> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'owner');
  return bucket;
}

/** The document's root element `name` (an empty one reads as no children); MalformedXML otherwise. */
export function rootOf(doc: XmlNode, name: string): XmlNode {
  const root = doc[name];
  if (root === '') return {};
  if (root === undefined || typeof root !== 'object' || Array.isArray(root)) throw serverError('MalformedXML');
  return root;
}

// What every bucket-configuration operation starts with (the bucket, checked to be the caller's
// to manage; the root element of its XML body), and the one builder of the PUT/GET/DELETE
// routes of a configuration family (cors, website, lifecycle, logging, referer, …): a family
// says how its PUT body reads and how its GET answers; the rest is the same for all.

import type { XmlNode } from '../../../core/xml.js';
import { serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import type { BucketRecord } from '../../storage/types.js';
import { authorize, emptyResponse, loadBucket } from '../common.js';
import { defineRoute, type RouteDef } from '../routes.js';
import { getConfig, setConfig, type BucketConfigs } from './config-store.js';

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

interface ConfigFamily<K extends keyof BucketConfigs> {
  /** The sub-resource (`?cors`). */
  sub: string;
  /** Where the value lives in the bucket record. */
  name: K;
  /** The value a PUT stores, from its request; `undefined` removes the configuration. */
  read(ctx: RequestContext, bucket: BucketRecord): Promise<BucketConfigs[K] | undefined>;
  /** DELETE: `true` removes the configuration (204); a function does its own removal; absent: no DELETE. */
  remove?: true | ((ctx: RequestContext, bucket: BucketRecord) => Promise<void>);
}

/** GET of a bucket without the configuration: this error, with the bucket's name. */
interface Missing {
  code: string;
  message: string;
}

/** PUT (200), GET and, if the family has one, DELETE (204) of one bucket configuration. */
export function configRoutes<K extends keyof BucketConfigs>(
  family: ConfigFamily<K> & { missing: Missing; show(value: BucketConfigs[K], bucket: BucketRecord): Response },
): RouteDef[];
export function configRoutes<K extends keyof BucketConfigs>(
  family: ConfigFamily<K> & { missing?: undefined; show(value: BucketConfigs[K] | undefined, bucket: BucketRecord): Response },
): RouteDef[];
export function configRoutes<K extends keyof BucketConfigs>(
  family: ConfigFamily<K> & { missing?: Missing; show(value: BucketConfigs[K], bucket: BucketRecord): Response },
): RouteDef[] {
  const { sub, name, remove } = family;
  const routes = [
    defineRoute('bucket', 'PUT', sub, async (ctx) => {
      const bucket = await ownBucket(ctx);
      await setConfig(ctx.state.storage, bucket.name, name, await family.read(ctx, bucket));
      return emptyResponse(200);
    }),
    defineRoute('bucket', 'GET', sub, async (ctx) => {
      const bucket = await ownBucket(ctx);
      const value = getConfig(bucket, name);
      const { missing } = family;
      if (missing && value === undefined) throw serverError(missing.code, { BucketName: bucket.name }, missing.message);
      return family.show(value!, bucket);
    }),
  ];
  if (remove) {
    routes.push(defineRoute('bucket', 'DELETE', sub, async (ctx) => {
      const bucket = await ownBucket(ctx);
      if (remove === true) await setConfig(ctx.state.storage, bucket.name, name, undefined);
      else await remove(ctx, bucket);
      return emptyResponse(204);
    }));
  }
  return routes;
}

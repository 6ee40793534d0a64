// Bucket logging: PutBucketLogging / GetBucketLogging / DeleteBucketLogging. The target bucket
// must exist, be the same owner's and be in the same region; nothing is logged.

import { child, text } from '../../../core/xml.js';
import { serverError } from '../../errors.js';
import { bucketOwner, readXmlBody, xmlResponse } from '../common.js';
import { configRoutes, rootOf } from './config-family.js';

export const loggingRoutes = configRoutes({
  sub: 'logging',
  name: 'logging',
  async read(ctx, bucket) {
    const enabled = child(rootOf(await readXmlBody(ctx), 'BucketLoggingStatus'), 'LoggingEnabled');
    // An empty BucketLoggingStatus turns logging off, as it always has on OSS.
    if (enabled === undefined) return undefined;
    const targetBucket = text(child(enabled, 'TargetBucket'));
    if (!targetBucket) throw serverError('MalformedXML');
    const target = await ctx.state.storage.getBucket(targetBucket);
    if (!target || bucketOwner(target).id !== bucketOwner(bucket).id || target.location !== bucket.location) {
      throw serverError('InvalidTargetBucketForLogging', { TargetBucket: targetBucket }, 'The target bucket for logging does not exist, is not yours or is in another region.');
    }
    return { targetBucket, targetPrefix: text(child(enabled, 'TargetPrefix')) ?? '' };
  },
  show: (logging) =>
    xmlResponse('BucketLoggingStatus', logging ? { LoggingEnabled: { TargetBucket: logging.targetBucket, TargetPrefix: logging.targetPrefix } } : {}),
  remove: true,
});

// Opt-in features: values a page imports and hands to OSSCore (`features: [...]`), so that a
// bundler keeps a feature's code only in the pages that import it. The request path itself (V4
// signing, STS refresh, timeouts, retries, typed errors) needs none of them. OSSClient and
// oss-fetch/node pass every feature (all-features.ts).

import { OSSArgumentError } from '../core/errors.js';
import type { v1Signing } from './v1-signing.js';
import type { crc64Checks } from './crc64-checks.js';
import type { uploadProgress } from './upload-progress.js';
import type { mimeTypes } from './mime.js';
import type { uploadCallbacks } from './callback.js';

/** Each feature by the name it registers under. */
export interface FeatureMap {
  v1: typeof v1Signing;
  crc64: typeof crc64Checks;
  progress: typeof uploadProgress;
  mime: typeof mimeTypes;
  callback: typeof uploadCallbacks;
}

export type FeatureName = keyof FeatureMap;
/** One opt-in feature: `v1Signing`, `crc64Checks`, `uploadProgress`, `mimeTypes` or `uploadCallbacks`. */
export type Feature = FeatureMap[FeatureName];

/** The export a page imports for each feature (error messages name it). */
const EXPORTS: Record<FeatureName, string> = {
  v1: 'v1Signing',
  crc64: 'crc64Checks',
  progress: 'uploadProgress',
  mime: 'mimeTypes',
  callback: 'uploadCallbacks',
};

/** The features as a lookup table, checked. */
export function featureTable(features: unknown): Partial<FeatureMap> {
  const table: Partial<Record<FeatureName, Feature>> = {};
  if (features === undefined) return {};
  if (!Array.isArray(features) || features.some((f: Feature | undefined) => !f || !Object.hasOwn(EXPORTS, f.name))) {
    throw new OSSArgumentError('features', `expected an array of features imported from oss-fetch (${Object.values(EXPORTS).join(', ')})`);
  }
  for (const f of features as Feature[]) table[f.name] = f;
  return table as unknown as Partial<FeatureMap>;
}

/** The error for an option whose feature the client was not given. */
export function missingFeature(name: FeatureName, argument: string): OSSArgumentError {
  const exported = EXPORTS[name];
  return new OSSArgumentError(argument, `needs the ${exported} feature: import { ${exported} } from 'oss-fetch' and pass new OSSCore({ features: [${exported}] }) (OSSClient has every feature)`);
}

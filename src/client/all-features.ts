// Every opt-in feature, for the batteries-included entries (OSSClient, oss-fetch/node's OSSCore).

import type { Feature } from './features.js';
import { v1Signing } from './v1-signing.js';
import { crc64Checks } from './crc64-checks.js';
import { uploadProgress } from './upload-progress.js';
import { mimeTypes } from './mime.js';
import { uploadCallbacks } from './callback.js';

export const ALL_FEATURES: readonly Feature[] = [v1Signing, crc64Checks, uploadProgress, mimeTypes, uploadCallbacks];

/** The options with every feature added (a caller's own list is kept). */
export function withAllFeatures<O extends { features?: readonly Feature[] }>(options: O): O {
  if (!options || typeof options !== 'object') return options;
  const { features } = options;
  // Anything but a list is left for OSSCore to refuse.
  return { ...options, features: features === undefined ? ALL_FEATURES : Array.isArray(features) ? [...ALL_FEATURES, ...features] : features };
}

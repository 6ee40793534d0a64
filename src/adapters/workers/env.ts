// A client from a Worker's env bindings (vars and secrets).

import { OSSClient } from '../../client/client.js';
import type { OSSOptions } from '../../client/core.js';
import { optionsFromVariables } from '../../client/env-options.js';
import { OSSArgumentError } from '../../core/errors.js';
import { fixedLengthFetch } from './fixed-length-fetch.js';

/** The bindings read (all optional; `overrides` can supply any of them). */
export interface OSSEnv {
  OSS_ACCESS_KEY_ID?: string;
  OSS_ACCESS_KEY_SECRET?: string;
  OSS_SESSION_TOKEN?: string;
  OSS_REGION?: string;
  OSS_BUCKET?: string;
  OSS_ENDPOINT?: string;
}

/**
 * Client options from a Worker's bindings: OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET (secrets),
 * OSS_SESSION_TOKEN, OSS_REGION, OSS_BUCKET, OSS_ENDPOINT (vars). `overrides` win.
 * @example const options = optionsFromEnv(env, { bucket: 'photos' })
 */
export function optionsFromEnv(env: OSSEnv | Record<string, unknown>, overrides: OSSOptions = {}): OSSOptions {
  if (!env || typeof env !== 'object') throw new OSSArgumentError('env', 'expected the Worker\'s env object');
  const bindings = env as Record<string, unknown>;
  return optionsFromVariables((name) => bindings[name] as string | undefined, overrides);
}

/**
 * One line from bindings to client; it sends stream bodies with their length (`fixedLengthFetch`).
 * @example export default { fetch: (request, env) => clientFromEnv(env).getStream('hello.txt').then(({ stream }) => new Response(stream)) }
 */
export function clientFromEnv(env: OSSEnv | Record<string, unknown>, overrides: OSSOptions = {}): OSSClient {
  const options = optionsFromEnv(env, overrides);
  return new OSSClient({ ...options, fetch: options.fetch ?? fixedLengthFetch() });
}

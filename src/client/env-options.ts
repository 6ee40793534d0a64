// Client options from environment variables, with the names the official tools read. One reader
// for every runtime: Node's process.env, Deno.env and a Worker's env bindings differ only in how
// a name is looked up.

import { OSSArgumentError } from '../core/errors.js';
import type { OSSOptions } from './core.js';

/** The variables read, and the option each fills. */
export const OSS_ENV_VARIABLES = Object.freeze({
  OSS_ACCESS_KEY_ID: 'accessKeyId',
  OSS_ACCESS_KEY_SECRET: 'accessKeySecret',
  OSS_SESSION_TOKEN: 'stsToken',
  OSS_REGION: 'region',
  OSS_BUCKET: 'bucket',
  OSS_ENDPOINT: 'endpoint',
} as const);

/**
 * Build client options from variables looked up by `read`; `overrides` win. A key id without
 * its secret (or the reverse) is refused, naming the variable that is missing — never its value.
 * @example const options = optionsFromVariables((name) => env[name])
 */
export function optionsFromVariables(read: (name: string) => string | undefined, overrides: OSSOptions = {}): OSSOptions {
  const options: Record<string, string> = {};
  for (const [variable, option] of Object.entries(OSS_ENV_VARIABLES)) {
    const value = read(variable);
    if (value !== undefined && value !== '') {
      if (typeof value !== 'string') throw new OSSArgumentError(variable, 'expected a string');
      options[option] = value;
    }
  }
  const merged: OSSOptions = { ...options, ...overrides };
  if (!merged.accessKeyId !== !merged.accessKeySecret) {
    const missing = merged.accessKeyId ? 'OSS_ACCESS_KEY_SECRET' : 'OSS_ACCESS_KEY_ID';
    throw new OSSArgumentError(missing, 'is not set, though its partner is: set both or neither');
  }
  return merged;
}

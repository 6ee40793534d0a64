// Credentials and settings from Deno's environment, with the permission Deno asks for explained.

import type { OSSOptions } from '../../client/core.js';
import { OSS_ENV_VARIABLES, optionsFromVariables } from '../../client/env-options.js';
import { OSSError } from '../../core/errors.js';
import { deno } from './deno-api.js';

/**
 * Client options from OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_SESSION_TOKEN, OSS_REGION,
 * OSS_BUCKET and OSS_ENDPOINT; `overrides` win. Without `--allow-env` this fails with an
 * `EnvPermissionDenied` OSSError that names the flag to add.
 * @example const client = new OSSClient(optionsFromEnv({ bucket: 'photos' }))
 */
export function optionsFromEnv(overrides: OSSOptions = {}): OSSOptions {
  const d = deno();
  return optionsFromVariables((name) => {
    try {
      return d.env.get(name);
    } catch (err) {
      const names = Object.keys(OSS_ENV_VARIABLES).join(',');
      throw new OSSError({
        code: 'EnvPermissionDenied',
        message: `Deno refused to read ${name}: run with --allow-env=${names} (or --allow-env), or pass the options yourself`,
        cause: err,
      });
    }
  }, overrides);
}

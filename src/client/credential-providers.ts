// Credential providers for scripts and back ends: functions of the `refreshSTSToken` shape, so a
// client takes them as it takes any refresh callback (single-flight, refreshed before expiry).
// Read from the environment, assume a RAM role, or try several in order.

import { OSSArgumentError, OSSError } from '../core/errors.js';
import type { RefreshCredentials, RefreshedCredentials } from './credentials.js';
import { STS, type STSOptions, type STSPolicy } from './sts.js';

/**
 * Keys from OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET and OSS_SESSION_TOKEN (the official tools'
 * names), read at each refresh through `read` — `(name) => process.env[name]` in Node,
 * `Deno.env.get` in Deno, a Worker's `env[name]`. A missing pair fails naming the variable.
 * @example new OSSClient({ region, bucket, refreshSTSToken: envCredentials((name) => process.env[name]) })
 */
export function envCredentials(read: (name: string) => string | undefined): RefreshCredentials {
  if (typeof read !== 'function') throw new OSSArgumentError('read', 'expected a function that looks up an environment variable');
  return async () => {
    const accessKeyId = read('OSS_ACCESS_KEY_ID');
    const accessKeySecret = read('OSS_ACCESS_KEY_SECRET');
    if (!accessKeyId || !accessKeySecret) {
      const missing = [!accessKeyId && 'OSS_ACCESS_KEY_ID', !accessKeySecret && 'OSS_ACCESS_KEY_SECRET'].filter(Boolean).join(' and ');
      throw new OSSError({ code: 'CredentialsNotFound', message: `${missing} not set` });
    }
    const token = read('OSS_SESSION_TOKEN');
    return { accessKeyId, accessKeySecret, ...(token ? { stsToken: token } : {}) };
  };
}

export interface RoleCredentialsOptions extends STSOptions {
  /** The role to assume, `acs:ram::<account>:role/<name>`. */
  roleArn: string;
  /** A session policy narrowing the role (RAM policy object or JSON). */
  policy?: STSPolicy;
  /** Seconds the keys live (900–43200, default 3600); they are renewed before they expire. */
  durationSeconds?: number;
  /** Session name (default `oss-fetch`). */
  sessionName?: string;
}

/**
 * Short-lived keys of a RAM role through STS AssumeRole, renewed before they expire.
 * @example new OSSClient({ region, bucket, refreshSTSToken: roleCredentials({ accessKeyId, accessKeySecret, roleArn }) })
 */
export function roleCredentials(options: RoleCredentialsOptions): RefreshCredentials {
  if (!options || typeof options !== 'object') throw new OSSArgumentError('options', 'expected { accessKeyId, accessKeySecret, roleArn }');
  const { roleArn, policy, durationSeconds = 3600, sessionName = 'oss-fetch', ...stsOptions } = options;
  if (typeof roleArn !== 'string' || !roleArn) throw new OSSArgumentError('options.roleArn', 'expected a role ARN like "acs:ram::<account id>:role/<role name>"');
  const sts = new STS(stsOptions);
  return async () => {
    const { credentials: c } = await sts.assumeRole(roleArn, policy, durationSeconds, sessionName);
    return { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken, expiration: c.Expiration };
  };
}

/**
 * The first provider that gives keys wins, at every refresh; when none does, the error lists why
 * each failed (codes and messages only, never a key).
 * @example refreshSTSToken: credentialChain(envCredentials((n) => process.env[n]), roleCredentials({ ...longTermKey, roleArn }))
 */
export function credentialChain(...providers: RefreshCredentials[]): RefreshCredentials {
  if (providers.length === 0 || !providers.every((p) => typeof p === 'function')) {
    throw new OSSArgumentError('providers', 'expected one or more credential provider functions');
  }
  return async (): Promise<RefreshedCredentials> => {
    const reasons: string[] = [];
    for (const [i, provider] of providers.entries()) {
      try {
        return await provider();
      } catch (err) {
        reasons.push(`#${i + 1}: ${err instanceof OSSError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err)}`);
      }
    }
    throw new OSSError({ code: 'CredentialsNotFound', message: `No credential provider gave keys (${reasons.join('; ')})` });
  };
}

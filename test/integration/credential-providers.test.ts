// Credential providers against the local server: from the environment, from a RAM role through
// STS, and a chain of both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSSClient, credentialChain, envCredentials, roleCredentials } from '../../src/index.js';
import type { StartedServer } from '../../src/server/index.js';
import { creds, httpServer } from '../helpers/server.js';

let server: StartedServer;
const ROLE = 'acs:ram::1000000000000000:role/scripts';

beforeAll(async () => {
  server = await httpServer({ buckets: ['providers'] });
});
afterAll(() => server.close());

function clientWith(refreshSTSToken: ReturnType<typeof envCredentials>) {
  return new OSSClient({ endpoint: server.url, region: 'cn-hangzhou', bucket: 'providers', refreshSTSToken });
}

describe('credential providers', () => {
  it('envCredentials reads OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET / OSS_SESSION_TOKEN at each refresh', async () => {
    const env: Record<string, string> = { OSS_ACCESS_KEY_ID: creds.accessKeyId, OSS_ACCESS_KEY_SECRET: creds.accessKeySecret };
    const client = clientWith(envCredentials((name) => env[name]));
    await client.put('env.txt', 'from env');
    expect(new TextDecoder().decode((await client.get('env.txt')).content)).toBe('from env');
  });

  it('envCredentials names what is missing, and never a value', async () => {
    const provider = envCredentials((name) => (name === 'OSS_ACCESS_KEY_ID' ? 'some-id' : undefined));
    await expect(provider()).rejects.toMatchObject({ code: 'CredentialsNotFound', message: 'OSS_ACCESS_KEY_SECRET not set' });
  });

  it('roleCredentials assumes the role (with its session policy) and the keys work within it only', async () => {
    const policy = { Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:PutObject'], Resource: ['acs:oss:*:*:providers/role/*'] }] };
    const provider = roleCredentials({ ...creds, endpoint: `${server.url}/sts`, roleArn: ROLE, policy, durationSeconds: 900 });
    const keys = await provider();
    expect(keys.stsToken).toBeTruthy();
    expect(new Date(keys.expiration as string).getTime()).toBeGreaterThan(Date.now());
    const client = clientWith(provider);
    await client.put('role/a.txt', 'ok');
    await expect(client.put('elsewhere.txt', 'no')).rejects.toMatchObject({ code: 'AccessDenied' });
  });

  it('credentialChain takes the first provider that gives keys, and says why each failed when none does', async () => {
    const empty = envCredentials(() => undefined);
    const role = roleCredentials({ ...creds, endpoint: `${server.url}/sts`, roleArn: ROLE });
    await clientWith(credentialChain(empty, role)).put('chained.txt', 'via role');
    const badRole = roleCredentials({ accessKeyId: creds.accessKeyId, accessKeySecret: 'not-the-secret', endpoint: `${server.url}/sts`, roleArn: ROLE });
    const err = await credentialChain(empty, badRole)().catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'CredentialsNotFound' });
    expect((err as Error).message).toMatch(/#1: CredentialsNotFound: OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET not set; #2: /);
    expect((err as Error).message).not.toContain('not-the-secret');
    expect(() => credentialChain()).toThrow(/one or more/);
  });
});

// OSS's own EC and message for errors whose EC OSS documents (src/server/errors.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import type { OSSClient } from '../../src/index.js';
import { inProcessClient } from '../helpers/server.js';

let client: OSSClient;

beforeAll(async () => {
  ({ client } = inProcessClient({ buckets: ['error-codes'] }, { bucket: 'error-codes', retries: 0 }));
  await client.put('a.txt', 'x');
});

describe('error codes as OSS sends them', () => {
  it('FileAlreadyExists carries EC 0026-00000002 in the body and in x-oss-ec', async () => {
    const err = await client.put('a.txt', 'y', { forbidOverwrite: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FileAlreadyExists', status: 409, ecCode: '0026-00000002' });
    expect((err as { headers: Record<string, string> }).headers['x-oss-ec']).toBe('0026-00000002');
  });

  it('ObjectNotAppendable and a missing CORS configuration answer with OSS\'s EC and text', async () => {
    await expect(client.append('a.txt', 'z', { position: 1 })).rejects.toMatchObject({ code: 'ObjectNotAppendable', ecCode: '0026-00000017' });
    await expect(client.getBucketCORS('error-codes')).rejects.toMatchObject({ code: 'NoSuchCORSConfiguration', message: expect.stringMatching(/^The CORS Configuration does not exist\./) });
  });
});

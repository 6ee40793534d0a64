// Opt-in features (issue 17): OSSCore takes them as values, refuses anything else, and names the
// import an option needs; the batteries-included entries have them all.
import { describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient, OSSCore, crc64Checks, mimeTypes, uploadCallbacks, uploadProgress, v1Signing } from '../../src/index.js';
import { OSSCore as NodeCore, OSSClient as NodeClient } from '../../src/adapters/node.js';

const NAMES = ['v1', 'crc64', 'progress', 'mime', 'callback'] as const;

describe('opt-in features', () => {
  it('a bare OSSCore has none; each given feature is there under its name', () => {
    const bare = new OSSCore();
    for (const name of NAMES) expect(bare.feature(name)).toBeUndefined();
    const core = new OSSCore({ features: [crc64Checks, mimeTypes] });
    expect(core.feature('crc64')).toBe(crc64Checks);
    expect(core.feature('mime')).toBe(mimeTypes);
    expect(core.feature('v1')).toBeUndefined();
  });

  it('OSSClient, and oss-fetch/node\'s OSSCore and OSSClient, have every feature, CRC-64 checks on', () => {
    const all = [v1Signing, crc64Checks, uploadProgress, mimeTypes, uploadCallbacks];
    for (const core of [new OSSClient(), new NodeCore(), new NodeClient()]) {
      for (const [i, name] of NAMES.entries()) expect(core.feature(name)).toBe(all[i]);
      expect(core.crc()).toBe(crc64Checks);
    }
    expect(new OSSClient({ crc64: false }).crc()).toBeUndefined();
    expect(new OSSClient().crc(false)).toBeUndefined();
    expect(new OSSCore().crc(true)).toBeUndefined();
  });

  it.each([
    ['not a list', { features: crc64Checks }],
    ['an unknown value', { features: [{ name: 'turbo' }] }],
    ['a string', { features: ['crc64'] }],
    ['null in the list', { features: [null] }],
  ])('refuses features that are %s, before anything is sent', (_what, options) => {
    expect(() => new OSSCore(options as never)).toThrow(OSSArgumentError);
    expect(() => new OSSClient(options as never)).toThrow(OSSArgumentError);
  });

  it('names the import an option needs, and that OSSClient has it', async () => {
    expect(() => new OSSCore({ signatureVersion: 'v1' })).toThrow(/needs the v1Signing feature: import \{ v1Signing \} from 'oss-fetch'.*OSSClient has every feature/);
    expect(() => new OSSCore({ authorizationV4: false })).toThrow(/v1Signing/);
    expect(() => new OSSCore({ crc64: true })).toThrow(/import \{ crc64Checks \}/);
    expect(() => new OSSCore({ crc64: false })).not.toThrow();
    const core = new OSSCore({ bucket: 'b-1x', accessKeyId: 'id', accessKeySecret: 'secret-secret', fetch: () => Promise.reject(new Error('nothing is sent')) });
    const refused = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);
    const { put, uploadPart, completeMultipartUpload, multipartUpload } = await import('../../src/index.js');
    const e1 = await refused(put(core, 'k', 'x', { onProgress: () => {} }));
    expect(e1).toBeInstanceOf(OSSArgumentError);
    expect((e1 as OSSArgumentError).argument).toBe('options.onProgress');
    expect(String(e1)).toMatch(/import \{ uploadProgress \}/);
    const e2 = await refused(uploadPart(core, 'k', 'id', 1, 'x', { onProgress: () => {} }));
    expect(String(e2)).toMatch(/import \{ uploadProgress \}/);
    const callback = { url: 'https://app.example/cb', body: 'a=1' };
    for (const p of [put(core, 'k', 'x', { callback }), completeMultipartUpload(core, 'k', 'id', [{ number: 1, etag: '"e"' }], { callback }), multipartUpload(core, 'k', 'x', { callback })]) {
      const e = await refused(p);
      expect(e).toBeInstanceOf(OSSArgumentError);
      expect(String(e)).toMatch(/import \{ uploadCallbacks \}/);
    }
  });
});

// The fixed-choice arguments share one check (src/client/one-of.ts); its messages are the ones
// each call site wrote before: `expected "A" or "B"` for two choices, `expected one of …` for more.
import { describe, expect, it } from 'vitest';
import { OSSArgumentError, OSSClient } from '../../src/index.js';
import { assertOneOf } from '../../src/client/one-of.js';

const client = new OSSClient({ region: 'oss-cn-hangzhou', bucket: 'my-bucket', accessKeyId: 'id', accessKeySecret: 'secret' });

async function refusal(call: () => Promise<unknown>): Promise<OSSArgumentError> {
  const err = await call().then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(OSSArgumentError);
  return err as OSSArgumentError;
}

describe('assertOneOf', () => {
  it('lets the choices through and refuses anything else, strings and non-strings alike', () => {
    expect(() => assertOneOf('a', ['a', 'b'], 'x')).not.toThrow();
    expect(() => assertOneOf('c', ['a', 'b', 'c'], 'x')).not.toThrow();
    for (const bad of ['A', '', 1, null, undefined, {}, ['a']]) expect(() => assertOneOf(bad, ['a', 'b'], 'x'), String(bad)).toThrow(OSSArgumentError);
  });

  it('says "A" or "B" for two choices and lists three or more', () => {
    expect(() => assertOneOf('z', ['a', 'b'], 'opt')).toThrow(/^Invalid argument "opt": expected "a" or "b"$/);
    expect(() => assertOneOf('z', ['a', 'b', 'c'], 'opt')).toThrow(/^Invalid argument "opt": expected one of a, b, c$/);
  });

  it('keeps each call site\'s argument and message', async () => {
    const cases: Array<[() => Promise<unknown>, string, string]> = [
      [() => client.putBucketVersioning('my-bucket', 'On' as never), 'status', 'expected "Enabled" or "Suspended"'],
      [() => client.putBucketRequestPayment('my-bucket', 'Nobody' as never), 'payer', 'expected "BucketOwner" or "Requester"'],
      [() => client.putBucket('my-bucket', { dataRedundancyType: 'XRS' as never }), 'options.dataRedundancyType', 'expected "LRS" or "ZRS"'],
      [() => client.putBucket('my-bucket', { storageClass: 'Cold' as never }), 'options.storageClass', 'expected one of Standard, IA, Archive, ColdArchive, DeepColdArchive'],
      [() => client.putBucketACL('my-bucket', 'open' as never), 'acl', 'expected one of private, public-read, public-read-write'],
      [() => client.putBucketLifecycle('my-bucket', [{ prefix: '', status: 'On' as never, expiration: { days: 1 } }]), 'rules[0].status', 'expected "Enabled" or "Disabled"'],
      [() => client.putBucketLifecycle('my-bucket', [{ prefix: '', status: 'Enabled', transition: { days: 1, storageClass: 'Standard' as never } }]), 'rules[0].transition[0].storageClass', 'expected one of IA, Archive, ColdArchive, DeepColdArchive'],
      [() => client.signPostObjectPolicy({ key: 'a.txt', version: 'v2' as never }), 'options.version', 'expected "v4" or "v1"'],
    ];
    for (const [call, argument, message] of cases) {
      const err = await refusal(call);
      expect(err.argument, argument).toBe(argument);
      expect(err.message, argument).toBe(`Invalid argument "${argument}": ${message}`);
    }
  });
});

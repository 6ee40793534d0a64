import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Md5, md5, md5Base64, md5Hex } from '../../src/core/md5.js';
import { rng } from '../helpers/random.js';

function randomBytes(n: number, rand: () => number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (rand() * 256) | 0;
  return out;
}
const nodeMd5 = (data: Uint8Array | string) => createHash('md5').update(data).digest('hex');
const hex = (b: Uint8Array) => Array.from(b, (v) => v.toString(16).padStart(2, '0')).join('');

const rand = rng(0x5d5);
const MiB = randomBytes(1 << 20, rand);
const MIB_MD5 = nodeMd5(MiB);

describe('md5', () => {
  it('passes the RFC 1321 test suite', () => {
    const suite: [string, string][] = [
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['a', '0cc175b9c0f1b6a831c399e269772661'],
      ['abc', '900150983cd24fb0d6963f7d28e17f72'],
      ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
      ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
      ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
      ['1234567890'.repeat(8), '57edf4a22be3c955ac49da2e2107b67a'],
    ];
    for (const [input, expected] of suite) {
      expect(md5Hex(input), JSON.stringify(input)).toBe(expected);
      expect(hex(md5(new TextEncoder().encode(input)))).toBe(expected);
    }
  });

  it('gives Content-MD5 style base64 and hashes strings as UTF-8', () => {
    expect(md5Base64('')).toBe('1B2M2Y8AsgTpgAmY7PhCfg==');
    expect(md5Base64('abc')).toBe('kAFQmDzST7DWlj99KOF/cg==');
    expect(md5Base64(MiB)).toBe(createHash('md5').update(MiB).digest('base64'));
    for (const s of ['中文对象名', 'emoji 🎉 key', 'ß/ü/é']) expect(md5Hex(s)).toBe(nodeMd5(s));
    const d = md5('abc');
    expect(d).toBeInstanceOf(Uint8Array);
    expect(d).toHaveLength(16);
    const h = new Md5();
    expect(h.update(d)).toBe(h); // chainable
  });

  it('matches node:crypto for every size 0..5000 at odd offsets', () => {
    for (let n = 0; n <= 5000; n++) {
      const off = n % 7;
      const view = MiB.subarray(off, off + n);
      expect(md5Hex(view), `len ${n}`).toBe(nodeMd5(view));
    }
  });

  it('matches node:crypto on 1 MiB, whole and in random chunkings', () => {
    expect(md5Hex(MiB)).toBe(MIB_MD5);
    const r = rng(11);
    for (let round = 0; round < 20; round++) {
      const h = new Md5();
      const max = [100, 1000, 70_000, 300_000][round % 4]!;
      for (let o = 0; o < MiB.length; ) {
        const n = Math.min(MiB.length - o, Math.floor(r() * max));
        h.update(MiB.subarray(o, o + n));
        o += n;
      }
      expect(hex(h.digest()), `round ${round}`).toBe(MIB_MD5);
    }
  });

  it('gives the same digest across every split point of a small buffer', () => {
    const buf = MiB.subarray(1, 1 + 200); // spans three blocks, so splits hit every buffer state
    const whole = nodeMd5(buf);
    for (let i = 0; i <= buf.length; i++) {
      for (let j = i; j <= buf.length; j += 37) {
        const h = new Md5().update(buf.subarray(0, i)).update(buf.subarray(i, j)).update(buf.subarray(j));
        expect(hex(h.digest()), `splits ${i}, ${j}`).toBe(whole);
      }
    }
  });

  it('lets digest() be called mid-stream without ending the hash', () => {
    const h = new Md5();
    for (let n = 0; n < 300; n += 13) {
      h.update(MiB.subarray(n, n + 13));
      expect(hex(h.digest())).toBe(nodeMd5(MiB.subarray(0, n + 13)));
      expect(hex(h.digest())).toBe(nodeMd5(MiB.subarray(0, n + 13))); // twice: idempotent
    }
    expect(hex(new Md5().digest())).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });
});

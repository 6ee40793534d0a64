import { afterAll, describe, expect, it, vi } from 'vitest';
import { Crc64, crc64, crc64Combine, crc64TransformStream, setCrc64Wasm } from '../../src/core/crc64.js';
import { OSSArgumentError } from '../../src/core/errors.js';
import { rng } from '../helpers/random.js';

const enc = new TextEncoder();
const CHECK = 11051210869376104954n; // CRC-64/XZ("123456789")
const SENTENCE = 'This is a test of the emergency broadcast system.';

function randomBytes(n: number, rand: () => number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (rand() * 256) | 0;
  return out;
}
function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// Independent reference: the textbook reflected table algorithm on BigInt.
const REF_TABLE = Array.from({ length: 256 }, (_, b) => {
  let c = BigInt(b);
  for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ 0xc96c5795d7870f42n : c >> 1n;
  return c;
});
function refCrc(data: Uint8Array, init = 0n): bigint {
  let c = init ^ 0xffffffffffffffffn;
  for (const b of data) c = REF_TABLE[Number((c ^ BigInt(b)) & 0xffn)]! ^ (c >> 8n);
  return c ^ 0xffffffffffffffffn;
}

const rand = rng(0x0551);
const MiB = randomBytes(1 << 20, rand);
const MIB_CRC = refCrc(MiB);

afterAll(async () => {
  await setCrc64Wasm(true);
});

it('loads the wasm kernel on the first input of 1 MiB, not for small ones', async () => {
  vi.resetModules();
  const fresh = await import('../../src/core/crc64.js');
  fresh.crc64(new Uint8Array(64 * 1024));
  await new Promise((r) => setTimeout(r, 50));
  expect(fresh.crc64Kernel()).toBe('js');
  expect(fresh.crc64(MiB)).toBe(MIB_CRC.toString()); // on JS, and starts the load
  await fresh.loadCrc64Wasm();
  expect(fresh.crc64Kernel()).toBe('wasm');
  expect(fresh.crc64(MiB)).toBe(MIB_CRC.toString());
});

it('loads the wasm kernel once one hasher has seen 1 MiB in chunks (a download), and keeps the value right across the switch', async () => {
  vi.resetModules();
  const fresh = await import('../../src/core/crc64.js');
  const hasher = new fresh.Crc64();
  for (let at = 0; at < MiB.length; at += 64 * 1024) hasher.update(MiB.subarray(at, at + 64 * 1024));
  await vi.waitFor(() => expect(fresh.crc64Kernel()).toBe('wasm'), { timeout: 5000 });
  expect(hasher.toString()).toBe(MIB_CRC.toString());
  // Many small hashers together are not one big input: no load for them.
  vi.resetModules();
  const other = await import('../../src/core/crc64.js');
  for (let i = 0; i < 20; i++) new other.Crc64().update(MiB.subarray(0, 64 * 1024));
  await new Promise((r) => setTimeout(r, 50));
  expect(other.crc64Kernel()).toBe('js');
});

it('loads the wasm kernel in Node when asked', async () => {
  expect(await setCrc64Wasm(false)).toBe(false);
  expect(await setCrc64Wasm(true)).toBe(true);
});

describe.each([
  ['wasm', true],
  ['js', false],
])('CRC-64/XZ with the %s kernel', (_name, wasm) => {
  const use = () => setCrc64Wasm(wasm);

  it('matches the check values and the Go SDK vectors', async () => {
    expect(await use()).toBe(wasm);
    expect(crc64('123456789')).toBe('11051210869376104954');
    expect(new Crc64().update(enc.encode('123456789')).value).toBe(CHECK);
    expect(crc64('')).toBe('0');
    expect(crc64(new Uint8Array(0))).toBe('0');
    expect(new Crc64().value).toBe(0n);
    expect(BigInt(crc64(SENTENCE))).toBe(0x27db187fc15bbc72n);
    expect(BigInt(crc64('123456789' + SENTENCE))).toBe(0x6a7aa19fcbf48688n);
    expect(new Crc64().update(enc.encode(SENTENCE)).toString()).toBe(0x27db187fc15bbc72n.toString());
  });

  it('matches the reference on 1 MiB and on many lengths and offsets', async () => {
    expect(await use()).toBe(wasm);
    expect(crc64(MiB)).toBe(MIB_CRC.toString());
    for (let n = 0; n < 2100; n += 7) {
      const off = n % 13;
      const view = MiB.subarray(off, off + n); // odd byte offsets on purpose
      expect(new Crc64().update(view).value, `len ${n} offset ${off}`).toBe(refCrc(view));
    }
  });

  it('matches the reference on every power-of-two split into lanes, inside and across 64 KiB pieces', async () => {
    expect(await use()).toBe(wasm);
    // The wasm kernel stages 64 KiB at a time and runs two lanes over the largest power-of-two
    // halves that fit, then one lane over the rest: these lengths reach each size of half.
    const lengths = [65_536 + 4096, 2 * 65_536 + 5];
    for (let k = 7; k <= 17; k++) lengths.push(2 ** k - 1, 2 ** k, 2 ** k + 1, 2 ** k + 2 ** (k - 1) + 2 ** (k - 3) + 33);
    for (const n of lengths) {
      const view = MiB.subarray(5, 5 + n);
      expect(new Crc64().update(view).value, `len ${n}`).toBe(refCrc(view));
    }
  });

  it('continues from an earlier CRC (append semantics)', async () => {
    expect(await use()).toBe(wasm);
    const a = enc.encode('123456789');
    const b = enc.encode(SENTENCE);
    const crcA = crc64(a);
    expect(BigInt(crc64(b, crcA))).toBe(0x6a7aa19fcbf48688n);
    expect(new Crc64(BigInt(crcA)).update(b).value).toBe(0x6a7aa19fcbf48688n);
    expect(new Crc64(`0x${CHECK.toString(16)}`).update(b).value).toBe(0x6a7aa19fcbf48688n);
    const big = MiB.subarray(0, 5000);
    expect(new Crc64(crc64(big)).update(MiB.subarray(5000, 300_000)).value).toBe(
      refCrc(MiB.subarray(0, 300_000)),
    );
  });

  it('gives the same result across every split point of a small buffer', async () => {
    expect(await use()).toBe(wasm);
    for (const size of [67, 1300]) {
      // 67 bytes crosses the wasm threshold (64) on one side; 1300 runs wasm with a tail.
      const buf = MiB.subarray(3, 3 + size);
      const whole = refCrc(buf);
      for (let i = 0; i <= size; i++) {
        const c = new Crc64().update(buf.subarray(0, i)).update(buf.subarray(i));
        expect(c.value, `size ${size} split ${i}`).toBe(whole);
        expect(new Crc64(c.value).update(new Uint8Array(0)).value).toBe(whole);
      }
    }
  });

  it('gives the same result across random chunkings of 1 MiB', async () => {
    expect(await use()).toBe(wasm);
    const r = rng(42);
    for (let round = 0; round < 20; round++) {
      const c = new Crc64();
      const max = [16, 700, 70_000, 300_000][round % 4]!;
      for (let o = 0; o < MiB.length; ) {
        const n = Math.min(MiB.length - o, Math.floor(r() * max));
        c.update(MiB.subarray(o, o + n));
        o += n;
      }
      expect(c.value, `round ${round}`).toBe(MIB_CRC);
    }
  });
});

describe('crc64Combine', () => {
  it('combines the Go vectors', () => {
    const a = crc64('123456789');
    const b = crc64(SENTENCE);
    expect(crc64Combine(a, b, SENTENCE.length)).toBe(0x6a7aa19fcbf48688n);
    expect(crc64Combine(BigInt(a), BigInt(b), BigInt(SENTENCE.length))).toBe(0x6a7aa19fcbf48688n);
  });

  it('returns crc1 when len2 is 0', () => {
    expect(crc64Combine(CHECK, 0n, 0)).toBe(CHECK);
    expect(crc64Combine(CHECK.toString(), '0', 0n)).toBe(CHECK);
    expect(crc64Combine(0n, 0n, 0)).toBe(0n);
  });

  it('equals the CRC of the concatenation over random splits', () => {
    const r = rng(7);
    for (let i = 0; i < 60; i++) {
      const n = Math.floor(r() * 3000);
      const cut = Math.floor(r() * (n + 1));
      const off = Math.floor(r() * 100_000);
      const a = MiB.subarray(off, off + cut);
      const b = MiB.subarray(off + cut, off + n);
      expect(crc64Combine(crc64(a), crc64(b), b.length), `n ${n} cut ${cut}`).toBe(
        refCrc(MiB.subarray(off, off + n)),
      );
    }
    const half = 1 << 19;
    expect(crc64Combine(crc64(MiB.subarray(0, half)), crc64(MiB.subarray(half)), half)).toBe(MIB_CRC);
  });

  it('folds 3+ parts from 0n like a multipart upload', () => {
    const r = rng(99);
    for (let round = 0; round < 10; round++) {
      const parts: Uint8Array[] = [];
      for (let o = 0; o < MiB.length; ) {
        const n = Math.min(MiB.length - o, 1 + Math.floor(r() * 200_000));
        parts.push(MiB.subarray(o, o + n));
        o += n;
      }
      expect(parts.length).toBeGreaterThanOrEqual(3);
      const folded = parts.reduce((acc, p) => crc64Combine(acc, crc64(p), p.length), 0n);
      expect(folded.toString()).toBe(MIB_CRC.toString());
    }
    // Empty parts change nothing.
    const withEmpty = [MiB.subarray(0, 10), new Uint8Array(0), MiB.subarray(10, 20), new Uint8Array(0)];
    const folded = withEmpty.reduce((acc, p) => crc64Combine(acc, crc64(p), p.length), 0n);
    expect(folded).toBe(refCrc(MiB.subarray(0, 20)));
  });

  it('stays consistent for lengths far beyond memory (associativity)', () => {
    const r = rng(3);
    for (let i = 0; i < 20; i++) {
      const [x, y, z] = [0, 1, 2].map(() => BigInt(crc64(randomBytes(8, r))));
      const ly = BigInt(Math.floor(r() * 2 ** 40)) * 2n ** BigInt(i); // up to ~2^59
      const lz = BigInt(Math.floor(r() * 2 ** 50));
      const left = crc64Combine(crc64Combine(x!, y!, ly), z!, lz);
      const right = crc64Combine(x!, crc64Combine(y!, z!, lz), ly + lz);
      expect(left).toBe(right);
    }
    // Appending n zero bytes directly agrees with the operator for n.
    const zeros = new Uint8Array(100_003);
    expect(crc64Combine(CHECK, crc64(zeros), zeros.length).toString()).toBe(
      crc64(concat(enc.encode('123456789'), zeros)),
    );
  });

  it('rejects bad arguments', () => {
    expect(() => crc64Combine(-1n, 0n, 1)).toThrow(OSSArgumentError);
    expect(() => crc64Combine(1n << 64n, 0n, 1)).toThrow(OSSArgumentError);
    expect(() => crc64Combine('12a', 0n, 1)).toThrow(TypeError);
    expect(() => crc64Combine(0n, 0n, -1)).toThrow(OSSArgumentError);
    expect(() => crc64Combine(0n, 0n, 1.5)).toThrow(OSSArgumentError);
    expect(() => crc64Combine(0n, 0n, -1n)).toThrow(OSSArgumentError);
    expect(() => new Crc64('')).toThrow(TypeError);
    expect(() => new Crc64('-1')).toThrow(TypeError);
    expect(() => new Crc64('18446744073709551616')).toThrow(OSSArgumentError);
    expect(new Crc64('18446744073709551615').value).toBe((1n << 64n) - 1n);
  });
});

describe('crc64TransformStream', () => {
  function source(chunks: Uint8Array[], failAfter?: Error): ReadableStream<Uint8Array> {
    let i = 0;
    return new ReadableStream({
      pull(controller) {
        if (i < chunks.length) controller.enqueue(chunks[i++]!);
        else if (failAfter) controller.error(failAfter);
        else controller.close();
      },
    });
  }
  async function readAll(s: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    for (const reader = s.getReader(); ; ) {
      const { done, value } = await reader.read();
      if (done) return out;
      out.push(value);
    }
  }
  const chunks = [MiB.subarray(0, 1), MiB.subarray(1, 70_000), MiB.subarray(70_000, 70_000), MiB.subarray(70_000)];

  it('passes the same chunk objects through and reports CRC and size', async () => {
    let seen: [string, number] | undefined;
    const t = crc64TransformStream((crc, bytes) => {
      seen = [crc, bytes];
    });
    expect(t).toBeInstanceOf(TransformStream);
    const out = await readAll(source(chunks).pipeThrough(t));
    expect(out).toHaveLength(chunks.length);
    out.forEach((c, i) => expect(c).toBe(chunks[i]));
    expect(await t.result).toEqual({ crc64: MIB_CRC.toString(), size: MiB.length });
    expect(seen).toEqual([MIB_CRC.toString(), MiB.length]);
  });

  it('reports 0 for an empty stream', async () => {
    const t = crc64TransformStream();
    await readAll(source([]).pipeThrough(t));
    expect(await t.result).toEqual({ crc64: '0', size: 0 });
  });

  it('errors the stream when onDone throws (e.g. a CRC mismatch)', async () => {
    const boom = new Error('crc mismatch');
    const t = crc64TransformStream(() => {
      throw boom;
    });
    await expect(readAll(source(chunks).pipeThrough(t))).rejects.toBe(boom);
    await expect(t.result).rejects.toBe(boom);
  });

  it('rejects the result when the source errors or the reader cancels', async () => {
    const fail = new Error('network');
    const t1 = crc64TransformStream();
    await expect(readAll(source(chunks, fail).pipeThrough(t1))).rejects.toBe(fail);
    await expect(t1.result).rejects.toBe(fail);

    const t2 = crc64TransformStream();
    const reader = source(chunks).pipeThrough(t2).getReader();
    await reader.read();
    await reader.cancel('stop');
    await expect(t2.result).rejects.toBe('stop');
  });
});

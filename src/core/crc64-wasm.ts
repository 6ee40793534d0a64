// The wasm CRC-64 kernel: slicing-by-16 with i64 table entries over two lanes, hand-assembled
// below (no build step, no binary blob). About 2.5x the JS kernel in Node 20. It is its own module so pages load
// it only when they checksum something big (crc64.ts imports it lazily); runtimes that refuse to
// compile wasm at run time (workerd, CSP without 'wasm-unsafe-eval') keep the JS kernel.

/** Register as two int32 halves; holds ~crc (the pre/post inversion is folded in here). */
export interface Reg {
  lo: number;
  hi: number;
}

/** A kernel that folds bytes into the register. */
export type Crc64Kernel = (r: Reg, b: Uint8Array) => void;

// Memory (2 pages): tables at 0 (4096 × i64), the two lanes' registers at STATE, input staged at BUF.
const STATE = 32768;
const BUF = 65536;
const BUF_LEN = 65536;

const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    const b = v & 0x7f;
    v >>>= 7;
    out.push(v ? b | 0x80 : b);
  } while (v);
  return out;
};
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
};

// Opcodes, from the WebAssembly core spec (binary format, §5.4).
const BLOCK = 0x02, LOOP = 0x03, END = 0x0b, BR = 0x0c, BR_IF = 0x0d, VOID = 0x40;
const GET = 0x20, SET = 0x21, TEE = 0x22, I32_CONST = 0x41, I64_CONST = 0x42;
const I64_LOAD = 0x29, I32_LOAD8_U = 0x2d, I64_STORE = 0x37;
const I32_LT_U = 0x49, I32_GE_U = 0x4f, I32_ADD = 0x6a, I32_AND = 0x71, I32_XOR = 0x73, I32_SHL = 0x74, I32_SHR_U = 0x76;
const I64_XOR = 0x85, I64_SHR_U = 0x88, I32_WRAP_I64 = 0xa7, I32 = 0x7f, I64 = 0x7e;

/**
 * Module exporting memory `m`, `u(p, n)`: run the register at STATE over memory[p, p + n), and
 * `v(p, n)`: the same over two lanes, the first half of an `n` divisible by 32 from the register
 * at STATE, the second from the one at STATE + 8 (one lane alone waits on its own table loads;
 * two interleaved keep the CPU busy, ~1.7x the bytes per second in Node 20).
 */
function wasmBytes(): Uint8Array<ArrayBuffer> {
  const i32 = (v: number) => [I32_CONST, ...sleb(v)];
  const i64 = (v: number) => [I64_CONST, ...sleb(v)];
  const load64 = (offset: number) => [I64_LOAD, 3, ...uleb(offset)];
  // Entry of table k for byte j of i64 local v: i64 at k * 2048 + 8 * byte.
  const entry = (v: number, j: number, k: number) => [
    GET, v,
    ...(j ? [...i64(8 * j - 3), I64_SHR_U, I32_WRAP_I64] : [I32_WRAP_I64, ...i32(3), I32_SHL]),
    ...i32(0x7f8), I32_AND,
    ...load64(k * 2048),
  ];
  // The register c after the 16 bytes whose first 8 were xored into c and whose last 8 are in d.
  const xorOf16 = (c: number, d: number) => {
    const out: number[] = [];
    for (let j = 0; j < 16; j++) {
      out.push(...(j < 8 ? entry(c, j, 15 - j) : entry(d, j - 8, 15 - j)));
      if (j) out.push(I64_XOR);
    }
    return [...out, SET, c];
  };
  // Params p, n; i64 locals c, d (lane 0) and c2, d2 (lane 1); i32 locals end, stop (u) / q (v).
  const p = 0, n = 1, c = 2, d = 3, c2 = 4, d2 = 5, end = 6, stop = 7, q = 6;
  // c ^= mem[at], d = mem[at + 8]: the lane's next 16 bytes, `at` pushed by `addr`.
  const take = (addr: number[], cl: number, dl: number) => [GET, cl, ...addr, ...load64(0), I64_XOR, SET, cl, ...addr, ...load64(8), SET, dl];
  const oneLane = [
    GET, p, GET, n, I32_ADD, SET, stop, // stop = p + n
    GET, p, GET, n, ...i32(-16), I32_AND, I32_ADD, SET, end, // end = p + (n & ~15)
    ...i32(0), ...load64(STATE), SET, c,
    BLOCK, VOID, GET, p, GET, end, I32_GE_U, BR_IF, 0,
    LOOP, VOID, // 16 bytes per turn
    ...take([GET, p], c, d), ...xorOf16(c, d),
    GET, p, ...i32(16), I32_ADD, TEE, p, GET, end, I32_LT_U, BR_IF, 0,
    END, END,
    BLOCK, VOID, LOOP, VOID, GET, p, GET, stop, I32_GE_U, BR_IF, 1, // then byte by byte
    GET, c, I32_WRAP_I64, GET, p, I32_LOAD8_U, 0, 0, I32_XOR, ...i32(3), I32_SHL, ...i32(0x7f8), I32_AND,
    ...load64(0), GET, c, ...i64(8), I64_SHR_U, I64_XOR, SET, c, // c = T0[(c ^ byte) & 255] ^ (c >> 8)
    GET, p, ...i32(1), I32_ADD, SET, p, BR, 0,
    END, END,
    ...i32(0), GET, c, I64_STORE, 3, ...uleb(STATE),
    END,
  ];
  const twoLanes = [
    GET, n, ...i32(1), I32_SHR_U, SET, q, // q = n / 2: lane 1 runs q bytes ahead of lane 0
    GET, p, GET, q, I32_ADD, SET, n, // n = where lane 0 stops
    ...i32(0), ...load64(STATE), SET, c,
    ...i32(0), ...load64(STATE + 8), SET, c2,
    LOOP, VOID, // 16 bytes per lane per turn
    ...take([GET, p], c, d), ...take([GET, p, GET, q, I32_ADD], c2, d2),
    ...xorOf16(c, d), ...xorOf16(c2, d2),
    GET, p, ...i32(16), I32_ADD, TEE, p, GET, n, I32_LT_U, BR_IF, 0,
    END,
    ...i32(0), GET, c, I64_STORE, 3, ...uleb(STATE),
    ...i32(0), GET, c2, I64_STORE, 3, ...uleb(STATE + 8),
    END,
  ];
  const locals = [2, 4, I64, 2, I32];
  const body = (code: number[]) => [...uleb(locals.length + code.length), ...locals, ...code];
  const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, // "\0asm", version 1
    ...section(1, [1, 0x60, 2, I32, I32, 0]), // type 0: (i32, i32) -> ()
    ...section(3, [2, 0, 0]), // functions 0 and 1 have type 0
    ...section(5, [1, 0, 2]), // memory: 2 pages, fixed
    ...section(7, [3, 1, 0x6d, 2, 0, 1, 0x75, 0, 0, 1, 0x76, 0, 1]), // exports "m" (memory 0), "u" (func 0), "v" (func 1)
    ...section(10, [2, ...body(oneLane), ...body(twoLanes)]),
  ]);
}

/**
 * A kernel over the given slicing tables (4096 entries each), or null where wasm is refused.
 * `skipZeros(r, k)` runs a register over 2^k zero bytes (crc64.ts's combine matrices).
 */
export function wasmKernel(tables: { lo: Int32Array; hi: Int32Array }, skipZeros: (r: Reg, k: number) => void): Crc64Kernel | null {
  if (typeof WebAssembly !== 'object') return null;
  let exports: WebAssembly.Exports;
  try {
    exports = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes())).exports;
  } catch {
    return null; // run-time compilation refused
  }
  const buf = (exports.m as WebAssembly.Memory).buffer;
  const oneLane = exports.u as (p: number, n: number) => void;
  const twoLanes = exports.v as (p: number, n: number) => void;
  // wasm memory is little-endian whatever the host is, hence DataView.
  const dv = new DataView(buf);
  for (let i = 0; i < 4096; i++) {
    dv.setInt32(i * 8, tables.lo[i]!, true);
    dv.setInt32(i * 8 + 4, tables.hi[i]!, true);
  }
  const mem = new Uint8Array(buf);
  const reg = new DataView(buf, STATE, 16);
  const first: Reg = { lo: 0, hi: 0 };
  return (r: Reg, b: Uint8Array) => {
    let lo = r.lo;
    let hi = r.hi;
    for (let o = 0; o < b.length; o += BUF_LEN) {
      const part = b.subarray(o, o + BUF_LEN);
      mem.set(part, BUF);
      let at = BUF;
      let left = part.length;
      // Two lanes over the largest power-of-two halves that fit; the first lane's register then
      // runs past the second half's bytes as zeros (the register is linear) and takes in the second.
      while (left >= 2 * MIN_HALF) {
        const log = 31 - Math.clz32(left >>> 1);
        reg.setInt32(0, lo, true);
        reg.setInt32(4, hi, true);
        reg.setInt32(8, 0, true);
        reg.setInt32(12, 0, true);
        twoLanes(at, 2 << log);
        first.lo = reg.getInt32(0, true);
        first.hi = reg.getInt32(4, true);
        skipZeros(first, log);
        lo = first.lo ^ reg.getInt32(8, true);
        hi = first.hi ^ reg.getInt32(12, true);
        at += 2 << log;
        left -= 2 << log;
      }
      if (left) {
        reg.setInt32(0, lo, true);
        reg.setInt32(4, hi, true);
        oneLane(at, left);
        lo = reg.getInt32(0, true);
        hi = reg.getInt32(4, true);
      }
    }
    r.lo = lo;
    r.hi = hi;
  };
}

/** Below halves of this many bytes the step joining two lanes costs what they save. */
const MIN_HALF = 512;

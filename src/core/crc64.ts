// CRC-64/XZ (ECMA-182 polynomial, reflected, init and xorout all ones): the value OSS sends
// in `x-oss-hash-crc64ecma` as an unsigned decimal string (protocol §12).
//
// The register lives in two int32 halves so the hot loops never touch BigInt; BigInt only
// appears at the API edge. Two kernels compute the same thing:
//   * JS: slicing-by-8 over a DataView (any alignment, any host endianness).
//   * wasm: slicing-by-16 with i64 table entries, hand-assembled below (no build step).
//     About 1.3x the JS kernel (2.0 vs 1.5 GB/s in Node 20), so it takes chunks of 64+ bytes
//     when the runtime allows compiling wasm at run time; workerd and pages whose CSP lacks
//     'wasm-unsafe-eval' do not, and fall back to JS (see setCrc64Wasm).

import { OSSArgumentError } from './errors.js';

const POLY_LO = 0xd7870f42 | 0;
const POLY_HI = 0xc96c5795 | 0;
const U64 = (1n << 64n) - 1n;

/** Register as two int32 halves; holds ~crc (the pre/post inversion is folded in here). */
interface Reg {
  lo: number;
  hi: number;
}

// T[k * 256 + b] = register change for byte b followed by k zero bytes. 16 slices feed the wasm
// kernel; the JS kernel uses the first 8. The arrays (2 × 16 KiB) exist from the start because
// V8 then treats them as constants, which makes the JS loop ~1.5x faster than reading them
// from a lazily assigned `let`; they are filled on first use.
const TLO = new Int32Array(4096);
const THI = new Int32Array(4096);
let tablesBuilt = false;

function buildTables(): void {
  for (let b = 0; b < 256; b++) {
    let l = b;
    let h = 0;
    for (let k = 0; k < 8; k++) {
      const m = -(l & 1); // all ones when the low bit is set
      l = ((l >>> 1) | (h << 31)) ^ (POLY_LO & m);
      h = (h >>> 1) ^ (POLY_HI & m);
    }
    TLO[b] = l;
    THI[b] = h;
  }
  for (let i = 256; i < 4096; i++) {
    const l = TLO[i - 256]!;
    const h = THI[i - 256]!;
    const j = l & 0xff;
    TLO[i] = TLO[j]! ^ ((l >>> 8) | (h << 24));
    THI[i] = THI[j]! ^ (h >>> 8);
  }
  tablesBuilt = true;
}

function updateJs(r: Reg, b: Uint8Array): void {
  if (!tablesBuilt) buildTables();
  const L = TLO;
  const H = THI;
  let lo = r.lo;
  let hi = r.hi;
  let i = 0;
  const n = b.length;
  if (n >= 16) {
    // DataView reads are as fast as an Int32Array view here and need no alignment or LE host.
    const dv = new DataView(b.buffer, b.byteOffset, n);
    for (const end = n - 7; i < end; i += 8) {
      lo ^= dv.getInt32(i, true);
      hi ^= dv.getInt32(i + 4, true);
      const a0 = 1792 + (lo & 0xff), a1 = 1536 + ((lo >>> 8) & 0xff);
      const a2 = 1280 + ((lo >>> 16) & 0xff), a3 = 1024 + (lo >>> 24);
      const a4 = 768 + (hi & 0xff), a5 = 512 + ((hi >>> 8) & 0xff);
      const a6 = 256 + ((hi >>> 16) & 0xff), a7 = hi >>> 24;
      lo = L[a0] ^ L[a1] ^ L[a2] ^ L[a3] ^ L[a4] ^ L[a5] ^ L[a6] ^ L[a7];
      hi = H[a0] ^ H[a1] ^ H[a2] ^ H[a3] ^ H[a4] ^ H[a5] ^ H[a6] ^ H[a7];
    }
  }
  for (; i < n; i++) {
    const j = (lo ^ b[i]) & 0xff;
    lo = L[j] ^ ((lo >>> 8) | (hi << 24));
    hi = H[j] ^ (hi >>> 8);
  }
  r.lo = lo;
  r.hi = hi;
}

// ---- wasm kernel ---------------------------------------------------------------------------
// Memory (2 pages): tables at 0 (4096 × i64), register at STATE, input staged at BUF.
const STATE = 32768;
const BUF = 65536;
const BUF_LEN = 65536;
// Measured crossover is ~16 bytes; tiny inputs stay on JS so they never instantiate wasm.
const WASM_MIN = 64;

interface Kernel {
  mem: Uint8Array;
  reg: DataView; // the register at STATE
  run: (p: number, n: number) => void;
}
let kernel: Kernel | null | undefined; // undefined: not tried yet
let wasmAllowed = true;

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
const I32_LT_U = 0x49, I32_GE_U = 0x4f, I32_ADD = 0x6a, I32_AND = 0x71, I32_XOR = 0x73, I32_SHL = 0x74;
const I64_XOR = 0x85, I64_SHR_U = 0x88, I32_WRAP_I64 = 0xa7, I32 = 0x7f, I64 = 0x7e;

/** Module exporting memory `m` and `u(p, n)`: run the register at STATE over memory[p, p + n). */
function wasmBytes(): Uint8Array<ArrayBuffer> {
  const p = 0, n = 1, c = 2, d = 3, end = 4, stop = 5; // params p, n; locals c, d: i64; end, stop: i32
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
  const xorOf16: number[] = [];
  for (let j = 0; j < 16; j++) {
    xorOf16.push(...(j < 8 ? entry(c, j, 15 - j) : entry(d, j - 8, 15 - j)));
    if (j) xorOf16.push(I64_XOR);
  }
  const code = [
    2, 2, I64, 2, I32, // locals
    GET, p, GET, n, I32_ADD, SET, stop, // stop = p + n
    GET, p, GET, n, ...i32(-16), I32_AND, I32_ADD, SET, end, // end = p + (n & ~15)
    ...i32(0), ...load64(STATE), SET, c,
    BLOCK, VOID, GET, p, GET, end, I32_GE_U, BR_IF, 0,
    LOOP, VOID, // 16 bytes per turn
    GET, c, GET, p, ...load64(0), I64_XOR, SET, c, // c ^= mem[p]
    GET, p, ...load64(8), SET, d, // d = mem[p + 8]
    ...xorOf16, SET, c,
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
  const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, // "\0asm", version 1
    ...section(1, [1, 0x60, 2, I32, I32, 0]), // type 0: (i32, i32) -> ()
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(5, [1, 0, 2]), // memory: 2 pages, fixed
    ...section(7, [2, 1, 0x6d, 2, 0, 1, 0x75, 0, 0]), // exports "m" (memory 0), "u" (func 0)
    ...section(10, [1, ...uleb(code.length), ...code]),
  ]);
}

function getKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  if (typeof WebAssembly !== 'object') return null;
  try {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes()));
    const buf = (exports.m as WebAssembly.Memory).buffer;
    if (!tablesBuilt) buildTables();
    // wasm memory is little-endian whatever the host is, hence DataView.
    const dv = new DataView(buf);
    for (let i = 0; i < 4096; i++) {
      dv.setInt32(i * 8, TLO[i]!, true);
      dv.setInt32(i * 8 + 4, THI[i]!, true);
    }
    kernel = {
      mem: new Uint8Array(buf),
      reg: new DataView(buf, STATE, 8),
      run: exports.u as Kernel['run'],
    };
  } catch {
    // Run-time wasm compilation refused (workerd, CSP without 'wasm-unsafe-eval'): stay on JS.
  }
  return kernel;
}

function updateWasm(k: Kernel, r: Reg, b: Uint8Array): void {
  k.reg.setInt32(0, r.lo, true);
  k.reg.setInt32(4, r.hi, true);
  for (let o = 0; o < b.length; o += BUF_LEN) {
    const part = b.subarray(o, o + BUF_LEN);
    k.mem.set(part, BUF);
    k.run(BUF, part.length);
  }
  r.lo = k.reg.getInt32(0, true);
  r.hi = k.reg.getInt32(4, true);
}

function update(r: Reg, b: Uint8Array): void {
  const k = b.length >= WASM_MIN && wasmAllowed ? getKernel() : null;
  if (k) updateWasm(k, r, b);
  else updateJs(r, b);
}

/**
 * Turn the wasm kernel on (default) or off, e.g. to avoid a CSP violation report in pages
 * without 'wasm-unsafe-eval'. Returns whether wasm will be used.
 */
export function setCrc64Wasm(enabled: boolean): boolean {
  wasmAllowed = enabled;
  return enabled && getKernel() !== null;
}

// ---- public API ----------------------------------------------------------------------------

function toU64(v: bigint | string, what: string): bigint {
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'string' && /^(?:\d+|0[xX][\da-fA-F]+)$/.test(v)) n = BigInt(v);
  else throw new TypeError(`${what} must be a bigint or an unsigned decimal/hex string`);
  if (n < 0n || n > U64) throw new OSSArgumentError('crc', `${what} is outside 0..2^64-1`);
  return n;
}

const toBig = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

let utf8: TextEncoder | undefined;
const bytesOf = (data: Uint8Array | string): Uint8Array =>
  typeof data === 'string' ? (utf8 ??= new TextEncoder()).encode(data) : data;

/**
 * Incremental CRC-64/XZ. `new Crc64(crcOfA).update(b)` continues from an earlier result, so
 * it yields CRC(A‖B) — the AppendObject semantics of OSS.
 */
export class Crc64 {
  private readonly reg: Reg;

  /**
   * @param init CRC of the data that precedes: a bigint or the header's decimal string
   *   (`0x` hex accepted too). Default 0, the CRC of nothing.
   */
  constructor(init: bigint | string = 0n) {
    const v = toU64(init, 'init');
    this.reg = { lo: ~Number(v & 0xffffffffn), hi: ~Number(v >> 32n) };
  }

  update(chunk: Uint8Array): this {
    update(this.reg, chunk);
    return this;
  }

  get value(): bigint {
    return toBig(~this.reg.lo, ~this.reg.hi);
  }

  /** Unsigned decimal, as in `x-oss-hash-crc64ecma`. */
  toString(): string {
    return this.value.toString();
  }
}

/** CRC-64 of `data` (strings as UTF-8), as an unsigned decimal string. */
export function crc64(data: Uint8Array | string, init: bigint | string = 0n): string {
  return new Crc64(init).update(bytesOf(data)).toString();
}

// ---- combine -------------------------------------------------------------------------------
// zlib's crc32_combine in 64 bits: a GF(2) 64×64 matrix (64 rows as lo/hi pairs) maps a CRC
// to the CRC after appending zeros. ZEROS[k] appends 2^k zero bytes; squaring gives the next
// one. They don't depend on the data, so they are built once, lazily.
const ZEROS: Int32Array[] = [];

/** m × (lo, hi) into out[o], out[o + 1]. */
function times(m: Int32Array, lo: number, hi: number, out: Int32Array, o: number): void {
  let rl = 0;
  let rh = 0;
  for (let i = 0; lo | hi; i += 2) {
    if (lo & 1) {
      rl ^= m[i]!;
      rh ^= m[i + 1]!;
    }
    lo = (lo >>> 1) | (hi << 31);
    hi >>>= 1;
  }
  out[o] = rl;
  out[o + 1] = rh;
}

function square(m: Int32Array): Int32Array {
  const sq = new Int32Array(128);
  for (let i = 0; i < 128; i += 2) times(m, m[i]!, m[i + 1]!, sq, i);
  return sq;
}

function zeros(k: number): Int32Array {
  while (ZEROS.length <= k) {
    if (ZEROS.length) {
      ZEROS.push(square(ZEROS[ZEROS.length - 1]!));
      continue;
    }
    // One zero bit: bit 0 feeds the polynomial back, every other bit n moves to n - 1.
    let m: Int32Array = new Int32Array(128);
    m[0] = POLY_LO;
    m[1] = POLY_HI;
    for (let n = 1; n < 64; n++) m[2 * n + (n > 32 ? 1 : 0)] = 1 << ((n - 1) & 31);
    m = square(square(square(m))); // 8 bits = one byte
    ZEROS.push(m);
  }
  return ZEROS[k]!;
}

/**
 * CRC(A‖B) from CRC(A), CRC(B) and len(B) in bytes. For a multipart object fold it over the
 * parts in part-number order starting from 0n (the CRC of nothing).
 */
export function crc64Combine(crc1: bigint | string, crc2: bigint | string, len2: number | bigint): bigint {
  const a = toU64(crc1, 'crc1');
  const b = toU64(crc2, 'crc2');
  if (typeof len2 === 'number' ? !Number.isSafeInteger(len2) || len2 < 0 : typeof len2 !== 'bigint' || len2 < 0n) {
    throw new OSSArgumentError('len2', 'len2 must be a non-negative integer');
  }
  let n = BigInt(len2);
  if (n === 0n) return a;
  const v = new Int32Array([Number(a & 0xffffffffn), Number(a >> 32n)]);
  for (let k = 0; n; k++, n >>= 1n) if (n & 1n) times(zeros(k), v[0]!, v[1]!, v, 0);
  return toBig(v[0]!, v[1]!) ^ b;
}

// ---- streams -------------------------------------------------------------------------------

export interface Crc64Result {
  /** Unsigned decimal, comparable with `x-oss-hash-crc64ecma`. */
  crc64: string;
  /** Bytes seen. */
  size: number;
}

/** A pass-through TransformStream that also reports the CRC-64 of what went through it. */
export type Crc64TransformStream = TransformStream<Uint8Array, Uint8Array> & {
  /** Resolves when the stream closes; rejects if it errors, is aborted or cancelled. */
  readonly result: Promise<Crc64Result>;
};

/**
 * Chunks go through untouched (same objects, no copy) while the CRC runs:
 *
 *   const crc = crc64TransformStream();
 *   const body = res.body!.pipeThrough(crc); // consume body…
 *   const { crc64 } = await crc.result;
 *
 * `onDone(crc, bytes)` runs at close, before the readable side closes; throwing from it (say
 * on a CRC mismatch) errors the stream, so the reader sees the failure. For appended data
 * combine with `crc64Combine(previous, crc64, size)`.
 */
export function crc64TransformStream(onDone?: (crc: string, bytes: number) => void): Crc64TransformStream {
  const crc = new Crc64();
  let size = 0;
  let settle!: (r: Crc64Result) => void;
  let fail!: (e: unknown) => void;
  const result = new Promise<Crc64Result>((res, rej) => {
    settle = res;
    fail = rej;
  });
  result.catch(() => {}); // nobody awaiting the result must not mean an unhandled rejection
  // `cancel` (abort/cancel notification) is newer than TypeScript's DOM typings.
  const transformer: Transformer<Uint8Array, Uint8Array> & { cancel?: (reason: unknown) => void } = {
    transform(chunk, controller) {
      try {
        crc.update(chunk);
      } catch (e) {
        fail(e); // a throwing transform errors the stream without calling cancel
        throw e;
      }
      size += chunk.length;
      controller.enqueue(chunk);
    },
    flush() {
      const r = { crc64: crc.toString(), size };
      try {
        onDone?.(r.crc64, r.size);
      } catch (e) {
        fail(e);
        throw e;
      }
      settle(r);
    },
    cancel(reason) {
      fail(reason);
    },
  };
  return Object.assign(new TransformStream<Uint8Array, Uint8Array>(transformer), { result });
}

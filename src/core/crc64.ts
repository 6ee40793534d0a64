// CRC-64/XZ (ECMA-182 polynomial, reflected, init and xorout all ones): the value OSS sends
// in `x-oss-hash-crc64ecma` as an unsigned decimal string (protocol §12).
//
// The register lives in two int32 halves so the hot loops never touch BigInt; BigInt only
// appears at the API edge. Two kernels compute the same thing:
//   * JS: slicing-by-8 over a DataView (any alignment, any host endianness), ~1 GB/s.
//   * wasm (crc64-wasm.ts): slicing-by-16 over two lanes, ~2-2.5x faster. It loads lazily, once an input of
//     1 MiB or more is hashed (one buffer, or one Crc64's chunks together: a download) or on
//     loadCrc64Wasm(), so small uploads never fetch or compile it; from then on it takes chunks of 64+ bytes where the runtime allows compiling wasm at run time
//     (workerd and pages whose CSP lacks 'wasm-unsafe-eval' do not: they stay on JS).

import { OSSArgumentError } from './errors.js';

const POLY_LO = 0xd7870f42 | 0;
const POLY_HI = 0xc96c5795 | 0;
const U64 = (1n << 64n) - 1n;

import type { Crc64Kernel, Reg } from './crc64-wasm.js';

export type { Crc64Kernel, Reg } from './crc64-wasm.js';

// T[k * 256 + b] = register change for byte b followed by k zero bytes. 16 slices feed the wasm
// kernel; the JS kernel uses the first 8. The arrays (2 × 16 KiB) exist from the start because
// V8 then treats them as constants, which makes the JS loop ~1.5x faster than reading them
// from a lazily assigned `let`; they are filled on first use.
const TLO = new Int32Array(4096);
const THI = new Int32Array(4096);
let tablesBuilt = false;

/** The slicing tables, built on first use (the wasm kernel copies them). */
function tables(): { lo: Int32Array; hi: Int32Array } {
  if (!tablesBuilt) buildTables();
  return { lo: TLO, hi: THI };
}

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

// ---- kernels -------------------------------------------------------------------------------
/** Runs the register over bytes; the wasm kernel registers itself here once loaded. */
let fast: Crc64Kernel | undefined;
let loading: Promise<boolean> | undefined;
let wasmAllowed = true;
/** Inputs this big are worth fetching and compiling the wasm kernel for (a small put never does). */
export const WASM_LOAD_AT = 1 << 20;
// Measured crossover is ~16 bytes; tiny inputs stay on JS.
const WASM_MIN = 64;

function update(r: Reg, b: Uint8Array): void {
  if (b.length >= WASM_MIN && wasmAllowed) {
    if (fast) return fast(r, b);
    // This input runs on JS; the ones after it, once the kernel is in, on wasm.
    if (b.length >= WASM_LOAD_AT) void loadCrc64Wasm();
  }
  updateJs(r, b);
}

/**
 * Load the wasm kernel now (it otherwise loads once an input, or a Crc64's inputs together,
 * reach 1 MiB). Resolves
 * with whether wasm is in use: false where run-time wasm compilation is refused (workerd,
 * pages whose CSP lacks 'wasm-unsafe-eval'), which stay on the JS kernel.
 */
export function loadCrc64Wasm(): Promise<boolean> {
  loading ??= import('./crc64-wasm.js').then(
    ({ wasmKernel }) => {
      fast = wasmKernel(tables(), skipZeros) ?? undefined;
      return fast !== undefined;
    },
    () => false,
  );
  return loading.then((ok) => ok && wasmAllowed);
}

/**
 * Turn the wasm kernel on (default) or off, e.g. to avoid a CSP violation report in pages
 * without 'wasm-unsafe-eval'. Resolves with whether wasm will be used.
 */
export async function setCrc64Wasm(enabled: boolean): Promise<boolean> {
  wasmAllowed = enabled;
  return enabled && (await loadCrc64Wasm());
}

/** The kernel inputs of 64+ bytes run on now. */
export function crc64Kernel(): 'wasm' | 'js' {
  return fast && wasmAllowed ? 'wasm' : 'js';
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
  /** Bytes hashed so far (only counted until the wasm kernel is in). */
  private seen = 0;

  /**
   * @param init CRC of the data that precedes: a bigint or the header's decimal string
   *   (`0x` hex accepted too). Default 0, the CRC of nothing.
   */
  constructor(init: bigint | string = 0n) {
    const v = toU64(init, 'init');
    this.reg = { lo: ~Number(v & 0xffffffffn), hi: ~Number(v >> 32n) };
  }

  update(chunk: Uint8Array): this {
    // A stream hashed chunk by chunk (a download's 64 KiB socket reads) is as big an input as a
    // whole buffer: from 1 MiB in, the rest of it runs on the wasm kernel.
    if (!fast && wasmAllowed && (this.seen += chunk.length) >= WASM_LOAD_AT) void loadCrc64Wasm();
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

/** The register after 2^k zero bytes (the wasm kernel joins its two lanes with it). */
function skipZeros(r: Reg, k: number): void {
  const v = new Int32Array(2);
  times(zeros(k), r.lo, r.hi, v, 0);
  r.lo = v[0]!;
  r.hi = v[1]!;
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

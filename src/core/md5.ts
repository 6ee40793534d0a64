// MD5 (RFC 1321) in plain JS: Web Crypto has no MD5, yet OSS ETags and `Content-MD5` need it
// in runtimes without node:crypto. Not for security, only for integrity checks.
//
// Whole 64-byte blocks are read straight from the caller's bytes through a DataView (no copy,
// any alignment, any host byte order); only a trailing partial block is buffered. The rounds
// are unrolled with the state in int32 locals; `| 0` keeps the engine in int32 arithmetic.

/** Runs the blocks in dv[p, end) (end - p a multiple of 64) into st. */
function blocks(st: Int32Array, dv: DataView, p: number, end: number): void {
  let a = st[0]!;
  let b = st[1]!;
  let c = st[2]!;
  let d = st[3]!;
  for (; p < end; p += 64) {
    const x0 = dv.getInt32(p, true);
    const x1 = dv.getInt32(p + 4, true);
    const x2 = dv.getInt32(p + 8, true);
    const x3 = dv.getInt32(p + 12, true);
    const x4 = dv.getInt32(p + 16, true);
    const x5 = dv.getInt32(p + 20, true);
    const x6 = dv.getInt32(p + 24, true);
    const x7 = dv.getInt32(p + 28, true);
    const x8 = dv.getInt32(p + 32, true);
    const x9 = dv.getInt32(p + 36, true);
    const x10 = dv.getInt32(p + 40, true);
    const x11 = dv.getInt32(p + 44, true);
    const x12 = dv.getInt32(p + 48, true);
    const x13 = dv.getInt32(p + 52, true);
    const x14 = dv.getInt32(p + 56, true);
    const x15 = dv.getInt32(p + 60, true);
    const a0 = a, b0 = b, c0 = c, d0 = d;
    // Each step: a = b + ((a + f(b, c, d) + X[k] + T[i]) <<< s), T and s from RFC 1321 §3.4.
    // Round 1: F = (b & c) | (~b & d), written with one operation less
    a = (a + (d ^ (b & (c ^ d))) + x0 + 0xd76aa478) | 0; a = ((a << 7) | (a >>> 25)) + b | 0;
    d = (d + (c ^ (a & (b ^ c))) + x1 + 0xe8c7b756) | 0; d = ((d << 12) | (d >>> 20)) + a | 0;
    c = (c + (b ^ (d & (a ^ b))) + x2 + 0x242070db) | 0; c = ((c << 17) | (c >>> 15)) + d | 0;
    b = (b + (a ^ (c & (d ^ a))) + x3 + 0xc1bdceee) | 0; b = ((b << 22) | (b >>> 10)) + c | 0;
    a = (a + (d ^ (b & (c ^ d))) + x4 + 0xf57c0faf) | 0; a = ((a << 7) | (a >>> 25)) + b | 0;
    d = (d + (c ^ (a & (b ^ c))) + x5 + 0x4787c62a) | 0; d = ((d << 12) | (d >>> 20)) + a | 0;
    c = (c + (b ^ (d & (a ^ b))) + x6 + 0xa8304613) | 0; c = ((c << 17) | (c >>> 15)) + d | 0;
    b = (b + (a ^ (c & (d ^ a))) + x7 + 0xfd469501) | 0; b = ((b << 22) | (b >>> 10)) + c | 0;
    a = (a + (d ^ (b & (c ^ d))) + x8 + 0x698098d8) | 0; a = ((a << 7) | (a >>> 25)) + b | 0;
    d = (d + (c ^ (a & (b ^ c))) + x9 + 0x8b44f7af) | 0; d = ((d << 12) | (d >>> 20)) + a | 0;
    c = (c + (b ^ (d & (a ^ b))) + x10 + 0xffff5bb1) | 0; c = ((c << 17) | (c >>> 15)) + d | 0;
    b = (b + (a ^ (c & (d ^ a))) + x11 + 0x895cd7be) | 0; b = ((b << 22) | (b >>> 10)) + c | 0;
    a = (a + (d ^ (b & (c ^ d))) + x12 + 0x6b901122) | 0; a = ((a << 7) | (a >>> 25)) + b | 0;
    d = (d + (c ^ (a & (b ^ c))) + x13 + 0xfd987193) | 0; d = ((d << 12) | (d >>> 20)) + a | 0;
    c = (c + (b ^ (d & (a ^ b))) + x14 + 0xa679438e) | 0; c = ((c << 17) | (c >>> 15)) + d | 0;
    b = (b + (a ^ (c & (d ^ a))) + x15 + 0x49b40821) | 0; b = ((b << 22) | (b >>> 10)) + c | 0;
    // Round 2: G = (b & d) | (c & ~d), same trick
    a = (a + (c ^ (d & (b ^ c))) + x1 + 0xf61e2562) | 0; a = ((a << 5) | (a >>> 27)) + b | 0;
    d = (d + (b ^ (c & (a ^ b))) + x6 + 0xc040b340) | 0; d = ((d << 9) | (d >>> 23)) + a | 0;
    c = (c + (a ^ (b & (d ^ a))) + x11 + 0x265e5a51) | 0; c = ((c << 14) | (c >>> 18)) + d | 0;
    b = (b + (d ^ (a & (c ^ d))) + x0 + 0xe9b6c7aa) | 0; b = ((b << 20) | (b >>> 12)) + c | 0;
    a = (a + (c ^ (d & (b ^ c))) + x5 + 0xd62f105d) | 0; a = ((a << 5) | (a >>> 27)) + b | 0;
    d = (d + (b ^ (c & (a ^ b))) + x10 + 0x02441453) | 0; d = ((d << 9) | (d >>> 23)) + a | 0;
    c = (c + (a ^ (b & (d ^ a))) + x15 + 0xd8a1e681) | 0; c = ((c << 14) | (c >>> 18)) + d | 0;
    b = (b + (d ^ (a & (c ^ d))) + x4 + 0xe7d3fbc8) | 0; b = ((b << 20) | (b >>> 12)) + c | 0;
    a = (a + (c ^ (d & (b ^ c))) + x9 + 0x21e1cde6) | 0; a = ((a << 5) | (a >>> 27)) + b | 0;
    d = (d + (b ^ (c & (a ^ b))) + x14 + 0xc33707d6) | 0; d = ((d << 9) | (d >>> 23)) + a | 0;
    c = (c + (a ^ (b & (d ^ a))) + x3 + 0xf4d50d87) | 0; c = ((c << 14) | (c >>> 18)) + d | 0;
    b = (b + (d ^ (a & (c ^ d))) + x8 + 0x455a14ed) | 0; b = ((b << 20) | (b >>> 12)) + c | 0;
    a = (a + (c ^ (d & (b ^ c))) + x13 + 0xa9e3e905) | 0; a = ((a << 5) | (a >>> 27)) + b | 0;
    d = (d + (b ^ (c & (a ^ b))) + x2 + 0xfcefa3f8) | 0; d = ((d << 9) | (d >>> 23)) + a | 0;
    c = (c + (a ^ (b & (d ^ a))) + x7 + 0x676f02d9) | 0; c = ((c << 14) | (c >>> 18)) + d | 0;
    b = (b + (d ^ (a & (c ^ d))) + x12 + 0x8d2a4c8a) | 0; b = ((b << 20) | (b >>> 12)) + c | 0;
    // Round 3: H = b ^ c ^ d
    a = (a + (b ^ c ^ d) + x5 + 0xfffa3942) | 0; a = ((a << 4) | (a >>> 28)) + b | 0;
    d = (d + (a ^ b ^ c) + x8 + 0x8771f681) | 0; d = ((d << 11) | (d >>> 21)) + a | 0;
    c = (c + (d ^ a ^ b) + x11 + 0x6d9d6122) | 0; c = ((c << 16) | (c >>> 16)) + d | 0;
    b = (b + (c ^ d ^ a) + x14 + 0xfde5380c) | 0; b = ((b << 23) | (b >>> 9)) + c | 0;
    a = (a + (b ^ c ^ d) + x1 + 0xa4beea44) | 0; a = ((a << 4) | (a >>> 28)) + b | 0;
    d = (d + (a ^ b ^ c) + x4 + 0x4bdecfa9) | 0; d = ((d << 11) | (d >>> 21)) + a | 0;
    c = (c + (d ^ a ^ b) + x7 + 0xf6bb4b60) | 0; c = ((c << 16) | (c >>> 16)) + d | 0;
    b = (b + (c ^ d ^ a) + x10 + 0xbebfbc70) | 0; b = ((b << 23) | (b >>> 9)) + c | 0;
    a = (a + (b ^ c ^ d) + x13 + 0x289b7ec6) | 0; a = ((a << 4) | (a >>> 28)) + b | 0;
    d = (d + (a ^ b ^ c) + x0 + 0xeaa127fa) | 0; d = ((d << 11) | (d >>> 21)) + a | 0;
    c = (c + (d ^ a ^ b) + x3 + 0xd4ef3085) | 0; c = ((c << 16) | (c >>> 16)) + d | 0;
    b = (b + (c ^ d ^ a) + x6 + 0x04881d05) | 0; b = ((b << 23) | (b >>> 9)) + c | 0;
    a = (a + (b ^ c ^ d) + x9 + 0xd9d4d039) | 0; a = ((a << 4) | (a >>> 28)) + b | 0;
    d = (d + (a ^ b ^ c) + x12 + 0xe6db99e5) | 0; d = ((d << 11) | (d >>> 21)) + a | 0;
    c = (c + (d ^ a ^ b) + x15 + 0x1fa27cf8) | 0; c = ((c << 16) | (c >>> 16)) + d | 0;
    b = (b + (c ^ d ^ a) + x2 + 0xc4ac5665) | 0; b = ((b << 23) | (b >>> 9)) + c | 0;
    // Round 4: I = c ^ (b | ~d)
    a = (a + (c ^ (b | ~d)) + x0 + 0xf4292244) | 0; a = ((a << 6) | (a >>> 26)) + b | 0;
    d = (d + (b ^ (a | ~c)) + x7 + 0x432aff97) | 0; d = ((d << 10) | (d >>> 22)) + a | 0;
    c = (c + (a ^ (d | ~b)) + x14 + 0xab9423a7) | 0; c = ((c << 15) | (c >>> 17)) + d | 0;
    b = (b + (d ^ (c | ~a)) + x5 + 0xfc93a039) | 0; b = ((b << 21) | (b >>> 11)) + c | 0;
    a = (a + (c ^ (b | ~d)) + x12 + 0x655b59c3) | 0; a = ((a << 6) | (a >>> 26)) + b | 0;
    d = (d + (b ^ (a | ~c)) + x3 + 0x8f0ccc92) | 0; d = ((d << 10) | (d >>> 22)) + a | 0;
    c = (c + (a ^ (d | ~b)) + x10 + 0xffeff47d) | 0; c = ((c << 15) | (c >>> 17)) + d | 0;
    b = (b + (d ^ (c | ~a)) + x1 + 0x85845dd1) | 0; b = ((b << 21) | (b >>> 11)) + c | 0;
    a = (a + (c ^ (b | ~d)) + x8 + 0x6fa87e4f) | 0; a = ((a << 6) | (a >>> 26)) + b | 0;
    d = (d + (b ^ (a | ~c)) + x15 + 0xfe2ce6e0) | 0; d = ((d << 10) | (d >>> 22)) + a | 0;
    c = (c + (a ^ (d | ~b)) + x6 + 0xa3014314) | 0; c = ((c << 15) | (c >>> 17)) + d | 0;
    b = (b + (d ^ (c | ~a)) + x13 + 0x4e0811a1) | 0; b = ((b << 21) | (b >>> 11)) + c | 0;
    a = (a + (c ^ (b | ~d)) + x4 + 0xf7537e82) | 0; a = ((a << 6) | (a >>> 26)) + b | 0;
    d = (d + (b ^ (a | ~c)) + x11 + 0xbd3af235) | 0; d = ((d << 10) | (d >>> 22)) + a | 0;
    c = (c + (a ^ (d | ~b)) + x2 + 0x2ad7d2bb) | 0; c = ((c << 15) | (c >>> 17)) + d | 0;
    b = (b + (d ^ (c | ~a)) + x9 + 0xeb86d391) | 0; b = ((b << 21) | (b >>> 11)) + c | 0;
    a = (a + a0) | 0;
    b = (b + b0) | 0;
    c = (c + c0) | 0;
    d = (d + d0) | 0;
  }
  st[0] = a;
  st[1] = b;
  st[2] = c;
  st[3] = d;
}

let utf8: TextEncoder | undefined;
const bytesOf = (data: Uint8Array | string): Uint8Array =>
  typeof data === 'string' ? (utf8 ??= new TextEncoder()).encode(data) : data;

/** Incremental MD5. `digest()` does not end the hash: more `update`s may follow. */
export class Md5 {
  private readonly st = new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]);
  private readonly buf = new Uint8Array(64); // partial block
  private readonly bufView = new DataView(this.buf.buffer);
  private used = 0; // bytes in buf
  private total = 0; // bytes seen

  update(chunk: Uint8Array): this {
    const n = chunk.length;
    this.total += n;
    let i = 0;
    if (this.used) {
      i = Math.min(64 - this.used, n);
      this.buf.set(chunk.subarray(0, i), this.used);
      this.used += i;
      if (this.used < 64) return this;
      blocks(this.st, this.bufView, 0, 64);
      this.used = 0;
    }
    const end = i + ((n - i) & ~63);
    if (end > i) blocks(this.st, new DataView(chunk.buffer, chunk.byteOffset, n), i, end);
    if (end < n) {
      this.buf.set(chunk.subarray(end), 0);
      this.used = n - end;
    }
    return this;
  }

  /** The 16-byte digest of everything so far. */
  digest(): Uint8Array {
    // Pad a copy (0x80, zeros, bit length as 64-bit LE) so the running state stays usable.
    const st = this.st.slice();
    const tail = new Uint8Array(this.used < 56 ? 64 : 128);
    tail.set(this.buf.subarray(0, this.used));
    tail[this.used] = 0x80;
    const dv = new DataView(tail.buffer);
    dv.setUint32(tail.length - 8, (this.total * 8) >>> 0, true);
    dv.setUint32(tail.length - 4, Math.floor(this.total / 0x20000000), true);
    blocks(st, dv, 0, tail.length);
    const out = new Uint8Array(16);
    const ov = new DataView(out.buffer);
    for (let k = 0; k < 4; k++) ov.setInt32(k * 4, st[k]!, true);
    return out;
  }
}

/** MD5 of `data` (strings as UTF-8). */
export function md5(data: Uint8Array | string): Uint8Array {
  return new Md5().update(bytesOf(data)).digest();
}

/** Lower-case hex, the form inside an OSS ETag. */
export function md5Hex(data: Uint8Array | string): string {
  let s = '';
  for (const v of md5(data)) s += (v < 16 ? '0' : '') + v.toString(16);
  return s;
}

/** Base64, the form of a `Content-MD5` header. */
export function md5Base64(data: Uint8Array | string): string {
  return btoa(String.fromCharCode(...md5(data)));
}

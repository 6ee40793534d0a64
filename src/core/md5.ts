// MD5 (RFC 1321) in plain JS: Web Crypto has no MD5, yet OSS ETags and `Content-MD5` need it
// in runtimes without node:crypto. Not for security, only for integrity checks.
//
// Written as the RFC's loop rather than unrolled: the client hashes small XML bodies with it,
// so bytes on the wire matter more than speed (Node stores use node:crypto instead). Whole
// 64-byte blocks are read straight from the caller's bytes through a DataView (no copy);
// only a trailing partial block is buffered.

// T[i] = floor(2^32 · |sin(i + 1)|), as RFC 1321 §3.4 defines it; doubles give it exactly.
const T = Int32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32));
// Rotation amounts: four per round, repeated four times.
const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const X = new Int32Array(16);

/** Runs the blocks in dv[p, end) (end - p a multiple of 64) into st. */
function blocks(st: Int32Array, dv: DataView, p: number, end: number): void {
  for (; p < end; p += 64) {
    for (let k = 0; k < 16; k++) X[k] = dv.getInt32(p + 4 * k, true);
    let a = st[0]!;
    let b = st[1]!;
    let c = st[2]!;
    let d = st[3]!;
    for (let i = 0; i < 64; i++) {
      const round = i >> 4;
      // F, G, H, I of the four rounds and the message word each step reads.
      const f = round === 0 ? d ^ (b & (c ^ d)) : round === 1 ? c ^ (d & (b ^ c)) : round === 2 ? b ^ c ^ d : c ^ (b | ~d);
      const g = round === 0 ? i : round === 1 ? (5 * i + 1) & 15 : round === 2 ? (3 * i + 5) & 15 : (7 * i) & 15;
      const s = S[(round << 2) | (i & 3)]!;
      const t = (a + f + X[g]! + T[i]!) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((t << s) | (t >>> (32 - s)))) | 0;
    }
    st[0] = (st[0]! + a) | 0;
    st[1] = (st[1]! + b) | 0;
    st[2] = (st[2]! + c) | 0;
    st[3] = (st[3]! + d) | 0;
  }
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

// OSS lists keys in the byte order of their UTF-8 form.

/** Compare two strings by the UTF-8 bytes they encode to (OSS's listing order). */
export function compareUtf8(a: string, b: string): number {
  // UTF-16 order differs from UTF-8 only where a surrogate meets U+E000..U+FFFF;
  // compare by code point to get byte order.
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1; // a surrogate (>= U+10000) sorts after any BMP char
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

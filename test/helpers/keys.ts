// Object keys that break naive URL, header, XML and listing code. Every object test runs them.

const LONG_ASCII = `long/${'x'.repeat(1023 - 'long/'.length)}`;
// 2-byte characters: 1023 bytes of UTF-8 but only 512 UTF-16 units.
const LONG_UTF8 = `é${'é'.repeat(510)}z`;

export const AWKWARD_KEYS: readonly string[] = [
  'with space.txt',
  ' leading and trailing ',
  'plus+sign',
  'percent%sign',
  'literal%20encoded',
  'question?mark',
  'hash#tag',
  'amp&ersand',
  'xml<>"\'&specials',
  '&amp;literal-entity',
  'equals=and;semicolon,comma',
  'unicode/中文 文件.txt',
  'emoji/😀🎉',
  'emoji/ｱ', // U+FF71 sorts before the emoji in UTF-8 byte order, after it in UTF-16 order
  'a//b',
  'trailing/',
  'tab\there',
  '007',
  LONG_ASCII,
  LONG_UTF8,
];

const encoder = new TextEncoder();

/** Sort by UTF-8 bytes, written out here so the test does not trust the code under test. */
export function sortByUtf8Bytes(keys: readonly string[]): string[] {
  return [...keys].sort((a, b) => {
    const x = encoder.encode(a);
    const y = encoder.encode(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  });
}

// The docs suite's reading of Markdown (scripts/docs/blocks.mjs): which blocks it runs how, and
// what it refuses, so that no block of README.md or docs/ escapes it.
import { describe, expect, it } from 'vitest';
import { brokenLinks, checkShell, moduleScripts, parseBlocks } from '../../scripts/docs/blocks.mjs';

const fence = '```';

describe('parseBlocks', () => {
  it('classifies each block by its info string, with the line of its fence', () => {
    const md = ['# t', `${fence}ts`, 'a()', fence, '', `${fence}ts browser`, 'b()', fence, `${fence}js partial`, 'c', fence, `${fence}sh`, 'npm test', fence].join('\n');
    const { blocks, errors } = parseBlocks('p.md', md);
    expect(errors).toEqual([]);
    expect(blocks.map((b) => [b.line, b.lang, b.kind, b.code])).toEqual([
      [2, 'ts', 'node', 'a()'], [6, 'ts', 'browser', 'b()'], [9, 'js', 'partial', 'c'], [12, 'sh', 'sh', 'npm test'],
    ]);
  });

  it('refuses a block without a language, an unknown mode and an unclosed fence', () => {
    const { blocks, errors } = parseBlocks('p.md', [fence, 'x', fence, `${fence}ts partal`, 'y', fence, `${fence}js browser`, 'z', fence, `${fence}ts`, 'open'].join('\n'));
    expect(blocks.map((b) => b.line)).toEqual([10]);
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(/^p\.md:1: info string ""/);
    expect(errors[1]).toMatch(/^p\.md:4: info string "ts partal"/);
    expect(errors[2]).toMatch(/^p\.md:7: info string "js browser"/);
    expect(errors[3]).toBe('p.md:10: code block never closed');
  });

  it('keeps a fence inside a longer fence as code', () => {
    const { blocks } = parseBlocks('p.md', ['````text', fence, 'inner', fence, '````'].join('\n'));
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.code).toBe([fence, 'inner', fence].join('\n'));
  });
});

describe('moduleScripts', () => {
  it('finds each module script with the block line it starts on', () => {
    const html = ['<input />', '<script type="module">', "  import 'x';", '</script>', '<script>no()</script>'].join('\n');
    expect(moduleScripts(html)).toEqual([{ offset: 2, code: "  import 'x';\n" }]);
  });
});

describe('checkShell', () => {
  const has = { script: (n: string) => ['start', 'test', 'serve'].includes(n), bin: (n: string) => n === 'tsx', path: (p: string) => p === 'bench/xml.bench.ts' };
  it('accepts scripts, binaries and paths that exist, ignoring comments and variables', () => {
    expect(checkShell('npm ci && npm start   # both\nBENCH_QUICK=1 npm run serve -- --dir /tmp/x\nnpx tsx bench/xml.bench.ts', has)).toEqual([]);
  });
  it('names each missing script, binary and path', () => {
    expect(checkShell('npm run bench\nnpx wrangler dev examples/worker.ts', has)).toEqual([
      'npm run bench: no such script in package.json',
      'npx wrangler: not a binary the project installs',
      'examples/worker.ts: no such file in the repository',
    ]);
  });
});

describe('brokenLinks', () => {
  const pages: Record<string, string> = {
    'README.md': '# oss-fetch\n[a](docs/a.md) [b](docs/a.md#node-adapter-oss-fetchnode) [c](https://x.test/y)',
    'docs/a.md': '# A\n## Node adapter (`oss-fetch/node`)\n[up](../README.md) [self](#a) [gone](#missing) [lost](b.md) `[code](nowhere.md)`\n```ts\n[not a link](nowhere.md)\n```',
  };
  const read = (path: string) => pages[path];
  it('accepts links to pages and headings that exist, and ignores URLs and code', () => {
    expect(brokenLinks('README.md', pages['README.md']!, read)).toEqual([]);
  });
  it('names each link to a missing page or heading', () => {
    expect(brokenLinks('docs/a.md', pages['docs/a.md']!, read)).toEqual(['#missing: no heading #missing in docs/a.md', 'b.md: no file docs/b.md']);
  });
});

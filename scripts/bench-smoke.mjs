#!/usr/bin/env node
// `npm test`'s check that `npm run bench` still works: the whole benchmark at toy sizes (about a
// minute), its results written to a temporary directory, then every scenario checked for a
// positive throughput and client CPU from every contender it measures (each client signing V4
// and V1), and every target for a ratio and a verdict. The numbers themselves are not judged here:
// at these sizes they mean nothing (docs/performance.md's table comes from a full run).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = mkdtempSync(join(tmpdir(), 'oss-fetch-bench-'));
const sizes = {
  BENCH_QUICK: '1', BENCH_ROUNDS: '1', BENCH_SMALL_OPS: '64', BENCH_BIG_MIB: '2', BENCH_MULTIPART_MIB: '16',
  BENCH_MULTIPART_ROUNDS: '1', BENCH_MULTIPART_WARM: '2', BENCH_PART_MIB: '8', BENCH_LIST_KEYS: '300', BENCH_SIGN_MS: '50', BENCH_CRC_MIB: '4',
};
// The benchmark measures the built package (bench/package.ts): build it from this tree first, as `npm run bench` does.
const build = spawnSync('npm', ['run', 'build:js'], { stdio: 'inherit' });
const run = spawnSync('npx', ['tsx', 'bench/run.ts'], { stdio: 'inherit', env: { ...process.env, ...sizes, BENCH_OUT: out } });

let passed = 0;
let failed = 0;
const check = (name, ok) => {
  console.log(`  ${ok ? '✓' : '✗'} ${name}`);
  if (ok) passed++;
  else failed++;
};
check('the package builds for the benchmark', build.status === 0);
check('npm run bench exits 0', run.status === 0);
let results;
let md;
try {
  results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  check('results.json is written', true);
  md = readFileSync(join(out, 'RESULTS.md'), 'utf8');
  check('RESULTS.md holds the table', /\| scenario \| sig \| client \| throughput \| client CPU \|/.test(md));
} catch (err) {
  check(`results are written (${err.message})`, false);
}
// Like-for-like rows: every client signs V4 and V1, and each row holds both, with a positive
// throughput and a client-CPU figure from every one.
const SIGNED = ['oss-fetch/node', 'oss-fetch', 'ali-oss'].flatMap((c) => [`${c} V4`, `${c} V1`]);
const expected = [
  ['sign V4 header', SIGNED.filter((c) => c.endsWith('V4'))],
  ['sign V1 header', SIGNED.filter((c) => c.endsWith('V1'))],
  ['1 KiB put, 32 in flight (sink)', [...SIGNED, 'raw']],
  ['1 KiB get, 32 in flight (sink)', [...SIGNED, 'raw']],
  ['1 KiB put, 32 in flight (fs store)', [...SIGNED, 'raw']],
  ['1 KiB get, 32 in flight (fs store)', [...SIGNED, 'raw']],
  ['MiB single put', [...SIGNED, 'raw']],
  ['MiB single get', [...SIGNED, 'raw']],
  ['list', [...SIGNED, 'raw']],
  ['from stream', [...SIGNED, 'raw']],
  ['from file', [...SIGNED, 'raw']],
];
const positive = (s) => typeof s?.median === 'number' && Number.isFinite(s.median) && s.median > 0;
for (const [scenario, contenders] of expected) {
  const row = results?.rows.find((r) => r.scenario.includes(scenario));
  const missing = contenders.filter((c) => !positive(row?.results[c]?.value));
  const noCpu = contenders.filter((c) => !positive(row?.results[c]?.cpu));
  const problems = [missing.length && `no throughput from ${missing.join(', ')}`, noCpu.length && `no client CPU from ${noCpu.join(', ')}`].filter(Boolean);
  check(`${scenario}: ${row ? (problems.length ? problems.join('; ') : `throughput and client CPU from each of ${contenders.length}`) : 'no row'}`, row !== undefined && problems.length === 0);
}
// Targets are reported, never asserted: each has a ratio to ali-oss of the same version and a verdict.
const verdicts = results?.verdicts ?? [];
check(`targets: ${verdicts.length} judged, each with a ratio and ✓/✗`, verdicts.length > 0 && verdicts.every((v) => positive({ median: v.ratio }) && typeof v.met === 'boolean'));
check('RESULTS.md prints the targets with ✓/✗', /Targets[^\n]*\n\n- [✓✗]/.test(md ?? ''));
// The bounds are issue 19's: 1 KiB CPU ≤ 0.8× (oss-fetch/node) and ≤ 1.2× (portable), bulk CPU ≤ 0.7×, signing ≥ 1×, listing ≥ 3×.
const bounds = (part, metric) => [...new Set(verdicts.filter((v) => v.scenario.includes(part) && v.metric === metric).map((v) => v.bound))].sort().join(',');
const boundsSeen = ['1 KiB put', 'single get', 'from file', 'sign V1', 'list '].map((p) => `${p.trim()} ${bounds(p, p.startsWith('sign') || p.startsWith('list') ? 'value' : 'cpu')}`).join('; ');
check(`targets carry the issue's bounds (${boundsSeen})`, bounds('1 KiB put', 'cpu') === '0.8,1.2' && bounds('single get', 'cpu') === '0.7' && bounds('from file', 'cpu') === '0.7' && bounds('sign V1', 'value') === '1' && bounds('list ', 'value') === '3');
const RSS = ['oss-fetch/node V4 (byte stream)', 'oss-fetch/node V4 (file: multipartUploadFile)', 'oss-fetch V4 (byte stream)', 'oss-fetch V4 (file: openAsBlob)', 'ali-oss V4 (file)', 'ali-oss V1 (file)', 'raw (byte stream, unsigned parts)'];
const CHUNKS = ['oss-fetch/node V4 (stream of chunks)', 'oss-fetch/node V4 (byte stream)', 'ali-oss V4 (file)'];
for (const [scenario, contenders] of [['CRC-64', ['oss-fetch']], ['peak RSS', RSS], ["the stream's producer alone", ['the stream alone', 'ali-oss V4 (file), whole upload']], ['from a stream of chunks', CHUNKS], ['server: 1 KiB put', ['oss-fetch server', 'bare node:http']], ['server: 1 KiB get', ['oss-fetch server', 'bare node:http']]]) {
  const row = results?.extras?.find((r) => r.scenario.includes(scenario));
  const missing = contenders.filter((c) => !positive(row?.results[c]));
  check(`${scenario}: ${row ? (missing.length ? `no number from ${missing.join(', ')}` : `a number from each of ${contenders.length}`) : 'no row'}`, row !== undefined && missing.length === 0);
}
rmSync(out, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

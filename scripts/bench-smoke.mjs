#!/usr/bin/env node
// `npm test`'s check that `npm run bench` still works: the whole benchmark at toy sizes (about a
// minute), its results written to a temporary directory, then every scenario checked for a
// positive number from every contender it measures. The numbers themselves are not judged here:
// at these sizes they mean nothing (docs/performance.md's table comes from a full run).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = mkdtempSync(join(tmpdir(), 'oss-fetch-bench-'));
const sizes = {
  BENCH_QUICK: '1', BENCH_ROUNDS: '1', BENCH_SMALL_OPS: '64', BENCH_BIG_MIB: '2', BENCH_MULTIPART_MIB: '24',
  BENCH_MULTIPART_ROUNDS: '1', BENCH_PART_MIB: '8', BENCH_LIST_KEYS: '300', BENCH_SIGN_MS: '50', BENCH_CRC_MIB: '4',
};
const run = spawnSync('npx', ['tsx', 'bench/run.ts'], { stdio: 'inherit', env: { ...process.env, ...sizes, BENCH_OUT: out } });

let passed = 0;
let failed = 0;
const check = (name, ok) => {
  console.log(`  ${ok ? '✓' : '✗'} ${name}`);
  if (ok) passed++;
  else failed++;
};
check('npm run bench exits 0', run.status === 0);
let results;
try {
  results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  check('results.json is written', true);
  check('RESULTS.md holds the table', /\| scenario \| unit \|/.test(readFileSync(join(out, 'RESULTS.md'), 'utf8')));
} catch (err) {
  check(`results are written (${err.message})`, false);
}
const expected = [
  ['sign V4 header', ['oss-fetch', 'oss-fetch/node', 'ali-oss']],
  ['sign V1 header', ['oss-fetch', 'oss-fetch/node', 'ali-oss']],
  ['CRC-64', ['oss-fetch']],
  ['1 KiB put, 32 in flight (sink)', ['oss-fetch', 'oss-fetch/node', 'ali-oss', 'raw']],
  ['1 KiB get, 32 in flight (sink)', ['oss-fetch', 'oss-fetch/node', 'ali-oss', 'raw']],
  ['1 KiB put, 32 in flight (fs store)', ['oss-fetch', 'oss-fetch/node', 'ali-oss', 'raw']],
  ['1 KiB get, 32 in flight (fs store)', ['oss-fetch', 'oss-fetch/node', 'ali-oss', 'raw']],
  ['MiB single put', ['oss-fetch', 'oss-fetch/node', 'ali-oss', 'raw']],
  ['MiB single get', ['oss-fetch', 'oss-fetch/node', 'ali-oss', 'raw']],
  ['list', ['oss-fetch', 'oss-fetch/node', 'ali-oss', 'raw']],
  ['from stream', ['oss-fetch', 'oss-fetch/node', 'ali-oss', 'raw']],
  ['from file', ['oss-fetch', 'oss-fetch/node', 'ali-oss', 'raw']],
  ['peak RSS', ['oss-fetch', 'oss-fetch-file', 'oss-fetch/node', 'oss-fetch/node-file', 'ali-oss', 'raw']],
  ['server: 1 KiB put', ['oss-fetch server', 'bare node:http']],
  ['server: 1 KiB get', ['oss-fetch server', 'bare node:http']],
];
for (const [scenario, contenders] of expected) {
  const row = results?.rows.find((r) => r.scenario.includes(scenario));
  const missing = contenders.filter((c) => !(row?.results[c]?.median > 0));
  check(`${scenario}: ${row ? (missing.length ? `no number from ${missing.join(', ')}` : `a number from each of ${contenders.length}`) : 'no row'}`, row !== undefined && missing.length === 0);
}
rmSync(out, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

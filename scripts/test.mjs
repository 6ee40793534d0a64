#!/usr/bin/env node
// `npm test`: every suite, one after another, then the totals over all of them on the last line
// (`N passed, N failed`), which is what CI reads.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tmp = mkdtempSync(join(tmpdir(), 'oss-fetch-test-'));

function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** A vitest project run; counts come from its JSON report. */
async function vitest(name, args) {
  const out = join(tmp, `${name}.json`);
  const code = await run('npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  try {
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const failed = report.numFailedTests + (code !== 0 && report.numFailedTests === 0 ? 1 : 0);
    return { name, passed: report.numPassedTests, failed, skipped: report.numPendingTests + report.numTodoTests };
  } catch {
    return { name, passed: 0, failed: 1, skipped: 0 };
  }
}

/** A command that either works or not: one check. */
async function check(name, cmd, args) {
  const code = await run(cmd, args);
  return { name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 };
}

const only = process.argv.slice(2);
const suites = [
  ['typecheck', () => check('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.'])],
  ['node', () => vitest('node', [])],
];

const results = [];
for (const [name, runSuite] of suites) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n=== suite: ${name} ===`);
  results.push(await runSuite());
}
rmSync(tmp, { recursive: true, force: true });

console.log('\n=== summary ===');
for (const r of results) console.log(`${r.name.padEnd(12)} ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

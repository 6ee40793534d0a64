#!/usr/bin/env node
// `npm test`: every suite, one after another, then the totals over all of them on the last line
// (`N passed, N failed`), which is what CI reads. The conformance suite runs in six runtimes
// against one local server started here, and one bundle of it built here.
//   node scripts/test.mjs [suite…]    e.g. `node scripts/test.mjs size conformance:deno`
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tmp = mkdtempSync(join(tmpdir(), 'oss-fetch-test-'));

function run(cmd, args, env = {}, onLine) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', onLine ? 'pipe' : 'inherit', 'inherit'], env: { ...process.env, ...env } });
    if (onLine) {
      let pending = '';
      child.stdout.on('data', (chunk) => {
        process.stdout.write(chunk);
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop();
        lines.forEach(onLine);
      });
      child.stdout.on('end', () => pending && onLine(pending));
    }
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** A vitest project run; counts come from its JSON report. */
async function vitest(name, args, env = {}) {
  const out = join(tmp, `${name.replace(/\W+/g, '-')}.json`);
  const code = await run('npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], env);
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

/** A script that prints its own `N passed, N failed` last; a non-zero exit without one is a failure. */
async function counted(name, cmd, args, env = {}) {
  let last;
  const code = await run(cmd, args, env, (line) => {
    const m = /^(\d+) passed, (\d+) failed/.exec(line.trim());
    if (m) last = { passed: Number(m[1]), failed: Number(m[2]) };
  });
  if (!last) return { name, passed: 0, failed: 1, skipped: 0 };
  return { name, passed: last.passed, failed: last.failed + (code !== 0 && last.failed === 0 ? 1 : 0), skipped: 0 };
}

// The conformance runs share one server (this process) and one bundle for Deno, Bun and workerd.
let conformance;
async function conformanceEnv() {
  if (!conformance) {
    const { register } = await import('tsx/esm/api');
    register();
    const { startConformanceServer } = await import('../test/conformance/server.ts');
    const { bundleConformance } = await import('./conformance/bundle.mjs');
    const server = await startConformanceServer();
    await bundleConformance(join(tmp, 'bundles'));
    conformance = { server, env: { OSS_CONFORMANCE: JSON.stringify(server.context), OSS_CONFORMANCE_BUNDLES: join(tmp, 'bundles') } };
  }
  return conformance.env;
}
const inVitest = (name, config) => async () => vitest(name, ['-c', config], await conformanceEnv());
const inRuntime = (runtime) => async () => counted(`conformance:${runtime}`, 'node', ['scripts/conformance/run.mjs', runtime], await conformanceEnv());

const only = process.argv.slice(2);
const suites = [
  ['typecheck', () => check('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.'])],
  ['node', () => vitest('node', [])],
  ['jsdoc', () => counted('jsdoc', 'node', ['scripts/check-jsdoc.mjs'])],
  ['package', () => counted('package', 'node', ['scripts/check-package.mjs'])],
  ['conformance:node', inVitest('conformance:node', 'vitest.conformance.config.ts')],
  ['conformance:happy-dom', inVitest('conformance:happy-dom', 'vitest.happydom.config.ts')],
  ['conformance:chromium', inVitest('conformance:chromium', 'vitest.browser.config.ts')],
  ['conformance:deno', inRuntime('deno')],
  ['conformance:bun', inRuntime('bun')],
  ['conformance:workerd', inRuntime('workerd')],
  // oss-fetch/deno in Deno and oss-fetch/workers in workerd, against the local server.
  ['adapters', () => counted('adapters', 'node', ['scripts/adapters/run.mjs'])],
  ['e2e', () => vitest('e2e', ['e2e'])],
  // Every code block of README.md and docs/: run in its runtime, or type-checked when marked partial.
  ['docs', () => counted('docs', 'node', ['scripts/docs/run.mjs'])],
  // The API reference from the JSDoc (npm run docs:api): TypeDoc builds it without a warning.
  ['api', () => check('api', 'npx', ['typedoc', '--out', join(tmp, 'api')])],
  // `npm run bench` at toy sizes: it still runs end to end and every contender gives a number.
  ['bench', () => counted('bench', 'node', ['scripts/bench-smoke.mjs'])],
  // Budgets (a), (b) and (c) are not met (docs/bundle-size.md): here they are held at their
  // recorded ceilings so the pages cannot grow, while the tree-shaking checks are enforced as is.
  ['size', () => counted('size', 'node', ['scripts/size.mjs', '--ratchet'])],
];

const results = [];
for (const [name, runSuite] of suites) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n=== suite: ${name} ===`);
  const started = Date.now();
  results.push({ ...(await runSuite()), seconds: Math.round((Date.now() - started) / 1000) });
}
await conformance?.server.close();
rmSync(tmp, { recursive: true, force: true });

console.log('\n=== summary ===');
for (const r of results) {
  console.log(`${r.name.padEnd(22)} ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}  (${r.seconds} s)`);
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

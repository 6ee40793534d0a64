#!/usr/bin/env node
// The conformance suite in the runtimes vitest does not drive: Deno and Bun (their npm packages)
// run the bundled suite through launch.mjs; workerd runs it as a Worker under Miniflare, calling
// the server on 127.0.0.1. Prints every result, a `<runtime>: N passed, N failed` line each, and
// the totals last.
//   node scripts/conformance/run.mjs [deno] [bun] [workerd]
// Deno also runs examples/deno.ts and workerd examples/worker.ts, each counted as one more test.
// OSS_CONFORMANCE (the server context as JSON) and OSS_CONFORMANCE_BUNDLES (the directory
// bundle.mjs wrote) let `npm test` share one server and one build; without them this script
// makes its own.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleConformance } from './bundle.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const bin = (name) => join(root, 'node_modules/.bin', name);
const RUN_TIMEOUT_MS = 180_000;
/** Workers' compatibility date: behaviour as of this day (workerd accepts dates up to its own). */
const COMPATIBILITY_DATE = '2025-09-01';

function capture(cmd, args, env = {}, echo = true) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let pending = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      if (echo) for (const line of lines) if (!line.startsWith('CONFORMANCE-REPORT ')) console.log(line);
    });
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    child.on('error', (err) => {
      clearTimeout(timer);
      // A missing runtime is a failure that says how to get it (they are devDependencies).
      const hint = err.code === 'ENOENT' ? `: ${cmd} is missing — install the devDependencies with \`npm ci\`` : '';
      done({ code: 1, out, error: `${err.message}${hint}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code: code ?? 1, out, error: signal ? `killed by ${signal}` : undefined });
    });
  });
}

async function version(cmd, args) {
  const { out } = await capture(cmd, args, {}, false);
  return out.split('\n')[0].trim();
}

function reportFrom(out) {
  const line = out.split('\n').findLast((l) => l.startsWith('CONFORMANCE-REPORT '));
  return line ? JSON.parse(line.slice('CONFORMANCE-REPORT '.length)) : undefined;
}

/** One extra test result: did the example run and say what it should? */
function exampleOutcome(name, ok, detail) {
  console.log(ok ? `  ✓ ${name}` : `  ✗ ${name}\n      ${detail}`);
  return { name, ok, ms: 0, ...(ok ? {} : { error: detail }) };
}

const DENO_ENV = { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };

async function denoExample(bundles, context) {
  const map = join(dirname(bundles.sdk), 'deno-import-map.json');
  writeFileSync(map, JSON.stringify({ imports: { 'oss-fetch': `file://${bundles.sdk}` } }));
  const env = {
    ...DENO_ENV, OSS_ENDPOINT: context.endpoint, OSS_BUCKET: 'conformance-deno',
    OSS_ACCESS_KEY_ID: context.accessKeyId, OSS_ACCESS_KEY_SECRET: context.accessKeySecret,
  };
  const args = ['run', '--no-config', '--no-lock', '--no-npm', '--no-prompt', `--import-map=${map}`, '--allow-net=127.0.0.1', '--allow-env', `--allow-read=${dirname(map)}`, join(root, 'examples/deno.ts')];
  const { code, out } = await capture(bin('deno'), args, env, false);
  const ok = code === 0 && /^Hello from Deno \d/m.test(out) && /^examples\/deno\.txt$/m.test(out) && /^presigned: 200$/m.test(out);
  return exampleOutcome('examples/deno.ts runs with deno run', ok, `exit ${code}: ${out.trim()}`);
}

async function workerExample(Miniflare, bundles, context) {
  const mf = new Miniflare({
    modules: true,
    script: readFileSync(bundles.workerExample, 'utf8'),
    compatibilityDate: COMPATIBILITY_DATE,
    bindings: {
      OSS_ENDPOINT: context.endpoint, OSS_BUCKET: 'conformance-workerd',
      OSS_ACCESS_KEY_ID: context.accessKeyId, OSS_ACCESS_KEY_SECRET: context.accessKeySecret,
    },
  });
  try {
    const put = await mf.dispatchFetch('http://worker.local/examples/worker.txt', { method: 'PUT', body: 'through the worker', headers: { 'content-type': 'text/plain' } });
    const stored = await put.json();
    const got = await mf.dispatchFetch('http://worker.local/examples/worker.txt');
    const text = await got.text();
    const listed = await (await mf.dispatchFetch('http://worker.local/')).json();
    const missing = await mf.dispatchFetch('http://worker.local/examples/missing.txt');
    const error = await missing.json();
    const ok = put.status === 200 && /^"[0-9A-F]{32}"$/.test(stored.etag) && text === 'through the worker'
      && listed.some((o) => o.name === 'examples/worker.txt') && missing.status === 404 && error.error === 'NoSuchKeyError';
    return exampleOutcome('examples/worker.ts serves PUT, GET and a listing', ok, JSON.stringify({ put: put.status, stored, text, listed, missing: missing.status, error }));
  } catch (err) {
    return exampleOutcome('examples/worker.ts serves PUT, GET and a listing', false, err instanceof Error ? err.message : String(err));
  } finally {
    await mf.dispose().catch(() => {});
  }
}

const RUNTIMES = {
  async deno(bundles, context) {
    const args = ['run', '--no-config', '--no-lock', '--no-npm', '--no-prompt', '--allow-net=127.0.0.1', `--allow-read=${dirname(bundles.suite)}`, join(here, 'launch.mjs'), bundles.suite, JSON.stringify(context)];
    const { out, error } = await capture(bin('deno'), args, DENO_ENV);
    const report = reportFrom(out);
    const example = await denoExample(bundles, context);
    return { version: await version(bin('deno'), ['--version']), report, error, extra: [example] };
  },
  async bun(bundles, context) {
    const { out, error } = await capture(bin('bun'), ['--no-install', join(here, 'launch.mjs'), bundles.suite, JSON.stringify(context)], { NO_COLOR: '1' });
    return { version: `bun ${await version(bin('bun'), ['--version'])}`, report: reportFrom(out), error };
  },
  async workerd(bundles, context) {
    const { Miniflare } = await import('miniflare');
    const v = await version(bin('workerd'), ['--version']);
    // The Worker's code is given inline: workerd will not load a module path outside its directory.
    const mf = new Miniflare({ modules: true, script: readFileSync(bundles.suite, 'utf8'), compatibilityDate: COMPATIBILITY_DATE });
    let report;
    let error;
    try {
      const response = await mf.dispatchFetch('http://conformance.local/', { method: 'POST', body: JSON.stringify(context) });
      report = await response.json();
      for (const t of report.tests) console.log(t.ok ? `  ✓ ${t.name} (${t.ms} ms)` : `  ✗ ${t.name} (${t.ms} ms)\n      ${t.error}`);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    } finally {
      await mf.dispose().catch(() => {});
    }
    return { version: v, report, error, extra: [await workerExample(Miniflare, bundles, context)] };
  },
};

async function serverContext() {
  if (process.env.OSS_CONFORMANCE) return { context: JSON.parse(process.env.OSS_CONFORMANCE), close: async () => {} };
  const { register } = await import('tsx/esm/api');
  register();
  const { startConformanceServer } = await import('../../test/conformance/server.ts');
  return startConformanceServer();
}

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(RUNTIMES);
for (const name of wanted) if (!RUNTIMES[name]) throw new Error(`unknown runtime "${name}" (expected ${Object.keys(RUNTIMES).join(', ')})`);

const server = await serverContext();
let tmp;
let bundles;
if (process.env.OSS_CONFORMANCE_BUNDLES) {
  const dir = process.env.OSS_CONFORMANCE_BUNDLES;
  bundles = { suite: join(dir, 'conformance.mjs'), sdk: join(dir, 'oss-fetch.mjs'), workerExample: join(dir, 'worker-example.mjs') };
} else {
  tmp = mkdtempSync(join(tmpdir(), 'oss-fetch-conformance-'));
  bundles = await bundleConformance(tmp);
}

let passed = 0;
let failed = 0;
try {
  for (const name of wanted) {
    console.log(`\n--- conformance in ${name} ---`);
    const { version: v, report, error, extra = [] } = await RUNTIMES[name](bundles, { ...server.context, runtime: name });
    if (!report) console.log(`  ✗ the suite did not report${error ? `: ${error}` : ''}`);
    const outcomes = [...(report?.tests ?? [{ ok: false }]), ...extra];
    const ok = outcomes.filter((t) => t.ok).length;
    passed += ok;
    failed += outcomes.length - ok;
    console.log(`${name} (${v}): ${ok} passed, ${outcomes.length - ok} failed`);
  }
} finally {
  await server.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

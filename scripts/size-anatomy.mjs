#!/usr/bin/env node
// `npm run size:anatomy`: what each built-in behaviour of the put page (size page (a): OSSCore +
// put + STS refresh) costs, as users' bundlers see it. The page is bundled with esbuild into one
// file (min + gzip -9) as `npm run size` does, then again with one behaviour's module replaced by
// the least a page could have instead (a stub: no check, no wording, no redaction…), and finally
// with every stub at once. The difference is what the behaviour costs; what is left with every
// stub is the request path itself (the core, the V4 signer, credentials, errors, put).
// A report for deciding budgets, not a gate: no stub is ever shipped.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUDGETS } from './size-budgets.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [, putPage, , PUT_BUDGET] = BUDGETS[0];
const page = join(root, 'scripts/size', putPage);
const fmt = (n) => n.toLocaleString('en-US');

/** Each behaviour: the module that holds it and the stub that takes its place. */
const BEHAVIOURS = [
  ['secret redaction in errors (plain, URL, hex, base64 forms)', 'src/client/redact.ts',
    'export const redactSecrets = (e) => e;'],
  ['network-error wording (cause chain, browser CORS hint, query cut)', 'src/client/network-error.ts',
    `import { OSSError } from '../core/errors.js';
     export const transportError = (cause) => new OSSError({ code: 'RequestError', message: 'network error', cause });
     export const abortedError = (message, f) => new OSSError({ ...f, code: 'RequestAborted', message });`],
  ['argument checks (bucket, key, region, meta, integers)', 'src/core/validate.ts',
    `const no = () => {}; export { no as assertBucketName, no as assertObjectKey, no as assertInteger, no as assertOptionalString, no as assertPlainObject, no as assertMeta };
     export const normalizeRegion = (r) => r.replace(/^oss-/, ''); export const typeName = (v) => typeof v;`],
  ['option-name checks (typos, ali-oss names and their replacements)', 'src/client/call-options.ts',
    'export const checkOptions = () => {};'],
  ['duration strings ("60s", "2m") for timeouts', 'src/core/duration.ts',
    'export const DEFAULT_TIMEOUT = 60000; export const parseDuration = (v) => v; export const parseTimeout = (v) => v ?? 60000;'],
  ["put's server-side encryption options", 'src/client/object/encryption.ts',
    'export const encryptionRequestHeaders = () => ({});'],
  ['opt-in feature table (checks, errors naming the import)', 'src/client/features.ts',
    'export const featureTable = (f) => Object.fromEntries((f ?? []).map((x) => [x.name, x])); export const missingFeature = (n) => new TypeError(n);'],
  ['OSS error bodies (code, message, request id, x-oss-err)', 'src/client/response-error.ts',
    `import { OSSError } from '../core/errors.js';
     export const requestFields = () => ({});
     export const errorFromResponse = async (r) => new OSSError({ code: String(r.status), status: r.status, message: 'error' });`],
  ['retries with backoff', 'src/client/retry.ts',
    'export const isTransient = () => false; export const retryPolicy = () => ({ retries: 0 }); export const backoff = () => 0; export const sleep = async () => {};'],
];

async function measure(stubs, loaded = new Set()) {
  const plugin = {
    name: 'stubs',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const rel = args.path.slice(root.length + 1);
        loaded.add(rel);
        return rel in stubs ? { contents: stubs[rel], loader: 'ts', resolveDir: dirname(args.path) } : undefined;
      });
    },
  };
  const result = await build({
    entryPoints: [page], bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022',
    write: false, logLevel: 'silent', alias: { 'oss-fetch': join(root, 'src/index.ts') }, plugins: [plugin],
  });
  return gzipSync(result.outputFiles[0].contents, { level: 9 }).length;
}

/**
 * The page's bytes whole, without each behaviour, and without all of them: what `npm run size`
 * prints under "Anatomy of page (a)". A stub whose module the page does not load (renamed or
 * moved) changes nothing, and `missing` names it, so the report cannot silently rot.
 */
export async function anatomy() {
  const whole = await measure({});
  const rows = [];
  const all = {};
  for (const [what, file, stub] of BEHAVIOURS) {
    const loaded = new Set();
    const without = await measure({ [file]: stub }, loaded);
    all[file] = stub;
    rows.push({ what, file, cost: whole - without, missing: !loaded.has(file) });
  }
  return { whole, rows, bare: await measure(all) };
}

export function formatAnatomy({ whole, rows, bare }) {
  const budget = PUT_BUDGET;
  const lines = [`Anatomy of page (a), OSSCore + put + STS refresh, esbuild one file: ${fmt(whole)} B (budget ${fmt(budget)} B)`];
  lines.push('  what each built-in behaviour costs (the page with its module stubbed):');
  for (const r of rows) lines.push(`    ${fmt(r.cost).padStart(6)} B  ${r.what}  (${r.file})`);
  lines.push(`  with every one stubbed at once: ${fmt(bare)} B (${fmt(whole - bare)} B less); the request path left (core, V4 signer and`);
  lines.push(`  its encoders, credentials with refresh, timeouts and abort, error classes, put) is ${bare <= budget ? 'within' : `${fmt(bare - budget)} B over`} the ${fmt(budget)} B budget`);
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const report = await anatomy();
  console.log(formatAnatomy(report));
  const missing = report.rows.filter((r) => r.missing);
  if (missing.length) {
    console.error(`not in page (a), so not measured: ${missing.map((r) => r.file).join(', ')}`);
    process.exit(1);
  }
}

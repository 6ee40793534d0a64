#!/usr/bin/env node
// The size gate (`npm run size`): build browser pages the way users' bundlers do and measure
// min+gzip (level 9) bytes of all the code each page ships:
//   - esbuild, bundled into one file (what Wrangler, tsup and many apps produce: code behind a
//     dynamic import() is in it too);
//   - Vite, every chunk the page may load summed (a lazy chunk is code the page can still fetch).
// Budgets (issue 17, listed in size-budgets.mjs), each held by both bundlers:
//   (a) OSSCore + put + STS refresh ≤ 6,000 B
//   (b) upload page: put + multipartUpload with progress and abort + listAll ≤ 12,000 B
//   (c) the whole OSSClient, every feature ≤ 35,000 B
// It prints each page's top modules, what each opt-in feature adds to page (a), what each of
// page (a)'s built-in behaviours costs (scripts/size-anatomy.mjs), and aws4fetch,
// AWS SDK v3 and ali-oss measured the same way. Tree-shaking assertions: a page that does not
// import an opt-in feature contains none of its modules (and a page that does, contains them, so
// the assertion can fail); no page contains server or dependency code.
// `--ratchet` lets the budgets listed in scripts/test-exceptions.json stay unmet (see below).
// `--readme` rewrites the README's size table with today's numbers.
// Exit code 1 when a budget or an assertion fails.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';
import { anatomy, formatAnatomy } from './size-anatomy.mjs';
import { BUDGETS } from './size-budgets.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pages = join(root, 'scripts/size');
const gz = (code) => gzipSync(code, { level: 9 }).length;
const fmt = (n) => n.toLocaleString('en-US');
const entry = join(root, 'src/index.ts');
const version = (pkg) => JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;

/** One page through esbuild: one minified file; its bytes and each input's share. */
async function withEsbuild(page) {
  const result = await esbuild({
    entryPoints: [join(pages, page)], bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022',
    write: false, metafile: true, logLevel: 'silent', alias: { 'oss-fetch': entry },
  });
  const code = result.outputFiles[0].contents;
  const output = Object.values(result.metafile.outputs)[0];
  const modules = Object.entries(output.inputs).map(([id, m]) => ({ id: resolve(root, id), length: m.bytesInOutput }));
  return { gzip: gz(code), min: code.length, modules: withShares(modules, gz(code), code.length) };
}

/** One page through Vite: every chunk, summed (minified, each gzipped on its own as a server sends it). */
async function withVite(page) {
  const result = await vite({
    root, configFile: false, logLevel: 'silent',
    resolve: { alias: { 'oss-fetch': entry } },
    build: { write: false, target: 'es2022', minify: true, modulePreload: false, rolldownOptions: { input: join(pages, page) } },
  });
  const chunks = (Array.isArray(result) ? result[0] : result).output.filter((o) => o.type === 'chunk');
  const modules = chunks.flatMap((c) => withShares(Object.entries(c.modules).map(([id, m]) => ({ id, length: m.renderedLength })), gz(c.code), c.code.length));
  return { gzip: chunks.reduce((n, c) => n + gz(c.code), 0), min: chunks.reduce((n, c) => n + c.code.length, 0), chunks: chunks.length, modules };
}

/** Each module's share of the gzip bytes, in proportion to its minified bytes. */
function withShares(modules, gzip, min) {
  return modules.map((m) => ({ ...m, gzipShare: Math.round((gzip * m.length) / Math.max(1, min)) }));
}

const rel = (id) => (id.startsWith(root) ? relative(root, id) : id.replace(/\0/g, ''));
function topModules(modules, count = 10) {
  return modules
    .filter((m) => m.length > 0)
    .sort((a, b) => b.length - a.length)
    .slice(0, count)
    .map((m) => `      ${fmt(m.length).padStart(7)} B min ≈ ${fmt(m.gzipShare).padStart(6)} B gzip  ${rel(m.id)}`)
    .join('\n');
}

const failures = [];
const results = [];
function check(name, ok, detail = '') {
  results.push(ok);
  if (!ok) failures.push(name);
  console.log(ok ? `  ✓ ${name}` : `  ✗ ${name}${detail ? `\n${detail}` : ''}`);
}

// With --ratchet (as `npm test` runs it), a budget listed as expected-unmet in the reviewed list
// (scripts/test-exceptions.json, `unmetBudgets`, each with its issue; see docs/bundle-size.md) is neither a pass nor a
// failure while it stays unmet: it is counted and printed as "expected unmet", and the page is
// held at the entry's ceiling (that check passes or fails). A listed budget that now holds fails
// the gate (take it off the list), and so does an unmet budget that is not listed. Without
// --ratchet every budget is a plain pass/fail check.
const ratchet = process.argv.includes('--ratchet');
const expectedUnmet = JSON.parse(readFileSync(join(root, 'scripts/test-exceptions.json'), 'utf8')).unmetBudgets.filter((e) => e.suite === 'size');
let unmetAsExpected = 0;
function budget(key, label, bytes, limit, detail) {
  const listed = ratchet ? expectedUnmet.find((e) => e.budget === key) : undefined;
  if (!listed) return check(`${label} ≤ ${fmt(limit)} B`, bytes <= limit, detail);
  if (bytes <= limit) {
    return check(`${label} ≤ ${fmt(limit)} B now holds, but scripts/test-exceptions.json lists (${key}) as expected unmet (issue ${listed.issue}): take it off the list`, false);
  }
  unmetAsExpected++;
  console.log(`  ! expected unmet: ${label}, over its ${fmt(limit)} B budget (issue ${listed.issue})`);
  check(`${label} does not grow past its ceiling of ${fmt(listed.ceiling)} B`, bytes <= listed.ceiling, detail);
}

/** Each opt-in feature: its page, and the modules only it brings. */
const FEATURES = [
  ['v1Signing', 'feature-v1Signing.js', [/\/src\/core\/sign-v1\.ts$/, /\/src\/client\/v1-signing\.ts$/]],
  ['crc64Checks', 'feature-crc64Checks.js', [/\/src\/core\/crc64\.ts$/, /\/src\/core\/crc64-wasm\.ts$/, /\/src\/core\/md5\.ts$/, /\/src\/client\/crc64-checks\.ts$/]],
  ['uploadProgress', 'feature-uploadProgress.js', [/\/src\/client\/upload-progress\.ts$/, /\/src\/client\/transport-xhr\.ts$/]],
  ['mimeTypes', 'feature-mimeTypes.js', [/\/src\/client\/mime\.ts$/]],
  ['uploadCallbacks', 'feature-uploadCallbacks.js', [/\/src\/client\/callback\.ts$/]],
  ['image helpers (ImageClient)', 'image-page.js', [/\/src\/client\/image\.ts$/]],
];
const holds = (modules, patterns) => modules.filter((m) => m.length > 0 && patterns.some((re) => re.test(m.id)));

const built = {};
for (const [key, page, label] of BUDGETS) {
  built[key] = { esbuild: await withEsbuild(page), vite: await withVite(page) };
  const { esbuild: e, vite: v } = built[key];
  console.log(`\n${label}\n    esbuild, one file: ${fmt(e.min)} B min, ${fmt(e.gzip)} B gzip\n    Vite, ${v.chunks} chunk${v.chunks > 1 ? 's' : ''}: ${fmt(v.min)} B min, ${fmt(v.gzip)} B gzip\n    top modules (esbuild):\n${topModules(e.modules)}`);
}

console.log('\nWhat each opt-in feature adds to page (a) (esbuild, one file, gzip)');
const featureBuilds = [];
for (const [name, page, patterns] of FEATURES) {
  const b = await withEsbuild(page);
  featureBuilds.push([name, b, patterns]);
  console.log(`    ${name.padEnd(28)} +${fmt(b.gzip - built.a.esbuild.gzip).padStart(6)} B   (page: ${fmt(b.gzip)} B)`);
}

console.log('\nBudgets (both bundlers)');
for (const [key, , label, limit] of BUDGETS) {
  const { esbuild: e, vite: v } = built[key];
  budget(key, `${label}: esbuild ${fmt(e.gzip)} B, Vite ${fmt(v.gzip)} B`, Math.max(e.gzip, v.gzip), limit, topModules(e.modules));
}

console.log('\nTree-shaking');
for (const [name, b, patterns] of featureBuilds) {
  check(`a page importing ${name} contains its code`, holds(b.modules, patterns).length > 0);
}
for (const [key, , label] of BUDGETS.filter(([k]) => k !== 'c')) {
  for (const bundler of ['esbuild', 'vite']) {
    for (const [name, , patterns] of FEATURES) {
      const found = holds(built[key][bundler].modules, patterns);
      check(`${label.slice(0, 3)} (${bundler}) holds no ${name} code`, found.length === 0, found.map((m) => `      ${rel(m.id)}`).join('\n'));
    }
  }
}
for (const bundler of ['esbuild', 'vite']) {
  const xml = holds(built.a[bundler].modules, [/\/src\/core\/xml-read\.ts$/, /\/list\.ts$/]);
  check(`(a) (${bundler}) holds no XML reader and no list code`, xml.length === 0, xml.map((m) => `      ${rel(m.id)}`).join('\n'));
}
const everyModule = Object.values(built).flatMap((b) => [...b.esbuild.modules, ...b.vite.modules]).filter((m) => m.length > 0);
const serverCode = [...new Set(everyModule.filter((m) => m.id.includes('/src/server/')).map((m) => rel(m.id)))];
check('no page contains server code', serverCode.length === 0, serverCode.map((id) => `      ${id}`).join('\n'));
const dependencies = [...new Set(everyModule.filter((m) => m.id.includes('/node_modules/')).map((m) => rel(m.id)))];
check('no page holds code from a dependency: the client has none', dependencies.length === 0, dependencies.map((id) => `      ${id}`).join('\n'));

// What page (a)'s built-in behaviours cost (scripts/size-anatomy.mjs): the evidence behind the
// budget that is not met yet; every stub must replace a module the page really loads.
const parts = await anatomy();
console.log(`\n${formatAnatomy(parts)}`);
for (const r of parts.rows) check(`the anatomy measures ${r.file}: page (a) loads it`, !r.missing);

console.log('\nFor comparison, measured the same way (esbuild, one file, min+gzip -9)');
const comparisons = {
  aliOss: gz(readFileSync(join(root, 'node_modules/ali-oss/dist/aliyun-oss-sdk.min.js'))),
  aws: (await withEsbuild('aws-s3-put.js')).gzip,
  aws4fetch: (await withEsbuild('aws4fetch-put.js')).gzip,
};
console.log(`    ali-oss ${version('ali-oss')} dist/aliyun-oss-sdk.min.js (its own bundle)   ${fmt(comparisons.aliOss)} B`);
console.log(`    @aws-sdk/client-s3 ${version('@aws-sdk/client-s3')} S3Client + PutObjectCommand   ${fmt(comparisons.aws)} B`);
console.log(`    aws4fetch ${version('aws4fetch')} AwsClient + a signed PUT   ${fmt(comparisons.aws4fetch)} B`);
console.log(`    oss-fetch: (a) ${fmt(built.a.esbuild.gzip)} B, (b) ${fmt(built.b.esbuild.gzip)} B, (c) ${fmt(built.c.esbuild.gzip)} B`);

// `--readme` writes today's numbers into the README's table (between its size-table markers).
if (process.argv.includes('--readme')) {
  const readme = join(root, 'README.md');
  const delta = Object.fromEntries(featureBuilds.map(([name, b]) => [name, b.gzip - built.a.esbuild.gzip]));
  const row = (key) => `${fmt(built[key].esbuild.gzip)} B | ${fmt(built[key].vite.gzip)} B`;
  const table = [
    '<!-- size-table -->',
    '| page | esbuild, one file | Vite | budget |',
    '|---|---:|---:|---:|',
    `| (a) \`OSSCore\` + \`put\` + STS refresh | ${row('a')} | 6,000 B |`,
    `| (b) upload page: \`put\` + \`multipartUpload\` (progress, abort) + \`listAll\` | ${row('b')} | 12,000 B |`,
    `| (c) the whole \`OSSClient\`, every feature | ${row('c')} | 35,000 B |`,
    `| aws4fetch ${version('aws4fetch')}, a signed PUT (no retries, STS refresh or error parsing) | ${fmt(comparisons.aws4fetch)} B | | |`,
    `| AWS SDK v3 \`S3Client\` + \`PutObjectCommand\` | ${fmt(comparisons.aws)} B | | |`,
    `| ali-oss ${version('ali-oss')} browser bundle | ${fmt(comparisons.aliOss)} B | | |`,
    '',
    '| feature | turns on | adds to (a) |',
    '|---|---|---:|',
    `| \`v1Signing\` | \`signatureVersion: 'v1'\` | +${fmt(delta.v1Signing)} B |`,
    `| \`crc64Checks\` | CRC-64 checks of uploads and downloads (\`crc64\`) | +${fmt(delta.crc64Checks)} B |`,
    `| \`uploadProgress\` | byte-level \`onProgress\` (XHR in browsers); without it \`multipartUpload\` reports per part | +${fmt(delta.uploadProgress)} B |`,
    `| \`mimeTypes\` | Content-Type from the key's extension (else the \`File\`'s type, else \`application/octet-stream\`) | +${fmt(delta.mimeTypes)} B |`,
    `| \`uploadCallbacks\` | the \`callback\` option of uploads | +${fmt(delta.uploadCallbacks)} B |`,
    `| \`ImageClient\` (an import of its own) | image processing helpers | +${fmt(delta['image helpers (ImageClient)'])} B |`,
    '<!-- /size-table -->',
  ].join('\n');
  const text = readFileSync(readme, 'utf8');
  const next = text.replace(/<!-- size-table -->[\s\S]*?<!-- \/size-table -->/, table);
  writeFileSync(readme, next);
  console.log(next === text ? '\nREADME.md size table already current' : '\nREADME.md size table rewritten');
}

const failed = results.filter((ok) => !ok).length;
console.log(`\n${results.length - failed} passed, ${failed} failed${unmetAsExpected ? `, ${unmetAsExpected} expected unmet` : ''}`);
process.exit(failed ? 1 : 0);

#!/usr/bin/env node
// The size gate (`npm run size`): build browser pages the way an app's bundler would (Vite,
// minified, lazily imported modules split into their own chunks) and measure min+gzip bytes of
// every chunk each page loads. Budgets:
//   (b) put alone ≤ 6,000 B loaded up front
//   (a) an upload page (put + STS refresh + multipartUpload) ≤ 12,000 B of our code loaded up
//       front; the lazily loaded chunks (XML reader, resume, wasm CRC-64 kernel…) are reported
//       beside it
//   (c) the whole OSSClient ≤ 35,000 B, every chunk included (not met: see scripts/test-exceptions.json)
// `--ratchet` lets the budgets listed in scripts/test-exceptions.json stay unmet (see below).
// It also asserts tree-shaking: (b) loads no list or XML-reading code, and no page contains
// server code. ali-oss's browser bundle and AWS SDK v3 (S3Client + PutObject) are measured the
// same way for comparison. Exit code 1 when a budget or an assertion fails.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pages = join(root, 'scripts/size');
const gz = (code) => gzipSync(code, { level: 9 }).length;
const fmt = (n) => n.toLocaleString('en-US');
const isParser = (id) => id.endsWith('/src/core/xml-read.ts');
/** What each lazily loaded chunk is for, by the module that names it. */
const LAZY_KINDS = [
  [/\/core\/xml-read\.ts$/, 'XML reader'],
  [/\/core\/crc64-wasm\.ts$/, 'wasm CRC-64 kernel, for bodies ≥ 1 MiB'],
  [/\/core\/sign-v1\.ts$/, 'V1 signer'],
  [/\/client\/upload-progress\.ts$/, 'upload progress'],
  [/\/core\/md5\.ts$/, 'MD5, for checkpoints that carry only ETags'],
  [/\/client\/network-error\.ts$/, 'network-error wording, when a request fails'],
];
const lazyKind = (chunk) => LAZY_KINDS.find(([re]) => chunk.modules.some((m) => re.test(m.id)))?.[1] ?? 'shared';
const ours = (id) => id.startsWith(join(root, 'src'));
/** The bundler's own runtime (Vite's `__vitePreload`, rolldown's helpers): any app with a lazy import has it. */
const isBundlerRuntime = (id) => /^\0?(vite|rolldown)\//.test(id);

/** Build one page; returns its chunks with sizes and whether the page loads them up front. */
async function buildPage(entry) {
  const result = await build({
    root,
    configFile: false,
    logLevel: 'silent',
    resolve: { alias: { 'oss-fetch': join(root, 'src/index.ts') } },
    build: { write: false, target: 'es2022', minify: true, modulePreload: false, rolldownOptions: { input: join(pages, entry) } },
  });
  const chunks = (Array.isArray(result) ? result[0] : result).output.filter((o) => o.type === 'chunk');
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const eager = new Set();
  const visit = (name) => {
    if (eager.has(name)) return;
    eager.add(name);
    for (const dep of byName.get(name).imports) visit(dep);
  };
  visit(chunks.find((c) => c.isEntry).fileName);
  return chunks.map((c) => ({
    name: c.fileName.replace(/^assets\//, ''),
    code: c.code,
    gzip: gz(c.code),
    min: c.code.length,
    eager: eager.has(c.fileName),
    modules: Object.entries(c.modules).map(([id, m]) => ({
      id,
      length: m.renderedLength,
      exports: m.renderedExports,
      // Its share of the chunk's gzip bytes, in proportion to its minified bytes.
      gzipShare: Math.round((gz(c.code) * m.renderedLength) / Math.max(1, c.code.length)),
    })),
  }));
}

function topModules(chunks, count = 8) {
  return chunks
    .flatMap((c) => c.modules)
    .filter((m) => m.length > 0)
    .sort((a, b) => b.length - a.length)
    .slice(0, count)
    .map((m) => `      ${fmt(m.length).padStart(7)} B min ≈ ${fmt(m.gzipShare).padStart(6)} B gzip  ${m.id.startsWith(root) ? relative(root, m.id) : m.id.replace(/\0/g, '')}`)
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

function report(label, chunks) {
  console.log(`\n${label}`);
  for (const c of chunks) {
    const kind = c.eager ? 'loaded' : `lazy: ${lazyKind(c)}`;
    console.log(`    ${c.name.padEnd(28)} ${fmt(c.min).padStart(8)} B min  ${fmt(c.gzip).padStart(7)} B gzip   (${kind})`);
  }
}

const sum = (chunks) => chunks.reduce((n, c) => n + c.gzip, 0);
const pagesToBuild = {
  b: ['put-only.js', '(b) put alone'],
  a: ['upload-page.js', '(a) upload page: put + STS refresh + multipartUpload'],
  c: ['full-client.js', '(c) the whole OSSClient'],
};
const built = {};
for (const [key, [entry, label]] of Object.entries(pagesToBuild)) {
  built[key] = await buildPage(entry);
  report(label, built[key]);
}

console.log('\nBudgets and tree-shaking');
const b = built.b;
const bLoaded = b.filter((c) => c.eager);
budget('b', `(b) put alone loads ${fmt(sum(bLoaded))} B`, sum(bLoaded), 6000, topModules(bLoaded));
const bModules = bLoaded.flatMap((c) => c.modules);
const listCode = bModules.filter((m) => /\/(list|multipart\/list)\.ts$/.test(m.id) && m.length > 0);
check('(b) loads no list code', listCode.length === 0, listCode.map((m) => `      ${relative(root, m.id)}`).join('\n'));
const xmlCode = bModules.filter((m) => (isParser(m.id) || (m.id.endsWith('/core/xml.ts') && m.exports.some((e) => e !== 'parseXml' && e !== 'text'))) && m.length > 0);
check('(b) loads no XML reader and no XML building', xmlCode.length === 0, xmlCode.map((m) => `      ${relative(root, m.id)} ${m.exports.join(',')}`).join('\n'));

const aOurs = built.a.filter((c) => c.eager);
const aLazy = built.a.filter((c) => !c.eager);
const aParser = aLazy.filter((c) => c.modules.some((m) => isParser(m.id)));
budget('a', `(a) upload page loads ${fmt(sum(aOurs))} B of our code`, sum(aOurs), 12000, topModules(aOurs));
console.log(`    (a) loads lazily beside it: ${aLazy.map((c) => `${fmt(c.gzip)} B ${lazyKind(c)}`).join(', ')}`);
check('(a) keeps the XML reader out of the chunks it loads up front', !aOurs.some((c) => c.modules.some((m) => isParser(m.id))));

budget('c', `(c) the whole OSSClient is ${fmt(sum(built.c))} B, every chunk included`, sum(built.c), 35000, topModules(built.c));

const serverCode = Object.values(built).flat().flatMap((c) => c.modules).filter((m) => m.id.includes('/src/server/'));
check('no page contains server code', serverCode.length === 0, serverCode.map((m) => `      ${relative(root, m.id)}`).join('\n'));
const loadedModules = Object.values(built).flat().filter((c) => c.eager).flatMap((c) => c.modules);
const foreign = [...new Set(loadedModules.filter((m) => !ours(m.id) && !m.id.startsWith(pages) && !isBundlerRuntime(m.id) && m.length > 0).map((m) => m.id))];
check('chunks loaded up front hold only our code (and Vite\'s import helper)', foreign.length === 0, foreign.map((id) => `      ${id}`).join('\n'));
const allModules = Object.values(built).flat().flatMap((c) => c.modules);
const dependencies = [...new Set(allModules.filter((m) => m.id.includes('/node_modules/') && m.length > 0).map((m) => m.id))];
check('no page holds code from a dependency: the client has none', dependencies.length === 0, dependencies.map((id) => `      ${id}`).join('\n'));

console.log('\nFor comparison, measured the same way (min+gzip, level 9)');
const aliOss = join(root, 'node_modules/ali-oss/dist/aliyun-oss-sdk.min.js');
const aliSize = existsSync(aliOss) ? gz(readFileSync(aliOss)) : undefined;
console.log(`    ali-oss ${JSON.parse(readFileSync(join(root, 'node_modules/ali-oss/package.json'), 'utf8')).version} dist/aliyun-oss-sdk.min.js   ${aliSize === undefined ? 'not installed' : `${fmt(aliSize)} B gzip`}`);
let awsSize;
if (existsSync(join(root, 'node_modules/@aws-sdk/client-s3/package.json'))) {
  const aws = await buildPage('aws-s3-put.js');
  awsSize = sum(aws);
  const version = JSON.parse(readFileSync(join(root, 'node_modules/@aws-sdk/client-s3/package.json'), 'utf8')).version;
  console.log(`    @aws-sdk/client-s3 ${version} S3Client + PutObjectCommand   ${fmt(awsSize)} B gzip (${aws.length} chunk${aws.length > 1 ? 's' : ''})`);
} else {
  console.log('    @aws-sdk/client-s3 not installed: not measured');
}
const floor = (await buildPage('floor.js')).filter((c) => c.eager);
const floorHelper = floor.flatMap((c) => c.modules).filter((m) => isBundlerRuntime(m.id)).reduce((n, m) => n + m.gzipShare, 0);
console.log(`    floor of any put (V4 signer + CRC-64 + argument checks + error classes, nothing else): ${fmt(sum(floor) - floorHelper)} B of our code, + ${fmt(floorHelper)} B Vite's lazy-import helper`);
console.log(`    oss-fetch: put alone ${fmt(sum(bLoaded))} B, upload page ${fmt(sum(aOurs))} B + ${fmt(sum(aParser))} B XML reader (lazy), whole client ${fmt(sum(built.c))} B`);

const failed = results.filter((ok) => !ok).length;
console.log(`\n${results.length - failed} passed, ${failed} failed${unmetAsExpected ? `, ${unmetAsExpected} expected unmet` : ''}`);
process.exit(failed ? 1 : 0);

#!/usr/bin/env node
// The docs suite: every code block of README.md and docs/*.md, handled as its info string says
// (docs/development.md, "Code blocks in the docs"). Prints one line per block and
// `N passed, N failed` last.
//   node scripts/docs/run.mjs [--only=types,node,browser,worker,deno,sh,links,readme] [README.md docs/objects.md …]
//
// The blocks run in a scratch copy of the package (package.json, sources, configs; node_modules
// linked) after its `npm run prepare`, which is what `npm ci` runs on a fresh clone: Node blocks
// import `oss-fetch`, `oss-fetch/node` and `oss-fetch/server` exactly as written, through the
// package's own exports, so a snippet that needs a build step the README does not give fails here.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brokenLinks, checkShell, moduleScripts, parseBlocks } from './blocks.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (name) => join(root, 'node_modules/.bin', name);
/** The address blocks are written against; replaced by the test server's. */
const DOC_ENDPOINT = 'http://127.0.0.1:9000';
const RUN_TIMEOUT_MS = 120_000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const results = [];
function report(name, ok, detail = '') {
  results.push(ok);
  console.log(ok ? `  ✓ ${name}` : `  ✗ ${name}\n      ${String(detail).trim().split('\n').slice(0, 30).join('\n      ')}`);
}

function capture(cmd, args, { cwd = root, env = {}, timeout = RUN_TIMEOUT_MS } = {}) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', (err) => { clearTimeout(timer); done({ code: 1, out: `${out}${err.message}` }); });
    child.on('close', (code, signal) => { clearTimeout(timer); done({ code: code ?? 1, out: signal ? `${out}\nkilled by ${signal} (timeout ${timeout} ms?)` : out }); });
  });
}

// ---- the pages and their blocks --------------------------------------------------------------
const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const step = (name) => !only || only.includes(name);
const named = args.filter((a) => !a.startsWith('--'));
const pages = named.length
  ? named
  : ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const blocks = [];
for (const page of pages) {
  const parsed = parseBlocks(page, readFileSync(join(root, page), 'utf8'));
  blocks.push(...parsed.blocks);
  for (const error of parsed.errors) report(error, false, 'see docs/development.md, "Code blocks in the docs"');
}
// The README is the newcomer's first screen (issue 16): the fresh-clone commands come first, in
// order, and the reference stays in docs/, every page of it reachable from the README.
if (step('readme') && pages.includes('README.md')) {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const first = blocks.find((b) => b.file === 'README.md');
  const commands = first?.kind === 'sh' ? first.code.replace(/#.*$/gm, '') : '';
  const order = ['npm ci', 'npm start', 'npm test'].map((c) => commands.indexOf(c));
  report('README.md: its first block, on the first screen, is `npm ci && npm start` then `npm test`',
    first?.kind === 'sh' && first.line <= 15 && order.every((i, n) => i >= 0 && (n === 0 || i > order[n - 1])),
    first ? `${first.file}:${first.line}: ${first.code}` : 'no code block');
  const size = Buffer.byteLength(readme);
  report(`README.md stays short (${size} B ≤ 10,000 B): the reference lives in docs/`, size <= 10_000);
  const index = readme + readFileSync(join(root, 'docs/README.md'), 'utf8');
  const unlinked = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md') && f !== 'README.md' && !index.includes(`${f})`));
  report('every docs/ page is linked from README.md or docs/README.md', unlinked.length === 0, unlinked.join(', '));
}
// The pages link to each other: a moved section must not leave a link behind.
if (step('links')) {
  const read = (path) => (existsSync(join(root, path)) ? (path.endsWith('.md') ? readFileSync(join(root, path), 'utf8') : '') : undefined);
  for (const page of pages) {
    const problems = brokenLinks(page, readFileSync(join(root, page), 'utf8'), read);
    report(`${page}: every relative link leads to a file and heading that exist`, problems.length === 0, problems.join('\n'));
  }
}
const where = (b) => `${b.file}:${b.line} (${b.lang}${b.kind === 'node' ? '' : ` ${b.kind}`})`;
const ofKind = (...kinds) => blocks.filter((b) => kinds.includes(b.kind) && step(b.kind === 'partial' || b.kind === 'html' ? 'types' : b.kind));

// ---- the scratch package ---------------------------------------------------------------------
const tmp = mkdtempSync(join(tmpdir(), 'oss-fetch-docs-'));
const pkgDir = join(tmp, 'package');
mkdirSync(join(pkgDir, 'blocks'), { recursive: true });
for (const f of ['package.json', 'tsconfig.json', 'vite.config.ts', 'src']) cpSync(join(root, f), join(pkgDir, f), { recursive: true });
symlinkSync(join(root, 'node_modules'), join(pkgDir, 'node_modules'), 'dir');
const fileOf = (b, ext) => join(pkgDir, 'blocks', `${b.file.replace(/\W+/g, '_')}_${b.line}.${ext}`);
const extOf = (b) => (b.lang === 'js' ? 'mjs' : 'mts');

let server;
try {
  // 1. What `npm ci` builds (the `prepare` script), in the scratch package.
  if (step('node') || step('deno')) {
    const prepare = await capture('npm', ['run', 'prepare', '--silent'], { cwd: pkgDir });
    const built = ['dist/index.js', 'dist/node.js', 'dist/server.js'].filter((f) => !existsSync(join(pkgDir, f)));
    report('npm ci (its prepare script) builds what the snippets import: dist/index.js, dist/node.js, dist/server.js',
      prepare.code === 0 && built.length === 0, `${prepare.out}\nmissing: ${built.join(', ')}`);
  }

  // 2. Type-check every TS/JS block (partial ones with the prelude's names in scope).
  const checked = [];
  const typed = step('types') ? blocks.filter((b) => ['node', 'browser', 'worker', 'deno', 'partial'].includes(b.kind)) : [];
  for (const b of typed) checked.push({ b, code: b.code, offset: 0, path: fileOf(b, b.lang === 'js' ? 'js' : 'ts') });
  for (const b of step('types') ? blocks.filter((b) => b.kind === 'html') : []) {
    for (const s of moduleScripts(b.code)) checked.push({ b, code: s.code, offset: s.offset, path: fileOf(b, `${s.offset}.js`) });
  }
  for (const c of checked) writeFileSync(c.path, `${c.code}\nexport {};\n`);
  cpSync(join(root, 'scripts/docs/prelude.d.ts'), join(pkgDir, 'prelude.d.ts'));
  // TS blocks are checked as strictly as the sources; JS blocks as a JS user's editor would
  // (checkJs without strict: undefined names, wrong options and result fields still fail).
  const paths = { 'oss-fetch': ['./src/index.ts'], 'npm:oss-fetch': ['./src/index.ts'], 'oss-fetch/node': ['./src/adapters/node.ts'], 'oss-fetch/server': ['./src/server/index.ts'],
    'oss-fetch/deno': ['./src/adapters/deno/index.ts'], 'oss-fetch/deno/server': ['./src/adapters/deno/server.ts'], 'oss-fetch/workers': ['./src/adapters/workers/index.ts'] };
  const configs = [
    ['tsconfig.docs.json', { noEmit: true, declaration: false, paths }, 'blocks/*.ts'],
    ['tsconfig.docs-js.json', { noEmit: true, declaration: false, paths, allowJs: true, checkJs: true, strict: false }, 'blocks/*.js'],
  ];
  let tscOut = '';
  let tscFailed = false;
  for (const [name, compilerOptions, include] of configs) {
    if (!checked.some((c) => c.path.endsWith(include.slice(-3)))) continue;
    writeFileSync(join(pkgDir, name), JSON.stringify({ extends: './tsconfig.json', compilerOptions, include: [include, 'prelude.d.ts'] }));
    const tsc = await capture(bin('tsc'), ['-p', name, '--pretty', 'false'], { cwd: pkgDir, timeout: 300_000 });
    // The sources are checked strictly by the typecheck suite; without strict they would not pass.
    const out = name.includes('-js') ? tsc.out.split('\n').filter((l) => l.startsWith('blocks/')).join('\n') : tsc.out;
    tscOut += `${out}\n`;
    tscFailed ||= name.includes('-js') ? out.trim() !== '' : tsc.code !== 0;
  }
  const errorsOf = new Map(checked.map((c) => [c, []]));
  const other = [];
  for (const line of tscOut.split('\n').filter((l) => /error TS/.test(l))) {
    const m = /^(.*?)\((\d+),(\d+)\): (.*)$/.exec(line);
    const c = m && checked.find((x) => relative(pkgDir, x.path) === m[1]);
    if (c) errorsOf.get(c).push(`${c.b.file}:${c.b.line + 1 + c.offset + Number(m[2]) - 1}:${m[3]} ${m[4]}`);
    else other.push(line);
  }
  for (const [c, errors] of errorsOf) report(`${where(c.b)} type-checks`, errors.length === 0, errors.join('\n'));
  if (other.length || (tscFailed && ![...errorsOf.values()].some((e) => e.length))) report('tsc on the blocks', false, other.join('\n') || tscOut);

  // 3. A local server for the blocks that run: bucket `demo`, development keys.
  const { register } = await import('tsx/esm/api');
  register();
  const { startServer } = await import(pathToFileURL(join(root, 'src/server/index.ts')).href);
  server = await startServer({ port: 0, buckets: ['demo'] });
  const endpoint = server.url.replace(/\/$/, '');
  const local = (code) => code.replaceAll(DOC_ENDPOINT, endpoint);

  // 4. Node blocks: as files of the scratch package, run by tsx.
  for (const b of ofKind('node')) {
    const path = fileOf(b, extOf(b));
    writeFileSync(path, local(b.code));
    const { code, out } = await capture(process.execPath, ['--import', 'tsx', path], { cwd: pkgDir });
    report(`${where(b)} runs in Node`, code === 0, `exit ${code}\n${out}`);
  }

  // 5. Browser blocks: bundled, then run in Chromium on a page with a file input holding a file.
  const browserBlocks = ofKind('browser');
  if (browserBlocks.length) await runBrowserBlocks(browserBlocks, local);

  // 6. Worker blocks: bundled, under Miniflare, bound to the server.
  for (const b of ofKind('worker')) await runWorkerBlock(b, endpoint);

  // 7. Deno blocks: deno run, "oss-fetch" mapped onto the scratch package's build.
  for (const b of ofKind('deno')) {
    const path = fileOf(b, 'deno.ts');
    writeFileSync(path, local(b.code));
    const map = join(pkgDir, 'deno-import-map.json');
    const entry = pathToFileURL(join(pkgDir, 'dist/index.js')).href;
    writeFileSync(map, JSON.stringify({ imports: { 'oss-fetch': entry, 'npm:oss-fetch': entry } }));
    const args = ['run', '--no-config', '--no-lock', '--no-npm', '--no-prompt', `--import-map=${map}`, '--allow-net=127.0.0.1', '--allow-env', `--allow-read=${pkgDir}`, path];
    const { code, out } = await capture(bin('deno'), args, { env: { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1', OSS_ENDPOINT: endpoint } });
    report(`${where(b)} runs in Deno`, code === 0, `exit ${code}\n${out}`);
  }

  // 8. Shell blocks: the scripts, binaries and paths they name exist.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const has = {
    script: (name) => Boolean(pkg.scripts?.[name]),
    bin: (name) => Boolean(pkg.bin?.[name]) || existsSync(bin(name)),
    path: (path) => existsSync(join(root, path)),
  };
  for (const b of ofKind('sh')) {
    const problems = checkShell(b.code, has);
    report(`${where(b)} names only scripts, binaries and files that exist`, problems.length === 0, problems.join('\n'));
  }
} catch (err) {
  report('the docs suite ran to the end', false, err instanceof Error ? err.stack : String(err));
} finally {
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
}

async function bundle(entry, outDir, fileName) {
  const { build } = await import('vite');
  await build({
    root: pkgDir,
    configFile: false,
    logLevel: 'warn',
    resolve: { alias: { 'oss-fetch': join(pkgDir, 'src/index.ts') } },
    build: {
      outDir, emptyOutDir: false, copyPublicDir: false, target: 'es2022', minify: false,
      lib: { entry, formats: ['es'], fileName: () => fileName },
      rolldownOptions: { output: { codeSplitting: false } },
    },
  });
  return readFileSync(join(outDir, fileName), 'utf8');
}

async function runBrowserBlocks(list, local) {
  const out = join(pkgDir, 'browser');
  const scripts = new Map();
  for (const b of list) {
    const path = fileOf(b, 'browser.ts');
    // The last statement runs only once every top-level await before it has settled.
    writeFileSync(path, `${local(b.code)}\n;(globalThis as { docsBlockDone?: boolean }).docsBlockDone = true;\n`);
    scripts.set(b, await bundle(path, out, `${basename(path, '.ts')}.js`));
  }
  let current = '';
  const page = createServer((req, res) => {
    if (req.url === '/block.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(current);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><input type="file">');
  });
  await new Promise((ok) => page.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${page.address().port}`;
  // What a bucket needs for a page (docs/uploads.md): a CORS rule for its origin.
  const { OSSClient } = await import(pathToFileURL(join(root, 'src/index.ts')).href);
  const owner = new OSSClient({ ...server.clientOptions, bucket: 'demo' });
  await owner.putBucketCORS('demo', [{ allowedOrigin: [origin], allowedMethod: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'], allowedHeader: '*', exposeHeader: ['ETag', 'x-oss-request-id', 'x-oss-hash-crc64ecma'] }]);
  const { chromium } = await import('playwright-core');
  if (!existsSync(CHROMIUM)) {
    for (const b of list) report(`${where(b)} runs in Chromium`, false, `no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
    page.close();
    return;
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    for (const [b, script] of scripts) {
      current = script;
      const tab = await browser.newPage();
      const errors = [];
      tab.on('pageerror', (err) => errors.push(err.message));
      tab.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
      try {
        await tab.goto(origin);
        await tab.setInputFiles('input[type=file]', { name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from('Hello from the docs suite') });
        await tab.addScriptTag({ url: '/block.js', type: 'module' });
        const done = await tab.waitForFunction(() => globalThis.docsBlockDone || undefined, undefined, { timeout: 30_000 }).then(() => true, (err) => (errors.push(err.message), false));
        report(`${where(b)} runs in Chromium`, done && errors.length === 0, errors.join('\n'));
      } catch (err) {
        report(`${where(b)} runs in Chromium`, false, [...errors, err.message].join('\n'));
      } finally {
        await tab.close();
      }
    }
  } finally {
    await browser.close();
    page.close();
  }
}

async function runWorkerBlock(b, endpoint) {
  const name = `${where(b)} runs under Miniflare: PUT, GET, GET / lists, a missing key is 404`;
  const path = fileOf(b, 'worker.ts');
  writeFileSync(path, b.code);
  const { Miniflare } = await import('miniflare');
  let mf;
  try {
    mf = new Miniflare({
      modules: true,
      script: await bundle(path, join(pkgDir, 'worker'), `${basename(path, '.ts')}.js`),
      compatibilityDate: '2025-09-01',
      bindings: { OSS_ENDPOINT: endpoint, OSS_BUCKET: 'demo', OSS_ACCESS_KEY_ID: server.clientOptions.accessKeyId, OSS_ACCESS_KEY_SECRET: server.clientOptions.accessKeySecret },
    });
    const key = `docs-worker/${b.file.replace(/\W+/g, '_')}_${b.line}.txt`;
    const put = await mf.dispatchFetch(`http://worker.local/${key}`, { method: 'PUT', body: 'through the worker' });
    const putText = await put.text();
    const got = await mf.dispatchFetch(`http://worker.local/${key}`);
    const text = await got.text();
    const listed = await mf.dispatchFetch('http://worker.local/');
    const listing = await listed.text();
    const missing = await mf.dispatchFetch('http://worker.local/docs-worker/missing.txt');
    await missing.arrayBuffer();
    const ok = put.status === 200 && got.status === 200 && text === 'through the worker'
      && listed.status === 200 && listing.includes(key) && missing.status === 404;
    report(name, ok, JSON.stringify({ put: [put.status, putText], get: [got.status, text], list: [listed.status, listing.slice(0, 300)], missing: missing.status }));
  } catch (err) {
    report(name, false, err instanceof Error ? err.stack : String(err));
  } finally {
    await mf?.dispose().catch(() => {});
  }
}

const passed = results.filter(Boolean).length;
console.log(`${passed} passed, ${results.length - passed} failed`);
process.exit(results.length - passed ? 1 : 0);

#!/usr/bin/env node
// What `npm publish` would ship: build dist/, list `npm pack --dry-run`, and check it — every
// export target and its .d.ts present, nothing else (no tests, no sources, no source maps), the
// client path free of server code, of node:* and of packages, conditions resolving.
//   node scripts/check-package.mjs [--no-build]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const results = [];
function check(name, ok, detail = '') {
  results.push(ok);
  console.log(ok ? `  ✓ ${name}` : `  ✗ ${name}${detail ? `\n      ${detail}` : ''}`);
}

if (!process.argv.includes('--no-build')) {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  check('npm run build succeeds', build.status === 0);
}

const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))[0];
const files = new Set(packed.files.map((f) => f.path));
console.log(`  (npm pack: ${files.size} files, ${packed.size} B packed, ${packed.unpackedSize} B unpacked)`);

/** Every file an `exports` entry points to, across all conditions. */
function targets(value) {
  if (typeof value === 'string') return [value];
  return Object.values(value).flatMap(targets);
}
const exportTargets = [...new Set(Object.values(pkg.exports).flatMap(targets))].map((t) => t.replace(/^\.\//, ''));
const missing = exportTargets.filter((t) => !files.has(t));
check('every exports target (code and types) is in the package', missing.length === 0, `missing: ${missing.join(', ')}`);
for (const [entry, value] of Object.entries(pkg.exports)) {
  if (entry === './package.json') continue;
  const code = targets(value).filter((t) => t.endsWith('.js'));
  const types = targets(value).filter((t) => t.endsWith('.d.ts'));
  check(`"${entry}" has types for each of its ${code.length} code target(s)`, types.length >= code.length && types.length > 0);
}
check('bin and main are in the package', files.has(pkg.bin['oss-fetch'].replace(/^\.\//, '')) && files.has(pkg.main.replace(/^\.\//, '')));

const allowed = (f) => f === 'README.md' || f === 'package.json' || f === 'LICENSE' || f.startsWith('dist/') || f.startsWith('bin/');
const stray = [...files].filter((f) => !allowed(f));
check('nothing but dist/, bin/, README and package.json', stray.length === 0, stray.join(', '));
const tests = [...files].filter((f) => /(^|\/)(test|tests|__tests__|e2e)\//.test(f) || /\.(test|spec)\.[cm]?[jt]s$/.test(f));
check('no tests', tests.length === 0, tests.join(', '));
const sources = [...files].filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'));
check('no TypeScript sources', sources.length === 0, sources.slice(0, 5).join(', '));
const maps = [...files].filter((f) => f.endsWith('.map'));
check('no source maps (none of the server in the client path)', maps.length === 0, maps.slice(0, 5).join(', '));

// Peers are allowed only as optional server-side extras (sharp for image processing): installing
// oss-fetch for the client never pulls them. The dependencies are the server's XML parser for
// untrusted request bodies and undici for oss-fetch/node's nodeFetch (half node:http's client CPU
// per small request); the client path never loads either (checked below).
const peers = Object.keys(pkg.peerDependencies ?? {});
const optionalPeers = peers.every((name) => pkg.peerDependenciesMeta?.[name]?.optional === true);
const serverDependencies = ['fast-xml-parser'];
const nodeDependencies = ['undici'];
const dependencies = Object.keys(pkg.dependencies ?? {});
check(`runtime dependencies: only the server's ${serverDependencies.join(', ')} and oss-fetch/node's ${nodeDependencies.join(', ')} (peers only optional)`,
  dependencies.every((name) => serverDependencies.includes(name) || nodeDependencies.includes(name)) && optionalPeers && !pkg.optionalDependencies, dependencies.join(', '));
// undici 7 needs Node 20.18.1.
check('sideEffects: false, type: module, engines.node >=20.18.1', pkg.sideEffects === false && pkg.type === 'module' && pkg.engines?.node === '>=20.18.1');

/**
 * The module files a dist entry loads, statically and lazily, and the bare/node: imports seen, as
 * a bundler resolves them (esbuild's metafile: real import statements, never text that looks like one).
 */
function closure(entry) {
  const { metafile } = buildSync({
    entryPoints: [join(root, entry)], absWorkingDir: root, bundle: true, write: false, metafile: true, format: 'esm',
    platform: 'neutral', packages: 'external', external: ['node:*'], logLevel: 'silent',
  });
  const external = new Set();
  for (const input of Object.values(metafile.inputs)) for (const i of input.imports) if (i.external) external.add(i.path);
  return { files: Object.keys(metafile.inputs), external: [...external] };
}
// The Deno and Workers entries run without Node compatibility: no node:*, no package imports.
for (const entry of ['dist/index.js', 'dist/server/web.js', 'dist/adapters/deno/index.js', 'dist/adapters/workers/index.js']) {
  const { files: loaded, external } = closure(entry);
  const nodeImports = external.filter((s) => s.startsWith('node:'));
  check(`${entry} loads no node:* module (${loaded.length} files)`, nodeImports.length === 0, nodeImports.join(', '));
  // The server may also reach its optional peers (sharp, for image processing) and its XML parser;
  // the client entries (the package root, Deno's and Workers') never.
  const allowed = entry === 'dist/server/web.js' ? [...peers, ...serverDependencies] : [];
  check(`${entry} imports no package${allowed.length ? ` but ${allowed.join(', ')}` : ''}`, external.every((s) => s.startsWith('node:') || allowed.includes(s)), external.join(', '));
}
const nodeEntry = closure('dist/node.js').external.filter((s) => !s.startsWith('node:'));
check(`dist/node.js imports no package but ${nodeDependencies.join(', ')}`, nodeEntry.every((s) => nodeDependencies.includes(s)), nodeEntry.join(', '));
const client = closure('dist/index.js');
const serverFiles = client.files.filter((f) => f.startsWith('dist/server'));
check('the client path (dist/index.js) contains no server code', serverFiles.length === 0, serverFiles.join(', '));
// A page bundled from the built package as a user's bundler does it: an upload-only page ships no
// XML reader and no opt-in feature (scripts/size.mjs checks the same from the sources).
const page = buildSync({
  stdin: { contents: "import { OSSCore, put } from './dist/index.js'; globalThis.up = (f) => put(new OSSCore({ bucket: 'b-1x' }), f.name, f);", resolveDir: root },
  absWorkingDir: root, bundle: true, write: false, metafile: true, minify: true, format: 'esm', platform: 'browser', logLevel: 'silent',
});
const shipped = Object.entries(Object.values(page.metafile.outputs)[0].inputs).filter(([, i]) => i.bytesInOutput > 0).map(([f]) => f);
const pageFiles = shipped.filter((f) => /(xml-read|sign-v1|crc64|md5|upload-progress|transport-xhr|mime|callback)\.js$/.test(f));
check('a put page bundled from dist/ ships no XML reader and no opt-in feature', pageFiles.length === 0 && shipped.some((f) => f.endsWith('dist/client/object/put.js')), pageFiles.join(', '));

/** Resolve a specifier from inside the package, as a user's runtime or bundler would. */
function resolveWith(conditions, specifier) {
  const args = [...conditions.map((c) => `--conditions=${c}`), '--input-type=module', '-e', `console.log(import.meta.resolve(${JSON.stringify(specifier)}))`];
  const out = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  return out.stdout.trim().replace(`file://${root}/`, '');
}
check('"oss-fetch" resolves to dist/index.js', resolveWith([], 'oss-fetch') === 'dist/index.js');
check('"oss-fetch/server" resolves to the node:http server in Node', resolveWith([], 'oss-fetch/server') === 'dist/server.js');
for (const condition of ['browser', 'worker', 'workerd']) {
  check(`"oss-fetch/server" resolves to the Web-standard server under "${condition}"`, resolveWith([condition], 'oss-fetch/server') === 'dist/server/web.js');
}
const smoke = spawnSync(process.execPath, ['--input-type=module', '-e', `
  const m = await import('oss-fetch');
  const n = await import('oss-fetch/node');
  const s = await import('oss-fetch/server');
  const ok = typeof m.OSSClient === 'function' && typeof m.put === 'function' && typeof n.putFile === 'function' && typeof s.startServer === 'function';
  const server = await s.startServer({ port: 0, buckets: ['smoke'] });
  const client = new m.OSSClient({ ...server.clientOptions, bucket: 'smoke' });
  await client.put('a.txt', 'built');
  const text = new TextDecoder().decode((await client.get('a.txt')).content);
  await server.close();
  console.log(ok && text === 'built' ? 'ok' : 'bad');
`], { cwd: root, encoding: 'utf8' });
check('the built package works in Node (client ⇄ server round trip)', smoke.stdout.trim() === 'ok', smoke.stderr.trim().split('\n').slice(0, 3).join(' '));
for (const [specifier, target] of [['oss-fetch/deno', 'dist/adapters/deno/index.js'], ['oss-fetch/deno/server', 'dist/adapters/deno/server.js'], ['oss-fetch/workers', 'dist/adapters/workers/index.js']]) {
  check(`"${specifier}" resolves to ${target}`, resolveWith([], specifier) === target);
}
check('dist/types has a .d.ts for every entry', ['index', 'adapters/node', 'server/index', 'server/web', 'adapters/deno/index', 'adapters/deno/server', 'adapters/workers/index'].every((e) => existsSync(join(root, `dist/types/src/${e}.d.ts`))));

const failed = results.filter((ok) => !ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

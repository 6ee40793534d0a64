#!/usr/bin/env node
// The runtime adapters in their real runtimes, against the local server on 127.0.0.1:
//   oss-fetch/deno     in Deno (node_modules/.bin/deno): files, resume from disk, env credentials,
//                      the permission error without --allow-env, the server under Deno.serve
//   oss-fetch/node     in Bun (node_modules/.bin/bun): the client over nodeFetch, which sends
//                      through node:http there (Bun's undici has no dispatcher)
//   oss-fetch/workers  in workerd (Miniflare): env client, streamed PUT of a known-length body,
//                      the upload broker (STS keys, presigned PUT, POST policy, callbacks), the
//                      local server as a Worker
// Prints a ✓/✗ line per test and `N passed, N failed` last. A missing runtime is a failure.
//   node scripts/adapters/run.mjs
import { spawn } from 'node:child_process';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { bundleOne } from '../conformance/bundle.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (name) => join(root, 'node_modules/.bin', name);
const COMPATIBILITY_DATE = '2025-09-01';
const RUN_TIMEOUT_MS = 120_000;

const { register } = await import('tsx/esm/api');
register();
const { createHandler, listen } = await import('../../src/server/index.ts');
const { OSSClient } = await import('../../src/index.ts');
const { default: AliOSS } = await import('ali-oss');

const results = [];
function record(name, ok, detail = '') {
  results.push(ok);
  console.log(ok ? `  ✓ ${name}` : `  ✗ ${name}${detail ? `\n      ${detail}` : ''}`);
}
async function test(name, fn) {
  try {
    await fn();
    record(name, true);
  } catch (err) {
    record(name, false, err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  }
}
function assert(ok, message) {
  if (!ok) throw new Error(message);
}

// The local server, with two test hooks in front of it: which PUTs arrived with a Content-Length,
// and a public key for signing callbacks at /-test/callback-key.pem.
const callbackKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const callbackPem = callbackKey.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const handler = createHandler({ buckets: ['adapters-deno', 'adapters-workerd', 'adapters-bun'] });
const putHeaders = new Map();
const oss = await listen(async (request) => {
  const url = new URL(request.url);
  if (url.pathname === '/-test/callback-key.pem') return new Response(callbackPem);
  if (request.method === 'PUT') putHeaders.set(url.pathname, { length: request.headers.get('content-length'), encoding: request.headers.get('transfer-encoding') });
  return handler(request);
}, { port: 0, host: '127.0.0.1' });
const keys = { accessKeyId: 'ossfetch-dev-key', accessKeySecret: 'ossfetch-dev-secret' };
const env = { OSS_ENDPOINT: oss.url, OSS_ACCESS_KEY_ID: keys.accessKeyId, OSS_ACCESS_KEY_SECRET: keys.accessKeySecret, OSS_REGION: 'cn-hangzhou' };
const owner = new OSSClient({ endpoint: oss.url, region: 'cn-hangzhou', ...keys });
const tmp = mkdtempSync(join(tmpdir(), 'oss-fetch-adapters-'));

function capture(cmd, args, extraEnv = {}, onLine) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1', ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      onLine?.(String(chunk), child);
    });
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', (e) => {
      clearTimeout(timer);
      done({ code: 1, out, err: `${err}${e.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? 1, out, err });
    });
  });
}

function report(out) {
  const line = out.split('\n').findLast((l) => l.startsWith('ADAPTER-REPORT '));
  return line ? JSON.parse(line.slice('ADAPTER-REPORT '.length)) : undefined;
}

try {
  // ---- Deno ----------------------------------------------------------------------------------
  console.log('\n--- oss-fetch/deno in Deno ---');
  if (!existsSync(bin('deno'))) {
    record('Deno is installed', false, 'node_modules/.bin/deno is missing: run `npm ci` (Deno comes from the npm package "deno")');
  } else {
    const denoRun = ['run', '--no-lock', '--sloppy-imports', '--no-prompt', '--allow-net=127.0.0.1'];
    const files = await capture(bin('deno'), [...denoRun, `--allow-read=${tmp}`, `--allow-write=${tmp}`, '--allow-env', 'test/adapters/deno-files.ts'], { ...env, ADAPTER_TMP: tmp });
    const outcomes = report(files.out);
    if (!outcomes) record('deno-files.ts reports', false, `exit ${files.code}: ${files.err.trim().slice(0, 2000)}`);
    for (const o of outcomes ?? []) record(o.name, o.ok, o.error);

    const noEnv = await capture(bin('deno'), [...denoRun, 'test/adapters/deno-no-env.ts']);
    const said = noEnv.out.split('\n').find((l) => l.startsWith('NO-ENV-RESULT ')) ?? `exit ${noEnv.code}: ${noEnv.err.slice(0, 500)}`;
    record('without --allow-env, optionsFromEnv names the flag to add (EnvPermissionDenied)', /EnvPermissionDenied: .*--allow-env/.test(said), said);

    // The local server under Deno.serve, the documented one-liner, used by our client and by ali-oss.
    let child;
    const served = new Promise((found) => {
      capture(bin('deno'), ['run', '--sloppy-imports', '--no-prompt', '--allow-net', 'src/adapters/deno/server.ts', '--port', '0', '--bucket', 'deno-served'], {}, (chunk, c) => {
        child = c;
        const m = /on (http:\/\/[\d.]+:\d+)/.exec(chunk);
        if (m) found(m[1]);
      }).then((r) => found({ failed: r }));
    });
    const url = await Promise.race([served, new Promise((r) => setTimeout(() => r({ failed: { err: 'no "on http://…" line within 60 s' } }), 60_000))]);
    await test('deno run src/adapters/deno/server.ts serves OSS to oss-fetch and to ali-oss', async () => {
      assert(typeof url === 'string', `the server did not start: ${JSON.stringify(url?.failed?.err ?? url).slice(0, 1000)}`);
      const client = new OSSClient({ endpoint: url, region: 'cn-hangzhou', bucket: 'deno-served', ...keys });
      await client.put('hello.txt', 'served by Deno');
      assert(new TextDecoder().decode((await client.get('hello.txt')).content) === 'served by Deno', 'oss-fetch reads back');
      const ali = new AliOSS({ endpoint: url, region: 'oss-cn-hangzhou', bucket: 'deno-served', ...keys, cname: true, secure: false });
      await ali.put('ali.txt', Buffer.from('from ali-oss'));
      assert((await ali.get('ali.txt')).content.toString() === 'from ali-oss', 'ali-oss reads back');
      const names = (await client.list({})).objects.map((o) => o.name).sort().join(',');
      assert(names === 'ali.txt,hello.txt', `listing: ${names}`);
    });
    child?.kill('SIGTERM');
  }

  // ---- Bun -----------------------------------------------------------------------------------
  console.log('\n--- oss-fetch/node in Bun ---');
  if (!existsSync(bin('bun'))) {
    record('Bun is installed', false, 'node_modules/.bin/bun is missing: run `npm ci` (Bun comes from the npm package "bun")');
  } else {
    const bun = await capture(bin('bun'), ['test/adapters/bun-node.ts'], env);
    const outcomes = report(bun.out);
    if (!outcomes) record('bun-node.ts reports', false, `exit ${bun.code}: ${bun.err.trim().slice(0, 2000)}`);
    for (const o of outcomes ?? []) record(o.name, o.ok, o.error);
  }

  // ---- workerd -------------------------------------------------------------------------------
  console.log('\n--- oss-fetch/workers in workerd (Miniflare) ---');
  const { Miniflare } = await import('miniflare');
  await bundleOne(tmp, 'test/adapters/worker-app.ts', 'worker-app.mjs');
  await bundleOne(tmp, 'test/adapters/worker-server.ts', 'worker-server.mjs');
  await bundleOne(tmp, 'examples/upload-broker.ts', 'upload-broker.mjs');
  const ownerId = handler.state.defaultOwner.id;
  const mf = new Miniflare({
    modules: true,
    script: readFileSync(join(tmp, 'worker-app.mjs'), 'utf8'),
    compatibilityDate: COMPATIBILITY_DATE,
    bindings: {
      ...env, OSS_BUCKET: 'adapters-workerd', STS_ROLE_ARN: `acs:ram::${ownerId}:role/uploader`, STS_ENDPOINT: `${oss.url}/sts`,
      CALLBACK_KEY_PREFIX: `${oss.url}/-test/`,
    },
  });
  const bucket = new OSSClient({ endpoint: oss.url, region: 'cn-hangzhou', bucket: 'adapters-workerd', ...keys });
  const worker = (path, init) => mf.dispatchFetch(`http://worker.local${path}`, init);
  const asUser = (user, body) => ({ method: 'POST', headers: { authorization: `Bearer ${user}`, 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  try {
    await test('clientFromEnv + putRequestBody stream a known-length body to OSS with its Content-Length', async () => {
      const bytes = new Uint8Array(300_000).map((_, i) => (i * 31) & 0xff);
      // Over real HTTP to workerd, as a browser or curl would send it (with a Content-Length).
      const workerUrl = String(await mf.ready).replace(/\/$/, '');
      const put = await fetch(`${workerUrl}/stream/streamed.bin`, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/x-test' } });
      assert(put.status === 200, `PUT answered ${put.status}: ${await put.text()}`);
      const seen = putHeaders.get('/adapters-workerd/streamed.bin') ?? putHeaders.get('/streamed.bin');
      assert(seen?.length === '300000' && !seen.encoding, `the server saw ${JSON.stringify(seen)}`);
      const { content, res } = await bucket.get('streamed.bin');
      assert(Buffer.from(content).equals(Buffer.from(bytes)), 'stored bytes differ');
      assert(res.headers['content-type'] === 'application/x-test', `content-type ${res.headers['content-type']}`);
      const back = await worker('/object/streamed.bin');
      assert(Buffer.from(await back.arrayBuffer()).equals(Buffer.from(bytes)), 'read back through the Worker');
    });
    await test('putRequestBody refuses a body of unknown length with a typed error', async () => {
      const body = new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1, 2, 3])); c.close(); } });
      const put = await worker('/stream/chunked.bin', { method: 'PUT', body, duplex: 'half' });
      const answer = await put.json();
      assert(put.status === 400 && answer.error === 'OSSArgumentError' && /Content-Length/.test(answer.message), JSON.stringify(answer));
    });
    await test('the broker refuses callers its authorize hook refuses (401)', async () => {
      const r = await worker('/oss/presign', { method: 'POST', body: '{}' });
      assert(r.status === 401, `status ${r.status}`);
    });
    await test('the broker vends STS keys that may write under the caller\'s prefix only', async () => {
      const r = await worker('/oss/credentials', asUser('ann'));
      const c = await r.json();
      assert(r.status === 200 && c.stsToken && c.prefix === 'uploads/ann/', JSON.stringify({ status: r.status, prefix: c.prefix }));
      const page = new OSSClient({ endpoint: oss.url, region: 'cn-hangzhou', bucket: c.bucket, accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, stsToken: c.stsToken });
      await page.put('uploads/ann/sts.txt', 'mine');
      for (const key of ['uploads/bob/sts.txt', 'elsewhere.txt']) {
        const denied = await page.put(key, 'not mine').then(() => 'stored', (e) => e.code);
        assert(denied === 'AccessDenied', `${key}: ${denied}`);
      }
    });
    await test('the broker presigns a PUT under the prefix that then works, and nothing outside it', async () => {
      const r = await worker('/oss/presign', asUser('ann', { key: 'uploads/ann/presigned.txt', contentType: 'text/plain' }));
      const { url, headers } = await r.json();
      const put = await fetch(url, { method: 'PUT', body: 'via presigned URL', headers });
      assert(put.status === 200, `presigned PUT answered ${put.status}`);
      assert(new TextDecoder().decode((await bucket.get('uploads/ann/presigned.txt')).content) === 'via presigned URL', 'stored');
      for (const key of ['uploads/bob/x.txt', 'uploads/ann/../x.txt', 'uploads/ann/']) {
        const refused = await worker('/oss/presign', asUser('ann', { key }));
        assert(refused.status === 400, `${key}: ${refused.status}`);
      }
    });
    await test('the broker signs a POST policy limited to the prefix', async () => {
      const r = await worker('/oss/post-policy', asUser('ann'));
      const { url, fields } = await r.json();
      const post = async (key) => {
        const form = new FormData();
        for (const [name, value] of Object.entries({ ...fields, key })) form.append(name, value);
        form.append('file', new Blob(['posted']), 'posted.txt');
        return (await fetch(url, { method: 'POST', body: form })).status;
      };
      const ok = await post('uploads/ann/posted.txt');
      assert(ok === 204, `POST answered ${ok}`);
      assert(new TextDecoder().decode((await bucket.get('uploads/ann/posted.txt')).content) === 'posted', 'stored');
      const outside = await post('uploads/bob/posted.txt');
      assert(outside === 403, `a key outside the prefix: ${outside}`);
    });
    await test('the broker checks OSS callback signatures (RSA-MD5) and answers with onUpload\'s JSON', async () => {
      const body = 'bucket=adapters-workerd&object=uploads%2Fann%2Fa.txt&size=6';
      const signature = (text) => createSign('RSA-MD5').update(text).sign(callbackKey.privateKey).toString('base64');
      const headers = (sig, keyUrl = `${oss.url}/-test/callback-key.pem`) => ({
        authorization: sig, 'x-oss-pub-key-url': Buffer.from(keyUrl).toString('base64'), 'content-type': 'application/x-www-form-urlencoded',
      });
      const good = await worker('/oss/callback', { method: 'POST', body, headers: headers(signature(`/oss/callback\n${body}`)) });
      const answer = await good.json();
      assert(good.status === 200 && answer.received?.object === 'uploads/ann/a.txt', JSON.stringify(answer));
      const forged = await worker('/oss/callback', { method: 'POST', body: body.replace('size=6', 'size=7'), headers: headers(signature(`/oss/callback\n${body}`)) });
      assert(forged.status === 400, `a changed body: ${forged.status}`);
      const foreign = await worker('/oss/callback', { method: 'POST', body, headers: headers(signature(`/oss/callback\n${body}`), 'http://127.0.0.1:1/key.pem') });
      assert(foreign.status === 400, `a key URL outside the allow-list: ${foreign.status}`);
    });
  } finally {
    await mf.dispose().catch(() => {});
  }

  const brokerMf = new Miniflare({
    modules: true,
    script: readFileSync(join(tmp, 'upload-broker.mjs'), 'utf8'),
    compatibilityDate: COMPATIBILITY_DATE,
    bindings: { ...env, OSS_BUCKET: 'adapters-workerd', STS_ROLE_ARN: `acs:ram::${ownerId}:role/uploader`, STS_ENDPOINT: `${oss.url}/sts`, DEMO_TOKEN: 'let-me-in' },
  });
  try {
    await test('examples/upload-broker.ts vends keys and presigned URLs to a signed-in user only', async () => {
      const call = (route, auth, body = {}) => brokerMf.dispatchFetch(`http://broker.local/oss/${route}`, { method: 'POST', headers: { authorization: auth }, body: JSON.stringify(body) });
      assert((await call('credentials', 'Bearer ann:wrong')).status === 401, 'a wrong token is refused');
      const keys = await (await call('credentials', 'Bearer ann:let-me-in')).json();
      assert(keys.prefix === 'uploads/ann/' && keys.stsToken, JSON.stringify({ prefix: keys.prefix }));
      const { url, headers } = await (await call('presign', 'Bearer ann:let-me-in', { key: 'uploads/ann/example.txt' })).json();
      // Bytes: no Content-Type of fetch's own, since the URL was signed without one.
      const put = await fetch(url, { method: 'PUT', body: new TextEncoder().encode('from the example'), headers });
      assert(put.status === 200, `the presigned PUT answered ${put.status}`);
    });
  } finally {
    await brokerMf.dispose().catch(() => {});
  }

  const serverMf = new Miniflare({ modules: true, script: readFileSync(join(tmp, 'worker-server.mjs'), 'utf8'), compatibilityDate: COMPATIBILITY_DATE });
  try {
    await test('the local server runs as a Worker (serverWorker) and serves a client over HTTP', async () => {
      const url = String(await serverMf.ready).replace(/\/$/, '');
      const client = new OSSClient({ endpoint: url, region: 'cn-hangzhou', bucket: 'in-worker', ...keys });
      await client.put('w.txt', 'inside workerd');
      assert(new TextDecoder().decode((await client.get('w.txt')).content) === 'inside workerd', 'read back');
      const denied = await new OSSClient({ endpoint: url, region: 'cn-hangzhou', bucket: 'in-worker', accessKeyId: keys.accessKeyId, accessKeySecret: 'wrong' })
        .get('w.txt').then(() => 'read', (e) => e.code);
      assert(denied === 'SignatureDoesNotMatch', `a wrong secret: ${denied}`);
    });
  } finally {
    await serverMf.dispose().catch(() => {});
  }

  // What a Worker with the broker costs, as Wrangler would bundle it (esbuild, one file, minified).
  const { build } = await import('esbuild');
  const { PACKAGE_ALIASES } = await import('../conformance/bundle.mjs');
  const alias = Object.fromEntries(PACKAGE_ALIASES.map(({ find, replacement }) => [find.source.slice(1, -1).replace('\\/', '/'), replacement]));
  const out = await build({ entryPoints: [join(root, 'examples/upload-broker.ts')], bundle: true, minify: true, format: 'esm', write: false, platform: 'neutral', conditions: ['workerd', 'worker', 'browser'], alias });
  const gz = gzipSync(out.outputFiles[0].contents, { level: 9 }).byteLength;
  console.log(`  (examples/upload-broker.ts, a Worker with the upload broker: ${gz.toLocaleString('en-US')} B min+gzip, esbuild one file)`);
} finally {
  await oss.close();
  rmSync(tmp, { recursive: true, force: true });
}
const passed = results.filter(Boolean).length;
console.log(`${passed} passed, ${results.length - passed} failed`);
process.exit(results.length - passed ? 1 : 0);

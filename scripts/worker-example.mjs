#!/usr/bin/env node
// `npm run example:worker [-- examples/upload-broker.ts]`: examples/worker.ts (or the file named)
// served as a Cloudflare Worker by Miniflare (from node_modules; no wrangler needed) on
// http://127.0.0.1:8787, its vars bound to `npm start`'s server. Environment: WORKER_PORT (8787),
// OSS_ENDPOINT (http://127.0.0.1:9000), OSS_BUCKET (demo), OSS_ACCESS_KEY_ID /
// OSS_ACCESS_KEY_SECRET (the development pair); for the upload broker also STS_ROLE_ARN (a role
// of the server's account), STS_ENDPOINT (<OSS_ENDPOINT>/sts) and DEMO_TOKEN (let-me-in).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { bundleOne } from './conformance/bundle.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'oss-fetch-worker-'));
const example = process.argv[2] ?? 'examples/worker.ts';
const endpoint = process.env.OSS_ENDPOINT ?? 'http://127.0.0.1:9000';
await bundleOne(tmp, example, 'worker.mjs');
const mf = new Miniflare({
  modules: true,
  script: readFileSync(join(tmp, 'worker.mjs'), 'utf8'),
  compatibilityDate: '2025-09-01',
  host: '127.0.0.1',
  port: Number(process.env.WORKER_PORT ?? 8787),
  bindings: {
    OSS_ENDPOINT: endpoint,
    OSS_BUCKET: process.env.OSS_BUCKET ?? 'demo',
    OSS_ACCESS_KEY_ID: process.env.OSS_ACCESS_KEY_ID ?? 'ossfetch-dev-key',
    OSS_ACCESS_KEY_SECRET: process.env.OSS_ACCESS_KEY_SECRET ?? 'ossfetch-dev-secret',
    STS_ROLE_ARN: process.env.STS_ROLE_ARN ?? 'acs:ram::1000000000000000:role/uploader',
    STS_ENDPOINT: process.env.STS_ENDPOINT ?? `${endpoint}/sts`,
    DEMO_TOKEN: process.env.DEMO_TOKEN ?? 'let-me-in',
  },
});
const url = await mf.ready;
console.log(`worker: ${url.href} (${example}) → ${endpoint}`);
const stop = async () => {
  await mf.dispose().catch(() => {});
  rmSync(tmp, { recursive: true, force: true });
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

// The local server's handler CPU per 1 KiB GET, in-process (no HTTP): requests signed once by
// the client, then replayed against the handler, anonymous (public-read), V1 and V4. Min of 7
// rounds. Run: npx tsx bench/server-cost.ts
import { nodeSubtle } from '../src/adapters/node-subtle.js';
import { OSSClient } from '../src/index.js';
import { createHandler, DEV_CREDENTIALS } from '../src/server/index.js';

const handler = createHandler({ buckets: ['bench'], subtle: nodeSubtle() });
await handler.ready;
const captured: Record<string, [string, RequestInit]> = {};
const clientFor = (signatureVersion: 'v1' | 'v4', keep?: string) => new OSSClient({
  endpoint: 'http://127.0.0.1:1', bucket: 'bench', ...DEV_CREDENTIALS, signatureVersion,
  fetch: async (url, init) => {
    if (keep) captured[keep] = [String(url), { method: init?.method, headers: init?.headers }];
    return handler(new Request(url, init));
  },
});
await clientFor('v4').put('k', new Uint8Array(1024));
await clientFor('v4').putBucketACL('bench', 'public-read');
await clientFor('v4', 'V4').get('k');
await clientFor('v1', 'V1').get('k');
captured.anonymous = [captured.V4![0], { method: 'GET' }];

const OPS = Number(process.env.OPS ?? 10_000);
const best: Record<string, number> = {};
for (let round = 0; round < 8; round++) {
  for (const [name, [url, init]] of Object.entries(captured)) {
    const start = process.cpuUsage();
    for (let i = 0; i < OPS; i++) {
      const res = await handler(new Request(url, init));
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status}`);
    }
    const used = process.cpuUsage(start);
    if (round > 0) best[name] = Math.min(best[name] ?? Infinity, (used.user + used.system) / OPS);
  }
}
console.log(`Node ${process.version}, in-process handler, ${OPS} GETs × 7 rounds (min), µs/op`);
for (const [name, us] of Object.entries(best)) console.log(`${name.padEnd(10)} ${us.toFixed(1)}`);

// The listing scenario of `npm run bench` on its own: every key of a 10,000-key prefix, 1000 per
// page, listAll for oss-fetch and a list loop for ali-oss, against the local server in sink mode
// (its own process); keys/s, client CPU per key, and the ratio to ali-oss signing the same version.
// With --page-work MS, oss-fetch/node V4 alone, with and without readAhead, in a loop that waits
// MS after each page's last key (work of its own, as writing the keys somewhere): what reading
// ahead saves a loop that does something.
//
//   npx tsx bench/listing.ts [--rounds 5] [--keys 10000] [--page-work 0]
import { parseArgs } from 'node:util';
import { CLIENTS, drivers, nodeFetchClient, ossFetchClient, NODE_FETCH, type ClientName } from './drivers.js';
import { startChildServer } from './local-server.js';
import { cpuDuring, interleavedCost, opsPerSecond } from './stats.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    keys: { type: 'string', default: '10000' },
    'page-work': { type: 'string', default: '0' },
  },
});
const BUCKET = 'bench';
const PAGE = 1000;
const pageWork = Number(values['page-work']);
const LAZY = `${NODE_FETCH} V4, readAhead: false`;

const server = await startChildServer({ sink: true }, BUCKET);
try {
  await ossFetchClient(server.url, BUCKET).putBucketACL(BUCKET, 'public-read-write');
  const d = drivers(server.url, BUCKET);
  const keys = Array.from({ length: Number(values.keys) }, (_, i) => `list/${String(i).padStart(6, '0')}`);
  await opsPerSecond(keys.length, 32, (i) => d.raw.put(keys[i]!, new Uint8Array(0)));
  const lazy = nodeFetchClient(server.url, BUCKET, 'V4');
  const rest = () => new Promise((resolve) => setTimeout(resolve, pageWork));
  /** Counts the keys as oss-fetch's listAll yields them, resting after every PAGE keys. */
  const walk = async (entries: AsyncIterable<unknown>) => {
    let n = 0;
    for await (const _ of entries) if (++n % PAGE === 0 && pageWork) await rest();
    return n;
  };
  const ahead = nodeFetchClient(server.url, BUCKET, 'V4');
  const names: Array<ClientName | typeof LAZY> = pageWork ? [`${NODE_FETCH} V4`, LAZY] : [...CLIENTS];
  const result = await interleavedCost(names, Number(values.rounds), async (name) => {
    const t = performance.now();
    const { result: n, cpuMicros } = await cpuDuring(async () => {
      if (!pageWork) return d[name as ClientName].countKeys('list/');
      return walk((name === LAZY ? lazy : ahead).listAll({ prefix: 'list/', readAhead: name !== LAZY }));
    });
    if (n !== keys.length) throw new Error(`${name} listed ${n} of ${keys.length}`);
    return { value: n / ((performance.now() - t) / 1000), cpu: cpuMicros / n };
  });
  console.log(`${keys.length} keys, ${PAGE} a page, ${values.rounds} interleaved rounds, medians${pageWork ? `; the loop waits ${pageWork} ms after each page` : ''}:`);
  for (const [name, r] of Object.entries(result)) {
    const sig = name.includes('V1') ? 'V1' : 'V4';
    const ali = (result as Partial<Record<string, (typeof result)[ClientName]>>)[`ali-oss ${sig}`];
    const ratio = ali && !name.startsWith('ali-oss') && name !== 'raw' ? `  ${(r.value.median / ali.value.median).toFixed(2)}× ali-oss ${sig}` : '';
    console.log(`  ${name.padEnd(36)} ${r.value.median.toFixed(0).padStart(7)} keys/s  ${r.cpu.median.toFixed(2).padStart(6)} µs/key${ratio}`);
  }
} finally {
  await server.stop();
}

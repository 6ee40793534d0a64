// How part size and parallelism change multipartUpload's speed: a 256 MiB body to the local
// server (its own process, in memory), with each request delayed by a simulated round trip.
// Median of 3 runs per cell. MiB/s = 2^20 bytes per second.
//
//   npx tsx bench/multipart-partsize.ts [--size MiB] [--rtt 0,50] [--part-sizes 1,2,4,8,16,32] [--parallel 2,4,8]
import { parseArgs } from 'node:util';
import { OSSClient } from '../src/index.js';
import { DEV_CREDENTIALS } from '../src/server/handler.js';
import { startChildServer } from './local-server.js';

const MiB = 1024 * 1024;
const list = (s: string) => s.split(',').map(Number);
const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '256' },
    rtt: { type: 'string', default: '0,50' },
    'part-sizes': { type: 'string', default: '1,2,4,8,16,32' },
    parallel: { type: 'string', default: '2,4,8' },
    runs: { type: 'string', default: '3' },
  },
});
const size = Number(values.size) * MiB;
const runs = Number(values.runs);
const body = new Blob([crypto.getRandomValues(new Uint8Array(64 * 1024))]);
const data = new Blob(Array.from({ length: size / body.size }, () => body));

const server = await startChildServer({ memory: true }, 'bench');
try {
  for (const rtt of list(values.rtt)) {
    const client = new OSSClient({
      endpoint: server.url, bucket: 'bench', ...DEV_CREDENTIALS,
      // A round trip before each request: what a far region costs per part.
      fetch: async (input, init) => {
        if (rtt) await new Promise((r) => setTimeout(r, rtt));
        return fetch(input, init);
      },
    });
    const parallels = list(values.parallel);
    console.log(`\n${values.size} MiB, round trip ${rtt} ms: MiB/s by part size (rows) and parallel (columns)`);
    console.log(`part MiB | ${parallels.map((p) => String(p).padStart(6)).join(' ')}`);
    for (const partMiB of list(values['part-sizes'])) {
      const cells: string[] = [];
      for (const parallel of parallels) {
        const speeds: number[] = [];
        for (let r = 0; r < runs; r++) {
          const t = performance.now();
          await client.multipartUpload('bench.bin', data, { partSize: partMiB * MiB, parallel });
          speeds.push(size / MiB / ((performance.now() - t) / 1000));
          await client.delete('bench.bin');
        }
        speeds.sort((a, b) => a - b);
        cells.push(speeds[runs >> 1]!.toFixed(0).padStart(6));
      }
      console.log(`${String(partMiB).padStart(8)} | ${cells.join(' ')}`);
    }
  }
} finally {
  await server.stop();
}

// Peak memory of a multipartUpload of a ReadableStream of unknown length (default 1 GiB) to the
// local server, which runs in its own process storing into a temporary directory (removed
// afterwards). The client's RSS is sampled every 10 ms; its growth over the baseline is what the
// upload costs, to compare with the parallel × partSize bound.
//
//   npx tsx --expose-gc bench/multipart-memory.ts [--size MiB] [--part-size MiB] [--parallel N]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { OSSClient } from '../src/index.js';
import { Crc64 } from '../src/core/crc64.js';
import { DEV_CREDENTIALS } from '../src/server/handler.js';
import { startChildServer } from './local-server.js';

const MiB = 1024 * 1024;
const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1024' },
    'part-size': { type: 'string', default: '8' },
    parallel: { type: 'string', default: '4' },
  },
});
const size = Number(values.size) * MiB;
const partSize = Number(values['part-size']) * MiB;
const parallel = Number(values.parallel);
const CHUNK = 64 * 1024;

/** `size` bytes in fresh 64 KiB chunks, as a file or network stream would hand them over. */
function generated(crc: Crc64): ReadableStream<Uint8Array> {
  const template = new Uint8Array(CHUNK);
  crypto.getRandomValues(template);
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close();
      const chunk = new Uint8Array(Math.min(CHUNK, size - sent));
      chunk.set(template.subarray(0, chunk.length));
      chunk[0] = sent / CHUNK; // every chunk differs a little
      crc.update(chunk);
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
}

const gc = (globalThis as { gc?: () => void }).gc;
const dir = await mkdtemp(join(tmpdir(), 'oss-fetch-mem-'));
const server = await startChildServer({ dir }, 'bench');
try {
  const client = new OSSClient({ endpoint: server.url, bucket: 'bench', ...DEV_CREDENTIALS });
  // Warm up: load modules, open a connection, compile the hashes.
  await client.multipartUpload('warmup.bin', new Uint8Array(3 * 100 * 1024), { partSize: 100 * 1024 });
  gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const crc = new Crc64();
  const started = performance.now();
  const result = await client.multipartUpload('big.bin', generated(crc), { partSize, parallel });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const head = await client.head('big.bin');
  const ok = head.res.headers['content-length'] === String(size) && result.crc64 === crc.toString();
  const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;
  console.log(`stream of ${mib(size)}, partSize ${mib(partSize)}, parallel ${parallel}: ${seconds.toFixed(1)} s, ${(size / MiB / seconds).toFixed(0)} MiB/s`);
  console.log(`client RSS: baseline ${mib(baseline)}, peak ${mib(peak)}, growth ${mib(peak - baseline)} (parallel × partSize = ${mib(parallel * partSize)})`);
  console.log(`object: ${head.res.headers['content-length']} bytes, ETag ${result.etag}, CRC-64 ${ok ? 'matches' : 'DIFFERS'}`);
  if (!ok) process.exitCode = 1;
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}

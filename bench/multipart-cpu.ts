// Client CPU per MiB of a managed multipart upload, only the variants asked for, in interleaved
// rounds against the local server in sink mode (its own process): the focused form of the
// multipart scenario of `npm run bench`, each upload in its own child (bench/upload-proc.ts).
// Prints the median ms/MiB of each variant and its ratio to ali-oss signing the same version.
//
//   npx tsx bench/multipart-cpu.ts [--size MiB] [--part-size MiB] [--parallel N] [--rounds N]
//     [--variants 'node-fetch V4,node-fetch-file V4,ali-oss V4,...'] [--prof dir]
// --steady-malloc runs every upload with glibc's heap trimming off (MALLOC_TRIM_THRESHOLD_): a
// stream of chunks (`node-fetch-chunks`) allocates a fresh 64 KiB chunk per read, and with trimming
// on, whether freed chunks go back to the OS (to be faulted in again) swung its cost from ~0.5 to
// ~4 ms/MiB between identical runs on a busy machine. The byte stream of the other stream variants
// is read into the parts' own buffers (`drain` measures producing it alone).
// A variant `kind sig@dir` runs dir/bench/upload-proc.ts: another checkout of the client, for
// before/after comparisons in one interleaved run.
// --prof passes --cpu-prof to each child, writing its profile into `dir`, and prints the top
// self time of its measured phase (the upload, not the module loading before it).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ossFetchClient } from './drivers.js';
import { startChildServer } from './local-server.js';
import { summarize } from './stats.js';
import { formatSummary, type CpuProfile } from './cpuprofile.js';
import { readFileSync } from 'node:fs';

const MiB = 1024 * 1024;
const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '512' },
    'part-size': { type: 'string', default: '8' },
    parallel: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
    variants: { type: 'string', default: 'node-fetch V4,node-fetch-file V4,ali-oss V4,node-fetch V1,node-fetch-file V1,ali-oss V1' },
    prof: { type: 'string' },
    'steady-malloc': { type: 'boolean', default: false },
  },
});
const sizeMiB = Number(values.size);
const variants = values.variants.split(',').map((v) => v.trim()).filter(Boolean);
const rounds = Number(values.rounds);
const BUCKET = 'bench';

async function run(variant: string, url: string, file: string): Promise<{ cpu: number; seconds: number; rss: number }> {
  const [what, tree] = variant.split('@');
  const [kind, sig = '-'] = what!.split(' ');
  const script = tree ? join(tree, 'bench/upload-proc.ts') : fileURLToPath(new URL('./upload-proc.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
  const profile = values.prof && join(values.prof, `${kind}-${sig}-${Date.now()}.cpuprofile`);
  const prof = profile ? ['--cpu-prof', `--cpu-prof-dir=${values.prof}`, `--cpu-prof-name=${profile.slice(values.prof!.length + 1)}`] : [];
  // Profiled, the upload runs in this child itself (tsx's CLI would run it in a grandchild).
  const args = [...prof, ...(prof.length ? ['--import', 'tsx'] : [tsx]), script, kind!, sig, url, BUCKET, String(sizeMiB * MiB), String(Number(values['part-size']) * MiB), values.parallel, file];
  const env = values['steady-malloc'] ? { ...process.env, MALLOC_TRIM_THRESHOLD_: String(2 ** 30) } : process.env;
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`${variant} exited with ${code}`);
  const r = JSON.parse(out.trim().split('\n').pop()!);
  if (profile) console.log(`${variant}, ${profile}\n${formatSummary(JSON.parse(readFileSync(profile, 'utf8')) as CpuProfile, 25, r.window)}\n`);
  return { cpu: r.cpuMicros / 1000 / sizeMiB, seconds: r.seconds, rss: (r.peakRss - r.baselineRss) / MiB };
}

const dir = await mkdtemp(join(tmpdir(), 'oss-fetch-mpcpu-'));
const server = await startChildServer({ sink: true }, BUCKET);
try {
  await ossFetchClient(server.url, BUCKET).putBucketACL(BUCKET, 'public-read-write');
  const file = join(dir, 'source.bin');
  const out = createWriteStream(file);
  const chunk = randomFillSync(new Uint8Array(MiB));
  for (let i = 0; i < sizeMiB; i++) if (!out.write(chunk.slice())) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  const cpu: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v, []]));
  const rss: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v, []]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(i + r) % variants.length]!;
      const m = await run(v, server.url, file);
      cpu[v]!.push(m.cpu);
      rss[v]!.push(m.rss);
      console.error(`[round ${r + 1}] ${v}: ${m.cpu.toFixed(2)} ms/MiB, ${(sizeMiB * MiB / 1e6 / m.seconds).toFixed(0)} MB/s, +${m.rss.toFixed(0)} MiB RSS`);
    }
  }
  for (const v of variants) {
    const s = summarize(cpu[v]!);
    const sig = v.split('@')[0]!.split(' ')[1];
    const ali = cpu[`ali-oss ${sig}`];
    const ratio = ali?.length ? ` (${(s.median / summarize(ali).median).toFixed(2)}× ali-oss ${sig})` : '';
    console.log(`${v.padEnd(20)} ${s.median.toFixed(2)} ms/MiB ±${((s.spread * 100) / 2).toFixed(0)}%${ratio}, peak RSS +${summarize(rss[v]!).median.toFixed(0)} MiB`);
  }
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}

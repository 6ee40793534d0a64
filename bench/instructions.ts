// Instructions per 1 KiB operation, counted by valgrind's callgrind: a count the VM's CPU-time
// noise does not move directly. Each contender runs the child of bench/profile.ts (warm-up, then
// the operations 32 in flight, against the sink server in its own process) under callgrind twice,
// with `--low` and `--high` operations; the difference divided by the difference in operations
// leaves out start-up and module loading. Read with care: V8 is still compiling at these counts
// (its optimizing compiler's reducers are among the top functions of a whole run, every thread
// counted), so the figure depends on --low and --high (unsigned node:http: 721 k per get from 300
// to 2,300 operations, 122 k from 2,000 to 6,000), and repeated runs moved by 1% (oss-fetch/node)
// to 35% (unsigned node:http). Kernel work is not counted (strace -c shows the same write and read
// count per operation for oss-fetch/node, ali-oss and raw node:http), and instructions are not time.
//   npx tsx bench/instructions.ts [--op get|put] [--clients 'oss-fetch/node V4,ali-oss V4,raw nodeFetch,raw node:http'] [--low 2000] [--high 6000] [--jobs 2]
// Needs valgrind (Debian's package). A run takes a few minutes: node runs ~50× slower under it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { seedSmallObjects, SMALL_BUCKET } from './small-fixture.js';
import { startChildServer } from './local-server.js';

const { values } = parseArgs({
  options: {
    op: { type: 'string', default: 'get' },
    clients: { type: 'string', default: 'oss-fetch/node V4,ali-oss V4,raw nodeFetch,raw node:http' },
    low: { type: 'string', default: '2000' },
    high: { type: 'string', default: '6000' },
    jobs: { type: 'string', default: '2' },
  },
});
const op = values.op === 'put' ? 'put' : 'get';
const low = Number(values.low), high = Number(values.high);
const root = fileURLToPath(new URL('..', import.meta.url));
const profileScript = fileURLToPath(new URL('./profile.ts', import.meta.url));

/** Instructions callgrind counted in one run of the profile child doing `ops` operations. */
async function counted(contender: string, url: string, ops: number, dir: string): Promise<number> {
  const out = join(dir, `${contender.replace(/[/ :]/g, '-')}-${ops}.out`);
  const args = ['--tool=callgrind', `--callgrind-out-file=${out}`, process.execPath, '--import', 'tsx', profileScript, '--child', contender, op, url, String(ops)];
  const proc = spawn('valgrind', args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (c: Buffer) => (err += c));
  const [code] = await once(proc, 'exit');
  const refs = /I\s+refs:\s+([\d,]+)/.exec(err)?.[1];
  if (code !== 0 || !refs) throw new Error(`callgrind run of ${contender} (${ops} ops) failed (exit ${code}):\n${err.slice(-2000)}`);
  return Number(refs.replace(/,/g, ''));
}

/** Run `tasks` at most `jobs` at a time. */
async function pooled<T>(tasks: Array<() => Promise<T>>, jobs: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: jobs }, async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  }));
  return results;
}

const server = await startChildServer({ sink: true }, SMALL_BUCKET);
const dir = await mkdtemp(join(tmpdir(), 'oss-fetch-callgrind-'));
try {
  await seedSmallObjects(server.url);
  const names = values.clients!.split(',').map((s) => s.trim());
  const runs = await pooled(names.flatMap((name) => [low, high].map((ops) => () => counted(name, server.url, ops, dir))), Number(values.jobs));
  const perOp = new Map(names.map((name, i) => [name, (runs[2 * i + 1]! - runs[2 * i]!) / (high - low)]));
  console.log(`1 KiB ${op}, 32 in flight, callgrind: instructions per operation ((${high} − ${low} ops) difference), ratio to ali-oss of the same signature`);
  for (const [name, n] of perOp) {
    const sig = / (V1|V4)$/.exec(name)?.[1];
    const ali = sig && !name.startsWith('ali-oss') ? perOp.get(`ali-oss ${sig}`) : undefined;
    console.log(`  ${name.padEnd(20)} ${(n / 1000).toFixed(0).padStart(6)} k${ali ? `  ${(n / ali).toFixed(2)}× ali-oss ${sig}` : ''}`);
  }
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}

// `npm run bench:profile`: the 1 KiB put/get scenario of `npm run bench` for one contender, each
// operation in its own process under `node --cpu-prof`, against the local server in sink mode
// (its own process), then the top self time by function and file from each .cpuprofile, over
// the timed operations only (start-up and warm-up left out).
//   npm run bench:profile -- [--client oss-fetch/node] [--sig V4] [--op put|get|both] [--ops 10000] [--keep DIR]
// --client: oss-fetch/node, oss-fetch, ali-oss, raw (unsigned fetch), 'raw nodeFetch' (unsigned,
// oss-fetch/node's transport alone), 'raw undici' (unsigned undici dispatch, the floor under
// oss-fetch/node) or 'raw node:http' (the floor under ali-oss); --keep writes the .cpuprofile files into DIR.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatSummary, type CpuProfile, type Window } from './cpuprofile.js';
import { CLIENTS, drivers, floorDrivers, isFloor, type ClientName, type Floor } from './drivers.js';
import { seedSmallObjects, SMALL_BODY as body, SMALL_BUCKET as BUCKET, SMALL_KEYS as KEYS } from './small-fixture.js';
import { startChildServer } from './local-server.js';
import { cpuDuring, opsPerSecond } from './stats.js';

type Contender = ClientName | Floor;
const IN_FLIGHT = 32;

/** In the profiled child: warm up, then `ops` operations 32 in flight; prints ops/s and CPU µs/op. */
async function child(contender: Contender, op: 'put' | 'get', url: string, ops: number): Promise<void> {
  const d = isFloor(contender) ? floorDrivers(url, BUCKET)[contender] : drivers(url, BUCKET)[contender];
  const run = (i: number) => (op === 'put' ? d.put(KEYS[i % KEYS.length]!, body) : d.get(KEYS[i % KEYS.length]!));
  await opsPerSecond(300, IN_FLIGHT, run);
  const now = () => Number(process.hrtime.bigint() / 1000n); // the profile's clock
  const from = now();
  const { result, cpuMicros } = await cpuDuring(() => opsPerSecond(ops, IN_FLIGHT, run));
  console.log(JSON.stringify({ opsPerSecond: result, cpuPerOp: cpuMicros / ops, window: { from, to: now() } }));
}

async function profiled(contender: string, op: string, url: string, ops: number, dir: string): Promise<{ opsPerSecond: number; cpuPerOp: number; window: Window; profile: CpuProfile }> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const script = fileURLToPath(import.meta.url);
  const args = ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '500', '--import', 'tsx', script, '--child', contender, op, url, String(ops)];
  const proc = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.on('data', (c: Buffer) => (out += c));
  const [code] = await once(proc, 'exit');
  if (code !== 0) throw new Error(`profiled ${contender} ${op} exited with ${code}`);
  const [file] = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
  return { ...JSON.parse(out.trim().split('\n').pop()!), profile };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      client: { type: 'string', default: 'oss-fetch/node' },
      sig: { type: 'string', default: 'V4' },
      op: { type: 'string', default: 'both' },
      ops: { type: 'string', default: '10000' },
      top: { type: 'string', default: '20' },
      keep: { type: 'string' },
    },
  });
  const contender = (values.client === 'raw' || isFloor(values.client!) ? values.client : `${values.client} ${values.sig}`) as Contender;
  if (!isFloor(contender) && !(CLIENTS as readonly string[]).includes(contender)) throw new Error(`unknown contender "${contender}": one of ${CLIENTS.join(', ')} (--client and --sig)`);
  const ops = values.op === 'both' ? ['put', 'get'] : [values.op!];
  if (!ops.every((o) => o === 'put' || o === 'get')) throw new Error('--op is put, get or both');
  const server = await startChildServer({ sink: true }, BUCKET);
  const work = await mkdtemp(join(tmpdir(), 'oss-fetch-profile-'));
  try {
    await seedSmallObjects(server.url);
    for (const op of ops) {
      const dir = join(work, op);
      const r = await profiled(contender, op, server.url, Number(values.ops), dir);
      console.log(`\n## ${contender}, 1 KiB ${op}, ${values.ops} ops ${IN_FLIGHT} in flight (sink server in its own process): ${r.opsPerSecond.toFixed(0)} ops/s, client CPU ${r.cpuPerOp.toFixed(0)} µs/op\n`);
      // Start-up and warm-up (module loading, tsx's compiling, JIT) are left out: only the timed operations count.
      console.log(formatSummary(r.profile, Number(values.top), r.window));
      if (values.keep) await cp(dir, join(values.keep, `${contender.replace(/[/ ]/g, '-')}-${op}`), { recursive: true });
    }
  } finally {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') await child(argv[1] as ClientName, argv[2] as 'put' | 'get', argv[3]!, Number(argv[4]));
else await main();

// A/B of oss-fetch/node's client CPU per 1 KiB get or put between two source trees (this one and
// another checkout, e.g. a `git worktree` of the commit before a change), in one process, against
// bench/canned-server.ts in its own process: 32 in flight, rounds alternating which goes first,
// each round's B/A ratio, and their median (pairedRatio). Finer than `npm run bench` for a change
// of a few per cent, because both trees meet the same machine at the same moment.
//   npx tsx bench/ab-node.ts --base ../wt-base [--op get|put] [--rounds 15] [--ops 4000]
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startListening } from './local-server.js';
import { cpuDuring, opsPerSecond, pairedRatio, summarize } from './stats.js';

const { values } = parseArgs({ options: {
  base: { type: 'string' }, op: { type: 'string', default: 'get' }, rounds: { type: 'string', default: '15' }, ops: { type: 'string', default: '4000' },
} });
if (!values.base) throw new Error('--base <another checkout> is required');
const here = fileURLToPath(new URL('..', import.meta.url));
const trees = { A: resolve(values.base), B: here };

const server = await startListening(['--import', 'tsx', fileURLToPath(new URL('canned-server.ts', import.meta.url))]);
try {
  const options = { endpoint: server.url, bucket: 'bench', accessKeyId: 'bench-access-key', accessKeySecret: 'bench-secret-key', region: 'cn-hangzhou' };
  const body = new Uint8Array(1024).fill(7);
  const ops: Record<'A' | 'B', () => Promise<unknown>> = { A: async () => {}, B: async () => {} };
  for (const name of ['A', 'B'] as const) {
    const { OSSClient } = await import(`${trees[name]}/src/adapters/node.ts`);
    const client = new OSSClient(options);
    ops[name] = values.op === 'put' ? () => client.put('k', body) : () => client.get('k');
  }
  const n = Number(values.ops);
  for (const name of ['A', 'B'] as const) await opsPerSecond(n, 32, ops[name]); // warm-up
  const cpu: Record<'A' | 'B', number[]> = { A: [], B: [] };
  for (let r = 0; r < Number(values.rounds); r++) {
    for (const name of r % 2 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
      const { cpuMicros } = await cpuDuring(() => opsPerSecond(n, 32, ops[name]));
      cpu[name].push(cpuMicros / n);
    }
  }
  const [a, b] = [summarize(cpu.A), summarize(cpu.B)];
  console.log(`1 KiB ${values.op}, 32 in flight, ${values.rounds} rounds × ${n}: client CPU µs/op (median)`);
  console.log(`  A ${trees.A}: ${a.median.toFixed(1)}`);
  console.log(`  B ${trees.B}: ${b.median.toFixed(1)}`);
  console.log(`  B ÷ A, median of the rounds' ratios: ${pairedRatio(cpu.B, cpu.A)!.toFixed(3)}`);
} finally {
  await server.stop();
}

// Client CPU per 1 KiB put or get (32 in flight, sink server), interleaved rounds, per contender:
// the focused measure behind the "1 KiB" rows of bench/run.ts.
// Usage: node --expose-gc --import tsx bench/small-ops.ts [--op get|put] [--ops 1500] [--rounds 7] [--clients 'oss-fetch/node V4,ali-oss V4']
// `raw node:http`, `raw undici` and `raw nodeFetch` among the clients add the floors: unsigned
// requests over node:http itself, undici's dispatcher itself, and oss-fetch/node's transport.
import { parseArgs } from 'node:util';
import { drivers, floorDrivers, type ClientName, type Floor } from './drivers.js';
import { seedSmallObjects, SMALL_BODY as body, SMALL_BUCKET as BUCKET, SMALL_KEYS as keys } from './small-fixture.js';
import { startChildServer } from './local-server.js';
import { opsPerSecond } from './stats.js';

const { values } = parseArgs({ options: {
  op: { type: 'string', default: 'get' }, ops: { type: 'string', default: '1500' }, rounds: { type: 'string', default: '7' },
  clients: { type: 'string', default: 'oss-fetch/node V4,oss-fetch V4,ali-oss V4' },
} });
const server = await startChildServer({ sink: true }, BUCKET);
try {
  await seedSmallObjects(server.url);
  const d = { ...drivers(server.url, BUCKET), ...floorDrivers(server.url, BUCKET) };
  type Name = ClientName | Floor;
  const names = values.clients!.split(',') as Name[];
  for (const name of names) if (!(name in d)) throw new Error(`unknown client "${name}": one of ${Object.keys(d).join(', ')}`);
  const op = (name: Name, i: number) => (values.op === 'put' ? d[name].put(keys[i % keys.length]!, body) : d[name].get(keys[i % keys.length]!));
  for (const name of names) await opsPerSecond(300, 32, (i) => op(name, i)); // warm-up
  const runs = new Map<string, number[]>(names.map((n) => [n, []]));
  const ops = Number(values.ops);
  for (let r = 0; r < Number(values.rounds); r++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(j + r) % names.length]!;
      (globalThis as { gc?: () => void }).gc?.();
      const before = process.cpuUsage();
      await opsPerSecond(ops, 32, (i) => op(name, i));
      const used = process.cpuUsage(before);
      runs.get(name)!.push((used.user + used.system) / ops);
    }
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  const ali = [...runs].find(([n]) => n.startsWith('ali-oss'));
  console.log(`1 KiB ${values.op} ×${ops}, 32 in flight, ${values.rounds} rounds: client CPU µs/op (median; min–max)`);
  for (const [name, m] of runs) {
    const ratio = ali ? ` ÷ ${ali[0]} ${(median(m) / median(ali[1])).toFixed(2)}×` : '';
    console.log(`  ${name.padEnd(20)} ${median(m).toFixed(0)}  (${Math.min(...m).toFixed(0)}–${Math.max(...m).toFixed(0)})${ratio}`);
  }
} finally {
  await server.stop();
}

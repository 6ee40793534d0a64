// Header-signing rate per contender (bench/micro.ts's signV1Rate / signV4Rate), interleaved
// rounds, CPU µs per signature: the focused measure behind the "sign" rows of bench/run.ts.
// Usage: npx tsx bench/sign-rate.ts [V1|V4] [rounds] [ms per round]
import { signV1Rate, signV4Rate, type Signer } from './micro.js';

const [sig = 'V1', roundsText = '7', msText = '300'] = process.argv.slice(2);
const who: Signer[] = ['oss-fetch/node', 'oss-fetch', 'ali-oss'];
const rate = sig === 'V4' ? signV4Rate : signV1Rate;
const runs = new Map<Signer, { value: number; cpu: number }[]>(who.map((w) => [w, []]));
for (const w of who) await rate(w, 100); // warm-up
for (let r = 0; r < Number(roundsText); r++) {
  for (let i = 0; i < who.length; i++) {
    const w = who[(i + r) % who.length]!;
    runs.get(w)!.push(await rate(w, Number(msText)));
  }
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const aliCpu = median(runs.get('ali-oss')!.map((m) => m.cpu));
console.log(`sign ${sig}: median of ${roundsText} rounds`);
for (const [w, m] of runs) {
  const cpu = median(m.map((x) => x.cpu));
  console.log(`  ${w.padEnd(16)} ${Math.round(median(m.map((x) => x.value)))} sig/s  ${cpu.toFixed(2)} µs/sig CPU  (CPU ÷ ali-oss ${(cpu / aliCpu).toFixed(2)}×)`);
}

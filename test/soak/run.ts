// `npm run soak`: the full-size soak (1,000 uploads, 16 workers, ~10% of requests faulted).
import { formatReport, runSoak } from './soak.js';

const seed = Number(process.env.SOAK_SEED ?? 7);
console.log(`soak: 1000 uploads, 16 workers, ~10% faults, seed ${seed}`);
const report = await runSoak({ uploads: 1000, workers: 16, seed });
console.log(formatReport(report));
for (const line of [...report.partialSeen, ...report.badAtEnd]) console.error(`  ${line}`);
if (report.partialSeen.length || report.badAtEnd.length) process.exit(1);
console.log('soak: ok');

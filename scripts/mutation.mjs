#!/usr/bin/env node
// `npm run mutation [group…]`: StrykerJS over the security- and integrity-critical modules, one
// group at a time (scripts/mutation-groups.mjs), then the mutation score per module:
// detected (killed or timed out) / (detected + survived + not covered). Reports land in
// reports/mutation/<group>.json (and Stryker's clear-text table with each survivor).
// Extra Stryker options pass through after `--`, e.g. `npm run mutation crc64 -- --concurrency 2`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { groups } from './mutation-groups.mjs';

const args = process.argv.slice(2);
const dash = args.indexOf('--');
const names = dash === -1 ? args : args.slice(0, dash);
const extra = dash === -1 ? [] : args.slice(dash + 1);
const unknown = names.filter((n) => !groups[n]);
if (unknown.length) {
  console.error(`unknown group: ${unknown.join(', ')}\ngroups: ${Object.keys(groups).join(' ')}`);
  process.exit(2);
}

const rows = [];
let failed = false;
for (const name of names.length ? names : Object.keys(groups)) {
  console.log(`\n=== mutation: ${name} ===`);
  const started = Date.now();
  const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs', ...extra], { stdio: 'inherit', env: { ...process.env, OSS_MUTATION_GROUP: name } });
  const report = `reports/mutation/${name}.json`;
  if (run.status !== 0 || !existsSync(report)) {
    failed = true;
    rows.push({ group: name, file: '(stryker failed)', minutes: (Date.now() - started) / 60_000 });
    continue;
  }
  for (const [file, { mutants }] of Object.entries(JSON.parse(readFileSync(report, 'utf8')).files)) {
    const count = (...statuses) => mutants.filter((m) => statuses.includes(m.status)).length;
    const detected = count('Killed', 'Timeout');
    const survived = count('Survived');
    const uncovered = count('NoCoverage');
    rows.push({ group: name, file, detected, survived, uncovered, score: (100 * detected) / Math.max(1, detected + survived + uncovered), minutes: (Date.now() - started) / 60_000 });
  }
}

console.log('\n=== mutation scores ===');
for (const r of rows) {
  if (r.score === undefined) console.log(`${r.group.padEnd(24)} ${r.file}`);
  else console.log(`${r.group.padEnd(24)} ${r.file.padEnd(36)} ${r.score.toFixed(1).padStart(5)} %  (${r.detected} detected, ${r.survived} survived, ${r.uncovered} not covered)`);
}
process.exit(failed ? 1 : 0);

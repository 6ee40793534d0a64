// Mutation testing of the security- and integrity-critical modules (StrykerJS + its vitest
// runner). One module group per Stryker run, each against only the tests that cover it:
// `npm run mutation [group…]` (scripts/mutation.mjs) sets OSS_MUTATION_GROUP; the groups are in
// scripts/mutation-groups.mjs. Not part of `npm test` (minutes per group).
import { groups } from './scripts/mutation-groups.mjs';

const name = process.env.OSS_MUTATION_GROUP;
const group = groups[name];
if (!group) throw new Error(`OSS_MUTATION_GROUP must be one of: ${Object.keys(groups).join(', ')}`);
process.env.OSS_MUTATION_TESTS = group.tests.join(',');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  mutate: group.mutate,
  coverageAnalysis: 'perTest',
  concurrency: 1,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['dist', 'reports', 'bench/results', 'coverage', '.oss-data'],
  cleanTempDir: 'always',
  timeoutMS: 10_000,
};

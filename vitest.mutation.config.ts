// The vitest run StrykerJS drives (`npm run mutation`, stryker.config.mjs): the project's test
// config, limited to the test files that cover the module group under mutation
// (OSS_MUTATION_TESTS, comma-separated), run one file at a time.
import { defineConfig } from 'vitest/config';
import base from './vite.config.js';

const files = (process.env.OSS_MUTATION_TESTS ?? '').split(',').filter(Boolean);
if (!files.length) throw new Error('OSS_MUTATION_TESTS is empty: run `npm run mutation` (scripts/mutation.mjs)');

export default defineConfig({ ...base, test: { ...base.test, include: files, exclude: [], fileParallelism: false } });

// The conformance suite in Node: `npx vitest run -c vitest.conformance.config.ts`.
import { defineConfig } from 'vitest/config';
import { conformanceConfig } from './test/conformance/vitest-base.js';

export default defineConfig(conformanceConfig('node', { environment: 'node' }));

// What the three vitest-run conformance configs share: the suite file, the server set up once,
// and the runtime's name handed to the suite.

import type { ViteUserConfig } from 'vitest/config';

export function conformanceConfig(runtime: string, test: NonNullable<ViteUserConfig['test']> = {}): ViteUserConfig {
  return {
    test: {
      include: ['test/conformance/conformance.test.ts'],
      globalSetup: ['test/conformance/global-setup.ts'],
      provide: { conformanceRuntime: runtime },
      testTimeout: 30_000,
      hookTimeout: 30_000,
      ...test,
    },
  };
}

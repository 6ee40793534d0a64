// The conformance suite under vitest: Node, happy-dom and Chromium (browser mode) each run this
// file; the runtime's name comes from its config's `provide`.

import { describe, inject, it } from 'vitest';
import { conformanceSuite, type ConformanceContext } from './suite.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by global-setup.ts. */
    conformance: Omit<ConformanceContext, 'runtime'>;
    /** Set by each config's `provide`. */
    conformanceRuntime: string;
  }
}

const runtime = inject('conformanceRuntime');

describe(`conformance (${runtime})`, () => {
  for (const t of conformanceSuite({ ...inject('conformance'), runtime })) it(t.name, t.fn);
});

// The conformance suite as one ES module for runtimes without vitest. Deno and Bun import it and
// call runConformance; workerd loads it as a Worker and POSTs the context to it.

import { runTests, type RunReport } from './harness.js';
import { conformanceSuite, type ConformanceContext } from './suite.js';

export type { RunReport } from './harness.js';

export function runConformance(ctx: ConformanceContext, log?: (line: string) => void): Promise<RunReport> {
  return runTests(ctx.runtime, conformanceSuite(ctx), log);
}

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST') return new Response('POST the conformance context as JSON', { status: 405 });
    const report = await runConformance((await request.json()) as ConformanceContext);
    return new Response(JSON.stringify(report), { headers: { 'content-type': 'application/json' } });
  },
};

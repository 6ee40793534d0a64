// vitest globalSetup of the conformance runs (Node, happy-dom, Chromium): use the server that
// `npm test` started (OSS_CONFORMANCE), or start one for this run.

import type { TestProject } from 'vitest/node';
import type { ConformanceContext } from './suite.js';
import { startConformanceServer } from './server.js';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.OSS_CONFORMANCE;
  if (given) {
    project.provide('conformance', JSON.parse(given) as Omit<ConformanceContext, 'runtime'>);
    return undefined;
  }
  const server = await startConformanceServer();
  project.provide('conformance', server.context);
  return () => server.close();
}

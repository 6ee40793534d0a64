// The soak at reduced size inside npm test (full size: `npm run soak`).
import { expect, it } from 'vitest';
import { runSoak } from '../soak/soak.js';

it('80 uploads from 8 workers under ~10% faults: all intact, nothing partial ever visible', async () => {
  const report = await runSoak({ uploads: 80, workers: 8, maxPutSize: 64_000, seed: 11 });
  expect(report.partialSeen).toEqual([]);
  expect(report.badAtEnd).toEqual([]);
  expect(report.faultsInjected).toBeGreaterThan(0);
  expect(report.retries).toBeGreaterThan(0);
  expect(report.multipart).toBeGreaterThan(0);
  expect(report.readerChecks).toBeGreaterThan(0);
}, 30_000);

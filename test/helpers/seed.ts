// Seeds for randomised tests: fixed by default so every run is the same, TEST_SEED to try
// another, and the seed printed when the test fails so that run can be replayed.
import { onTestFailed } from 'vitest';
import { rng } from './random.js';

/** A seeded generator for the running test (call it inside the test). */
export function seededRandom(defaultSeed: number): { seed: number; random: () => number } {
  const seed = process.env.TEST_SEED ? Number(process.env.TEST_SEED) : defaultSeed;
  onTestFailed(() => console.error(`[seed] this test ran with seed ${seed}; replay it with TEST_SEED=${seed}`));
  return { seed, random: rng(seed) };
}

/** An integer in [min, max] from `random`. */
export const between = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

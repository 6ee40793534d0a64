// The benchmark's ratio to ali-oss: the median of the rounds' own ratios, so a machine that runs
// faster in one round than in the next does not tilt the comparison (bench/stats.ts).
import { describe, expect, it } from 'vitest';
import { pairedRatio } from '../../bench/stats.js';

describe('pairedRatio', () => {
  it('is the median of round-by-round ratios, not the ratio of the medians', () => {
    // Round 2 ran on a slower machine for both: its pair says 0.8, the others 1.25 and 1.5.
    expect(pairedRatio([100, 400, 150], [80, 500, 100])).toBeCloseTo(1.25);
    expect(pairedRatio([2, 4], [1, 1])).toBe(3);
  });

  it('has no answer without a pair for every round', () => {
    expect(pairedRatio([1, 2], [1])).toBeUndefined();
    expect(pairedRatio([], [])).toBeUndefined();
    expect(pairedRatio([1, 2], [1, 0])).toBeUndefined();
  });
});

// The demo's speed readout (demo/speed.ts): after a resume, the parts the checkpoint already held
// are not bytes sent, so they do not count (issue 16: 88 → 55 → 36 MB/s shown at a real 6–9).
import { describe, expect, it } from 'vitest';
import { SpeedMeter } from '../../demo/speed.js';

const MB = 1_000_000;

describe('SpeedMeter', () => {
  it('counts only the bytes sent in this session after a resume', () => {
    // 80 MB were uploaded before; the SDK reports them as loaded within the first second, while
    // the session sends 8 MB per second.
    const meter = new SpeedMeter(80 * MB, 0);
    meter.update(40 * MB, 100);                       // skipped parts being confirmed
    expect(meter.update(84 * MB, 600)).toBeCloseTo((4 * MB) / 0.6, -3);
    expect(meter.update(92 * MB, 1600)).toBeCloseTo(0.6 * ((4 * MB) / 0.6) + 0.4 * 8 * MB, -3);
  });

  it('never counts the checkpoint bytes, however they arrive', () => {
    const meter = new SpeedMeter(80 * MB, 0);
    for (let t = 600, loaded = 0; t <= 6000; t += 600) {
      loaded = Math.min(80 * MB, loaded + 30 * MB) + Math.max(0, t - 2400) * 8000; // 8 MB/s once the skipped parts are in
      meter.update(loaded, t);
      expect(meter.bytesPerSecond).toBeLessThanOrEqual(8 * MB * 1.001);
    }
  });

  it('measures a fresh upload from zero and samples at most every interval', () => {
    const meter = new SpeedMeter(0, 0, 500);
    expect(meter.update(1 * MB, 400)).toBe(0);        // too soon: no sample yet
    expect(meter.update(5 * MB, 1000)).toBe(5 * MB);
    expect(meter.update(7 * MB, 2000)).toBeCloseTo(0.6 * 5 * MB + 0.4 * 2 * MB);
  });
});

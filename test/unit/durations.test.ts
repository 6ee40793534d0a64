// Durations: ali-oss's strings ('60s', '2m', '500ms') and numbers for every duration option, any
// length honoured (no 2^31 ms cap), 0/Infinity as "none" for timeouts, anything else refused.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OSSArgumentError, OSSClient } from '../../src/index.js';
import { parseDuration } from '../../src/core/duration.js';
import { startTimer } from '../../src/client/timer.js';
import { inProcessClient } from '../helpers/server.js';
import { thrownBy } from '../helpers/errors.js';

describe('parseDuration', () => {
  it('reads numbers and ali-oss duration strings as milliseconds', () => {
    expect(parseDuration(1500, 't')).toBe(1500);
    expect(parseDuration(Infinity, 't')).toBe(Infinity);
    expect(parseDuration('500ms', 't')).toBe(500);
    expect(parseDuration('60s', 't')).toBe(60_000);
    expect(parseDuration('2m', 't')).toBe(120_000);
    expect(parseDuration('1.5h', 't')).toBe(5_400_000);
    expect(parseDuration('1d', 't')).toBe(86_400_000);
    expect(parseDuration('2500', 't')).toBe(2500); // humanize-ms reads a bare number as ms
    expect(parseDuration(' 10 S ', 't')).toBe(10_000);
  });

  it('refuses anything else with the accepted forms named', () => {
    for (const bad of ['60 seconds', '2min', '1x', '', 's', '-5s', -1, NaN, null, {}, true]) {
      const err = thrownBy(() => parseDuration(bad, 'timeout'));
      expect(err, String(bad)).toBeInstanceOf(OSSArgumentError);
      expect((err as Error).message).toMatch(/"timeout".*"500ms", "60s", "2m"/);
    }
  });
});

describe('startTimer', () => {
  afterEach(() => vi.useRealTimers());

  it('honours delays past setTimeout\'s 2^31-1 ms by chaining, and never fires for Infinity', () => {
    vi.useFakeTimers();
    const fired: string[] = [];
    startTimer(2 ** 31 + 10, () => fired.push('long'));
    startTimer(Infinity, () => fired.push('never'));
    const cancelled = startTimer(2 ** 32, () => fired.push('cancelled'));
    vi.advanceTimersByTime(2 ** 31 - 1);
    expect(fired).toEqual([]);
    cancelled();
    vi.advanceTimersByTime(11);
    expect(fired).toEqual(['long']);
    vi.advanceTimersByTime(2 ** 33);
    expect(fired).toEqual(['long']);
  });
});

describe('client duration options', () => {
  const base = { accessKeyId: 'id', accessKeySecret: 'secret', region: 'cn-hangzhou' };

  it('accept ali-oss strings for timeout, idleTimeout, retryDelay, maxRetryDelay and refreshSTSTokenInterval', () => {
    const client = new OSSClient({ ...base, timeout: '60s', idleTimeout: '500ms', retryDelay: '1s', maxRetryDelay: '2m', refreshSTSTokenInterval: '5m' });
    expect(client.options).toMatchObject({ timeout: 60_000, idleTimeout: 500, retryDelay: 1000, maxRetryDelay: 120_000, refreshSTSTokenInterval: 300_000 });
    expect(new OSSClient(base).options.timeout).toBe(60_000);
    expect(new OSSClient({ ...base, timeout: 0 }).options.timeout).toBe(Infinity);
  });

  it('refuse other strings before anything is sent', () => {
    for (const name of ['timeout', 'idleTimeout', 'retryDelay', 'maxRetryDelay', 'refreshSTSTokenInterval']) {
      const err = thrownBy(() => new OSSClient({ ...base, [name]: '60 seconds' }));
      expect(err, name).toBeInstanceOf(OSSArgumentError);
      expect(err).toMatchObject({ argument: name });
    }
    expect(thrownBy(() => new OSSClient({ ...base, retryDelay: Infinity }))).toBeInstanceOf(OSSArgumentError);
  });

  it('a timeout of 2^31 ms or more, Infinity or 0 lets requests run (no instant TimeoutError, no overflow warning)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      for (const timeout of [2 ** 31, 2 ** 40, Infinity, 0, '30d']) {
        const { client } = inProcessClient({ buckets: ['durations'] }, { bucket: 'durations', timeout });
        await client.put('a.txt', 'hello');
        expect(new TextDecoder().decode((await client.get('a.txt', { timeout })).content), String(timeout)).toBe('hello');
      }
      await new Promise((r) => setTimeout(r, 10)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });

  it('a per-call timeout takes a duration string, and refuses a bad one', async () => {
    const { client } = inProcessClient({ buckets: ['durations-call'] }, { bucket: 'durations-call' });
    await client.put('b.txt', 'x', { timeout: '10s' });
    await expect(client.get('b.txt', { timeout: 'soon' as never })).rejects.toBeInstanceOf(OSSArgumentError);
  });
});

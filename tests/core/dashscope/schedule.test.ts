import { describe, expect, it } from 'vitest';
import {
  RUNNING_POLLING,
  backoffDelayMs,
  formatBeijingCompact,
  formatBeijingTimestamp,
  parseBeijingTime,
  pollDelayMs,
  pollTimesMs,
} from '../../../electron/core/dashscope';

describe('polling schedule', () => {
  it('follows the SDK cadence: 0, 1, 2, 4, 6, 8, 12, 16, 20, 25 s', () => {
    expect(pollTimesMs(10)).toEqual([0, 1000, 2000, 4000, 6000, 8000, 12000, 16000, 20000, 25000]);
  });

  it('caps the interval at 5 s however many polls', () => {
    expect(pollDelayMs(1_000_000)).toBe(5000);
  });

  it('keeps about one poll a second while running', () => {
    expect([1, 3, 9, 100].map((n) => pollDelayMs(n, RUNNING_POLLING))).toEqual([
      1000, 1000, 1000, 1000,
    ]);
  });
});

describe('backoff with full jitter', () => {
  it('draws uniformly below an exponential ceiling', () => {
    const top = () => 0.999999;
    expect([0, 1, 2, 3].map((attempt) => backoffDelayMs(attempt, { random: top }))).toEqual([
      999, 1999, 3999, 7999,
    ]);
    expect(backoffDelayMs(5, { random: () => 0.5 })).toBe(16000);
    expect(backoffDelayMs(3, { random: () => 0 })).toBe(0);
  });

  it('never exceeds maxMs, even for absurd attempts or a bad random source', () => {
    expect(backoffDelayMs(200, { random: () => 0.999, maxMs: 30_000 })).toBeLessThanOrEqual(30_000);
    expect(backoffDelayMs(2, { random: () => 7 })).toBe(4000);
    expect(backoffDelayMs(-3, { random: () => 0.5 })).toBe(500);
  });
});

describe('Beijing time', () => {
  const instant = new Date(Date.UTC(2024, 7, 19, 12, 1, 35, 371));

  it('writes the task list window in UTC+8', () => {
    expect(formatBeijingCompact(instant)).toBe('20240819200135');
    expect(formatBeijingCompact(new Date(Date.UTC(2024, 11, 31, 20, 0, 0)))).toBe('20250101040000');
  });

  it('reads task times as UTC+8 and epoch ms as instants', () => {
    expect(parseBeijingTime('2024-08-19 20:01:35.371')?.toISOString()).toBe(instant.toISOString());
    expect(parseBeijingTime(formatBeijingTimestamp(instant))?.getTime()).toBe(instant.getTime());
    expect(parseBeijingTime(instant.getTime())?.getTime()).toBe(instant.getTime());
    expect(parseBeijingTime('xxx')).toBeNull();
    expect(parseBeijingTime(undefined)).toBeNull();
  });
});

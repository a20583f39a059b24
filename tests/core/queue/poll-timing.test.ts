import { describe, expect, it } from 'vitest';
import { createPollTiming } from '../../../electron/core/queue/poll-timing';

const options = { pollMs: 1000, tightPollMs: 50 };

describe('when the engine asks about a running task', () => {
  it('on the grid while nothing is measured', () => {
    const timing = createPollTiming(options);
    expect(timing.nextPollAt(10_000, null)).toBe(11_000);
    expect(timing.expectedEnd(new Date(5000), null)).toBeNull();
    expect(timing.expectedEnd(null, 2000)).toBeNull();
  });

  it('at the expected end less half a round trip, never later than the interval', () => {
    const timing = createPollTiming(options);
    for (const ms of [180, 200, 220]) timing.noteRoundTrip(ms);
    // The task ends at 10 400 here: ask at 10 300, so the query arrives as it ends.
    expect(timing.nextPollAt(10_000, 10_400)).toBe(10_300);
    // An end far away: the interval first.
    expect(timing.nextPollAt(10_000, 20_000)).toBe(11_000);
  });

  it('past the expected end: tightly at first, less often the longer the task overruns', () => {
    const timing = createPollTiming(options);
    expect(timing.nextPollAt(10_000, 10_000)).toBe(10_050);
    expect(timing.nextPollAt(12_000, 10_000)).toBe(12_500);
    expect(timing.nextPollAt(30_000, 10_000)).toBe(31_000);
  });

  it('corrects the service clock from the submits: the start it reports is read on this clock', () => {
    const timing = createPollTiming(options);
    timing.noteRoundTrip(100);
    // The service's clock runs 3 s ahead. A submit sent at 1000, answered at 1400 (a
    // 300 ms upload), was stamped at 1350 here, i.e. 4350 there.
    timing.noteSubmit('t1', 1000, 1400);
    timing.noteSubmitTime('t1', new Date(4350));
    // Bounds [4350-1400, 4350-1000] = [2950, 3350]; estimate 2950 + 50.
    expect(timing.offsetMs()).toBe(3000);
    // A task that started at 9000 there (6000 here) and runs 2 s ends at 8000 here.
    expect(timing.expectedEnd(new Date(9000), 2000)).toBe(8000);
  });

  it('narrows the clock bounds over submits and trusts the newest when they disagree', () => {
    const timing = createPollTiming(options);
    timing.noteSubmit('a', 0, 500);
    timing.noteSubmitTime('a', new Date(3400)); // [2900, 3400]
    timing.noteSubmit('b', 10_000, 10_100);
    timing.noteSubmitTime('b', new Date(13_050)); // [2950, 3050]
    expect(timing.offsetMs()).toBe(2950);
    // The clock was stepped by a minute: the bounds no longer meet.
    timing.noteSubmit('c', 20_000, 20_100);
    timing.noteSubmitTime('c', new Date(80_050)); // [59 950, 60 050]
    expect(timing.offsetMs()).toBe(59_950);
    // A submit time for a task this engine did not send is no sample.
    timing.noteSubmitTime('unknown', new Date(0));
    expect(timing.offsetMs()).toBe(59_950);
  });
});

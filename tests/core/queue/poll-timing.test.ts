import { describe, expect, it } from 'vitest';
import { createPollTiming } from '../../../electron/core/queue/poll-timing';

const options = { pollMs: 1000, tightPollMs: 50 };

/** A task query's answer as the client parses it (times on the service's clock). */
const answer = (
  taskId: string,
  status: string,
  times: { submit?: number; scheduled?: number; end?: number } = {},
) => ({
  taskId,
  status,
  submitTime: times.submit === undefined ? null : new Date(times.submit),
  scheduledTime: times.scheduled === undefined ? null : new Date(times.scheduled),
  endTime: times.end === undefined ? null : new Date(times.end),
});

describe('when the engine asks about a running task', () => {
  it('on the grid while nothing is measured', () => {
    const timing = createPollTiming(options);
    expect(timing.nextPollAt(10_000, null)).toBe(11_000);
    expect(timing.expectedEnd(new Date(5000), null)).toBeNull();
    expect(timing.expectedEnd(null, 2000)).toBeNull();
    expect(timing.offsetMs()).toBe(0);
  });

  it('at the expected end less half a round trip, never later than the interval', () => {
    const timing = createPollTiming(options);
    for (const [at, ms] of [
      [0, 180],
      [1000, 200],
      [2000, 220],
    ] as const)
      timing.noteAnswer(answer('x', 'RUNNING'), at, at + ms);
    expect(timing.roundTripMs()).toBe(200);
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

  it('bounds the service clock by a submit, leaning early', () => {
    const timing = createPollTiming(options);
    // The service's clock runs 3 s ahead. A submit sent at 1000, answered at 1400 (a
    // 300 ms upload, then 100 ms to answer), stamped at 1300 here, i.e. 4300 there.
    timing.noteSubmit('t1', 1000, 1400);
    // Its first query (sent at 1450, answered at 1550: round trip 100) brings submit_time.
    timing.noteAnswer(answer('t1', 'PENDING', { submit: 4300 }), 1450, 1550);
    // Bounds [4300-1400, 4300-1000] = [2900, 3300]: half a round trip below the top.
    expect(timing.offsetMs()).toBe(3250);
    // A task that started at 9000 there and runs 2 s ends at 11 000 - 3250 here.
    expect(timing.expectedEnd(new Date(9000), 2000)).toBe(7750);
  });

  it('queries around a start and an end narrow it to what they bracket', () => {
    const timing = createPollTiming(options);
    timing.noteSubmit('t', 0, 1000);
    timing.noteAnswer(answer('t', 'PENDING', { submit: 3500 }), 1000, 1020); // [2500, 3500]
    // Still waiting when asked at 1900; running when asked at 1950 (answered 1970) from 4930.
    timing.noteAnswer(answer('t', 'PENDING', { submit: 3500 }), 1900, 1920);
    timing.noteAnswer(answer('t', 'RUNNING', { submit: 3500, scheduled: 4930 }), 1950, 1970);
    // [4930-1970, 4930-1900] = [2960, 3030]; with the submit's: the same.
    // Still running at 3950; ended at 6990 there, answered 4010 here: [2980, 3040].
    timing.noteAnswer(answer('t', 'RUNNING', { scheduled: 4930 }), 3950, 3970);
    timing.noteAnswer(answer('t', 'SUCCEEDED', { scheduled: 4930, end: 6990 }), 3990, 4010);
    // Intersection [2980, 3030]; round trip 20: 3030 - 10.
    expect(timing.offsetMs()).toBe(3020);
  });

  it('starts again from the newest bounds when the clock was stepped', () => {
    const timing = createPollTiming(options);
    timing.noteSubmit('a', 0, 100);
    timing.noteAnswer(answer('a', 'PENDING', { submit: 3050 }), 100, 100); // [2950, 3050]
    timing.noteSubmit('c', 20_000, 20_100);
    timing.noteAnswer(answer('c', 'PENDING', { submit: 80_050 }), 20_100, 20_100); // [59 950, 60 050]
    expect(timing.offsetMs()).toBe(60_050);
    // A submit time for a task this engine did not send is no bound.
    timing.noteAnswer(answer('unknown', 'PENDING', { submit: 0 }), 20_200, 20_200);
    expect(timing.offsetMs()).toBe(60_050);
  });
});

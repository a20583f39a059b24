import { afterEach, describe, expect, it } from 'vitest';
import { maxInAnyWindow } from '../../support/mock-dashscope/sliding-window';
import { photoDataUri, startRig, type Rig } from './fixtures';

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.mock.close();
  rig = null;
});

describe('the mock DashScope itself', () => {
  it('counts the busiest sliding second', () => {
    expect(maxInAnyWindow([0, 100, 999, 1000, 1500, 1999])).toBe(3);
    expect(maxInAnyWindow([])).toBe(0);
  });

  it('allows 2 submits in any sliding second, not per calendar second', async () => {
    rig = await startRig();
    const photo = await photoDataUri();
    const submit = () =>
      rig!.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 }).then(
        () => 'ok',
        () => '429',
      );
    const outcomes: string[] = [];
    outcomes.push(await submit()); // t=0
    rig.clock.advance(900);
    outcomes.push(await submit()); // t=900
    rig.clock.advance(200);
    outcomes.push(await submit()); // t=1100: 900 still in the window -> ok (2 in (100,1100])
    rig.clock.advance(100);
    outcomes.push(await submit()); // t=1200: 900 and 1100 in the window -> 429
    expect(outcomes).toEqual(['ok', 'ok', 'ok', '429']);
    const stats = rig.mock.stats();
    expect(stats.maxAcceptedSubmitsInAnySecond).toBe(2);
    expect(stats.maxSubmitsInAnySecond).toBe(3);
  });

  it('queues tasks beyond the concurrency as PENDING and runs them one at a time', async () => {
    rig = await startRig({ taskMs: 1000, pendingMs: 0 });
    const photo = await photoDataUri();
    const a = await rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 });
    const b = await rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 1 });
    rig.clock.advance(500);
    expect((await rig.client.getTask(a.taskId)).status).toBe('RUNNING');
    expect((await rig.client.getTask(b.taskId)).status).toBe('PENDING');
    rig.clock.advance(600);
    expect((await rig.client.getTask(a.taskId)).status).toBe('SUCCEEDED');
    expect((await rig.client.getTask(b.taskId)).status).toBe('RUNNING');
    rig.clock.advance(1000);
    const done = await rig.client.getTask(b.taskId);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.endTime!.getTime() - done.scheduledTime!.getTime()).toBe(1000);
    const stats = rig.mock.stats();
    expect(stats.maxRunningByModel['wanx-style-repaint-v1']).toBe(1);
    expect(stats.maxInFlight).toBe(2);
    expect(stats.totals.paidImages).toBe(2);
    expect(stats.duplicatePaidImages).toHaveLength(1); // the same photo was paid for twice
  });

  it('rejects tasks beyond the concurrency when configured so', async () => {
    rig = await startRig({ overConcurrency: 'reject' });
    const photo = await photoDataUri();
    await rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 });
    await expect(
      rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 1 }),
    ).rejects.toMatchObject({
      apiCode: 'Throttling',
      httpStatus: 429,
    });
  });

  it('throttles more than 20 queries in a second', async () => {
    rig = await startRig();
    const results = await Promise.allSettled(
      Array.from({ length: 21 }, () => rig!.client.getTask('abc')),
    );
    expect(results.filter((result) => result.status === 'rejected')).toHaveLength(1);
    expect(rig.mock.stats().maxQueriesInAnySecond).toBe(21);
  });

  it('is driven over /__admin: faults, config, stats, down and up', async () => {
    rig = await startRig();
    const admin = (path: string, body?: unknown) =>
      fetch(`${rig!.mock.url}/__admin/${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then((res) => res.json() as Promise<Record<string, unknown>>);
    expect(
      await admin('faults', { failQueries: { count: 1, status: 401, code: 'InvalidApiKey' } }),
    ).toEqual({ ok: true });
    expect(await rig.client.checkKey()).toMatchObject({ valid: false, code: 'api_key_invalid' });
    expect(await admin('faults', { nonsense: true })).toHaveProperty('error');
    await admin('config', { taskMs: 10 });
    await admin('down', { mode: 'reset' });
    expect(await rig.client.checkKey()).toMatchObject({ valid: false, code: 'network_offline' });
    await admin('up', {});
    expect(await rig.client.checkKey()).toMatchObject({ valid: true });
    const stats = await admin('stats');
    expect(stats.totals).toMatchObject({ queries: 2 }); // the one sent while down never arrived;
  });
});

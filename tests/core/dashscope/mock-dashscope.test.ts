import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockDashScope } from '../../support/mock-dashscope';
import { maxInAnyWindow } from '../../support/mock-dashscope/sliding-window';
import { photoDataUri, startRig, type Rig } from './fixtures';

/** A raw API call (the client would retry a 429): when it was sent, how long its answer took. */
async function timedCall(
  origin: string,
  path: string,
  body?: unknown,
): Promise<{ sent: number; tookMs: number; status: number; json: Record<string, unknown> }> {
  const sent = Date.now();
  const res = await fetch(`${origin}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      Authorization: 'Bearer sk-mock-valid-key',
      'X-DashScope-Async': 'enable',
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const tookMs = Date.now() - sent;
  const json = res.headers.get('content-type')?.includes('json')
    ? (JSON.parse(text) as Record<string, unknown>)
    : {};
  return { sent, tookMs, status: res.status, json };
}

const repaintBody = (image: string, styleIndex = 0) => ({
  model: 'wanx-style-repaint-v1',
  input: { image_url: image, style_index: styleIndex },
});
const SUBMIT_PATH = '/api/v1/services/aigc/image-generation/generation';
/** Date.now() rounds to the millisecond; a timer never fires early. */
const TICK = 2;

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

  it('refuses a task sent while the slot is taken as a stricter account does, and counts it', async () => {
    rig = await startRig({ overConcurrency: 'reject', taskMs: 1000, pendingMs: 0 });
    const photo = await photoDataUri();
    const submit = (styleIndex: number) =>
      rig!.client.submitStyleRepaint({ imageDataUri: photo, styleIndex });
    await submit(0);
    rig.clock.advance(999); // still RUNNING
    await expect(submit(1)).rejects.toMatchObject({
      apiCode: 'Throttling.AllocationQuota',
      httpStatus: 429,
      message: expect.stringContaining(
        'Allocated quota exceeded, please increase your quota limit.',
      ) as unknown,
    });
    rig.clock.advance(1); // ended: the slot is free though nothing asked since
    await submit(2);
    rig.mock.configure({ rejectCode: 'Throttling', taskMs: 5000 });
    rig.clock.advance(1100); // past the rate window, the third task still running
    await expect(submit(3)).rejects.toMatchObject({
      apiCode: 'Throttling',
      message: expect.stringContaining('Requests throttling triggered.') as unknown,
    });
    const stats = rig.mock.stats();
    expect(stats.refusedSubmits).toBe(2);
    expect(stats.totals.acceptedSubmits).toBe(2);
    expect(stats.maxInFlight).toBe(1);
  });

  it("measures each model's slot utilisation from its tasks' running time", async () => {
    rig = await startRig({ taskMs: 1000, pendingMs: 0 });
    const photo = await photoDataUri();
    await rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 }); // runs 0-1000
    rig.clock.advance(1500);
    await rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 1 }); // 1500-2500
    await rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 2 }); // queued: 2500-3500
    const edit = { baseImageDataUri: photo, function: 'stylization_all', prompt: 'ink' } as const;
    await rig.client.submitImageEdit(edit); // two slots: 1500-2500 each
    await rig.client.submitImageEdit(edit);
    rig.clock.advance(1500); // at 3000: the third repaint is still running, not counted
    expect(rig.mock.stats().slotUtilisation).toEqual({
      'wanx-style-repaint-v1': 2000 / 2500,
      'wanx2.1-imageedit': 1,
    });
    rig.clock.advance(500);
    expect(rig.mock.stats().slotUtilisation['wanx-style-repaint-v1']).toBe(3000 / 3500);
  });

  it('delays every API answer by the latency set over /__admin/config, half on the way in', async () => {
    const mock = await createMockDashScope({ taskMs: 0, pendingMs: 0 });
    try {
      const config = await fetch(`${mock.url}/__admin/config`, {
        method: 'POST',
        body: JSON.stringify({ latencyMs: 300 }),
      });
      expect(config.status).toBe(200);
      const photo = await photoDataUri();
      const submit = await timedCall(mock.url, SUBMIT_PATH, repaintBody(photo));
      expect(submit.status).toBe(200);
      const taskId = (submit.json.output as { task_id: string }).task_id;
      const task = await timedCall(mock.url, `/api/v1/tasks/${taskId}`);
      const output = task.json.output as { task_status: string; result_url: string };
      expect(output.task_status).toBe('SUCCEEDED');
      const list = await timedCall(mock.url, '/api/v1/tasks?page_size=10');
      const cancel = await timedCall(mock.url, `/api/v1/tasks/${taskId}/cancel`, {});
      expect(cancel.status).toBe(400); // not PENDING: refused, still a round trip
      const download = await timedCall(output.result_url, '');
      expect(download.status).toBe(200);
      for (const call of [submit, task, list, cancel, download])
        expect(call.tookMs).toBeGreaterThanOrEqual(300 - TICK);
      // The mock saw each request half a round trip after it left.
      const stats = mock.stats();
      const arrivals = [stats.submits[0], ...stats.queries, stats.downloads.at(-1)];
      const sent = [submit, task, list, cancel, download].map((call) => call.sent);
      expect(arrivals).toHaveLength(5);
      arrivals.forEach((record, i) =>
        expect(record!.at - sent[i]!).toBeGreaterThanOrEqual(150 - TICK),
      );
      const bad = await fetch(`${mock.url}/__admin/config`, {
        method: 'POST',
        body: JSON.stringify({ latencyMs: -1, rejectCode: 'Nonsense' }),
      });
      expect(bad.status).toBe(400);
    } finally {
      await mock.close();
    }
  });

  it('runs standalone with --latency-ms, --over-concurrency reject and --reject-code', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, '../../support/mock-dashscope/cli.ts'),
        '--port',
        '0',
        '--task-ms',
        '60000',
        '--latency-ms',
        '200',
        '--over-concurrency',
        'reject',
        '--reject-code',
        'Throttling',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const lines = createInterface({ input: child.stdout });
      const [first] = (await once(lines, 'line')) as [string];
      const { url } = JSON.parse(first) as { url: string };
      const photo = await photoDataUri();
      const accepted = await timedCall(url, SUBMIT_PATH, repaintBody(photo, 0));
      const refused = await timedCall(url, SUBMIT_PATH, repaintBody(photo, 1));
      expect(accepted.status).toBe(200);
      expect(refused).toMatchObject({
        status: 429,
        json: { code: 'Throttling', message: 'Requests throttling triggered.' },
      });
      for (const call of [accepted, refused])
        expect(call.tookMs).toBeGreaterThanOrEqual(200 - TICK);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'close');
    }
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

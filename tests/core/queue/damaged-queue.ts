// Real damaged queue files for the recovery tests: a queue with tasks in
// flight at the mock, written by the real engine, then garbage written over
// some of its pages on disk.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { hashFile } from '../../../electron/core/intake/hash';
import { openDb } from '../../../electron/core/db/sqlite';
import type { Recipe } from '../../../shared/recipe';
import type { MockDashScope } from '../../support/mock-dashscope';
import { createBatch, makePhotos, startEngineRig, until, type TestPhoto } from './rig';

export const PROMPT_RECIPE: Recipe = {
  kind: 'prompt',
  prompt: 'a watercolor painting',
  function: 'stylization_all',
  variants: 1,
};
export const PROMPT_KEY = 'prompt:stylization_all:1::a watercolor painting';

export interface QueueInFlight {
  file: string;
  /** Two real photos: [0] sent with its answer lost (`submitting`), [1] running at the mock. */
  photos: TestPhoto[];
  submittingJobId: string;
  runningJobId: string;
  runningTaskId: string;
  /** A batch of 60 photos never started (awaiting the quote's confirmation); null without `waiting`. */
  waitingBatchId: string | null;
}

/**
 * `<dir>/queue.sqlite` written by the real engine against `mock`: a batch of
 * 60 photos waiting for its quote (unless `waiting` is false), then one photo whose submit created its
 * task at the mock but lost the answer (the job stays `submitting`), then one
 * photo of the other model running at the mock with its task id recorded.
 * The engine is then stopped and the file closed (checkpointed, no WAL left).
 * The mock's tasks should outlive this (`taskMs` of a few seconds).
 */
export async function queueWithTasksInFlight(
  dir: string,
  mock: MockDashScope,
  { waiting = true }: { waiting?: boolean } = {},
): Promise<QueueInFlight> {
  // imageedit wants at least 512 px a side.
  const big = join(dir, 'inflight-big.jpg');
  await sharp({ create: { width: 640, height: 640, channels: 3, background: '#3a6' } })
    .jpeg()
    .toFile(big);
  const photos = [
    ...(await makePhotos(dir, 1, 'inflight')),
    { path: big, hash: await hashFile(big) },
  ];
  // An unanswered submit is reconciled only after this: it stays `submitting` here.
  const rig = await startEngineRig(dir, { mock, options: { reconcileDelayMs: 600_000 } });
  try {
    rig.engine.start();
    // As a queue of an earlier Restyle left it: its batches waited for the quote's confirmation.
    const waitingBatch = waiting
      ? rig.store.createBatch({
          jobs: Array.from({ length: 60 }, (_, i) => ({
            path: join(dir, 'album', `IMG_${String(i).padStart(4, '0')}.jpg`),
            hash: createHash('sha256').update(`waiting ${i}`).digest('hex'),
            folder: 'album',
          })),
          recipe: { kind: 'preset', styleIndex: 1 },
          state: 'paused',
          pauseReason: 'awaiting_start',
        })
      : null;
    mock.inject({ dropSubmits: { count: 1, when: 'after' } });
    const sent = (
      await createBatch(rig, [photos[0] as TestPhoto], { kind: 'preset', styleIndex: 2 })
    ).batch;
    const submitting = () => rig.store.listJobs(sent.id).jobs[0];
    await until(
      () => submitting()?.state === 'submitting' && submitting()?.error !== null,
      15_000,
      'a submit whose answer was lost',
    );
    const running = (await createBatch(rig, [photos[1] as TestPhoto], PROMPT_RECIPE)).batch;
    const runningJob = () => rig.store.listJobs(running.id).jobs[0];
    await until(() => Boolean(runningJob()?.taskId), 15_000, 'a task running at the mock');
    return {
      file: join(dir, 'queue.sqlite'),
      photos,
      submittingJobId: submitting()?.id as string,
      runningJobId: runningJob()?.id as string,
      runningTaskId: runningJob()?.taskId as string,
      waitingBatchId: waitingBatch?.id ?? null,
    };
  } finally {
    await rig.close();
  }
}

/** The pages of a table's b-tree, in key order (dbstat), and the page size. */
export function pagesOf(
  file: string,
  table: string,
): { leaves: number[]; interior: number[]; pageSize: number } {
  const db = openDb(file);
  try {
    const pages = db.all<{ pageno: number; pagetype: string }>(
      'SELECT pageno, pagetype FROM dbstat WHERE name = ? ORDER BY path',
      table,
    );
    return {
      leaves: pages.filter((p) => p.pagetype === 'leaf').map((p) => p.pageno),
      interior: pages.filter((p) => p.pagetype === 'internal').map((p) => p.pageno),
      pageSize: Number(db.pragma('page_size')),
    };
  } finally {
    db.close();
  }
}

/** Writes the same pseudo-random garbage over each page (1-based page numbers), as a bad sector or a torn write would. */
export function writeGarbage(file: string, pages: readonly number[], pageSize: number): void {
  let seed = 0x9e3779b9;
  const garbage = Buffer.alloc(pageSize);
  for (let i = 0; i < pageSize; i += 1) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    garbage[i] = seed & 0xff;
  }
  const fd = openSync(file, 'r+');
  try {
    for (const page of pages) writeSync(fd, garbage, 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}

export const sha256Of = (file: string): string =>
  createHash('sha256').update(readFileSync(file)).digest('hex');

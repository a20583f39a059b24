// The window's API seam for store tests: the contract with scripted answers,
// every call recorded, and events emitted as main would. The store is real.
import type { EventName, InvokeChannel, RestyleApi } from '../../../shared/contract';
import {
  JOB_STATES,
  type BatchView,
  type JobState,
  type JobView,
  type Quote,
} from '../../../shared/contract/jobs';
import type { PhotoRecord, PhotoStatus } from '../../../shared/photos';
import { recipeKey, recipeModel, type Recipe } from '../../../shared/recipe';
import { ok, type Result } from '../../../shared/result';

export type Answer = (payload: unknown) => Result<unknown> | Promise<Result<unknown>>;

export function fakeApi(answers: Partial<Record<InvokeChannel, Answer>>) {
  const listeners = new Map<string, Array<(payload: unknown) => void>>();
  const calls: Array<{ channel: InvokeChannel; payload: unknown }> = [];
  const api = {
    invoke: async (channel: InvokeChannel, payload: unknown) => {
      calls.push({ channel, payload });
      const answer = answers[channel];
      return answer ? answer(payload) : ok(null);
    },
    on: (name: EventName, listener: (payload: unknown) => void) => {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
      return () => undefined;
    },
    thumbnailUrl: (hash: string, size: string) => `thumb:${hash}:${size}`,
    resultUrl: (id: string) => `result:${id}`,
    pathForFile: () => null,
  } as unknown as RestyleApi; // the generic signatures are checked where the store calls them
  const emit = (name: EventName, payload: unknown) =>
    listeners.get(name)?.forEach((listener) => listener(payload));
  const channels = () => calls.map((c) => c.channel);
  return { api, emit, calls, channels };
}

export const SCAN = '00000000-0000-4000-8000-000000000001';
export const SCAN_2 = '00000000-0000-4000-8000-000000000002';

export const record = (
  i: number,
  status: PhotoStatus = 'ready',
  size: { width: number; height: number } = { width: 800, height: 600 },
): PhotoRecord => ({
  id: `p${i}`,
  hash: i.toString(16).padStart(64, '0'),
  path: `/album/IMG_${i}.jpg`,
  name: `IMG_${i}.jpg`,
  folder: 'album',
  format: 'jpeg',
  ...size,
  bytes: 1000,
  status,
  model: 'wanx-style-repaint-v1',
  adjustments: [],
  thumbnails: true,
  ...(status === 'rejected' ? { reason: { code: 'not_image' as const } } : {}),
  ...(status === 'skipped' ? { reason: { code: 'duplicate' as const } } : {}),
});

const noJobs = (): Record<JobState, number> =>
  Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;

export function batchView(
  id: string,
  options: Partial<BatchView> & { jobs?: Partial<Record<JobState, number>> } = {},
): BatchView {
  const { jobs = {}, ...rest } = options;
  const counts = { ...noJobs(), ...jobs };
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const recipe: Recipe = rest.recipe ?? { kind: 'preset', styleIndex: 3 };
  return {
    id,
    position: 0,
    createdAt: 1000,
    label: 'album',
    kind: 'album',
    scanId: SCAN,
    recipe,
    recipeKey: recipeKey(recipe),
    model: recipeModel(recipe),
    state: 'active',
    pauseReason: null,
    budgetCny: null,
    spentCny: 0,
    force: false,
    counts,
    total,
    finished: counts.done + counts.skipped,
    ...rest,
  };
}

export function jobView(batchId: string, photo: number, state: JobState, updatedAt = 1): JobView {
  return {
    id: `${batchId}-job-${photo}`,
    batchId,
    seq: photo,
    photoId: `p${photo}`,
    sourcePath: `/album/IMG_${photo}.jpg`,
    sourceHash: photo.toString(16).padStart(64, '0'),
    albumFolder: 'album',
    recipeKey: 'preset:3',
    model: 'wanx-style-repaint-v1',
    state,
    attempts: 0,
    taskId: null,
    requestId: null,
    submittedAt: null,
    finishedAt: null,
    imageCount: null,
    entryIds: state === 'done' || state === 'skipped' ? [`r-${batchId}-${photo}`] : [],
    linkedJobId: null,
    error: null,
    candidates: [],
    updatedAt,
  };
}

/** A paged channel over fixed items (`{ [field]: page, total }`), paged as core pages it. */
export const pagedFrom =
  <T>(field: string, items: (key: string) => T[], keyOf: string): Answer =>
  (payload) => {
    const args = payload as Record<string, unknown>;
    const offset = typeof args.offset === 'number' ? args.offset : 0;
    const limit = typeof args.limit === 'number' ? args.limit : 200;
    const all = items(String(args[keyOf]));
    return ok({ [field]: all.slice(offset, offset + limit), total: all.length });
  };

/** `jobs:list-jobs` over a fixed list. */
export const listJobsFrom = (jobs: (batchId: string) => JobView[]): Answer =>
  pagedFrom('jobs', jobs, 'batchId');

export function quote(partial: Partial<Quote> = {}): Quote {
  return {
    photos: 2,
    recipes: 1,
    jobs: 2,
    images: 2,
    alreadyInLibrary: 0,
    alreadyQueued: 0,
    duplicatesInBatch: 0,
    billableImages: 2,
    freeImages: 2,
    paidImages: 0,
    perImageCny: { 'wanx-style-repaint-v1': 0.2 },
    freeLeft: { 'wanx-style-repaint-v1': 500 },
    costCny: 0,
    budgetCny: null,
    withinBudget: true,
    unsendable: [],
    ...partial,
  };
}

/** Lets the store's pending promises (listings at start) settle. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

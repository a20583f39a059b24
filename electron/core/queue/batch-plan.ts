/**
 * The one way photos become jobs, for the window and the CLI alike: records
 * of an intake scan (those chosen, or every one that can be sent) × recipes →
 * per recipe the jobs, each paid for or linked to a result that exists, and
 * the photos a recipe's model cannot take, each named. The quote
 * (electron/core/cost/quote.ts) and the batches the engine creates are both
 * made from this plan, so what was quoted is what is created.
 */
import type { UnsendablePhoto } from '../../../shared/contract/jobs';
import { modelRefusal } from '../../../shared/fit';
import type { ModelId } from '../../../shared/models';
import type { Adjustment, PhotoRecord } from '../../../shared/photos';
import { recipeImages, recipeKey, recipeModel, type Recipe } from '../../../shared/recipe';
import { RestyleError } from '../../../shared/result';
import { drain } from './steps';

/** What the plan reads of an intake record. */
export type PlanRecord = Pick<
  PhotoRecord,
  'id' | 'hash' | 'path' | 'name' | 'folder' | 'width' | 'height' | 'status' | 'reason'
> & { adjustments?: readonly Adjustment[] };

/**
 * Why a planned job is not paid for:
 * - `library`: a saved result of the same photo and recipe (its entries);
 * - `queued`: a job of another batch with the same photo and recipe still on its way to a result;
 * - `duplicate`: an identical photo (same content) earlier in this batch;
 * - `planned`: the same photo and recipe in another batch of this request.
 * `paid` jobs are asked of the service.
 */
export type PlannedBasis = 'paid' | 'library' | 'queued' | 'duplicate' | 'planned';

export interface PlannedJob {
  /** The job's id once created (other planned jobs may link to it). */
  id: string;
  photoId: string;
  path: string;
  hash: string;
  /** The album folder results mirror (`PhotoRecord.folder`, relative to the dropped folder). */
  folder: string;
  adjustments: readonly Adjustment[];
  basis: PlannedBasis;
  /** `library`: the saved results it takes. */
  entryIds?: string[];
  /** `queued`, `duplicate`, `planned`: the job it follows. */
  linkedJobId?: string;
}

export interface PlannedBatch {
  recipe: Recipe;
  recipeKey: string;
  model: ModelId;
  /** Images each job makes. */
  imagesPerJob: number;
  jobs: PlannedJob[];
}

export interface BatchPlan {
  /** One per recipe, in the request's order. */
  batches: PlannedBatch[];
  /** Chosen photos at least one recipe can take. */
  photos: number;
  /** Chosen photos a recipe's model cannot take (or that cannot be sent at all), each named. */
  unsendable: UnsendablePhoto[];
}

export interface PlanInput {
  /** Every record of the scan, in gallery order. */
  records: readonly PlanRecord[];
  /** The records chosen; absent: every record that can be sent. */
  photoIds?: readonly string[] | undefined;
  recipes: readonly Recipe[];
  /** Per recipe, the chosen records it is for (a re-run of chosen results); absent: all. */
  recipePhotoIds?: readonly (readonly string[])[] | undefined;
  /** Pay again where a saved or queued result exists (never twice within the request). */
  force?: boolean | undefined;
}

/** What the plan asks of the library and the queue. */
export interface PlanLookups {
  /** Ids of saved results of this photo and recipe. */
  saved(hash: string, recipeKey: string): string[];
  /** A job of the queue with this photo and recipe still on its way to a result; null when none. */
  queued(hash: string, recipeKey: string): string | null;
  newId(): string;
}

/**
 * A record that is a photo (decoded, hashed): sendable as intake judged it,
 * or refused by the scan's model for its size only (another recipe's model
 * may take it; each recipe's model judges it below).
 */
const isPhoto = (record: PlanRecord): record is PlanRecord & { hash: string } =>
  record.hash !== null &&
  (record.status === 'ready' ||
    record.status === 'adjusted' ||
    (record.status === 'rejected' && record.reason?.code === 'too_small'));

/** A chosen record that is a copy of another photo of the scan: sent as that one. */
const isDuplicate = (record: PlanRecord): record is PlanRecord & { hash: string } =>
  record.hash !== null && record.status === 'skipped' && record.reason?.code === 'duplicate';

const named = (record: PlanRecord, model: ModelId, reason: UnsendablePhoto['reason']) => ({
  photoId: record.id,
  path: record.path,
  name: record.name,
  folder: record.folder,
  model,
  reason,
});

/** The records to send: those chosen (unknown ids: `not_found`), or every photo. */
function choose(input: PlanInput): {
  photos: (PlanRecord & { hash: string })[];
  refused: PlanRecord[];
} {
  if (!input.photoIds) return { photos: input.records.filter(isPhoto), refused: [] };
  const wanted = new Set(input.photoIds);
  const chosen = input.records.filter((record) => wanted.has(record.id));
  if (chosen.length < wanted.size) {
    const found = new Set(chosen.map((record) => record.id));
    const missing = [...wanted].find((id) => !found.has(id)) as string;
    throw new RestyleError('not_found', `no photo ${missing} in this scan`, { id: missing });
  }
  const photos: (PlanRecord & { hash: string })[] = [];
  const refused: PlanRecord[] = [];
  for (const record of chosen) {
    if (isPhoto(record) || isDuplicate(record)) photos.push(record);
    else refused.push(record);
  }
  return { photos, refused };
}

/** Photos planned per step of `planSteps` (a library and a queue lookup each: about 5 ms on 2 busy cores). */
export const PLAN_CHUNK = 50;

/** The plan at once (see `planSteps`). */
export const planBatch = (input: PlanInput, lookups: PlanLookups): BatchPlan =>
  drain(planSteps(input, lookups));

/**
 * The plan, in steps of PLAN_CHUNK photos (100,000 photos are seconds of
 * lookups). Per recipe, each photo its model can take is one job: linked to
 * a saved result, to a job already queued, or to the same photo earlier in
 * the request (unless forced, only the last is kept), else paid for.
 */
export function* planSteps(input: PlanInput, lookups: PlanLookups): Generator<void, BatchPlan> {
  const { photos, refused } = choose(input);
  const firstModel = recipeModel(input.recipes[0] as Recipe);
  const unsendable: UnsendablePhoto[] = refused.map((record) =>
    named(record, firstModel, record.reason ?? { code: 'unreadable', params: { detail: '' } }),
  );
  const judged = new Set<string>();
  const taken = new Set<string>();
  /** The first job of each photo content and recipe key in this request. */
  const first = new Map<string, { job: PlannedJob; batch: number }>();
  let planned = 0;

  const batches: PlannedBatch[] = [];
  for (const [batchIndex, recipe] of input.recipes.entries()) {
    const key = recipeKey(recipe);
    const model = recipeModel(recipe);
    const jobs: PlannedJob[] = [];
    const only = input.recipePhotoIds ? new Set(input.recipePhotoIds[batchIndex]) : null;
    for (const photo of photos) {
      if (only && !only.has(photo.id)) continue;
      planned += 1;
      if (planned % PLAN_CHUNK === 0) yield;
      const refusal = modelRefusal(photo, model);
      if (refusal) {
        if (!judged.has(`${photo.id}\n${model}`)) unsendable.push(named(photo, model, refusal));
        judged.add(`${photo.id}\n${model}`);
        continue;
      }
      taken.add(photo.id);
      const job: PlannedJob = {
        id: lookups.newId(),
        photoId: photo.id,
        path: photo.path,
        hash: photo.hash,
        folder: photo.folder,
        adjustments: photo.adjustments ?? [],
        basis: 'paid',
      };
      jobs.push(job);
      const same = first.get(`${photo.hash}\n${key}`);
      if (same) {
        // The same content again: it follows the first copy (or what that one follows).
        job.basis = same.batch === batchIndex ? 'duplicate' : 'planned';
        if (same.job.entryIds) job.entryIds = same.job.entryIds;
        else job.linkedJobId = same.job.linkedJobId ?? same.job.id;
        continue;
      }
      first.set(`${photo.hash}\n${key}`, { job, batch: batchIndex });
      if (input.force) continue;
      const saved = lookups.saved(photo.hash, key);
      if (saved.length > 0) {
        job.basis = 'library';
        job.entryIds = saved;
        continue;
      }
      const queued = lookups.queued(photo.hash, key);
      if (queued !== null) {
        job.basis = 'queued';
        job.linkedJobId = queued;
      }
    }
    batches.push({ recipe, recipeKey: key, model, imagesPerJob: recipeImages(recipe), jobs });
  }
  return { batches, photos: taken.size, unsendable };
}

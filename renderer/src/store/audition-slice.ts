import type { StateCreator } from 'zustand';
import type { RestyleApi } from '../../../shared/contract';
import type { BatchRequest, JobView, Quote } from '../../../shared/contract/jobs';
import { recipeKey, type Recipe } from '../../../shared/recipe';
import type { AppError } from '../../../shared/result';
import type { AppState } from './app-store';
import type { PhotoRun } from './batch-photo';
import { jobPhotoId, progressOf, type JobListings } from './restore-queue';
import { photoRunOf } from './run-state';

export const MAX_AUDITION_PHOTOS = 5;

export interface AuditionPhoto {
  key: string;
  /** The intake record's id (`PhotoRecord.id`): what core and the jobs know it by. */
  photoId: string;
  name: string;
}

/**
 * A try-out of several styles on a few photos: one request (an `audition`
 * batch kind) quoted once by core; on Confirm core makes one batch per style.
 */
export interface Audition {
  tabId: string;
  photos: AuditionPhoto[];
  styles: Recipe[];
  request: BatchRequest;
  quote: Quote;
  /** The engine batch of each style (same order as `styles`), once confirmed. */
  engineBatchIds: Array<string | null>;
  started: boolean;
  /** `<styleIndex>|<photoId>` → the run of that photo in that style. */
  results: Record<string, PhotoRun>;
}

export interface AuditionSlice {
  audition: Audition | null;
  auditionError: AppError | null;
  /** Asks core for the quote of these photos in these styles; nothing is created. */
  quoteAudition(tabId: string, photos: AuditionPhoto[], styles: Recipe[]): Promise<void>;
  /** Confirm: core creates and starts the batches quoted. */
  startAudition(): Promise<void>;
  closeAudition(): void;
  receiveAuditionJob(job: JobView): void;
}

export const auditionCell = (style: number, photoId: string): string => `${style}|${photoId}`;

export const createAuditionSlice =
  (api: RestyleApi, listings: JobListings): StateCreator<AppState, [], [], AuditionSlice> =>
  (set, get) => {
    let starting = false;
    /** The runs of these jobs put into the audition's grid (a style's column, a photo's row). */
    const putResults = (style: number, jobs: readonly JobView[]) => {
      const audition = get().audition;
      if (!audition) return;
      const results = { ...audition.results };
      for (const job of jobs) {
        const run = photoRunOf(job);
        const cell = auditionCell(style, jobPhotoId(job));
        if (run) results[cell] = run;
        else delete results[cell];
      }
      set({ audition: { ...audition, results } });
    };

    return {
      audition: null,
      auditionError: null,

      async quoteAudition(tabId, photos, styles) {
        const request: BatchRequest = {
          scanId: tabId,
          photoIds: photos.map((p) => p.photoId),
          recipes: styles,
          kind: 'audition',
        };
        const quoted = await api.invoke('jobs:quote', request);
        if (!quoted.ok) return set({ auditionError: quoted.error });
        set({
          auditionError: null,
          audition: {
            tabId,
            photos,
            styles,
            request,
            quote: quoted.value,
            engineBatchIds: styles.map(() => null),
            started: false,
            results: {},
          },
        });
      },

      async startAudition() {
        const audition = get().audition;
        // A second click while the first is answered must not create the batches twice.
        if (!audition || audition.started || starting) return;
        starting = true;
        const created = await api.invoke('jobs:create-batch', audition.request);
        starting = false;
        if (!created.ok) return set({ auditionError: created.error });
        const { batches } = created.value;
        const keys = audition.styles.map(recipeKey);
        const engineBatchIds = keys.map(
          (key) => batches.find((b) => b.recipeKey === key)?.id ?? null,
        );
        set({ auditionError: null, audition: { ...audition, engineBatchIds, started: true } });
        for (const view of batches) {
          const jobs = await listings.list(view.id);
          const style = engineBatchIds.indexOf(view.id);
          if (jobs && style >= 0 && get().audition?.engineBatchIds[style] === view.id) {
            putResults(style, jobs);
          }
          // After its cells: a column never says done over cells still waiting.
          get().receiveProgress({ ...progressOf(view, 0), ...get().progress[view.id] });
        }
      },

      closeAudition: () => set({ audition: null, auditionError: null }),

      receiveAuditionJob(job) {
        const style = get().audition?.engineBatchIds.indexOf(job.batchId) ?? -1;
        if (style >= 0) putResults(style, [job]);
      },
    };
  };

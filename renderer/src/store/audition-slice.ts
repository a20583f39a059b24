import type { StateCreator } from 'zustand';
import type { RestyleApi } from '../../../shared/contract';
import type { JobView, Quote } from '../../../shared/contract/jobs';
import type { Recipe } from '../../../shared/recipe';
import type { AppError } from '../../../shared/result';
import type { AppState } from './app-store';
import type { PhotoRun } from './batch-photo';
import { photoRunOf } from './run-state';

export const MAX_AUDITION_PHOTOS = 5;

export interface AuditionPhoto {
  key: string;
  path: string;
  name: string;
}

/** A try-out of several styles on a few photos: one small engine batch per style. */
export interface Audition {
  photos: AuditionPhoto[];
  styles: Recipe[];
  /** Engine batch per style, same order as `styles`. */
  engineBatchIds: string[];
  /** The quotes added up. */
  quote: Quote;
  started: boolean;
  /** `<styleIndex>|<path>` → the run of that photo in that style. */
  results: Record<string, PhotoRun>;
}

export interface AuditionSlice {
  audition: Audition | null;
  auditionError: AppError | null;
  /** Creates the batches (not started) and shows their quote. */
  quoteAudition(photos: AuditionPhoto[], styles: Recipe[]): Promise<void>;
  startAudition(): Promise<void>;
  /** Closes the audition; batches not started are canceled. */
  closeAudition(): Promise<void>;
  receiveAuditionJob(job: JobView): void;
}

export const auditionCell = (style: number, path: string): string => `${style}|${path}`;

/** One quote for all the audition's batches: the free allowance is shared, not counted per batch. */
function addQuotes(quotes: Quote[]): Quote {
  const images = quotes.reduce((n, q) => n + q.images, 0);
  const priceCny = quotes[0]?.priceCny ?? 0;
  const freeLeft = quotes.find((q) => q.freeLeft !== null)?.freeLeft ?? null;
  const freeImages = Math.min(images, freeLeft ?? 0);
  return {
    jobs: quotes.reduce((n, q) => n + q.jobs, 0),
    paidJobs: quotes.reduce((n, q) => n + q.paidJobs, 0),
    images,
    priceCny,
    freeImages,
    freeLeft,
    totalCny: Math.round((images - freeImages) * priceCny * 100) / 100,
    budgetCny: null,
  };
}

export const createAuditionSlice =
  (api: RestyleApi): StateCreator<AppState, [], [], AuditionSlice> =>
  (set, get) => ({
    audition: null,
    auditionError: null,

    async quoteAudition(photos, styles) {
      const paths = photos.map((p) => p.path);
      const engineBatchIds: string[] = [];
      const quotes: Quote[] = [];
      for (const [index, recipe] of styles.entries()) {
        const created = await api.invoke('jobs:create-batch', {
          paths,
          recipe,
          force: false,
          start: false,
          label: `Audition ${index + 1}/${styles.length}`,
        });
        if (!created.ok) {
          for (const batchId of engineBatchIds) await api.invoke('jobs:cancel', { batchId });
          return set({ auditionError: created.error });
        }
        engineBatchIds.push(created.value.batch.id);
        quotes.push(created.value.quote);
      }
      set({
        auditionError: null,
        audition: {
          photos,
          styles,
          engineBatchIds,
          quote: addQuotes(quotes),
          started: false,
          results: {},
        },
      });
    },

    async startAudition() {
      const audition = get().audition;
      if (!audition || audition.started) return;
      for (const batchId of audition.engineBatchIds) {
        const started = await api.invoke('jobs:start', { batchId });
        if (!started.ok) return set({ auditionError: started.error });
      }
      set({ audition: { ...audition, started: true } });
    },

    async closeAudition() {
      const audition = get().audition;
      set({ audition: null, auditionError: null });
      if (audition && !audition.started) {
        for (const batchId of audition.engineBatchIds) await api.invoke('jobs:cancel', { batchId });
      }
    },

    receiveAuditionJob(job) {
      const audition = get().audition;
      const style = audition?.engineBatchIds.indexOf(job.batchId) ?? -1;
      if (!audition || style < 0) return;
      const run = photoRunOf(job);
      const cell = auditionCell(style, job.sourcePath);
      const results = { ...audition.results };
      if (run) results[cell] = run;
      else delete results[cell];
      set({ audition: { ...audition, results } });
    },
  });

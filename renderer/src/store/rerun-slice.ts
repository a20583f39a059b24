import type { StateCreator } from 'zustand';
import type { RestyleApi } from '../../../shared/contract';
import type { BatchRequest, BatchView, Quote } from '../../../shared/contract/jobs';
import type { RunPlan } from '../../../shared/contract/library';
import type { Recipe } from '../../../shared/recipe';
import type { AppError } from '../../../shared/result';
import type { AppState } from './app-store';

/**
 * What to run again: results (their originals, in the same recipes or another
 * style), or an album's gaps or failed cells (the recipes the album uses).
 */
export type RerunSource =
  { resultIds: string[] } | { albumFolder: string; cells: 'gaps' | 'failed' };

/**
 * The recipes a re-run of results quotes: `same` the results' own (paid again:
 * a new take), or another style; null until the user picks one.
 */
export type RerunStyle = 'same' | Recipe | null;

/**
 * `preparing`: core scans the originals (`library:prepare-run`); `choosing`:
 * a style is to be picked; `quoting` / `quoted`: `jobs:quote`, nothing
 * created; `creating`: Confirm sent; `queued`: the batches exist.
 */
export type RerunPhase = 'preparing' | 'choosing' | 'quoting' | 'quoted' | 'creating' | 'queued';

export interface Rerun {
  source: RerunSource;
  phase: RerunPhase;
  plan: RunPlan | null;
  style: RerunStyle;
  /** What Confirm sends, as it was quoted. */
  request: BatchRequest | null;
  quote: Quote | null;
  /** The batches Confirm created. */
  batches: BatchView[];
  error: AppError | null;
}

export interface RerunSlice {
  rerun: Rerun | null;
  /**
   * Opens the re-run dialog: core makes the originals ready, then the quote
   * (with `style` for results; an album's gaps or failed cells keep their
   * recipes). Nothing is created before `confirmRerun`.
   */
  openRerun(source: RerunSource, style?: RerunStyle): Promise<void>;
  /** Another style (or the same ones) for a re-run of results: quoted again. */
  chooseRerunStyle(style: RerunStyle): Promise<void>;
  /** Confirm: core creates and starts the batches quoted, once. */
  confirmRerun(): Promise<void>;
  closeRerun(): void;
  /** After Confirm: the Batch view, on the tab that shows the new run. */
  showRerunInBatch(): Promise<void>;
}

const ofResults = (source: RerunSource): source is { resultIds: string[] } => 'resultIds' in source;

export const createRerunSlice =
  (api: RestyleApi): StateCreator<AppState, [], [], RerunSlice> =>
  (set, get) => {
    /** Bumped by every open and close: answers for an older dialog are dropped. */
    let generation = 0;
    const current = (at: number) => (at === generation ? get().rerun : null);
    const update = (at: number, change: Partial<Rerun>) => {
      const rerun = current(at);
      if (rerun) set({ rerun: { ...rerun, ...change } });
    };

    /** The quote of the plan in the chosen recipes; nothing is created. */
    const quote = async (at: number) => {
      const rerun = current(at);
      if (!rerun?.plan) return;
      const { plan, style, source } = rerun;
      if (style === null || plan.photoIds.length === 0) {
        return update(at, { phase: 'choosing', request: null, quote: null, error: null });
      }
      const request: BatchRequest = {
        scanId: plan.scanId,
        photoIds: plan.photoIds,
        recipes: style === 'same' ? plan.recipes : [style],
        // The same recipes again: each only for the photos its chosen results came from.
        ...(style === 'same' && plan.recipePhotoIds ? { recipePhotoIds: plan.recipePhotoIds } : {}),
        kind: 'album',
        // The same recipe again is a new take, paid again; an album's gaps
        // link what the library or the queue has, so only the gaps are paid.
        force: ofResults(source) && style === 'same',
        ...(ofResults(source) ? {} : { label: source.albumFolder }),
      };
      update(at, { phase: 'quoting', request: null, quote: null, error: null });
      const quoted = await api.invoke('jobs:quote', request);
      if (!current(at) || current(at)?.style !== style) return;
      update(
        at,
        quoted.ok
          ? { phase: 'quoted', request, quote: quoted.value }
          : { phase: 'choosing', error: quoted.error },
      );
    };

    return {
      rerun: null,

      async openRerun(source, style = 'same') {
        generation += 1;
        const at = generation;
        set({
          rerun: {
            source,
            phase: 'preparing',
            plan: null,
            // An album's gaps and failed cells are run in the album's recipes.
            style: ofResults(source) ? style : 'same',
            request: null,
            quote: null,
            batches: [],
            error: null,
          },
        });
        const prepared = await api.invoke('library:prepare-run', source);
        if (!current(at)) return;
        if (!prepared.ok) return update(at, { phase: 'choosing', error: prepared.error });
        update(at, { plan: prepared.value });
        await quote(at);
      },

      async chooseRerunStyle(style) {
        const rerun = get().rerun;
        if (!rerun || !ofResults(rerun.source) || rerun.phase === 'creating') return;
        if (rerun.phase === 'queued' || rerun.phase === 'preparing') return;
        set({ rerun: { ...rerun, style } });
        await quote(generation);
      },

      async confirmRerun() {
        const rerun = get().rerun;
        // `creating` at once: a second click while the first is answered creates nothing.
        if (!rerun?.request || rerun.phase !== 'quoted') return;
        const at = generation;
        update(at, { phase: 'creating', error: null });
        const created = await api.invoke('jobs:create-batch', rerun.request);
        update(
          at,
          created.ok
            ? { phase: 'queued', batches: created.value.batches }
            : { phase: 'quoted', error: created.error },
        );
      },

      closeRerun() {
        generation += 1;
        set({ rerun: null });
      },

      async showRerunInBatch() {
        const rerun = get().rerun;
        const first = rerun?.batches[0];
        if (!first) return;
        get().closeRerun();
        // The queue's runs become tabs as at start (a re-run's scan, or its runs).
        await get().restoreTabs();
        const tab = get().batches.find((b) => b.runs.some((run) => run.batchId === first.id));
        if (tab) get().setActiveBatch(tab.id);
        get().setView('batch');
      },
    };
  };

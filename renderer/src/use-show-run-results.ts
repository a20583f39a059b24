import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useAppStore } from './store/app-store';
import { runResultsLabel } from './views/batch/batch-name';

/**
 * A click on a run's "finished" notification (main sends `app:show-batch-results`)
 * opens the Library on that run's results, named as the run card's "Show results" names it.
 */
export function useShowRunResults(): void {
  const api = useApi();
  const store = useAppStore();
  const { t } = useTranslation();
  useEffect(
    () =>
      api.on('app:show-batch-results', ({ batchId }) => {
        const state = store.getState();
        const tab = state.batches.find((batch) => batch.runs.some((r) => r.batchId === batchId));
        const run = tab?.runs.find((r) => r.batchId === batchId);
        const label = tab && run ? runResultsLabel(t, tab.name, run.recipe) : '';
        state.showBatchResults(batchId, label);
      }),
    [api, store, t],
  );
}

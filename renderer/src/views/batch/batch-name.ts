import type { TFunction } from 'i18next';
import type { Recipe } from '../../../../shared/recipe';
import type { BatchName } from '../../store/batch-slice';
import { recipeTitle } from './recipe-text';

export const batchNameText = (t: TFunction, name: BatchName): string =>
  name.kind === 'path' ? name.label : t('batch.name.items', { count: name.count });

/** The name of a run's results in the Library (the chip of "Show results"): album · style. */
export const runResultsLabel = (t: TFunction, name: BatchName, recipe: Recipe): string =>
  `${batchNameText(t, name)} · ${recipeTitle(t, recipe)}`;

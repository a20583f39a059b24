import type { TFunction } from 'i18next';
import type { BatchName } from '../../store/batch-slice';

export const batchNameText = (t: TFunction, name: BatchName): string =>
  name.kind === 'path' ? name.label : t('batch.name.items', { count: name.count });

import { useMemo } from 'react';
import { useApp } from '../../store/app-store';
import { tallyPhotos, type BatchPhotos, type StatusFilter } from '../../store/batch-photo';
import type { Batch } from '../../store/batch-slice';

export type { BatchPhotos, StatusFilter };

/** The active tab's photos as the gallery and its chips show them, again on each change. */
export function useBatchPhotos(batch: Batch | undefined, filter: StatusFilter): BatchPhotos {
  const { photos, version } = useApp((s) => ({ photos: s.photos, version: s.photosVersion }));
  const keys = batch?.keys;
  const size = batch?.size ?? 0;
  return useMemo(
    () => tallyPhotos(keys ?? [], size, photos, filter),
    // `version` and `size` stand for in-place changes of `photos` and `keys`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [keys, size, photos, version, filter],
  );
}

import { useMemo } from 'react';
import { useApp } from '../../store/app-store';
import {
  DISPLAY_STATUSES,
  displayStatus,
  isSendable,
  type DisplayStatus,
} from '../../store/batch-photo';
import type { Batch } from '../../store/batch-slice';

export type StatusFilter = DisplayStatus | 'all';

export interface BatchPhotos {
  /** Keys shown with the filter applied, in arrival order. */
  shown: string[];
  counts: Record<DisplayStatus, number>;
  selected: number;
  /** Ready or adjusted and not excluded. */
  sendable: number;
}

/**
 * One pass over the batch per change (O(n), a millisecond at 10,000 photos):
 * the filtered keys, counts by status, selection and what would be sent.
 */
export function useBatchPhotos(batch: Batch | undefined, filter: StatusFilter): BatchPhotos {
  const { photos, version } = useApp((s) => ({ photos: s.photos, version: s.photosVersion }));
  const keys = batch?.keys;
  const size = batch?.size ?? 0;
  return useMemo(() => {
    const counts = Object.fromEntries(DISPLAY_STATUSES.map((s) => [s, 0])) as Record<
      DisplayStatus,
      number
    >;
    const shown: string[] = [];
    let selected = 0;
    let sendable = 0;
    for (let i = 0; i < size; i += 1) {
      const key = keys?.[i];
      const photo = key === undefined ? undefined : photos.get(key);
      if (!photo) continue;
      const status = displayStatus(photo);
      counts[status] += 1;
      if (photo.selected) selected += 1;
      if (isSendable(photo)) sendable += 1;
      if (filter === 'all' || filter === status) shown.push(photo.key);
    }
    return { shown, counts, selected, sendable };
    // `version` and `size` stand for in-place changes of `photos` and `keys`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [keys, size, photos, version, filter]);
}

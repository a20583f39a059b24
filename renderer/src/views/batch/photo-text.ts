import type { TFunction } from 'i18next';
import { VISIBLE_ADJUSTMENTS, type PhotoReason } from '../../../../shared/photos';
import { displayStatus, type BatchPhoto } from '../../store/batch-photo';

/** The translated reason (`intake.reason.<code>` with its params). */
export function reasonText(t: TFunction, reason: PhotoReason): string {
  return t(`intake.reason.${reason.code}`, { ...reason.params });
}

/** The one line under a thumbnail: why it cannot be sent, what was changed, or nothing. */
export function photoNote(t: TFunction, photo: BatchPhoto): string {
  const { record, run } = photo;
  if (run?.reason) return reasonText(t, run.reason);
  if (run?.error) return t(`errors.${run.error.code}`, { detail: run.error.message });
  if (photo.excluded) return t('batch.gallery.excludedNote');
  if (photo.refusal) return reasonText(t, photo.refusal);
  if (record.reason) return reasonText(t, record.reason);
  const visible = record.adjustments.filter((a) => VISIBLE_ADJUSTMENTS.includes(a));
  return visible.map((a) => t(`intake.adjustment.${a}`)).join(', ');
}

export const statusText = (t: TFunction, photo: BatchPhoto): string =>
  t(`batch.status.${displayStatus(photo)}`);

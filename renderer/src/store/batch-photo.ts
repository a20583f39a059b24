import type { PhotoReason, PhotoRecord } from '../../../shared/photos';
import type { ErrorCode } from '../../../shared/result';

/**
 * Where a photo stands in a run (filled by the job engine's events):
 * `skipped_done` means an identical result already exists, so it is not sent again.
 */
export const RUN_STATES = ['queued', 'running', 'done', 'failed', 'skipped_done'] as const;
export type RunState = (typeof RUN_STATES)[number];

export interface PhotoRun {
  state: RunState;
  /** Why it failed, as a code the locale files translate. */
  reason?: PhotoReason;
  /** The engine's error, translated as `errors.<code>` (detail: the message). */
  error?: { code: ErrorCode; message: string };
  /** Result ids in the library (`api.resultUrl(id)`), once done. */
  resultIds: string[];
}

/** One photo of a batch: the intake record, the user's choices, and its run. */
export interface BatchPhoto {
  /** Unique across batches: `<batchId>/<record.id>`. */
  key: string;
  batchId: string;
  record: PhotoRecord;
  selected: boolean;
  excluded: boolean;
  run: PhotoRun | null;
}

/** What the gallery shows and filters by: the run's state once there is one. */
export const DISPLAY_STATUSES = [
  'ready',
  'adjusted',
  'rejected',
  'skipped',
  'excluded',
  'queued',
  'running',
  'done',
  'failed',
  'skipped_done',
] as const;
export type DisplayStatus = (typeof DISPLAY_STATUSES)[number];

export const photoKey = (batchId: string, photoId: string): string => `${batchId}/${photoId}`;

export function displayStatus(photo: BatchPhoto): DisplayStatus {
  if (photo.run) return photo.run.state;
  if (photo.excluded) return 'excluded';
  return photo.record.status;
}

/** Ready or adjusted, not excluded: what a run would send. */
export const isSendable = (photo: BatchPhoto): boolean =>
  !photo.excluded && (photo.record.status === 'ready' || photo.record.status === 'adjusted');

/** Only sendable photos can be excluded and included again. */
export const canExclude = (photo: BatchPhoto): boolean =>
  photo.record.status === 'ready' || photo.record.status === 'adjusted';

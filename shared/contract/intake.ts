// Photo intake channels (issue 3: photo intake and preparation).
import { z } from 'zod';
import { MODEL_IDS } from '../models';
import type { PhotoRecord, PhotoStatus } from '../photos';
import { event, invoke } from './define';

export interface ScanDone {
  scanId: string;
  counts: Record<PhotoStatus, number>;
  canceled: boolean;
  /** Set when the scan stopped on an unexpected error (each bad file is a record, not this). */
  error?: string;
}

export const intakeInvoke = {
  /**
   * Starts scanning dropped files and folders; records stream as
   * `intake:photos`, then `intake:scan-done`. The model decides the limits
   * a photo is checked against (default: wanx-style-repaint-v1).
   */
  'intake:add-paths': invoke<{ scanId: string }>()(
    z
      .object({
        paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000),
        model: z.enum(MODEL_IDS).optional(),
      })
      .strict(),
  ),
  'intake:cancel-scan': invoke<{ canceled: boolean }>()(z.object({ scanId: z.uuid() }).strict()),
  /**
   * Opens the OS chooser for photos and folders ("Add photos"), or for one
   * image (`single`: a style reference); null when the user cancels.
   */
  'intake:choose-paths': invoke<string[] | null>()(
    z.object({ single: z.boolean().default(false) }).strict(),
  ),
};

export const intakeEvents = {
  /** A batch of photo records from one scan, in the order they were finished. */
  'intake:photos': event<{ scanId: string; photos: PhotoRecord[] }>(),
  'intake:scan-done': event<ScanDone>(),
};

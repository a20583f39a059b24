// Photo intake channels (issue 3: photo intake and preparation).
import { z } from 'zod';
import { MODEL_IDS } from '../models';
import type { PhotoRecord, PhotoStatus } from '../photos';
import { event, invoke } from './define';

/**
 * Files left out quietly because their extension says they are not photos
 * (`.json`, `.xmp`, `.aae`, `.mov`, `.txt`… of a phone backup or a Takeout
 * export): counted in one line, never shown as rejected photos.
 */
export interface LeftOut {
  count: number;
  /** Their extensions (lower case, no dot), most frequent first, at most 10. */
  extensions: string[];
}

export interface ScanDone {
  scanId: string;
  counts: Record<PhotoStatus, number>;
  leftOut: LeftOut;
  canceled: boolean;
  /** Set when the scan stopped on an unexpected error (each bad file is a record, not this). */
  error?: string;
}

/**
 * A scan core keeps for this app session (a tab of the window): a window that
 * reloads gets its tabs back from these, with every record and reason.
 */
export interface ScanSummary {
  scanId: string;
  /** What the user dropped or chose: the album roots. */
  paths: string[];
  /** Records found so far. */
  size: number;
  counts: Record<PhotoStatus, number>;
  leftOut: LeftOut;
  scanning: boolean;
  canceled: boolean;
  error?: string;
  createdAt: number;
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
  /** The scans kept for this app session (the window's album tabs), oldest first. */
  'intake:list-scans': invoke<ScanSummary[]>()(z.object({}).strict()),
  /** A page of a kept scan's records, in gallery order. `not_found`: no such scan. */
  'intake:scan-records': invoke<{ records: PhotoRecord[]; total: number }>()(
    z
      .object({
        scanId: z.uuid(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(1000),
      })
      .strict(),
  ),
  /**
   * The user closed the tab: a kept scan is canceled if running and forgotten.
   * The id is remembered as closed for this app session, a kept scan's or an
   * earlier session's (whose runs were a tab), so its runs are not a tab again.
   */
  'intake:close-scan': invoke<{ closed: true }>()(z.object({ scanId: z.uuid() }).strict()),
  /** The scans whose tab the user closed in this app session, oldest first. */
  'intake:closed-scans': invoke<string[]>()(z.object({}).strict()),
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

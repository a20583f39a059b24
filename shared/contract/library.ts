// Library channels (issue: the job engine, part 4): saved results, by id only.
import { z } from 'zod';
import type { ModelId } from '../models';
import type { Recipe } from '../recipe';
import { event, invoke } from './define';

/** One saved result as the window sees it; core's `LibraryEntry` is this type. */
export interface LibraryItem {
  id: string;
  /** Absolute path of the result image (shown, never sent back: channels take ids). */
  path: string;
  sidecarPath: string;
  sourcePath: string;
  sourceHash: string;
  albumFolder: string;
  recipe: Recipe;
  recipeKey: string;
  variant: number;
  model: ModelId;
  taskId: string;
  requestId: string | null;
  costCny: number;
  width: number;
  height: number;
  submittedAt: string;
  finishedAt: string;
  savedAt: string;
}

export const libraryFilterSchema = z
  .object({
    /** This album folder and the folders below it. */
    albumFolder: z.string().max(4096).optional(),
    recipeKey: z.string().max(2000).optional(),
    sourceHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    /** ISO time: saved at or after. */
    since: z.iso.datetime().optional(),
    limit: z.number().int().min(1).max(1000).default(100),
    offset: z.number().int().min(0).default(0),
  })
  .strict();

export const libraryInvoke = {
  /** Newest first, paged. */
  'library:list': invoke<{ entries: LibraryItem[] }>()(libraryFilterSchema),
};

export const libraryEvents = {
  /** A result was saved and indexed. */
  'library:changed': event<{ added: LibraryItem }>(),
};

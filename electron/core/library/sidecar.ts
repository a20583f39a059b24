import { z } from 'zod';
import { MODEL_IDS } from '../../../shared/models';
import { ADJUSTMENTS } from '../../../shared/photos';
import { recipeSchema } from '../../../shared/recipe';

/**
 * The provenance sidecar beside every result, `<image file>.restyle.json`:
 * plain JSON any tool can read, and the source of truth the index is rebuilt
 * from. Bump `schema` on an incompatible change (and keep reading older ones).
 */
export const SIDECAR_SCHEMA = 'restyle.result/1';
export const SIDECAR_SUFFIX = '.restyle.json';

const iso = z.string().min(1).max(64);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const sidecarSchema = z.object({
  schema: z.literal(SIDECAR_SCHEMA),
  /** Stable across rebuilds: the window and the job store refer to results by it. */
  id: z.string().min(1).max(100),
  app: z.object({ name: z.string(), version: z.string() }),
  source: z.object({
    path: z.string(),
    sha256,
    /** The photo's folder within the dropped album (`Trip 2024/day 1`). */
    albumFolder: z.string(),
    /** What preparation did before sending (`cropped`, `downscaled`…). */
    adjustments: z.array(z.enum(ADJUSTMENTS)),
    /** The part of the upright original that was sent, when it was cropped (issue 11; older sidecars lack it). */
    crop: z
      .object({
        left: z.number().int().min(0),
        top: z.number().int().min(0),
        width: z.number().int().min(1),
        height: z.number().int().min(1),
      })
      .optional(),
  }),
  model: z.enum(MODEL_IDS),
  recipe: recipeSchema,
  recipeKey: z.string(),
  /** The style as people name it (preset names in both languages, or the prompt). */
  style: z.object({
    slug: z.string(),
    name: z.object({ en: z.string(), 'zh-CN': z.string() }),
  }),
  /** 0-based index among the task's results. */
  variant: z.number().int().min(0),
  task: z.object({ id: z.string(), requestId: z.string().nullable() }),
  /** What this image cost in CNY (0 from the free allowance). */
  costCny: z.number().min(0),
  times: z.object({ submittedAt: iso, finishedAt: iso, savedAt: iso }),
  result: z.object({
    /** The image's file name when saved (the sidecar's own name is authoritative). */
    file: z.string(),
    format: z.enum(['png', 'jpeg', 'webp']),
    width: z.number().int().min(0),
    height: z.number().int().min(0),
    /** Size and SHA-256 of the bytes as downloaded, before XMP was embedded. */
    bytes: z.number().int().min(0),
    sha256,
    /** Whether the provenance is also embedded in the image as XMP. */
    xmp: z.boolean(),
  }),
  /**
   * What the user said about the result (issue 11): kept here so a rebuild of
   * the index never loses it, and also in the image as `xmp:Rating`. Absent: unrated.
   */
  user: z
    .object({
      rating: z.number().int().min(0).max(5),
      favourite: z.boolean(),
    })
    .optional(),
});
export type Sidecar = z.infer<typeof sidecarSchema>;

export const isSidecarName = (name: string): boolean =>
  name.endsWith(SIDECAR_SUFFIX) && name.length > SIDECAR_SUFFIX.length;

export const sidecarPathFor = (imagePath: string): string => imagePath + SIDECAR_SUFFIX;
export const imagePathFor = (sidecarPath: string): string =>
  sidecarPath.slice(0, -SIDECAR_SUFFIX.length);

export function serializeSidecar(sidecar: Sidecar): Buffer {
  return Buffer.from(`${JSON.stringify(sidecar, null, 2)}\n`, 'utf8');
}

/** Parses a sidecar file's text; null for anything that is not one of ours. */
export function parseSidecar(text: string): Sidecar | null {
  try {
    const parsed = sidecarSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

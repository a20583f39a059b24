import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { ADJUSTMENTS, type Adjustment, type CropBox } from '../../../shared/photos';
import { MODEL_IDS, type ModelId } from '../../../shared/models';
import { writeAtomic } from './thumbnails';

/**
 * What a scan learns of a photo beyond its thumbnails, kept by content hash
 * beside them (`<cache>/probes/<ab>/<hash>.json`): its upright size and
 * alpha, the invisible normalisations its upload gets, whether its alpha is
 * in fact opaque, and where each model's crop sits. The next scan of the same
 * bytes (the window's or the CLI's, a re-run's) reads this instead of opening
 * the photo again.
 */
export interface ProbeEntry {
  width: number;
  height: number;
  hasAlpha: boolean;
  /** The probe's own adjustments (`rotated`, `converted_to_srgb`). */
  adjustments: Adjustment[];
  /** Known when `hasAlpha`: the alpha is 255 everywhere, so nothing is flattened. */
  opaque?: boolean;
  /**
   * Where each model that cuts the photo to its aspect limit cuts it (none:
   * {}); absent until a scan that crops has placed them.
   */
  crops?: Partial<Record<ModelId, CropBox>>;
}

const VERSION = 1;

export const probePath = (cacheDir: string, hash: string): string =>
  join(cacheDir, 'probes', hash.slice(0, 2), `${hash}.json`);

/** The cached entry for a content hash, or null (absent, another version, or not what was written). */
export async function readProbe(cacheDir: string, hash: string): Promise<ProbeEntry | null> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(probePath(cacheDir, hash), 'utf8'));
  } catch {
    return null;
  }
  return asEntry(parsed);
}

export async function writeProbe(cacheDir: string, hash: string, entry: ProbeEntry): Promise<void> {
  const path = probePath(cacheDir, hash);
  await mkdir(dirname(path), { recursive: true });
  await writeAtomic(path, Buffer.from(JSON.stringify({ v: VERSION, ...entry })));
}

const isSide = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

const isBox = (value: unknown): value is CropBox => {
  const box = value as Record<string, unknown> | null;
  return (
    typeof box === 'object' &&
    box !== null &&
    isSide(box.left) &&
    isSide(box.top) &&
    isSide(box.width) &&
    isSide(box.height)
  );
};

/** A parsed file checked field by field: a cache the user can edit is not trusted blindly. */
function asEntry(value: unknown): ProbeEntry | null {
  const raw = value as Record<string, unknown> | null;
  if (typeof raw !== 'object' || raw === null || raw.v !== VERSION) return null;
  const { width, height, hasAlpha, adjustments, opaque, crops } = raw;
  if (!isSide(width) || !isSide(height) || typeof hasAlpha !== 'boolean') return null;
  if (
    !Array.isArray(adjustments) ||
    !adjustments.every((a) => (ADJUSTMENTS as readonly unknown[]).includes(a))
  )
    return null;
  const entry: ProbeEntry = {
    width,
    height,
    hasAlpha,
    adjustments: adjustments as Adjustment[],
  };
  if (typeof opaque === 'boolean') entry.opaque = opaque;
  if (typeof crops === 'object' && crops !== null) {
    const boxes = Object.entries(crops);
    if (
      !boxes.every(([model, box]) => (MODEL_IDS as readonly string[]).includes(model) && isBox(box))
    )
      return null;
    entry.crops = Object.fromEntries(boxes) as Partial<Record<ModelId, CropBox>>;
  }
  return entry;
}

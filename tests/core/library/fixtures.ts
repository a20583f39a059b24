// Real result images and save inputs for the library tests.
import { randomBytes } from 'node:crypto';
import { type Dirent, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import sharp from 'sharp';
import type { SaveResultInput } from '../../../electron/core/library/types';
import type { Recipe } from '../../../shared/recipe';

export const HASH_A = 'a'.repeat(64);
export const HASH_B = 'b'.repeat(64);

export const pngResult = (width = 64, height = 48): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background: '#c06040' } })
    .png()
    .toBuffer();

export const jpegResult = (width = 64, height = 48): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background: '#4060c0' } })
    .jpeg()
    .toBuffer();

export const ANIME: Recipe = { kind: 'preset', styleIndex: 2 };
export const PROMPT3: Recipe = {
  kind: 'prompt',
  prompt: '水彩风格 watercolour',
  function: 'stylization_all',
  variants: 3,
  seed: 42,
};

export function saveInput(
  image: Buffer,
  overrides: Partial<SaveResultInput> = {},
): SaveResultInput {
  return {
    source: {
      path: '/photos/Trip 2024/day 1/IMG_0001.JPG',
      hash: HASH_A,
      albumFolder: 'Trip 2024/day 1',
    },
    recipe: ANIME,
    variant: 0,
    image,
    model: 'wanx-style-repaint-v1',
    taskId: 'task-1',
    requestId: 'req-1',
    costCny: 0.12,
    submittedAt: '2025-01-02T03:04:05.000Z',
    finishedAt: '2025-01-02T03:04:20.000Z',
    adjustments: ['rotated'],
    ...overrides,
  };
}

/** Every file under `dir` (relative, `/`-separated), the library's private folder aside. */
export const filesUnder = (dir: string): string[] =>
  (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)).split(sep).join('/'))
    .filter((p) => !p.startsWith('.restyle/'))
    .sort();

/** Incompressible pixels: a PNG of about 3 bytes per pixel. */
export const noisePng = (width: number, height: number): Promise<Buffer> =>
  sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();

/** Rates a result the way a rating reaches the disk outside the app: the sidecar's `user` block. */
export function rateInSidecar(
  entry: { sidecarPath: string },
  rating: number,
  favourite: boolean,
): void {
  const sidecar = JSON.parse(readFileSync(entry.sidecarPath, 'utf8')) as object;
  writeFileSync(entry.sidecarPath, JSON.stringify({ ...sidecar, user: { rating, favourite } }));
}

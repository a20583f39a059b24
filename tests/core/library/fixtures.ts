// Real result images and save inputs for the library tests.
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

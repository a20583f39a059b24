// Real 12 MP photos for benches: distinct 4000x3000 JPEGs whose content varies
// across the frame (a smooth random colour field under fine grain), about 3 MB
// each like a phone's, so neither the upload nor its encoding is trivially
// small. Made once and kept under the OS temp folder for the next run.
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

const WIDTH = 4000;
const HEIGHT = 3000;
const FOLDER = join(tmpdir(), 'restyle-bench-12mp-v1');

/** A small seeded generator (xorshift32): the same photo for the same index on every machine. */
function seeded(seed: number): () => number {
  let state = Math.imul(seed + 1, 2654435761) >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

async function makePhoto(index: number, path: string): Promise<void> {
  const random = seeded(index);
  const field = { width: 40, height: 30, channels: 3 as const };
  const cells = Buffer.alloc(field.width * field.height * field.channels);
  for (let i = 0; i < cells.length; i += 1) cells[i] = Math.floor(random() * 256);
  const colour = await sharp(cells, { raw: field })
    .resize(WIDTH, HEIGHT, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  const grain = await sharp({
    create: {
      width: WIDTH,
      height: HEIGHT,
      channels: 3,
      background: { r: 0, g: 0, b: 0 },
      noise: { type: 'gaussian', mean: 128, sigma: 12 },
    },
  })
    .raw()
    .toBuffer();
  const raw = { width: WIDTH, height: HEIGHT, channels: 3 as const };
  await sharp(colour, { raw })
    .composite([{ input: grain, raw, blend: 'overlay' }])
    .jpeg({ quality: 90 })
    .toFile(`${path}.tmp`);
  await rename(`${path}.tmp`, path);
}

/** The paths of `count` distinct 12 MP JPEGs, made the first time they are asked for. */
export async function photos12mp(count: number): Promise<string[]> {
  await mkdir(FOLDER, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const path = join(FOLDER, `IMG_${String(i).padStart(4, '0')}.jpg`);
    if (!existsSync(path)) await makePhoto(i, path);
    paths.push(path);
  }
  return paths;
}

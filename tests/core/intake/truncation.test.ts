import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntakeService } from '../../../electron/core/intake/intake-service';
import type { PhotoRecord } from '../../../shared/photos';
import { useTempDir } from '../../support/temp-dir';

/** Noise, so the cut lands in varied entropy-coded data (the decoder's message depends on it). */
async function noisy(format: 'jpeg' | 'png'): Promise<Buffer> {
  const width = 640;
  const height = 480;
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let i = 0; i < pixels.length; i += 1) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    pixels[i] = seed >> 16;
  }
  const image = sharp(pixels, { raw: { width, height, channels: 3 } });
  return format === 'jpeg' ? image.jpeg({ quality: 85 }).toBuffer() : image.png().toBuffer();
}

describe('a file cut short is reported as truncated, wherever it was cut', () => {
  let tmp: ReturnType<typeof useTempDir>;
  let records: PhotoRecord[];
  const cuts = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.97];

  beforeAll(async () => {
    tmp = useTempDir('restyle-truncation-');
    const album = join(tmp.path, 'album');
    mkdirSync(album);
    for (const format of ['jpeg', 'png'] as const) {
      const whole = await noisy(format);
      for (const cut of cuts) {
        writeFileSync(
          join(album, `${format}-${cut}.${format === 'jpeg' ? 'jpg' : 'png'}`),
          whole.subarray(0, Math.floor(whole.length * cut)),
        );
      }
    }
    const intake = createIntakeService({ cacheDir: join(tmp.path, 'cache') });
    records = [];
    for await (const record of intake.scan([album], { model: 'wanx-style-repaint-v1' }))
      records.push(record);
  });
  afterAll(() => tmp.cleanup());

  it('rejects every cut JPEG and PNG with the reason "truncated"', () => {
    expect(records).toHaveLength(cuts.length * 2);
    const wrong = records
      .filter((record) => record.status !== 'rejected' || record.reason?.code !== 'truncated')
      .map((record) => `${record.name}: ${record.status} ${record.reason?.code ?? ''}`);
    expect(wrong).toEqual([]);
  });
});

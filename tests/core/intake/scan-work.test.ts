// What a scan does to a photo: a dry run never builds the upload, and a
// second scan of the same photos reads each once (its hash) and the cache,
// and decodes nothing. Observed in this process (vitest runs each file in its
// own): the bytes node reads (Linux's /proc/self/io, rchar; libvips maps
// files instead of reading them, so only node's reads count), and libvips'
// operations (each one sharp runs lands in libvips' operation cache, whose
// size sharp reports; loading a header runs none).
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PhotoRecord } from '../../../shared/photos';
import {
  createIntakeService,
  type ScanOptions,
} from '../../../electron/core/intake/intake-service';
import { halves, photo, tempDir } from './images';

const bytesRead = async () =>
  Number(/^rchar: (\d+)$/m.exec(await readFile('/proc/self/io', 'utf8'))?.[1]);
const operations = () => sharp.cache().items.current;

let root: string;

/** The scan's records, the bytes node read meanwhile, and the libvips operations run. */
async function scanned(folder: string, cacheDir: string, options: Partial<ScanOptions> = {}) {
  const intake = createIntakeService({ cacheDir, concurrency: 1 });
  const before = { read: await bytesRead(), operations: operations() };
  const records: PhotoRecord[] = [];
  for await (const record of intake.scan([folder], {
    model: 'wanx-style-repaint-v1',
    ...options,
  }))
    records.push(record);
  return {
    records,
    read: (await bytesRead()) - before.read,
    operations: operations() - before.operations,
  };
}

const sizeOf = async (folder: string, names: string[]) =>
  (await Promise.all(names.map((name) => stat(join(folder, name))))).reduce(
    (sum, s) => sum + s.size,
    0,
  );

beforeAll(async () => {
  // Every operation kept, so the count only grows while the tests run.
  sharp.cache({ items: 1_000_000 });
  root = await tempDir('restyle-scan-work-');
  for (const folder of ['plain', 'mixed']) await mkdir(join(root, folder));
  // Noisy, so the files are big (MB) next to anything else read. Upright sRGB
  // within the limits: its upload would be the file itself, metadata stripped.
  await photo(3000, 2000, 40)
    .jpeg({ quality: 95 })
    .toFile(join(root, 'plain', 'IMG_1.jpg'));
  // Its upload would be decoded, turned and encoded.
  await halves(1200, 800)
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toFile(join(root, 'plain', 'IMG_2.jpg'));
  // Beyond the 1.5:1 limit: its crop is placed on a decoded copy.
  await photo(3600, 1800, 40)
    .jpeg({ quality: 95 })
    .toFile(join(root, 'mixed', 'IMG_3.jpg'));
  await photo(1600, 1200, 40)
    .jpeg({ quality: 95 })
    .toFile(join(root, 'mixed', 'IMG_4.jpg'));
});

describe.skipIf(!existsSync('/proc/self/io'))('the work a scan does', () => {
  it('a dry run reads each photo for its hash only and builds no upload', async () => {
    const folder = join(root, 'plain');
    const bytes = await sizeOf(folder, ['IMG_1.jpg', 'IMG_2.jpg']);
    expect(bytes).toBeGreaterThan(3_000_000);
    // No thumbnails asked: nothing needs pixels (no crop, no alpha).
    const { records, read, operations } = await scanned(folder, join(root, 'cache-1'), {
      thumbnails: false,
    });
    expect(records.map((r) => [r.name, r.status, r.planned])).toEqual([
      ['IMG_1.jpg', 'ready', { width: 3000, height: 2000 }],
      ['IMG_2.jpg', 'ready', { width: 800, height: 1200 }],
    ]);
    // Preparing would read IMG_1 again to send it as is, and decode and encode IMG_2.
    expect(read).toBeLessThan(1.5 * bytes);
    expect(operations).toBe(0);
  });

  it('a second scan reads each photo once (its hash): thumbnails, probe and crops come from the cache', async () => {
    const folder = join(root, 'mixed');
    const cacheDir = join(root, 'cache-2');
    const bytes = await sizeOf(folder, ['IMG_3.jpg', 'IMG_4.jpg']);
    const first = await scanned(folder, cacheDir);
    expect(first.operations).toBeGreaterThan(0); // thumbnails, the crop's look
    expect(first.records[0]?.crops?.['wanx-style-repaint-v1']).toBeDefined();
    const second = await scanned(folder, cacheDir);
    expect(second.records).toEqual(first.records);
    expect(second.operations).toBe(0);
    expect(second.read).toBeLessThan(1.5 * bytes);
  });
});

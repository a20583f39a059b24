import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PhotoRecord } from '../../../shared/photos';
import { createIntakeService } from '../../../electron/core/intake/intake-service';
import { readThumbnail, thumbnailPath } from '../../../electron/core/intake/thumbnails';
import { walk } from '../../../electron/core/intake/scan';
import { createEventBus } from '../../../electron/core/events';
import { HEIC_FIXTURE, photo, tempDir } from './images';
import { copyFile } from 'node:fs/promises';

let root: string;
let album: string;
let cache: string;

beforeAll(async () => {
  root = await tempDir();
  album = join(root, 'Trip 2024');
  cache = join(root, 'cache');
  await mkdir(join(album, 'day 1'), { recursive: true });
  await mkdir(join(album, '.hidden-folder'), { recursive: true });
  await photo(800, 600)
    .jpeg()
    .toFile(join(album, 'day 1', 'beach.jpg'));
  await photo(800, 600).png().toFile(join(album, 'sunset.jpg')); // a PNG named .jpg: content decides
  await photo(2000, 500).jpeg().toFile(join(album, 'pano.jpg'));
  await photo(120, 120).jpeg().toFile(join(album, 'tiny.jpg'));
  await copyFile(HEIC_FIXTURE, join(album, 'IMG_0001.HEIC'));
  // The copy kept is the first in gallery order: beach.jpg, beside it.
  await copyFile(join(album, 'day 1', 'beach.jpg'), join(album, 'day 1', 'zcopy of beach.jpg'));
  await photo(800, 600)
    .jpeg()
    .toFile(join(album, '.hidden-folder', 'secret.jpg'));
  await writeFile(join(album, '.DS_Store'), 'Bud1');
  await writeFile(join(album, 'Thumbs.db'), 'x');
  await writeFile(join(album, 'desktop.ini'), '[.ShellClassInfo]');
  await writeFile(join(album, '._beach.jpg'), 'resource fork');
  await writeFile(join(album, 'empty.jpg'), '');
  await writeFile(join(album, 'readme.jpg'), 'not a photo');
  const whole = await photo(800, 600, 40).jpeg().toBuffer();
  await writeFile(join(album, 'cut.jpg'), whole.subarray(0, whole.length >> 1));
  // A loop back to the album, and a second link to a file already counted.
  await symlink(album, join(album, 'day 1', 'loop'));
  await symlink(join(album, 'day 1', 'beach.jpg'), join(album, 'zz-link.jpg'));
});

const collect = async (gen: AsyncIterable<PhotoRecord>) => {
  const out: PhotoRecord[] = [];
  for await (const record of gen) out.push(record);
  return out;
};

describe('walk', () => {
  it('survives a symlink loop and counts a file reached twice once', async () => {
    const entries = [];
    for await (const entry of walk([album, album, join(album, 'day 1', 'beach.jpg')]))
      entries.push(entry);
    const files = entries.filter((e) => e.kind === 'file').map((e) => e.name);
    expect(files.filter((n) => n === 'beach.jpg' || n === 'zz-link.jpg')).toHaveLength(1);
    expect(new Set(files).size).toBe(files.length);
    expect(files).not.toContain('secret.jpg');
    expect(entries.find((e) => e.name === 'beach.jpg')?.folder).toBe('Trip 2024/day 1');
  });
});

describe('intake service scan', () => {
  let records: PhotoRecord[];
  const byName = (name: string) => {
    const found = records.find((r) => r.name === name);
    if (!found) throw new Error(`no record for ${name}`);
    return found;
  };
  beforeAll(async () => {
    const intake = createIntakeService({ cacheDir: cache });
    records = await collect(intake.scan([album], { model: 'wanx-style-repaint-v1' }));
  });

  it('lists every file once, with a status and a reason', () => {
    expect(records.map((r) => r.name).sort()).toEqual(
      [
        '.DS_Store',
        '._beach.jpg',
        'IMG_0001.HEIC',
        'Thumbs.db',
        'zcopy of beach.jpg',
        'beach.jpg',
        'cut.jpg',
        'desktop.ini',
        'empty.jpg',
        'pano.jpg',
        'readme.jpg',
        'sunset.jpg',
        'tiny.jpg',
      ].sort(),
    );
  });

  it('classifies photos by content', () => {
    expect(byName('beach.jpg')).toMatchObject({
      status: 'ready',
      format: 'jpeg',
      width: 800,
      height: 600,
      thumbnails: true,
    });
    expect(byName('sunset.jpg')).toMatchObject({ status: 'ready', format: 'png' });
    expect(byName('IMG_0001.HEIC')).toMatchObject({
      status: 'ready',
      format: 'heic',
      width: 640,
      height: 512,
    });
    expect(byName('pano.jpg')).toMatchObject({ status: 'adjusted', adjustments: ['cropped'] });
    expect(byName('beach.jpg').hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('skips system files and duplicates, rejects bad files with reasons', () => {
    for (const name of ['.DS_Store', 'Thumbs.db', 'desktop.ini', '._beach.jpg']) {
      expect(byName(name)).toMatchObject({ status: 'skipped', reason: { code: 'system_file' } });
    }
    const copies = [byName('beach.jpg'), byName('zcopy of beach.jpg')];
    expect(copies[0]!.hash).toBe(copies[1]!.hash);
    expect(
      copies.filter((r) => r.status === 'skipped' && r.reason?.code === 'duplicate'),
    ).toHaveLength(1);
    expect(byName('tiny.jpg')).toMatchObject({ status: 'rejected', reason: { code: 'too_small' } });
    expect(byName('cut.jpg')).toMatchObject({ status: 'rejected', reason: { code: 'truncated' } });
    expect(byName('empty.jpg')).toMatchObject({ status: 'rejected', reason: { code: 'empty' } });
    expect(byName('readme.jpg')).toMatchObject({
      status: 'rejected',
      reason: { code: 'not_image' },
    });
  });

  it('caches both thumbnails by content hash, as WebP', async () => {
    const hash = byName('beach.jpg').hash!;
    const small = await readThumbnail(cache, hash, 'small');
    const large = await readThumbnail(cache, hash, 'large');
    expect(thumbnailPath(cache, hash, 'small')).toContain(
      join('thumbs', hash.slice(0, 2), `${hash}-320.webp`),
    );
    const [s, l] = await Promise.all([sharp(small!).metadata(), sharp(large!).metadata()]);
    expect([s.format, s.width, s.height]).toEqual(['webp', 320, 240]);
    expect([l.format, l.width, l.height]).toEqual(['webp', 800, 600]); // never enlarged
  });

  it('reads thumbnails by hash only, never by path', async () => {
    const hash = byName('beach.jpg').hash!;
    expect(await readThumbnail(cache, '../../etc/passwd', 'small')).toBeNull();
    expect(await readThumbnail(cache, hash.toUpperCase(), 'small')).toBeNull();
    expect(await readThumbnail(cache, `${hash.slice(0, 60)}/../`, 'small')).toBeNull();
    expect(await readThumbnail(cache, hash, '320/../../x')).toBeNull();
    expect(await readThumbnail(cache, 'a'.repeat(64), 'small')).toBeNull();
  });

  it('streams records in batches through events and reports the totals', async () => {
    const events = createEventBus();
    const intake = createIntakeService({ cacheDir: cache, events });
    const photos: PhotoRecord[] = [];
    const done = new Promise<unknown>((resolve) =>
      events.subscribe((name, payload) => {
        if (name === 'intake:photos') photos.push(...(payload as { photos: PhotoRecord[] }).photos);
        if (name === 'intake:scan-done') resolve(payload);
      }),
    );
    const { scanId } = intake.startScan([album], { model: 'wanx-style-repaint-v1' });
    expect(await done).toMatchObject({
      scanId,
      canceled: false,
      counts: { ready: 3, adjusted: 1, skipped: 5, rejected: 4 },
    });
    expect(photos).toHaveLength(13);
  });
});

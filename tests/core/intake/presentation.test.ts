// Intake presentation (issue 10): files that are not photos are left out and
// counted, duplicates keep the copy named as a photo and show its thumbnail,
// and a photo cut by a hair is not reported as cropped. Real files, real sharp.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LeftOut, ScanDone } from '../../../shared/contract/intake';
import type { PhotoRecord } from '../../../shared/photos';
import { createEventBus } from '../../../electron/core/events';
import { createIntakeService } from '../../../electron/core/intake/intake-service';
import { photo, tempDir } from './images';

const MODEL = 'wanx-style-repaint-v1';
let root: string;

const collect = async (gen: AsyncIterable<PhotoRecord>) => {
  const out: PhotoRecord[] = [];
  for await (const record of gen) out.push(record);
  return out;
};
const named = (records: PhotoRecord[], name: string, folder?: string) => {
  const found = records.find(
    (r) => r.name === name && (folder === undefined || r.folder === folder),
  );
  if (!found) throw new Error(`no record for ${folder ?? ''}/${name}`);
  return found;
};

beforeAll(async () => {
  root = await tempDir('restyle-presentation-');
});

describe('files whose extension says "not a photo"', () => {
  let album: string;
  beforeAll(async () => {
    // A phone backup / Takeout export: photos with their sidecars, videos and notes.
    album = join(root, 'Takeout');
    await mkdir(join(album, 'Photos from 2024'), { recursive: true });
    const dir = join(album, 'Photos from 2024');
    await photo(800, 600).jpeg().toFile(join(dir, 'IMG_0001.jpg'));
    await photo(640, 480, 20).jpeg().toFile(join(dir, 'IMG_0002.HEIC.jpg'));
    for (const name of ['IMG_0001.jpg.json', 'IMG_0002.json', 'metadata.json'])
      await writeFile(join(dir, name), '{"title":"x"}');
    await writeFile(join(dir, 'IMG_0001.AAE'), '<?xml version="1.0"?><plist/>');
    await writeFile(join(dir, 'IMG_0003.MOV'), Buffer.alloc(2048, 1));
    await writeFile(join(dir, 'IMG_0001.xmp'), '<x:xmpmeta/>');
    await writeFile(join(album, 'readme.txt'), 'Your Google Takeout export\n');
    // Named as a photo but not one: still a record, rejected with its reason.
    await writeFile(join(dir, 'notes.jpg'), 'text, not a photo\n');
    // An extension nobody listed: looked at by its bytes.
    await writeFile(join(dir, 'data.bin'), 'binary? no, text\n');
  });

  it('are not records; files named as photos that are not images, or unknown ones, still are', async () => {
    const leftOut: LeftOut = { count: 0, extensions: [] };
    const intake = createIntakeService({ cacheDir: join(root, 'cache') });
    const records = await collect(intake.scan([album], { model: MODEL, leftOut }));
    expect(records.map((r) => r.name).sort()).toEqual(
      ['IMG_0001.jpg', 'IMG_0002.HEIC.jpg', 'data.bin', 'notes.jpg'].sort(),
    );
    expect(named(records, 'notes.jpg')).toMatchObject({
      status: 'rejected',
      reason: { code: 'not_image' },
    });
    expect(named(records, 'data.bin')).toMatchObject({
      status: 'rejected',
      reason: { code: 'not_image' },
    });
    // Counted, most frequent extension first (then by name), lower case.
    expect(leftOut).toEqual({ count: 7, extensions: ['json', 'aae', 'mov', 'txt', 'xmp'] });
  });

  it('are counted in one line of the scan-done event', async () => {
    const events = createEventBus();
    const intake = createIntakeService({ cacheDir: join(root, 'cache'), events });
    const done = new Promise<ScanDone>((resolve) =>
      events.subscribe((name, payload) => {
        if (name === 'intake:scan-done') resolve(payload as ScanDone);
      }),
    );
    intake.startScan([album], { model: MODEL });
    expect(await done).toMatchObject({
      counts: { ready: 2, adjusted: 0, skipped: 0, rejected: 2 },
      leftOut: { count: 7, extensions: ['json', 'aae', 'mov', 'txt', 'xmp'] },
    });
  });

  it('keeps at most 10 extensions', async () => {
    const many = join(root, 'many');
    await mkdir(many, { recursive: true });
    const extensions = [
      'json',
      'mov',
      'mp4',
      'aae',
      'xmp',
      'txt',
      'pdf',
      'csv',
      'html',
      'zip',
      'md',
    ];
    for (const [i, ext] of extensions.entries())
      for (let n = 0; n <= i; n += 1) await writeFile(join(many, `f${n}.${ext}`), 'x');
    const leftOut: LeftOut = { count: 0, extensions: [] };
    const intake = createIntakeService({ cacheDir: join(root, 'cache') });
    expect(await collect(intake.scan([many], { model: MODEL, leftOut }))).toEqual([]);
    expect(leftOut.count).toBe(66);
    expect(leftOut.extensions).toEqual([...extensions].reverse().slice(0, 10));
  });
});

describe('duplicates', () => {
  let album: string;
  let records: PhotoRecord[];
  beforeAll(async () => {
    album = join(root, 'Backup');
    // Folder order on disk ('B' < 'a' by code point) and natural order
    // ('IMG_9' before 'IMG_10') both differ from what the walk meets first.
    await mkdir(join(album, 'a'), { recursive: true });
    await mkdir(join(album, 'B'), { recursive: true });
    const first = join(album, 'a', 'IMG_9.jpg');
    await photo(800, 600, 12).jpeg().toFile(first);
    await copyFile(first, join(album, 'a', 'IMG_10.jpg'));
    await copyFile(first, join(album, 'B', 'IMG_9.jpg'));
    // A phone backup's extensionless copy, first of all in gallery order.
    await copyFile(first, join(album, 'a', '0000-IMG_9'));
    const intake = createIntakeService({ cacheDir: join(root, 'cache-dup'), concurrency: 4 });
    records = await collect(intake.scan([album], { model: MODEL }));
  });

  it('keeps the first copy in gallery order among those with a photo extension', () => {
    const kept = records.filter((r) => r.status !== 'skipped');
    expect(kept.map((r) => `${r.folder}/${r.name}`)).toEqual(['Backup/a/IMG_9.jpg']);
    expect(named(records, 'IMG_9.jpg', 'Backup/a').status).toBe('ready');
  });

  it('names the copy kept by its path in the album, and shows its thumbnail and size', () => {
    for (const [name, folder] of [
      ['IMG_10.jpg', 'Backup/a'],
      ['IMG_9.jpg', 'Backup/B'],
      ['0000-IMG_9', 'Backup/a'],
    ] as const) {
      const copy = named(records, name, folder);
      expect(copy).toMatchObject({
        status: 'skipped',
        reason: { code: 'duplicate', params: { of: 'Backup/a/IMG_9.jpg' } },
        hash: named(records, 'IMG_9.jpg', 'Backup/a').hash,
        thumbnails: true,
        width: 800,
        height: 600,
      });
    }
  });

  it('decides the same whatever the concurrency', async () => {
    for (const concurrency of [1, 8]) {
      const intake = createIntakeService({ cacheDir: join(root, 'cache-dup'), concurrency });
      const again = await collect(intake.scan([album], { model: MODEL }));
      const kept = again.filter((r) => r.status !== 'skipped');
      expect(kept.map((r) => `${r.folder}/${r.name}`)).toEqual(['Backup/a/IMG_9.jpg']);
    }
  });
});

describe('a crop by a hair', () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(root, 'hair');
    await mkdir(dir, { recursive: true });
    // 1503 x 1000 under style repaint's 1.5:1: 3 px (0.2 %) of the long side go.
    await photo(1503, 1000).jpeg().toFile(join(dir, 'hair.jpg'));
    // 1530 x 1000: 30 px (2 %) go, a visible crop.
    await photo(1530, 1000).jpeg().toFile(join(dir, 'visible.jpg'));
  });

  it('is not reported as cropped, yet the photo is still cut within the limit when sent', async () => {
    const intake = createIntakeService({ cacheDir: join(root, 'cache-hair') });
    const records = await collect(intake.scan([dir], { model: MODEL }));
    expect(named(records, 'hair.jpg')).toMatchObject({ status: 'ready', adjustments: [] });
    expect(named(records, 'visible.jpg')).toMatchObject({
      status: 'adjusted',
      adjustments: ['cropped'],
    });

    const sent = await intake.prepare(join(dir, 'hair.jpg'), { model: MODEL });
    expect(sent.adjustments).not.toContain('cropped');
    expect([sent.width, sent.height]).toEqual([1500, 1000]);
    const meta = await sharp(sent.jpeg).metadata();
    expect([meta.width, meta.height]).toEqual([1500, 1000]);
    expect(sent.crop).toMatchObject({ width: 1500, height: 1000, top: 0 });
    expect(named(records, 'hair.jpg').crops?.[MODEL]).toEqual(sent.crop);
  });
});

describe('the crop sent, as the compare view shows it', () => {
  let dir: string;
  /** A grey panorama with a red disc at `x` (of the stored image). */
  const panorama = (width: number, height: number, x: number) =>
    sharp({ create: { width, height, channels: 3, background: '#707070' } }).composite([
      {
        input: Buffer.from(
          `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300"><circle cx="150" cy="150" r="140" fill="#e02020"/></svg>`,
        ),
        left: x,
        top: Math.round(height / 2 - 150),
      },
    ]);
  /** Mean absolute difference of two images of the same size, 0-255. */
  const difference = async (a: Buffer, b: Buffer) => {
    const [pa, pb] = await Promise.all(
      [a, b].map((img) => sharp(img).removeAlpha().raw().toBuffer()),
    );
    let sum = 0;
    for (let i = 0; i < pa!.length; i += 1) sum += Math.abs(pa![i]! - pb![i]!);
    return sum / pa!.length;
  };

  beforeAll(async () => {
    dir = join(root, 'crops');
    await mkdir(dir, { recursive: true });
    // 3:1, the subject near the right end: style repaint (1.5:1) cuts it, imageedit (4:1) does not.
    await panorama(3000, 1000, 2500).jpeg({ quality: 95 }).toFile(join(dir, 'wide.jpg'));
    // 5:1: both models cut it.
    await panorama(5000, 1000, 4400).jpeg({ quality: 95 }).toFile(join(dir, 'wider.jpg'));
    // Stored 1000 x 3000 with the subject near its top, shown upright (orientation 6) as 3000 x 1000.
    const stored = await panorama(3000, 1000, 2500).rotate(-90).jpeg({ quality: 95 }).toBuffer();
    await sharp(stored).withMetadata({ orientation: 6 }).toFile(join(dir, 'turned.jpg'));
  });

  it('places each model crop on the subject, in the upright photo, as the upload is cut', async () => {
    const intake = createIntakeService({ cacheDir: join(root, 'cache-crops') });
    const records = await collect(intake.scan([dir], { model: MODEL }));

    const wide = named(records, 'wide.jpg');
    expect(Object.keys(wide.crops ?? {})).toEqual([MODEL]);
    const box = wide.crops![MODEL]!;
    expect(box).toMatchObject({ width: 1500, height: 1000, top: 0 });
    expect(box.left).toBeGreaterThan(1000); // the red disc (2500-2800) is kept
    expect(box.left + box.width).toBeGreaterThanOrEqual(2800);

    const wider = named(records, 'wider.jpg');
    expect(wider.crops?.['wanx-style-repaint-v1']).toMatchObject({ width: 1500, height: 1000 });
    expect(wider.crops?.['wanx2.1-imageedit']).toMatchObject({ width: 4000, height: 1000 });

    const turned = named(records, 'turned.jpg');
    expect([turned.width, turned.height]).toEqual([3000, 1000]);
    expect(turned.crops?.[MODEL]).toMatchObject({ width: 1500, height: 1000, top: 0 });

    for (const record of [wide, wider, turned]) {
      for (const model of ['wanx-style-repaint-v1', 'wanx2.1-imageedit'] as const) {
        const sent = await intake.prepare(record.path, { model });
        expect(sent.crop).toEqual(record.crops?.[model]);
        if (!sent.crop) continue;
        // The upload is the upright original cut to that box.
        const expected = await sharp(record.path)
          .rotate()
          .extract(sent.crop)
          .resize(sent.width, sent.height, { fit: 'fill' })
          .png()
          .toBuffer();
        expect(await difference(sent.jpeg, expected)).toBeLessThan(3);
      }
    }
  });
});

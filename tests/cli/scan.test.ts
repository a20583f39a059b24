import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../shared/i18n';
import { HEIC_FIXTURE, GPS_EXIF, halves, photo, tempDir } from '../core/intake/images';

const bin = join(import.meta.dirname, '../../bin/restyle.js');
let root: string;
let album: string;

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      RESTYLE_DATA_DIR: join(root, 'data'),
      LANG: 'en_US.UTF-8',
      LC_ALL: '',
      ...env,
    },
    timeout: 60_000,
  });

beforeAll(async () => {
  root = await tempDir('restyle-cli-scan-');
  album = join(root, 'album');
  await mkdir(join(album, 'sub'), { recursive: true });
  await halves(600, 400).withMetadata({ orientation: 6 }).jpeg().toFile(join(album, 'rotated.jpg'));
  await photo(8000, 6000, 4)
    .jpeg({ quality: 80 })
    .toFile(join(album, 'sub', 'huge.jpg'));
  await photo(2000, 500).withExif(GPS_EXIF).jpeg().toFile(join(album, 'pano.jpg'));
  await photo(120, 90).jpeg().toFile(join(album, 'tiny.jpg'));
  await copyFile(HEIC_FIXTURE, join(album, 'phone.heic'));
  await writeFile(join(album, 'empty.jpg'), '');
  await writeFile(join(album, 'notes.jpg'), 'hello');
  await writeFile(join(album, '.DS_Store'), 'Bud1');
  // Not photos by their extension: left out, counted in one line.
  await writeFile(join(album, 'pano.jpg.json'), '{"title":"pano.jpg"}');
  await writeFile(join(album, 'clip.MOV'), Buffer.alloc(1024, 1));
  await symlink(album, join(album, 'sub', 'loop'));
});

describe('restyle scan', () => {
  it('prints one JSON line per file with status, reason, its size and its upload size', () => {
    const result = run(['scan', album, '--json']);
    expect(result.status).toBe(1); // some files are rejected
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const by = Object.fromEntries(lines.map((l) => [String(l.path).slice(album.length + 1), l]));
    expect(Object.keys(by).sort()).toEqual(
      [
        '.DS_Store',
        'empty.jpg',
        'notes.jpg',
        'pano.jpg',
        'phone.heic',
        'rotated.jpg',
        'sub/huge.jpg',
        'tiny.jpg',
      ].sort(),
    );
    expect(by['rotated.jpg']).toMatchObject({
      status: 'ready',
      width: 400,
      height: 600,
      plannedWidth: 400,
    });
    expect(by['sub/huge.jpg']).toMatchObject({
      status: 'adjusted',
      plannedWidth: 4320,
      plannedHeight: 3240,
      folder: 'album/sub',
    });
    expect(by['pano.jpg']).toMatchObject({
      status: 'adjusted',
      plannedWidth: 750,
      adjustments: ['cropped'],
    });
    expect(by['phone.heic']).toMatchObject({ status: 'ready', format: 'heic', width: 640 });
    expect(by['tiny.jpg']).toMatchObject({ status: 'rejected', reason: 'too_small' });
    expect(by['empty.jpg']).toMatchObject({ status: 'rejected', reason: 'empty' });
    expect(by['notes.jpg']).toMatchObject({ status: 'rejected', reason: 'not_image' });
    expect(by['.DS_Store']).toMatchObject({ status: 'skipped', reason: 'system_file' });
  }, 60_000);

  it("keeps thumbnails and probes in the data folder's cache, as the window does, and a second scan reads them", async () => {
    const jsonOf = (result: ReturnType<typeof run>) =>
      JSON.parse(result.stdout.trim()) as Record<string, unknown>;
    const first = jsonOf(run(['scan', join(album, 'rotated.jpg'), '--json']));
    expect(first).toMatchObject({ width: 400, height: 600, plannedWidth: 400 });
    const hash = String(first.hash);
    const cache = join(root, 'data', 'cache');
    const thumbnail = join(cache, 'thumbs', hash.slice(0, 2), `${hash}-1024.webp`);
    const made = (await stat(thumbnail)).mtimeMs;
    // What the cache says is what the next scan reports: it does not look at the photo again.
    const probe = join(cache, 'probes', hash.slice(0, 2), `${hash}.json`);
    const entry = JSON.parse(await readFile(probe, 'utf8')) as Record<string, unknown>;
    expect(entry).toMatchObject({ width: 400, height: 600, adjustments: ['rotated'] });
    await writeFile(probe, JSON.stringify({ ...entry, width: 300, height: 450 }));
    const second = jsonOf(run(['scan', join(album, 'rotated.jpg'), '--json']));
    expect(second).toMatchObject({ width: 300, height: 450, plannedWidth: 300 });
    expect((await stat(thumbnail)).mtimeMs).toBe(made);
  }, 60_000);

  it('prints readable lines in Chinese and exits 0 when nothing is rejected', () => {
    const result = run(['scan', join(album, 'rotated.jpg'), join(album, 'phone.heic')], {
      LANG: 'zh_CN.UTF-8',
    });
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.startsWith('就绪'))).toBe(true);
    expect(result.stderr).toContain('共 2 个文件');
  });

  it('counts the files left out as not photos in one line, and lists none of them', () => {
    const result = run(['scan', album]);
    expect(result.stdout).not.toMatch(/pano\.jpg\.json|clip\.MOV/);
    expect(result.stderr).toContain(
      createTranslator('en')('intake.leftOut', { count: 2, extensions: 'json, mov' }),
    );
  }, 60_000);

  it('exits 2 on an unknown model', () => {
    expect(run(['scan', album, '--model', 'dall-e']).status).toBe(2);
  });
});

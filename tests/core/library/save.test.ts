import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLibrary } from '../../../electron/core/library/library';
import { ResultImageError } from '../../../electron/core/library/result-image';
import { parseSidecar } from '../../../electron/core/library/sidecar';
import type { Library } from '../../../electron/core/library/types';
import { useTempDir } from '../../support/temp-dir';
import { HASH_B, PROMPT3, filesUnder, jpegResult, pngResult, saveInput } from './fixtures';

let temp: ReturnType<typeof useTempDir>;
let library: Library;
let savedEvents: string[];

beforeEach(() => {
  temp = useTempDir('restyle-library-');
  savedEvents = [];
  library = createLibrary({
    root: join(temp.path, 'lib'),
    appVersion: '9.9.9',
    onSaved: (entry) => savedEvents.push(entry.id),
    now: () => Date.parse('2025-01-02T03:05:00.000Z'),
  });
});
afterEach(() => {
  library.close();
  temp.cleanup();
});

describe('save', () => {
  it('mirrors the album tree and names the file <name>.<slug>.<ext>', async () => {
    const entry = await library.save(saveInput(await pngResult()));
    expect(entry.path).toBe(join(library.root, 'Trip 2024', 'day 1', 'IMG_0001.anime.png'));
    expect(entry.sidecarPath).toBe(`${entry.path}.restyle.json`);
    expect(entry).toMatchObject({ width: 64, height: 48, variant: 0, recipeKey: 'preset:2' });
    expect(savedEvents).toEqual([entry.id]);
    expect(library.get(entry.id)).toEqual(entry);
  });

  it('picks the extension from the real format, not the source name', async () => {
    const entry = await library.save(saveInput(await jpegResult()));
    expect(entry.path.endsWith('IMG_0001.anime.jpg')).toBe(true);
  });

  it('never overwrites: a file the user put there, and two saves of the same name', async () => {
    const folder = join(library.root, 'Trip 2024', 'day 1');
    const first = await library.save(saveInput(await pngResult()));
    writeFileSync(join(folder, 'IMG_0001.anime (2).png'), 'mine');
    const [second, third] = await Promise.all([
      library.save(saveInput(await pngResult(), { taskId: 'task-2' })),
      library.save(saveInput(await pngResult(), { taskId: 'task-3' })),
    ]);
    expect(first.path.endsWith('IMG_0001.anime.png')).toBe(true);
    expect([second.path, third.path].map((p) => p.slice(folder.length + 1))).toEqual([
      'IMG_0001.anime (3).png',
      'IMG_0001.anime (4).png',
    ]);
    expect(readFileSync(join(folder, 'IMG_0001.anime (2).png'), 'utf8')).toBe('mine');
    expect(new Set([first.id, second.id, third.id]).size).toBe(3);
  });

  it('numbers variants 1-based when the recipe makes several images', async () => {
    const paths: string[] = [];
    for (const variant of [0, 1, 2]) {
      const input = saveInput(await pngResult(), {
        recipe: PROMPT3,
        variant,
        model: 'wanx2.1-imageedit',
      });
      paths.push((await library.save(input)).path);
    }
    expect(paths.map((p) => p.split(/[/\\]/).pop())).toEqual([
      expect.stringMatching(/^IMG_0001\.prompt-[0-9a-f]{8}\.1\.png$/),
      expect.stringMatching(/^IMG_0001\.prompt-[0-9a-f]{8}\.2\.png$/),
      expect.stringMatching(/^IMG_0001\.prompt-[0-9a-f]{8}\.3\.png$/),
    ]);
  });

  it('writes a sidecar with every provenance field', async () => {
    const image = await pngResult();
    const entry = await library.save(saveInput(image, { requestId: null, costCny: 0.1200004 }));
    const raw = JSON.parse(readFileSync(entry.sidecarPath, 'utf8'));
    expect(parseSidecar(JSON.stringify(raw))).not.toBeNull();
    expect(raw).toMatchObject({
      schema: 'restyle.result/1',
      id: entry.id,
      app: { name: 'Restyle', version: '9.9.9' },
      source: {
        path: '/photos/Trip 2024/day 1/IMG_0001.JPG',
        sha256: 'a'.repeat(64),
        albumFolder: 'Trip 2024/day 1',
        adjustments: ['rotated'],
      },
      model: 'wanx-style-repaint-v1',
      recipe: { kind: 'preset', styleIndex: 2 },
      recipeKey: 'preset:2',
      style: { slug: 'anime', name: { en: 'Anime', 'zh-CN': '二次元' } },
      variant: 0,
      task: { id: 'task-1', requestId: null },
      costCny: 0.12,
      times: {
        submittedAt: '2025-01-02T03:04:05.000Z',
        finishedAt: '2025-01-02T03:04:20.000Z',
        savedAt: '2025-01-02T03:05:00.000Z',
      },
      result: {
        file: 'IMG_0001.anime.png',
        format: 'png',
        width: 64,
        height: 48,
        bytes: image.length,
        xmp: true,
      },
    });
    expect(raw.result.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('embeds XMP in PNG and JPEG results, readable by a standard parser, pixels unchanged', async () => {
    for (const make of [pngResult, jpegResult]) {
      const image = await make();
      const entry = await library.save(saveInput(image, { taskId: `t-${make.name}` }));
      const saved = readFileSync(entry.path);
      const meta = await sharp(saved).metadata();
      const xmp = meta.xmp?.toString('utf8') ?? '';
      expect(xmp).toContain('restyle:TaskId="t-');
      expect(xmp).toContain(`restyle:SourceSHA256="${'a'.repeat(64)}"`);
      expect(xmp).toContain('restyle:StyleNameZh="二次元"');
      expect(xmp).toContain('<dc:source>/photos/Trip 2024/day 1/IMG_0001.JPG</dc:source>');
      const [before, after] = await Promise.all([
        sharp(image).raw().toBuffer(),
        sharp(saved).raw().toBuffer(),
      ]);
      expect(after.equals(before)).toBe(true);
    }
  });

  it('refuses bytes that do not decode, leaving no file behind', async () => {
    const png = await pngResult(256, 256);
    for (const bad of [
      Buffer.from('<Error>AccessDenied</Error>'),
      png.subarray(0, png.length / 2),
    ]) {
      await expect(library.save(saveInput(bad))).rejects.toBeInstanceOf(ResultImageError);
    }
    await expect(library.save(saveInput(Buffer.alloc(0)))).rejects.toMatchObject({
      code: 'file_unreadable',
    });
    expect(filesUnder(library.root)).toEqual([]);
    expect(library.list()).toEqual([]);
  });

  it('keeps a climbing or absolute album folder inside the root', async () => {
    for (const albumFolder of ['../../etc', '/etc/x', 'C:\\Windows\\..\\..\\x']) {
      const entry = await library.save(
        saveInput(await pngResult(), { source: { path: '/p/a.jpg', hash: HASH_B, albumFolder } }),
      );
      expect(entry.path.startsWith(library.root)).toBe(true);
    }
    expect(filesUnder(library.root).filter((p) => !p.endsWith('.json'))).toEqual([
      'C_/Windows/x/a.anime.png',
      'etc/a.anime.png',
      'etc/x/a.anime.png',
    ]);
  });

  it('keeps Chinese names and strips characters Windows refuses', async () => {
    const entry = await library.save(
      saveInput(await pngResult(), {
        source: {
          path: '/相册/春节 2024/全家福?.jpg',
          hash: HASH_B,
          albumFolder: '相册/春节: 2024',
        },
      }),
    );
    expect(entry.path).toBe(join(library.root, '相册', '春节_ 2024', '全家福_.anime.png'));
  });
});

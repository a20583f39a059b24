/**
 * `restyle library list|search|stats|export|rebuild`, the real CLI in a child
 * process over a real library folder (results saved by the library itself,
 * real images and sidecars), answered by the window's own channels.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireEngineLock } from '../../electron/core/queue/engine-lock';
import { createLibrary, indexPath } from '../../electron/core/library/library';
import { openJobStore } from '../../electron/core/queue/job-store';
import type {
  ExportReport,
  LibraryItem,
  LibraryStats,
  SyncReport,
} from '../../shared/contract/library';
import { HASH_B, PROMPT3, jpegResult, saveInput } from '../core/library/fixtures';
import { useTempDir } from '../support/temp-dir';
import { runCli } from './cli-rig';

let tmp: ReturnType<typeof useTempDir>;
let root: string;
let dataDir: string;
/** The results saved, by a name of the test's own. */
const saved: Record<string, LibraryItem> = {};
const COMIC = { kind: 'preset', styleIndex: 0 } as const;

beforeAll(async () => {
  tmp = useTempDir('restyle-cli-library-');
  root = join(tmp.path, 'library');
  dataDir = join(tmp.path, 'data');
  const image = await jpegResult();
  let clock = Date.parse('2025-03-10T08:00:00Z');
  const library = createLibrary({ root, now: () => (clock += 3_600_000) });
  try {
    const save = async (name: string, overrides: Parameters<typeof saveInput>[1]) =>
      (saved[name] = await library.save(saveInput(image, overrides)));
    // Trip 2024: anime of two photos, a retro comic; Lake 湖: the prompt's three images.
    await save('beach', { taskId: 't1', costCny: 0.12 });
    await save('dunes', {
      source: { path: '/photos/Trip 2024/IMG_0002.JPG', hash: HASH_B, albumFolder: 'Trip 2024' },
      taskId: 't2',
      costCny: 0,
    });
    await save('comic', { recipe: COMIC, taskId: 't3', costCny: 0.12 });
    for (const variant of [0, 1, 2])
      await save(`lake${variant}`, {
        source: { path: '/photos/Lake 湖/夕阳.jpg', hash: 'c'.repeat(64), albumFolder: 'Lake 湖' },
        recipe: PROMPT3,
        model: 'wanx2.1-imageedit',
        variant,
        taskId: 't4',
        costCny: 0.14,
      });
    await library.setRating([saved.comic!.id], { rating: 4, favourite: true });
  } finally {
    library.close();
  }
});
afterAll(() => tmp.cleanup());

const dirs = () => ['--library', root, '--data-dir', dataDir];
/** The CLI with times read in UTC, in English unless told. */
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(['library', ...args, ...dirs()], { TZ: 'UTC', ...env });
const ids = (stdout: string) =>
  (JSON.parse(stdout) as { items: LibraryItem[] }).items.map((item) => item.id);

describe('restyle library', () => {
  it('list: newest first, filters as flags combined, --json the window’s page', async () => {
    const all = await cli(['list', '--json']);
    expect(all.code, all.stderr).toBe(0);
    const page = JSON.parse(all.stdout) as { items: LibraryItem[]; total: number };
    expect(page.total).toBe(6);
    expect(page.items.map((item) => item.id)).toEqual(
      ['lake2', 'lake1', 'lake0', 'comic', 'dunes', 'beach'].map((name) => saved[name]!.id),
    );

    const anime = await cli(['list', '--json', '--album', 'Trip 2024', '--style', 'anime']);
    expect(ids(anime.stdout)).toEqual([saved.dunes!.id, saved.beach!.id]);
    const rated = await cli(['list', '--json', '--min-rating', '3', '--favourite']);
    expect(ids(rated.stdout)).toEqual([saved.comic!.id]);
    const paged = await cli([
      'list',
      '--json',
      '--sort',
      'oldest',
      '--limit',
      '2',
      '--offset',
      '1',
    ]);
    expect(ids(paged.stdout)).toEqual([saved.dunes!.id, saved.comic!.id]);
    const model = await cli([
      'list',
      '--json',
      '--model',
      'wanx2.1-imageedit',
      '--to',
      '2025-03-10',
    ]);
    expect(JSON.parse(model.stdout)).toMatchObject({ total: 3 });
  }, 60_000);

  it('list: a line per result for people, in their language; what it shows of how many', async () => {
    const en = await cli(['list', '--album', 'Trip 2024', '--limit', '2']);
    expect(en.code, en.stderr).toBe(0);
    // Times are the computer's (UTC here): `2025-03-10 11:00`.
    const at = (item: LibraryItem) => item.savedAt.slice(0, 16).replace('T', ' ');
    const { comic, dunes } = saved as Record<string, LibraryItem>;
    expect(en.stdout.trim().split('\n')).toEqual([
      `${comic.id}  ${at(comic)}  Retro comic  0.12 CNY  ★★★★ ♥  ${comic.path}`,
      `${dunes.id}  ${at(dunes)}  Anime  free  ${dunes.path}`,
    ]);
    expect(en.stderr.trim()).toBe('Results 1-2 of 3.');

    const zh = await cli(['list', '--style', '0'], { LANG: 'zh_CN.UTF-8' });
    expect(zh.stdout).toContain('复古漫画');
    expect(zh.stdout).toContain('0.12 元');
    expect(zh.stderr.trim()).toBe('第 1-1 个，共 1 个。');
  }, 60_000);

  it('search: words in the file name, the original’s path or the prompt, Chinese too', async () => {
    const prompt = await cli(['search', 'watercolour', '--json']);
    expect(JSON.parse(prompt.stdout)).toMatchObject({ total: 3 });
    const chinese = await cli(['search', '夕阳', '--json']);
    expect(JSON.parse(chinese.stdout)).toMatchObject({ total: 3 });
    const both = await cli(['search', 'IMG_0002', 'trip', '--json']);
    expect(ids(both.stdout)).toEqual([saved.dunes!.id]);
    const none = await cli(['search', 'nothing-like-this']);
    expect(none.code).toBe(0);
    expect(none.stderr.trim()).toBe('No result matches.');
  }, 60_000);

  it('stats: what the results cost in total and per album, style, month and model', async () => {
    const json = await cli(['stats', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const stats = JSON.parse(json.stdout) as LibraryStats;
    expect(stats).toMatchObject({ results: 6, photos: 3, costCny: 0.66, freeResults: 1 });
    expect(stats.byAlbum.map((line) => [line.key, line.results, line.costCny])).toEqual(
      expect.arrayContaining([
        ['Trip 2024', 3, 0.24],
        ['Lake 湖', 3, 0.42],
      ]),
    );

    const words = await cli(['stats', '--album', 'Lake 湖']);
    expect(words.stdout.trim().split('\n')).toEqual([
      '3 results of 1 photo cost 0.42 CNY (0 made under the free allowance).',
      'By album:',
      '  Lake 湖: 3 results, 0.42 CNY',
      'By style:',
      '  Prompt: 水彩风格 watercolour: 3 results, 0.42 CNY',
      'By month:',
      '  2025-03: 3 results, 0.42 CNY',
      'By model:',
      '  wanx2.1-imageedit: 3 results, 0.42 CNY',
    ]);
  }, 60_000);

  it('export: the results by id to a folder, with or without sidecars, flat or zipped', async () => {
    // A folder that is there, as the window's chooser gives (a missing one is refused, exit 1).
    const to = join(tmp.path, 'export');
    const gone = await cli(['export', saved.beach!.id, '--to', to]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(to);
    mkdirSync(to);
    const folders = await cli(['export', saved.beach!.id, saved.lake0!.id, '--to', to, '--json']);
    expect(folders.code, folders.stderr).toBe(0);
    expect(JSON.parse(folders.stdout) as ExportReport).toMatchObject({
      destination: to,
      images: 2,
      skipped: 0,
    });
    const files = readdirSync(to, { recursive: true, encoding: 'utf8' }).map((f) =>
      f.split('\\').join('/'),
    );
    expect(files).toEqual(
      expect.arrayContaining([
        `Trip 2024/day 1/${saved.beach!.fileName}`,
        `Trip 2024/day 1/${saved.beach!.fileName}.restyle.json`,
        `Lake 湖/${saved.lake0!.fileName}`,
      ]),
    );

    const flat = join(tmp.path, 'flat');
    mkdirSync(flat);
    const bare = await cli(['export', saved.comic!.id, '--to', flat, '--flat', '--no-sidecars']);
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stdout.trim()).toBe(`Exported 1 image to ${flat}.`);
    expect(readdirSync(flat)).toEqual([saved.comic!.fileName]);

    const both = await cli(['export', saved.comic!.id, '--to', flat, '--flat', '--zip']);
    expect(both.code).toBe(2);
    expect(both.stderr.trim()).toBe('restyle: Give only one of --flat, --zip.');
    const unknown = await cli(['export', 'no-such-id', '--to', flat]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe(
      '1 result was left out: it is not in the library, or its file is missing.',
    );
  }, 60_000);

  it('rebuild: the index made again from the sidecars, ratings kept', async () => {
    rmSync(indexPath(root), { force: true });
    const json = await cli(['rebuild', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout) as SyncReport).toMatchObject({ entries: 6, missing: 0 });
    const rated = await cli(['list', '--json', '--min-rating', '4']);
    expect(ids(rated.stdout)).toEqual([saved.comic!.id]);
    const words = await cli(['rebuild']);
    expect(words.stdout.trim()).toBe(
      'Index rebuilt: 6 results, 0 newly found, 0 moved or renamed and linked again, 0 missing.',
    );
  }, 60_000);

  it('takes no lock (it runs beside the window or a run) and does not remember --library', async () => {
    const store = openJobStore(join(dataDir, 'queue.sqlite'));
    const lock = acquireEngineLock(store.db);
    try {
      const listed = await cli(['list', '--json']);
      expect(listed.code, listed.stderr).toBe(0);
      expect(JSON.parse(listed.stdout)).toMatchObject({ total: 6 });
      expect(store.getMeta('libraryDir')).toBeNull();
    } finally {
      lock.release();
      store.close();
    }
  }, 30_000);

  it('says what is wrong with a flag, in the user’s language (exit 2)', async () => {
    const style = await cli(['list', '--style', 'sepia']);
    expect(style.code).toBe(2);
    expect(style.stderr).toContain('Unknown style sepia');
    const day = await cli(['list', '--from', '2025-02-30'], { LANG: 'zh_CN.UTF-8' });
    expect(day.code).toBe(2);
    expect(day.stderr).toContain('--from 2025-02-30 不是日期');
    const both = await cli(['list', '--missing', '--present']);
    expect(both.code).toBe(2);
    expect(existsSync(join(dataDir, 'queue.sqlite'))).toBe(true);
  }, 60_000);
});

// library:export: copies of results, with their sidecars, as the album tree,
// flat or one zip; never over the user's files; missing results skipped; a
// full or read-only destination leaves nothing behind.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createScriptedPlatform,
  type ScriptedPlatform,
} from '../../../electron/core/bridge/bridge-app';
import { createDispatcher, type Dispatch } from '../../../electron/core/ipc/dispatch';
import { handlers } from '../../../electron/core/ipc/handlers';
import { createSenderCheck } from '../../../electron/core/ipc/trusted-sender';
import { createLibrary } from '../../../electron/core/library/library';
import {
  exportResults,
  zipName,
  type ExportDeps,
  type ExportLayout,
} from '../../../electron/core/library/library-export';
import { parseSidecar } from '../../../electron/core/library/sidecar';
import type { Library, LibraryEntry } from '../../../electron/core/library/types';
import type { Services } from '../../../electron/core/services';
import { createTranslator, describeError } from '../../../shared/i18n';
import { makeServices } from '../../support/core-services';
import { useTempDir } from '../../support/temp-dir';
import { filesUnder, HASH_B, jpegResult, noisePng, pngResult, saveInput } from './fixtures';

const AT = new Date(2026, 10, 30, 22, 31, 5); // local time
const ZIP = 'Restyle export 2026-11-30 22.31.05.zip';

let temp: ReturnType<typeof useTempDir>;
let root: string;
let dest: string;
beforeEach(() => {
  temp = useTempDir('restyle-export-');
  root = join(temp.path, 'library');
  dest = join(temp.path, 'export');
  mkdirSync(dest);
});
afterEach(() => temp.cleanup());

/** Three results: two named alike in two albums, one at the library's top. */
async function threeResults(library: Library, image = pngResult): Promise<LibraryEntry[]> {
  return [
    await library.save(saveInput(await image())),
    await library.save(
      saveInput(await image(), {
        source: {
          path: '/photos/Trip 2024/day 2/IMG_0001.JPG',
          hash: HASH_B,
          albumFolder: 'Trip 2024/day 2',
        },
        taskId: 'task-2',
      }),
    ),
    await library.save(
      saveInput(image === pngResult ? await jpegResult() : await image(), {
        source: { path: '/photos/cover.jpg', hash: 'c'.repeat(64), albumFolder: '' },
        taskId: 'task-3',
      }),
    ),
  ];
}

const ids = (entries: LibraryEntry[]) => entries.map((e) => e.id);

describe('exportResults', () => {
  let library: Library;
  let entries: LibraryEntry[];
  beforeEach(async () => {
    library = createLibrary({ root });
    entries = await threeResults(library);
  });
  afterEach(() => library.close());
  /** Every result of the three, to `dest`. */
  const exportAll = (layout: ExportLayout, sidecars: boolean, deps?: ExportDeps) =>
    exportResults(library, { ids: ids(entries), layout, sidecars, destination: dest }, deps);

  it('folders: the album tree, each image beside its sidecar, the same bytes', async () => {
    const report = await exportAll('folders', true);
    expect(report).toEqual({ destination: realpathSync(dest), images: 3, skipped: 0 });
    expect(filesUnder(dest)).toEqual([
      'Trip 2024/day 1/IMG_0001.anime.png',
      'Trip 2024/day 1/IMG_0001.anime.png.restyle.json',
      'Trip 2024/day 2/IMG_0001.anime.png',
      'Trip 2024/day 2/IMG_0001.anime.png.restyle.json',
      'cover.anime.jpg',
      'cover.anime.jpg.restyle.json',
    ]);
    for (const entry of entries) {
      const rel = entry.path.slice(root.length + 1);
      expect(readFileSync(join(dest, rel))).toEqual(readFileSync(entry.path));
      expect(parseSidecar(readFileSync(join(dest, `${rel}.restyle.json`), 'utf8'))?.id).toBe(
        entry.id,
      );
    }
  });

  it('without sidecars: the images alone', async () => {
    await exportAll('folders', false);
    expect(filesUnder(dest)).toEqual([
      'Trip 2024/day 1/IMG_0001.anime.png',
      'Trip 2024/day 2/IMG_0001.anime.png',
      'cover.anime.jpg',
    ]);
  });

  it('flat: one folder, a clash named " (2)" with its own sidecar beside it', async () => {
    await exportAll('flat', true);
    expect(filesUnder(dest)).toEqual([
      'IMG_0001.anime (2).png',
      'IMG_0001.anime (2).png.restyle.json',
      'IMG_0001.anime.png',
      'IMG_0001.anime.png.restyle.json',
      'cover.anime.jpg',
      'cover.anime.jpg.restyle.json',
    ]);
    // Each sidecar describes the image beside it (in the order asked: the second is (2)).
    const names = ['IMG_0001.anime.png', 'IMG_0001.anime (2).png', 'cover.anime.jpg'];
    for (const [i, name] of names.entries()) {
      const entry = entries[i] as LibraryEntry;
      expect(readFileSync(join(dest, name))).toEqual(readFileSync(entry.path));
      const sidecar = parseSidecar(readFileSync(join(dest, `${name}.restyle.json`), 'utf8'));
      expect(sidecar?.id).toBe(entry.id);
    }
  });

  it("never overwrites the user's files: a taken image or sidecar name moves on to (2)", async () => {
    writeFileSync(join(dest, 'cover.anime.jpg'), 'mine');
    mkdirSync(join(dest, 'Trip 2024', 'day 1'), { recursive: true });
    writeFileSync(join(dest, 'Trip 2024', 'day 1', 'IMG_0001.anime.png.restyle.json'), 'notes');
    await exportAll('folders', true);
    expect(readFileSync(join(dest, 'cover.anime.jpg'), 'utf8')).toBe('mine');
    expect(
      readFileSync(join(dest, 'Trip 2024', 'day 1', 'IMG_0001.anime.png.restyle.json'), 'utf8'),
    ).toBe('notes');
    expect(filesUnder(dest)).toEqual([
      'Trip 2024/day 1/IMG_0001.anime (2).png',
      'Trip 2024/day 1/IMG_0001.anime (2).png.restyle.json',
      'Trip 2024/day 1/IMG_0001.anime.png.restyle.json',
      'Trip 2024/day 2/IMG_0001.anime.png',
      'Trip 2024/day 2/IMG_0001.anime.png.restyle.json',
      'cover.anime (2).jpg',
      'cover.anime (2).jpg.restyle.json',
      'cover.anime.jpg',
    ]);
  });

  it('skips and counts results whose file is gone, unknown ids and links planted in the library', async () => {
    const [first, second, third] = entries as [LibraryEntry, LibraryEntry, LibraryEntry];
    unlinkSync(second.path);
    const outsidePng = join(temp.path, 'outside.png');
    writeFileSync(outsidePng, await pngResult());
    unlinkSync(third.path);
    symlinkSync(outsidePng, third.path);
    const report = await exportResults(library, {
      ids: [first.id, second.id, third.id, 'no-such-id'],
      layout: 'flat',
      sidecars: true,
      destination: dest,
    });
    expect(report).toMatchObject({ images: 1, skipped: 3 });
    expect(filesUnder(dest)).toEqual(['IMG_0001.anime.png', 'IMG_0001.anime.png.restyle.json']);
  });

  it('zip: one file named for the local time, the album tree and sidecars inside, the same bytes', async () => {
    const report = await exportAll('zip', true, { now: () => AT });
    expect(zipName(AT)).toBe(ZIP);
    const zip = join(realpathSync(dest), ZIP);
    expect(report).toEqual({ destination: zip, images: 3, skipped: 0 });
    // Nothing else in the folder: no temp file left.
    expect(filesUnder(dest)).toEqual([ZIP]);
    const listed = execFileSync('zipinfo', ['-1', zip], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .sort();
    expect(listed).toEqual([
      'Trip 2024/day 1/IMG_0001.anime.png',
      'Trip 2024/day 1/IMG_0001.anime.png.restyle.json',
      'Trip 2024/day 2/IMG_0001.anime.png',
      'Trip 2024/day 2/IMG_0001.anime.png.restyle.json',
      'cover.anime.jpg',
      'cover.anime.jpg.restyle.json',
    ]);
    const inside = (name: string) => execFileSync('unzip', ['-p', zip, name]);
    expect(inside('Trip 2024/day 2/IMG_0001.anime.png')).toEqual(readFileSync(entries[1]!.path));
    expect(parseSidecar(inside('cover.anime.jpg.restyle.json').toString('utf8'))?.id).toBe(
      entries[2]?.id,
    );
    // `unzip -t` checks every entry's CRC.
    expect(execFileSync('unzip', ['-tq', zip], { encoding: 'utf8' })).toMatch(/No errors/);

    // A second export in the same second does not replace the first.
    const again = await exportResults(
      library,
      { ids: [entries[0]!.id], layout: 'zip', sidecars: false, destination: dest },
      { now: () => AT },
    );
    expect(again.destination).toBe(
      join(realpathSync(dest), 'Restyle export 2026-11-30 22.31.05 (2).zip'),
    );
    expect(execFileSync('zipinfo', ['-1', zip], { encoding: 'utf8' })).toContain('cover.anime.jpg');
  });

  it('refuses a destination that is not an existing folder, or lies inside the library', async () => {
    const file = join(temp.path, 'file.txt');
    writeFileSync(file, 'x');
    const link = join(temp.path, 'into-library');
    symlinkSync(join(root, 'Trip 2024'), link);
    const cases: Array<[string, string]> = [
      ['relative/folder', 'missing'],
      [join(temp.path, 'nowhere'), 'missing'],
      [file, 'missing'],
      [root, 'inside_library'],
      [join(root, '.restyle'), 'inside_library'],
      [join(root, 'Trip 2024'), 'inside_library'],
      [link, 'inside_library'],
    ];
    for (const [destination, context] of cases)
      await expect(
        exportResults(library, { ids: ids(entries), layout: 'flat', sidecars: true, destination }),
        destination,
      ).rejects.toMatchObject({ code: 'invalid_folder', params: { path: destination, context } });
    expect(filesUnder(root)).toHaveLength(6);
    const t = createTranslator('zh-CN');
    expect(
      describeError(t, {
        code: 'invalid_folder',
        message: '',
        params: { path: root, context: 'inside_library' },
      }),
    ).toContain('结果库以外');
  });
});

// A real full (or read-only) file system as the destination, in a child's own
// mount namespace: nothing half-written stays, and the error names the folder.
const canMount =
  process.platform === 'linux' &&
  spawnSync('unshare', ['-rm', 'true'], { stdio: 'ignore' }).status === 0;
const child = join(import.meta.dirname, 'export-child.ts');

function exportOnMount(options: string, layout: string): Record<string, unknown> {
  const script = `mount -t tmpfs -o ${options} none "$1" && exec "$2" --import tsx "$3" "$4" "$1" "$5"`;
  const run = spawnSync(
    'unshare',
    ['-rm', 'sh', '-c', script, 'sh', dest, process.execPath, child, root, layout],
    { encoding: 'utf8', cwd: process.cwd(), timeout: 60_000 },
  );
  const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
  expect(line, run.stderr).toBeDefined();
  return JSON.parse(line ?? '{}') as Record<string, unknown>;
}

describe.skipIf(!canMount)('export to a full or read-only disk', () => {
  beforeEach(async () => {
    // About 120 KB each: the first fits in 256 KB, the rest do not.
    const library = createLibrary({ root });
    await threeResults(library, () => noisePng(200, 200));
    library.close();
  });

  for (const layout of ['folders', 'flat', 'zip'])
    it(`${layout}: disk_full, and nothing left in the folder`, () => {
      const outcome = exportOnMount('size=256k', layout);
      expect(outcome).toEqual({
        error: 'disk_full',
        params: { path: dest, context: 'export' },
        files: [],
      });
    });

  it('a read-only folder: folder_read_only, said as an export', () => {
    expect(exportOnMount('ro', 'folders')).toEqual({
      error: 'folder_read_only',
      params: { path: dest, context: 'export' },
      files: [],
    });
    const t = createTranslator('en');
    expect(
      describeError(t, {
        code: 'folder_read_only',
        message: '',
        params: { path: dest, context: 'export' },
      }),
    ).toBe(`The folder ${dest} is read-only: nothing was exported. Choose another folder.`);
  });
});

describe('the library:export channel', () => {
  const PAGE = 'file:///opt/Restyle/resources/app.asar/out/renderer/index.html';
  let services: Services;
  let platform: ScriptedPlatform;
  let dispatch: Dispatch;
  let entry: LibraryEntry;
  beforeEach(async () => {
    platform = createScriptedPlatform();
    services = makeServices(join(temp.path, 'data'), { platform });
    dispatch = createDispatcher({ services, handlers, isTrustedSender: createSenderCheck([PAGE]) });
    entry = await services.library.save(saveInput(await pngResult()));
  });
  afterEach(() => services.library.close());

  it('asks the chooser, or takes the folder the page chose; canceled is null', async () => {
    const call = (payload: Record<string, unknown>) =>
      dispatch({ senderUrl: PAGE }, 'library:export', { ids: [entry.id], ...payload });
    // A browser has no OS chooser: the page opens its own folder browser.
    expect(await call({})).toMatchObject({ ok: false, error: { code: 'choose_in_window' } });
    platform.queueFolderChoice(null);
    expect(await call({})).toEqual({ ok: true, value: null });
    platform.queueFolderChoice(dest);
    expect(await call({ layout: 'flat', sidecars: false })).toEqual({
      ok: true,
      value: { destination: realpathSync(dest), images: 1, skipped: 0 },
    });
    const chosen = join(temp.path, 'chosen');
    mkdirSync(chosen);
    expect(await call({ destination: chosen })).toMatchObject({ ok: true, value: { images: 1 } });
    expect(filesUnder(dest)).toEqual(['IMG_0001.anime.png']);
    expect(filesUnder(chosen)).toEqual([
      'Trip 2024/day 1/IMG_0001.anime.png',
      'Trip 2024/day 1/IMG_0001.anime.png.restyle.json',
    ]);
    rmSync(chosen, { recursive: true });
    expect(await call({ destination: chosen })).toMatchObject({
      ok: false,
      error: { code: 'invalid_folder', params: { context: 'missing' } },
    });
  });
});

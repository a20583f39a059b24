import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLibrary, indexPath } from '../../../electron/core/library/library';
import type { Library, LibraryEntry } from '../../../electron/core/library/types';
import type { LogFields } from '../../../electron/core/log/logger';
import { silentLogger } from '../../../electron/core/log/logger';
import { recipeKey } from '../../../shared/recipe';
import { useTempDir } from '../../support/temp-dir';
import { ANIME, HASH_A, HASH_B, PROMPT3, pngResult, saveInput } from './fixtures';

let temp: ReturnType<typeof useTempDir>;
let logged: Array<{ message: string; fields?: LogFields }>;
let clock: number;

const open = (): Library =>
  createLibrary({
    root: temp.path,
    now: () => clock,
    log: { ...silentLogger, info: (message, fields) => void logged.push({ message, fields }) },
  });

const sorted = (entries: LibraryEntry[]) => [...entries].sort((a, b) => a.id.localeCompare(b.id));

/** Three results: two albums, two photos, two recipes (one with two variants). */
async function fill(library: Library): Promise<LibraryEntry[]> {
  const image = await pngResult();
  const out: LibraryEntry[] = [];
  const save = async (overrides: Parameters<typeof saveInput>[1]) => {
    clock += 1000;
    out.push(await library.save(saveInput(image, overrides)));
  };
  await save({});
  await save({ source: { path: '/p/b.jpg', hash: HASH_B, albumFolder: 'Trip 2024/day 2' } });
  const prompt = { recipe: PROMPT3, model: 'wanx2.1-imageedit' as const };
  await save({ ...prompt, variant: 0 });
  await save({
    ...prompt,
    variant: 1,
    source: { path: '/q/c.jpg', hash: HASH_B, albumFolder: 'Other' },
  });
  return out;
}

beforeEach(() => {
  temp = useTempDir('restyle-library-index-');
  logged = [];
  clock = Date.parse('2025-03-01T00:00:00.000Z');
});
afterEach(() => temp.cleanup());

describe('rebuild', () => {
  it('deleting the index and reopening gives the same entries', async () => {
    let library = open();
    const saved = await fill(library);
    library.close();
    rmSync(indexPath(temp.path));
    library = open();
    expect(sorted(library.list())).toEqual(sorted(saved));
    library.close();
  });

  it('a damaged index file is replaced and rebuilt on open', async () => {
    let library = open();
    const saved = await fill(library);
    library.close();
    for (const suffix of ['-wal', '-shm']) rmSync(indexPath(temp.path) + suffix, { force: true });
    writeFileSync(indexPath(temp.path), 'this is not a database, it is a cat video'.repeat(200));
    library = open();
    expect(sorted(library.list())).toEqual(sorted(saved));
    library.close();
  });

  it('keeps an entry whose image is gone as missing, ignores foreign files and images without sidecars', async () => {
    const library = open();
    const [first, ...rest] = await fill(library);
    rmSync(first!.path);
    writeFileSync(join(temp.path, 'notes.restyle.json'), '{"hello":"world"}');
    writeFileSync(join(temp.path, 'broken.png.restyle.json'), '{not json');
    writeFileSync(join(temp.path, 'holiday.jpg'), 'a photo the user put here');
    rmSync(rest[0]!.sidecarPath);
    mkdirSync(join(temp.path, '.restyle', 'junk'));
    writeFileSync(join(temp.path, '.restyle', 'junk', 'x.png.restyle.json'), '{}');

    // The entry whose sidecar went keeps its row while its image is there.
    expect(await library.rebuildIndex()).toEqual({
      entries: 4,
      added: 0,
      relinked: 0,
      missing: 1,
      changed: true,
    });
    expect(sorted(library.list())).toEqual(sorted([{ ...first!, present: false }, ...rest]));
    const ignored = logged
      .filter((l) => l.message === 'library: file ignored')
      .map((l) => l.fields);
    expect(ignored).toEqual(
      expect.arrayContaining([
        { path: join(temp.path, 'notes.restyle.json'), reason: 'not a Restyle sidecar' },
        { path: join(temp.path, 'broken.png.restyle.json'), reason: 'not a Restyle sidecar' },
      ]),
    );
    expect(ignored).toHaveLength(2);
    library.close();
  });
});

describe('find and list', () => {
  it('find(sourceHash, recipeKey) answers dedupe, and leaves out results the user deleted (kept as missing)', async () => {
    const library = open();
    const [a, , p0] = await fill(library);
    expect(library.find(HASH_A, recipeKey(ANIME))).toEqual([a]);
    expect(library.find(HASH_A, recipeKey(PROMPT3))).toEqual([p0]);
    expect(library.find(HASH_B, 'preset:0')).toEqual([]);
    rmSync(a!.path);
    expect(library.find(HASH_A, recipeKey(ANIME))).toEqual([]);
    expect(library.get(a!.id)).toEqual({ ...a!, present: false });
    library.close();
  });

  it('filters by album (with its subfolders), recipe, source and date, newest first, paged', async () => {
    const library = open();
    const [a, b, p0, p1] = await fill(library);
    expect(library.list()).toEqual([p1, p0, b, a]);
    expect(library.list({ albumFolder: 'Trip 2024' })).toEqual([p0, b, a]);
    expect(library.list({ albumFolder: 'Trip 2024/day 2' })).toEqual([b]);
    expect(library.list({ albumFolder: 'Trip' })).toEqual([]);
    expect(library.list({ recipeKey: recipeKey(PROMPT3) })).toEqual([p1, p0]);
    expect(library.list({ sourceHash: HASH_B })).toEqual([p1, b]);
    expect(library.list({ since: p0!.savedAt })).toEqual([p1, p0]);
    expect(library.list({ limit: 2 })).toEqual([p1, p0]);
    expect(library.list({ limit: 2, offset: 2 })).toEqual([b, a]);
    expect(library.list({ limit: 2, offset: 4 })).toEqual([]);
    library.close();
  });

  it('readImage serves bytes by id only', async () => {
    const library = open();
    const [a] = await fill(library);
    const bytes = await library.readImage(a!.id);
    expect(bytes?.subarray(1, 4).toString()).toBe('PNG');
    expect(await library.readImage('../../etc/passwd')).toBeNull();
    expect(await library.readImage(a!.path)).toBeNull();
    library.close();
  });
});

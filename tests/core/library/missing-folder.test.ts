// The library folder deleted, unmounted or made again while the app runs, and
// writes the folder refuses: coded problems naming the folder, never a save
// into an empty folder made up anew, and an index that follows its file.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFileOps, type FileOps } from '../../../electron/core/library/atomic-file';
import { createLibrary, indexPath } from '../../../electron/core/library/library';
import { RestyleError } from '../../../shared/result';
import { useTempDir } from '../../support/temp-dir';
import { HASH_A, HASH_B, pngResult, saveInput } from './fixtures';
import { recipeKey } from '../../../shared/recipe';

let tmp: ReturnType<typeof useTempDir>;
let root: string;
beforeEach(() => {
  tmp = useTempDir('restyle-library-missing-');
  root = join(tmp.path, 'Restyle');
});
afterEach(() => tmp.cleanup());

const second = (image: Buffer) =>
  saveInput(image, {
    source: { path: '/p/b.jpg', hash: HASH_B, albumFolder: 'Other' },
    taskId: 'task-2',
  });

describe('a library folder that goes away', () => {
  it('refuses to save (library_missing, naming the folder) and does not make it again', async () => {
    const library = createLibrary({ root });
    const image = await pngResult();
    const first = await library.save(saveInput(image));
    rmSync(root, { recursive: true, force: true });

    const error = await library.save(second(image)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestyleError);
    expect(error).toMatchObject({ code: 'library_missing', params: { path: root } });
    expect(existsSync(root)).toBe(false);
    // Dedupe cannot tell "no result" from "the drive is unplugged": it says so too.
    expect(() => library.find(HASH_A, recipeKey(saveInput(image).recipe))).toThrow(
      expect.objectContaining({ code: 'library_missing' }),
    );
    // Reads (the window's gallery and image requests) do not throw.
    expect(library.get(first.id)?.id).toBe(first.id);
    expect(await library.readImage(first.id)).toBeNull();
    library.close();
  });

  it('saves again once the folder is back (remounted), into the same index', async () => {
    const library = createLibrary({ root });
    const image = await pngResult();
    await library.save(saveInput(image));
    renameSync(root, `${root}.unplugged`);
    await expect(library.save(second(image))).rejects.toMatchObject({ code: 'library_missing' });
    renameSync(`${root}.unplugged`, root);
    const saved = await library.save(second(image));
    expect(library.list().map((e) => e.id)).toContain(saved.id);
    library.close();
  });

  it('reopens the index when its file was deleted, instead of writing into the deleted one', async () => {
    const library = createLibrary({ root });
    const image = await pngResult();
    const first = await library.save(saveInput(image));
    // The user made the folder again (empty): the old index is gone with it.
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root);
    const saved = await library.save(second(image));
    expect(existsSync(indexPath(root))).toBe(true);
    expect(library.list().map((e) => e.id)).toEqual([saved.id]);
    expect(library.get(first.id)).toBeNull();
    library.close();
    // Another process opening the folder sees the same index, no rebuild needed.
    const reopened = createLibrary({ root });
    expect(reopened.list().map((e) => e.id)).toEqual([saved.id]);
    reopened.close();
  });

  it('rebuilds the index from the sidecars when only the index folder was deleted', async () => {
    const library = createLibrary({ root });
    const first = await library.save(saveInput(await pngResult()));
    rmSync(join(root, '.restyle'), { recursive: true, force: true });
    expect(library.get(first.id)?.id).toBe(first.id);
    expect(existsSync(indexPath(root))).toBe(true);
    library.close();
  });
});

describe('a library that should be there already (create: false)', () => {
  it('is not made when missing: it opens empty, refuses to save, and works once the folder is back', async () => {
    const image = await pngResult();
    const first = createLibrary({ root });
    const saved = await first.save(saveInput(image));
    first.close();
    rmSync(root, { recursive: true, force: true });

    const library = createLibrary({ root, create: false });
    expect(existsSync(root)).toBe(false);
    expect(library.list()).toEqual([]);
    expect(library.get(saved.id)).toBeNull();
    await expect(library.save(second(image))).rejects.toMatchObject({
      code: 'library_missing',
      params: { path: root },
    });
    expect(existsSync(root)).toBe(false);

    mkdirSync(root);
    const later = await library.save(second(image));
    expect(library.list().map((e) => e.id)).toEqual([later.id]);
    expect(existsSync(indexPath(root))).toBe(true);
    library.close();
  });
});

describe('writes the folder refuses', () => {
  const failing = (code: string): FileOps => ({
    ...nodeFileOps,
    writeNew: () => Promise.reject(Object.assign(new Error(`${code}: refused`), { code })),
  });

  it.each([
    ['EROFS', 'folder_read_only'],
    ['EACCES', 'folder_not_writable'],
    ['EPERM', 'folder_not_writable'],
    ['ENOSPC', 'disk_full'],
    ['EDQUOT', 'disk_full'],
  ])('%s is %s, naming the folder', async (errno, code) => {
    const library = createLibrary({ root, fileOps: failing(errno) });
    await expect(library.save(saveInput(await pngResult()))).rejects.toMatchObject({
      name: 'RestyleError',
      code,
      params: { path: root },
    });
    library.close();
  });
});

// The library stays true to the disk (issue 11): results moved and renamed
// outside the app (as a user does in Finder) are re-linked with their ratings,
// deleted ones show as missing, sidecars copied in appear, and a rebuild never
// drops a rating. Real files, real images, a real index.
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLibrary, indexPath } from '../../../electron/core/library/library';
import { parseSidecar, type Sidecar } from '../../../electron/core/library/sidecar';
import type { Library, LibraryEntry } from '../../../electron/core/library/types';
import {
  buildXmpPacket,
  embedXmp,
  locateXmp,
  withoutXmp,
} from '../../../electron/core/library/xmp';
import { silentLogger, type LogFields } from '../../../electron/core/log/logger';
import { useTempDir } from '../../support/temp-dir';
import { HASH_B, filesUnder, jpegResult, noisePng, saveInput, rateInSidecar } from './fixtures';

let temp: ReturnType<typeof useTempDir>;
let root: string;
let library: Library;
let logged: Array<{ message: string; fields?: LogFields }>;
let task = 0;

const open = (): Library =>
  createLibrary({
    root,
    log: { ...silentLogger, info: (message, fields) => void logged.push({ message, fields }) },
  });

beforeEach(() => {
  temp = useTempDir('restyle-library-sync-');
  root = join(temp.path, 'lib');
  logged = [];
  library = open();
});
afterEach(() => {
  library.close();
  temp.cleanup();
});

/** A result with pixels of its own (so no two share a content hash). */
async function save(
  overrides: Parameters<typeof saveInput>[1] = {},
  image?: Buffer,
): Promise<LibraryEntry> {
  task += 1;
  const bytes = image ?? (await noisePng(24, 16));
  return library.save(saveInput(bytes, { taskId: `task-${task}`, ...overrides }));
}

const readSidecar = (path: string): Sidecar => {
  const sidecar = parseSidecar(readFileSync(path, 'utf8'));
  if (!sidecar) throw new Error(`not a sidecar: ${path}`);
  return sidecar;
};

const move = (from: string, to: string) => {
  mkdirSync(dirname(to), { recursive: true });
  renameSync(from, to);
};

describe('sync', () => {
  it('picks up a rating written to a sidecar, and reports nothing when nothing changed', async () => {
    const entry = await save();
    expect(await library.sync()).toEqual({
      entries: 1,
      added: 0,
      relinked: 0,
      missing: 0,
      changed: false,
    });
    rateInSidecar(entry, 4, true);
    expect(await library.sync()).toMatchObject({ changed: true });
    expect(library.get(entry.id)).toMatchObject({ rating: 4, favourite: true, present: true });
    expect(await library.sync()).toMatchObject({ changed: false });
  });

  it('re-links an image renamed alone (Finder) by the result id in its XMP, with its rating; the sidecar follows', async () => {
    const entry = await save();
    rateInSidecar(entry, 5, true);
    await library.sync();
    const renamed = join(dirname(entry.path), 'the best one.png');
    renameSync(entry.path, renamed);

    expect(await library.sync()).toEqual({
      entries: 1,
      added: 0,
      relinked: 1,
      missing: 0,
      changed: true,
    });
    expect(library.get(entry.id)).toMatchObject({
      path: renamed,
      sidecarPath: `${renamed}.restyle.json`,
      fileName: 'the best one.png',
      rating: 5,
      favourite: true,
      present: true,
    });
    expect(filesUnder(root)).toEqual([
      'Trip 2024/day 1/the best one.png',
      'Trip 2024/day 1/the best one.png.restyle.json',
    ]);
    const sidecar = readSidecar(`${renamed}.restyle.json`);
    expect(sidecar).toMatchObject({
      id: entry.id,
      result: { file: 'the best one.png' },
      user: { rating: 5, favourite: true },
    });
    // Re-linked once: the next look finds it where it is.
    expect(await library.sync()).toMatchObject({ relinked: 0, changed: false });
  });

  it('re-links a JPEG moved alone to another folder, and the index survives a restart', async () => {
    const entry = await save({}, await jpegResult(40, 30));
    rateInSidecar(entry, 3, false);
    const moved = join(root, 'Favourites', '2025', basename(entry.path));
    move(entry.path, moved);

    expect(await library.sync()).toMatchObject({ relinked: 1, missing: 0 });
    library.close();
    library = open();
    expect(library.get(entry.id)).toMatchObject({ path: moved, rating: 3, present: true });
    expect(existsSync(entry.sidecarPath)).toBe(false);
  });

  it('re-links by content a result whose image carries no id: WebP, and one saved before images named their result', async () => {
    const webp = await sharp(await noisePng(20, 20))
      .webp({ lossless: true })
      .toBuffer();
    const a = await save({}, webp);
    const b = await save({ source: { path: '/p/b.jpg', hash: HASH_B, albumFolder: 'B' } });
    // An older result: its packet says who made it, not which result it is.
    const older = buildXmpPacket({
      creatorTool: 'Restyle 0.1.0',
      createDate: b.savedAt,
      description: 'Anime',
      source: b.sourcePath,
      restyle: { TaskId: b.taskId },
    });
    const bytes = readFileSync(b.path);
    writeFileSync(b.path, embedXmp(withoutXmp(bytes), 'png', older) ?? bytes);
    rateInSidecar(a, 2, false);
    rateInSidecar(b, 1, true);
    await library.sync();

    const movedA = join(root, 'elsewhere', 'a.webp');
    const movedB = join(root, 'elsewhere', 'b renamed.png');
    move(a.path, movedA);
    move(b.path, movedB);
    expect(await library.sync()).toMatchObject({ relinked: 2, missing: 0 });
    expect(library.get(a.id)).toMatchObject({ path: movedA, rating: 2, present: true });
    expect(library.get(b.id)).toMatchObject({ path: movedB, rating: 1, favourite: true });
  });

  it('an image that names another result (a copy) is not re-linked to a lost one', async () => {
    // Both downloads the same bytes: the content alone cannot tell them apart.
    const image = await noisePng(24, 16);
    const kept = await save({}, image);
    const lost = await save(
      { source: { path: '/p/b.jpg', hash: HASH_B, albumFolder: 'B' } },
      image,
    );
    rmSync(lost.path);
    cpSync(kept.path, join(root, 'copy of kept.png'));
    expect(await library.sync()).toMatchObject({ relinked: 0, missing: 1 });
    expect(library.get(lost.id)).toMatchObject({ present: false, path: lost.path });
    expect(existsSync(join(root, 'copy of kept.png.restyle.json'))).toBe(false);
  });

  it('an image copied with its sidecar is a duplicate: the result stays where it is', async () => {
    const entry = await save();
    for (const folder of ['A copy', 'Z copy']) {
      mkdirSync(join(root, folder));
      cpSync(entry.path, join(root, folder, 'x.png'));
      cpSync(entry.sidecarPath, join(root, folder, 'x.png.restyle.json'));
    }
    expect(await library.sync()).toMatchObject({ entries: 1, added: 0, relinked: 0 });
    expect(library.get(entry.id)).toMatchObject({ path: entry.path, present: true });
    expect(await library.rebuildIndex()).toMatchObject({ entries: 1, added: 0, relinked: 0 });
    expect(library.get(entry.id)).toMatchObject({ path: entry.path, present: true });
  });

  it('follows an image and its sidecar moved and renamed together, with the rating', async () => {
    const entry = await save();
    rateInSidecar(entry, 4, false);
    await library.sync();
    const moved = join(root, 'Keepers', 'portrait.png');
    move(entry.path, moved);
    move(entry.sidecarPath, `${moved}.restyle.json`);

    expect(await library.sync()).toMatchObject({ relinked: 1, missing: 0, added: 0 });
    expect(library.get(entry.id)).toMatchObject({ path: moved, rating: 4, present: true });
  });

  it('follows a whole album folder renamed, every result with its rating', async () => {
    const day1 = [await save(), await save(), await save({ variant: 0 })];
    const day2 = await save({
      source: {
        path: '/photos/Trip 2024/day 2/x.jpg',
        hash: HASH_B,
        albumFolder: 'Trip 2024/day 2',
      },
    });
    const all = [...day1, day2];
    all.forEach((entry, i) => rateInSidecar(entry, i + 1, i % 2 === 0));
    await library.sync();
    renameSync(join(root, 'Trip 2024'), join(root, 'Italy 2024'));

    expect(await library.sync()).toMatchObject({ entries: 4, relinked: 4, missing: 0 });
    all.forEach((entry, i) =>
      expect(library.get(entry.id)).toMatchObject({
        path: entry.path.replace(`${root}/Trip 2024`, `${root}/Italy 2024`),
        rating: i + 1,
        favourite: i % 2 === 0,
        present: true,
      }),
    );
  });

  it('keeps a deleted result as missing with its rating, leaves it out of dedupe, and finds it again when it comes back', async () => {
    const entry = await save();
    rateInSidecar(entry, 4, true);
    await library.sync();
    const bytes = readFileSync(entry.path);
    rmSync(entry.path);

    expect(await library.sync()).toMatchObject({ entries: 1, missing: 1, changed: true });
    expect(library.get(entry.id)).toMatchObject({ present: false, rating: 4, favourite: true });
    expect(library.find(entry.sourceHash, entry.recipeKey)).toEqual([]);
    // A restart and a rebuild keep it too.
    library.close();
    library = open();
    expect(await library.rebuildIndex()).toMatchObject({ entries: 1, missing: 1 });
    expect(library.get(entry.id)).toMatchObject({ present: false, rating: 4 });

    writeFileSync(entry.path, bytes);
    expect(await library.sync()).toMatchObject({ missing: 0, changed: true });
    expect(library.get(entry.id)).toMatchObject({ present: true, rating: 4 });
    expect(library.find(entry.sourceHash, entry.recipeKey).map((e) => e.id)).toEqual([entry.id]);
  });

  it('a missing result whose sidecar went too stays missing; the index remembers it', async () => {
    const entry = await save();
    rateInSidecar(entry, 2, false);
    await library.sync();
    rmSync(entry.path);
    rmSync(entry.sidecarPath);
    expect(await library.sync()).toMatchObject({ entries: 1, missing: 1 });
    expect(library.get(entry.id)).toMatchObject({ present: false, rating: 2 });
  });

  it('adds results whose sidecars were copied in from another machine', async () => {
    const other = createLibrary({ root: join(temp.path, 'other machine') });
    task += 1;
    const theirs = await other.save(
      saveInput(await noisePng(10, 10), {
        taskId: `theirs-${task}`,
        source: { path: '/x/y.jpg', hash: HASH_B, albumFolder: 'From Anna' },
      }),
    );
    other.close();
    rateInSidecar(theirs, 5, true);
    const mine = await save();
    cpSync(join(temp.path, 'other machine', 'From Anna'), join(root, 'From Anna'), {
      recursive: true,
    });

    expect(await library.sync()).toEqual({
      entries: 2,
      added: 1,
      relinked: 0,
      missing: 0,
      changed: true,
    });
    expect(library.get(theirs.id)).toMatchObject({
      path: join(root, 'From Anna', basename(theirs.path)),
      albumFolder: 'From Anna',
      rating: 5,
      favourite: true,
      present: true,
    });
    expect(library.get(mine.id)).toMatchObject({ present: true });
  });

  it('reads a sidecar again only when its size or time changed', async () => {
    writeFileSync(join(root, 'notes.restyle.json'), '{"not":"ours"}');
    const ignoredNow = () => logged.filter((l) => l.message === 'library: file ignored').length;
    await library.sync();
    expect(ignoredNow()).toBe(1);
    await library.sync();
    expect(ignoredNow()).toBe(1);
    utimesSync(join(root, 'notes.restyle.json'), new Date(), new Date(Date.now() + 5000));
    await library.sync();
    expect(ignoredNow()).toBe(2);
    // A rebuild reads everything.
    await library.rebuildIndex();
    expect(ignoredNow()).toBe(3);
  });

  it('a save that never finished (a sidecar without image the index never had) is not a result', async () => {
    const entry = await save();
    // As a kill between the sidecar and the image leaves it.
    const sidecar = {
      ...readSidecar(entry.sidecarPath),
      id: 'unfinished',
      task: { id: 'task-x', requestId: null },
    };
    writeFileSync(join(root, 'half.png.restyle.json'), JSON.stringify(sidecar));
    expect(await library.sync()).toMatchObject({ entries: 1, added: 0, missing: 0 });
    expect(library.get('unfinished')).toBeNull();
  });
});

describe('rebuild', () => {
  it('never drops a rating: the index keeps it where the sidecar lost its user block, and writes it back', async () => {
    const entry = await save();
    rateInSidecar(entry, 4, true);
    await library.sync();
    // The sidecar as a failed write (or an older version) left it: no user block.
    const { user: _dropped, ...bare } = readSidecar(entry.sidecarPath);
    writeFileSync(entry.sidecarPath, JSON.stringify(bare));

    expect(await library.rebuildIndex()).toMatchObject({ entries: 1, missing: 0 });
    expect(library.get(entry.id)).toMatchObject({ rating: 4, favourite: true });
    expect(readSidecar(entry.sidecarPath).user).toEqual({ rating: 4, favourite: true });

    // And from the sidecars alone (the index deleted), the rating is there.
    library.close();
    rmSync(indexPath(root));
    library = open();
    expect(library.get(entry.id)).toMatchObject({ rating: 4, favourite: true, present: true });
  });

  it('from the sidecars alone, a sidecar whose image is gone is a missing result with its rating, re-linked by the next sync', async () => {
    const entry = await save();
    rateInSidecar(entry, 3, false);
    const moved = join(root, 'moved', 'alone.png');
    move(entry.path, moved);
    library.close();
    rmSync(indexPath(root));
    library = open();
    expect(library.get(entry.id)).toMatchObject({ present: false, rating: 3 });
    expect(await library.sync()).toMatchObject({ missing: 0, relinked: 1 });
    expect(library.get(entry.id)).toMatchObject({ present: true, rating: 3, path: moved });
  });
});

describe('content hash', () => {
  it('an image without its XMP packet is the bytes as downloaded (the sidecar’s result.sha256)', async () => {
    for (const image of [await noisePng(12, 12), await jpegResult(12, 12)]) {
      const entry = await save({}, image);
      const onDisk = readFileSync(entry.path);
      expect(locateXmp(onDisk)?.packet).toContain(`restyle:ResultId="${entry.id}"`);
      expect(withoutXmp(onDisk).equals(image)).toBe(true);
      const sha = createHash('sha256').update(withoutXmp(onDisk)).digest('hex');
      expect(sha).toBe(readSidecar(entry.sidecarPath).result.sha256);
    }
  });
});

describe('sync with no folder changed', () => {
  /** Every folder of the library (not its private one) last changed an hour ago, as after a quiet while. */
  const settle = (folder = root) => {
    const past = new Date(Date.now() - 3_600_000);
    for (const entry of readdirSync(folder, { withFileTypes: true }))
      if (entry.isDirectory() && entry.name !== '.restyle') settle(join(folder, entry.name));
    utimesSync(folder, past, past);
  };
  const ignoredNow = () => logged.filter((l) => l.message === 'library: file ignored').length;

  it('reads no sidecar (a sidecar rewritten in place is seen by a rebuild, not a sync)', async () => {
    const entry = await save();
    writeFileSync(join(root, 'notes.restyle.json'), '{"not":"ours"}');
    settle();
    await library.sync(); // remembers each folder's mtime
    expect(ignoredNow()).toBe(1);

    // Written in place: the file's time moves, its folder's does not.
    rateInSidecar(entry, 5, true);
    utimesSync(join(root, 'notes.restyle.json'), new Date(), new Date(Date.now() + 5000));
    expect(await library.sync()).toEqual({
      entries: 1,
      added: 0,
      relinked: 0,
      missing: 0,
      changed: false,
    });
    expect(ignoredNow()).toBe(1);
    expect(library.get(entry.id)).toMatchObject({ rating: 0, favourite: false });

    await library.rebuildIndex();
    expect(ignoredNow()).toBe(2);
    expect(library.get(entry.id)).toMatchObject({ rating: 5, favourite: true });
  });

  it('still sees files added, moved, renamed and deleted: each moves its folder mtime', async () => {
    const [a, b, c] = [await save(), await save(), await save()];
    const deep = join(root, 'Trip', 'day 1');
    const there = (entry: LibraryEntry) => join(deep, basename(entry.path));
    for (const entry of [a, b]) {
      move(entry.path, there(entry));
      move(entry.sidecarPath, there(entry) + '.restyle.json');
    }
    await library.sync();
    settle();
    await library.sync();
    expect(await library.sync()).toMatchObject({ entries: 3, changed: false });

    // Into a new folder inside a settled one.
    const deeper = join(deep, 'best', basename(a.path));
    move(there(a), deeper);
    move(there(a) + '.restyle.json', deeper + '.restyle.json');
    expect(await library.sync()).toMatchObject({ relinked: 1, missing: 0 });
    expect(library.get(a.id)).toMatchObject({ path: deeper, present: true });

    // Renamed alone, deleted, copied in: each after the folders settled again.
    settle();
    await library.sync();
    const renamed = join(deep, 'renamed.png');
    renameSync(there(b), renamed);
    expect(await library.sync()).toMatchObject({ relinked: 1, missing: 0 });
    expect(library.get(b.id)).toMatchObject({ path: renamed, present: true });

    settle();
    await library.sync();
    rmSync(c.path);
    expect(await library.sync()).toMatchObject({ entries: 3, missing: 1, changed: true });

    settle();
    await library.sync();
    const copy = join(deep, 'best', 'from another machine.png');
    cpSync(deeper, copy);
    const sidecar = readSidecar(deeper + '.restyle.json');
    const copied = {
      ...sidecar,
      id: 'copied-in',
      result: { ...sidecar.result, file: basename(copy) },
    };
    writeFileSync(copy + '.restyle.json', JSON.stringify(copied));
    expect(await library.sync()).toMatchObject({ entries: 4, added: 1, missing: 1 });
    expect(library.get('copied-in')).toMatchObject({ path: copy, present: true });
  });
});

import { randomUUID } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { recipeImages } from '../../../shared/recipe';
import { RestyleError } from '../../../shared/result';
import { sqliteFailure } from '../db/sqlite';
import { ensureDir } from '../fs/ensure-dir';
import { isInside } from '../fs/is-inside';
import { readFileInside } from '../fs/regular-file';
import { sniff } from '../intake/sniff';
import { silentLogger, type Logger } from '../log/logger';
import { isExists, localFailure, nodeFileOps, writeFileAtomic, type FileOps } from './atomic-file';
import { openIndexDb, rowToEntry, type IndexDb, type IndexRow } from './index-db';
import {
  queryFacets,
  queryPhotos,
  queryResults,
  queryStack,
  queryStats,
  searchText,
} from './library-queries';
import { writeMarks, type RatingFiles } from './library-rating';
import { baseName, fromRelative, resultFileName, resultFolder, toRelative } from './naming';
import { buildSidecar, provenanceXmp, styleSlug } from './provenance';
import { checkResultImage, type CheckedImage } from './result-image';
import { createDeleteHold } from './library-trash';
import { applyFiles, applyIndex, planSync, setPresence, type SyncOptions } from './library-sync';
import { PRIVATE_DIR, runNow, runYielding, stampOf } from './scan-sidecars';
import { parseSidecar, serializeSidecar, sidecarPathFor, type Sidecar } from './sidecar';
import type { PhotoStack } from '../../../shared/contract/library';
import type { Library, LibraryEntry, SaveResultInput } from './types';
import { embedXmp } from './xmp';

export interface LibraryOptions {
  /** The library folder (absolute). */
  root: string;
  /**
   * Make the folder when it is missing (a new library). False for a library
   * that should be there already (`restyle resume`, `status`): a missing one
   * then opens empty, and `find`/`save` refuse with `library_missing` until
   * it is back, so nothing is saved into a folder made up anew. @default true
   */
  create?: boolean;
  /** @default silentLogger */
  log?: Logger;
  /** Written into every sidecar and XMP packet. @default '0.0.0' */
  appVersion?: string;
  /** Called after a result is saved and indexed (the window's `library:changed`). */
  onSaved?: (entry: LibraryEntry) => void;
  /** The file operations used to write results. @default nodeFileOps */
  fileOps?: FileOps;
  /**
   * Moves a file to the OS trash (the window's `Platform.trashItem`): deleted
   * results go there when the window closes or the library closes, and any a
   * crash left are sent there when the library opens. Without it (the CLI),
   * deletes stay held for the window.
   */
  trash?: (path: string) => Promise<void>;
  /** @default Date.now */
  now?: () => number;
}

/** The index file, inside the library so it travels with it. */
export const indexPath = (root: string): string => join(root, PRIVATE_DIR, 'library.sqlite');

/** Results are PNG, JPEG or WebP: what the window may be served, by their bytes. */
export const isResultImage = (bytes: Buffer): boolean => {
  const sniffed = sniff(bytes.subarray(0, 64));
  return sniffed.kind === 'image' && ['png', 'jpeg', 'webp'].includes(sniffed.format);
};

/** Clash counters tried before giving up (a folder with 10,000 same-named results is a bug). */
const MAX_ATTEMPTS = 10_000;

/** Whether the library folder is there (a folder), not deleted, moved or on an unplugged drive. */
const isFolder = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

const missingError = (root: string): RestyleError =>
  new RestyleError('library_missing', `the library folder ${root} is missing`, { path: root });

/**
 * A failed write in the library as a problem of this computer the user can
 * fix, naming the folder: the disk is full, the folder is read-only or not
 * ours to write, or it is gone. The engine pauses on these (the results stay
 * in the queue), and the CLI exits with EXIT.local. Anything else as it is.
 */
function localError(error: unknown, root: string): unknown {
  if (error instanceof RestyleError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const cause = { cause: error };
  const params = { path: root };
  const failure = localFailure(error);
  if (failure === 'disk_full' || sqliteFailure(error) === 'full')
    return Object.assign(
      new RestyleError('disk_full', `the library's disk is full (${root})`, params),
      cause,
    );
  if (failure === 'folder_read_only' || sqliteFailure(error) === 'read_only')
    return Object.assign(
      new RestyleError('folder_read_only', `the library folder ${root} is read-only`, params),
      cause,
    );
  if (failure === 'folder_not_writable')
    return Object.assign(
      new RestyleError(
        'folder_not_writable',
        `the library folder ${root} cannot be written`,
        params,
      ),
      cause,
    );
  if ((code === 'ENOENT' || code === 'ENOTDIR') && !isFolder(root))
    return Object.assign(missingError(root), cause);
  return error;
}

/** The text a `text` filter searches: file name, source path and prompt (`searchText`). */
const searchTextOf = (fileName: string, s: Sidecar): string =>
  searchText([fileName, s.source.path, s.recipe.kind === 'prompt' ? s.recipe.prompt : '']);

/**
 * An ISO time as `toISOString` writes it, so the index compares saved times
 * as text (date filters, months); a sidecar edited by hand keeps its own text.
 */
const isoInstant = (text: string): string => {
  const time = Date.parse(text);
  return Number.isNaN(time) ? text : new Date(time).toISOString();
};

/** Whether the original photo is still where it was found. */
const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** A photo's results as its stack: a column per recipe (first used first), each newest first. */
function stackOf(entries: readonly LibraryEntry[]): PhotoStack | null {
  const newest = entries[0];
  if (!newest) return null;
  const columns = new Map<string, PhotoStack['columns'][number]>();
  for (const entry of [...entries].reverse()) {
    const column = columns.get(entry.recipeKey);
    if (column) column.results.unshift(entry);
    else
      columns.set(entry.recipeKey, {
        recipeKey: entry.recipeKey,
        recipe: entry.recipe,
        styleName: entry.styleName,
        model: entry.model,
        results: [entry],
      });
  }
  return {
    sourceHash: newest.sourceHash,
    sourcePath: newest.sourcePath,
    sourceName: newest.sourceName,
    albumFolder: newest.albumFolder,
    sourcePresent: isFile(newest.sourcePath),
    columns: [...columns.values()],
  };
}

/** The index row of a sidecar whose image is at `imagePath` (`bytes`: the file's size on disk). */
export function rowFor(
  root: string,
  imagePath: string,
  sidecarPath: string,
  s: Sidecar,
  bytes: number = s.result.bytes,
  present = true,
): IndexRow {
  const fileName = basename(imagePath);
  return {
    id: s.id,
    path: toRelative(root, imagePath),
    sidecarPath: toRelative(root, sidecarPath),
    fileName,
    sourcePath: s.source.path,
    sourceName: basename(s.source.path.replace(/\\/g, '/')),
    sourceHash: s.source.sha256,
    albumFolder: s.source.albumFolder,
    recipeJson: JSON.stringify(s.recipe),
    recipeKey: s.recipeKey,
    styleSlug: s.style.slug,
    styleNameEn: s.style.name.en,
    styleNameZh: s.style.name['zh-CN'],
    variant: s.variant,
    model: s.model,
    taskId: s.task.id,
    requestId: s.task.requestId,
    costCny: s.costCny,
    width: s.result.width,
    height: s.result.height,
    bytes,
    submittedAt: s.times.submittedAt,
    finishedAt: s.times.finishedAt,
    savedAt: isoInstant(s.times.savedAt),
    adjustmentsJson: JSON.stringify(s.source.adjustments),
    cropJson: s.source.crop ? JSON.stringify(s.source.crop) : null,
    rating: s.user?.rating ?? 0,
    favourite: s.user?.favourite ? 1 : 0,
    present: present ? 1 : 0,
    searchText: searchTextOf(fileName, s),
  };
}

/** The sidecar at `path` if it is a regular file recording this task's image `variant`, else null. */
function sidecarOf(path: string, input: SaveResultInput): Sidecar | null {
  let text: string;
  try {
    if (!lstatSync(path).isFile()) return null;
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const sidecar = parseSidecar(text);
  return sidecar?.task.id === input.taskId && sidecar.variant === input.variant ? sidecar : null;
}

/**
 * Opens (creating if needed) the library at `root`. A missing, damaged or
 * outdated index is rebuilt from the sidecars before this returns, so `find`
 * never misses a paid result.
 */
export function createLibrary(options: LibraryOptions): Library {
  const root = resolve(options.root);
  const log = options.log ?? silentLogger;
  const ops = options.fileOps ?? nodeFileOps;
  const now = options.now ?? Date.now;
  const appVersion = options.appVersion ?? '0.0.0';
  const openIndex = (): IndexDb => {
    try {
      ensureDir(join(root, PRIVATE_DIR));
      return openIndexDb(indexPath(root), (error) =>
        log.warn('library index damaged; rebuilding it from the sidecars', {
          error: error.message,
        }),
      );
    } catch (error) {
      throw localError(error, root);
    }
  };
  /** While the folder is absent (not created): an empty index in memory, replaced once it is back. */
  const absent = (): IndexDb => openIndexDb(':memory:', () => undefined);
  let db: IndexDb = options.create === false && !isFolder(root) ? absent() : openIndex();
  const abs = (rel: string) => fromRelative(root, rel);
  const toEntry = (row: IndexRow) => rowToEntry(row, abs);

  // Saves and rebuilds run one at a time: names are picked and indexed without races.
  let tail: Promise<unknown> = Promise.resolve();
  let pending = 0;
  let closed = false;
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new Error(`the library at ${root} is closed`));
    pending += 1;
    const run = tail.then(task, task);
    tail = run.catch(() => undefined).finally(() => (pending -= 1));
    return run;
  };

  const syncOptions = (full: boolean, fresh: boolean): SyncOptions => ({
    root,
    db,
    now: now(),
    log,
    full,
    fresh,
    relink: !fresh,
  });
  /** The index loaded from the sidecars at once (opened new, or its file was replaced). */
  const rebuild = () => {
    const outcome = runNow(applyIndex(runNow(planSync(syncOptions(true, true))), db));
    log.info('library index rebuilt', { root, entries: outcome.entries });
  };
  /** Compares the index with the folder (all sidecars read again when `full`), a slice at a time. */
  const syncNow = async (full: boolean) => {
    present();
    const plan = await runYielding(planSync(syncOptions(full, false)));
    await applyFiles(plan, root, ops, log);
    const outcome = await runYielding(applyIndex(plan, db));
    if (outcome.changed) log.info('library: index synced with the folder', { root, ...outcome });
    return outcome;
  };

  if (db.fresh && isFolder(root)) rebuild();

  /**
   * The index, reopened (and rebuilt from the sidecars) when its file was
   * deleted or replaced under it: the folder was removed and made again, or
   * restored from a backup. While the folder itself is gone, the old one
   * answers reads; `find` and `save` refuse with `library_missing`.
   */
  function index(): IndexDb {
    if (!db.stale() || !isFolder(root)) return db;
    log.warn('library: the index file is gone or replaced; reopening it', { root });
    try {
      db.close();
    } catch {
      // Closing a connection to a deleted file can only fail harmlessly.
    }
    db = openIndex();
    rebuild();
    return db;
  }

  const ratingFiles: RatingFiles = {
    ops,
    log,
    readResult: (path) =>
      isInside(root, path) ? readFileInside(root, path, isResultImage) : Promise.resolve(null),
    failure: (error) => localError(error, root),
  };

  /** The folder must still be there: a result is never saved into a folder made up anew. */
  function present(): IndexDb {
    if (!isFolder(root)) throw missingError(root);
    return index();
  }

  /** Deletes held for Undo (library-trash.ts). */
  const held = createDeleteHold({ root, ops, log, index: present, trash: options.trash });
  const mapLocal = <T>(work: Promise<T>): Promise<T> =>
    work.catch((error: unknown) => {
      throw localError(error, root);
    });
  /** Held deletes to the OS trash; never rejects (a file that would not go is tried again later). */
  const finalize = (): Promise<void> => {
    const run = closed ? held.finalize() : exclusive(() => held.finalize());
    return run.catch((error: unknown) =>
      log.warn('library: held deletes not finalized', { error: (error as Error).message }),
    );
  };
  // Deletes a crash (or a kill) left held go to the trash now: Undo ended with that session.
  if (options.trash && isFolder(root)) void finalize();

  /** The image's bytes with the provenance embedded as XMP where the format allows. */
  async function withProvenance(
    input: SaveResultInput,
    format: CheckedImage['format'],
    savedAt: string,
    id: string,
  ): Promise<Buffer> {
    const withXmp = embedXmp(input.image, format, provenanceXmp(input, appVersion, savedAt, id));
    if (!withXmp) return input.image;
    try {
      await checkResultImage(withXmp);
      return withXmp;
    } catch (error) {
      log.warn('library: XMP could not be embedded; the sidecar carries it alone', {
        error: (error as Error).message,
      });
      return input.image;
    }
  }

  function indexed(imagePath: string, sidecarPath: string, sidecar: Sidecar): LibraryEntry {
    // The size on disk (the XMP packet included), as a sync or rebuild indexes it.
    const row = rowFor(root, imagePath, sidecarPath, sidecar, stampOf(imagePath)?.size);
    try {
      present().insert(row);
    } catch (error) {
      throw localError(error, root);
    }
    const entry = toEntry(row);
    log.info('library: result saved', { id: sidecar.id, path: imagePath });
    options.onSaved?.(entry);
    return entry;
  }

  /**
   * Saves one image of a task, once: the sidecar is written first (it names
   * the task and the image index), then the image, then the index row. A save
   * of the same task and index finds that sidecar under the names it tries,
   * and completes that result instead of writing a second one (a crash or a
   * kill between the steps, or a second engine, never leaves two results).
   */
  async function saveNow(input: SaveResultInput): Promise<LibraryEntry> {
    const image = await checkResultImage(input.image);
    const savedAt = new Date(now()).toISOString();
    const folder = resultFolder(root, input.source.albumFolder);
    // Deleted or unmounted since it was opened: say so, rather than make an empty one.
    present();
    try {
      ensureDir(folder);
    } catch (error) {
      throw localError(error, root);
    }
    const parts = {
      base: baseName(input.source.path),
      slug: styleSlug(input.recipe),
      variant: recipeImages(input.recipe) > 1 ? input.variant + 1 : undefined,
      ext: image.ext,
    };

    /** A result of this task and image index already under this name: its image written if missing, indexed. */
    const complete = async (imagePath: string, sidecarPath: string, sidecar: Sidecar) => {
      if (!existsSync(imagePath)) {
        const bytes = await withProvenance(input, image.format, sidecar.times.savedAt, sidecar.id);
        try {
          await writeFileAtomic(ops, imagePath, bytes);
        } catch (error) {
          if (!isExists(error)) throw localError(error, root);
        }
      }
      return indexed(imagePath, sidecarPath, sidecar);
    };

    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const fileName = resultFileName(parts, attempt);
      const imagePath = join(folder, fileName);
      const sidecarPath = sidecarPathFor(imagePath);
      if (!isInside(root, imagePath)) throw new Error(`result path escapes the library`);
      const earlier = sidecarOf(sidecarPath, input);
      if (earlier) return complete(imagePath, sidecarPath, earlier);
      if (existsSync(imagePath) || existsSync(sidecarPath)) continue;

      const id = randomUUID();
      const bytes = await withProvenance(input, image.format, savedAt, id);
      const sidecar = buildSidecar({
        id,
        appVersion,
        input,
        image,
        fileName,
        savedAt,
        xmp: bytes !== input.image,
      });
      try {
        await writeFileAtomic(ops, sidecarPath, serializeSidecar(sidecar));
      } catch (error) {
        if (!isExists(error)) throw localError(error, root);
        // Taken a moment ago: by this same result (another process saving it) or by something else.
        const taken = sidecarOf(sidecarPath, input);
        if (taken) return complete(imagePath, sidecarPath, taken);
        continue;
      }
      try {
        await writeFileAtomic(ops, imagePath, bytes);
      } catch (error) {
        // EEXIST: the image appeared under this sidecar, written by whoever completed it.
        if (!isExists(error)) {
          // A sidecar without its image is not a result: take it back.
          await ops.remove(sidecarPath).catch(() => undefined);
          throw localError(error, root);
        }
      }
      return indexed(imagePath, sidecarPath, sidecar);
    }
    throw new Error(`no free name for ${resultFileName(parts)} in ${folder}`);
  }

  return {
    root,
    save: (input) => exclusive(() => saveNow(input)),

    find(sourceHash, recipeKey) {
      // An unplugged library would look empty, and every result would be paid for again.
      const current = present();
      const rows = current.find(sourceHash, recipeKey);
      // A result whose file is gone is not a reason to skip paying for it again; it stays, missing.
      const kept = rows.filter((row) => existsSync(abs(row.path)));
      for (const row of rows) {
        const there = kept.includes(row);
        if (there !== (row.present === 1)) setPresence(current.db, row.id, there);
      }
      return kept.map((row) => toEntry({ ...row, present: 1 }));
    },

    get(id) {
      const row = index().get(id);
      return row ? toEntry(row) : null;
    },

    list: (filter = {}) => index().list(filter).map(toEntry),

    async readImage(id) {
      const row = index().get(id);
      if (!row) return null;
      const path = abs(row.path);
      if (!isInside(root, path)) return null;
      // A link planted in the folder (`x.png -> /etc/passwd`) is not a result.
      return readFileInside(root, path, isResultImage);
    },

    rebuildIndex: () => exclusive(() => syncNow(true)),

    sync: () => exclusive(() => syncNow(false)),

    deleteResults: (ids) => exclusive(() => mapLocal(held.hold(ids))),

    undoDelete: (undoToken) => exclusive(() => mapLocal(held.restore(undoToken))),

    removeMissing: (ids) => exclusive(() => mapLocal(held.forgetMissing(ids))),

    finalizeDeletes: () => finalize(),

    results(filter, sort, page) {
      const { rows, total } = queryResults(index().db, filter, sort, page);
      return { items: rows.map(toEntry), total };
    },

    photos(filter, sort, page) {
      const { photos, total } = queryPhotos(index().db, filter, sort, page);
      return {
        photos: photos.map(({ newest, results, styles, costCny }) => ({
          sourceHash: newest.sourceHash,
          sourcePath: newest.sourcePath,
          sourceName: newest.sourceName,
          albumFolder: newest.albumFolder,
          newest: toEntry(newest),
          results,
          styles,
          costCny,
        })),
        total,
      };
    },

    photoStack: (sourceHash) => stackOf(queryStack(index().db, sourceHash).map(toEntry)),

    facets: (filter) => queryFacets(index().db, filter),

    stats: (filter) => queryStats(index().db, filter),

    readIndex: (read) => read(index().db),

    setRating: (ids, change) =>
      exclusive(async () => {
        // An unplugged library's files cannot take the rating (nor be made anew).
        present();
        const rated: LibraryEntry[] = [];
        for (const id of new Set(ids)) {
          const row = index().get(id);
          if (!row) continue;
          const marks = {
            rating: change.rating ?? row.rating,
            favourite: change.favourite ?? row.favourite === 1,
          };
          const paths = { id, imagePath: abs(row.path), sidecarPath: abs(row.sidecarPath) };
          const bytes =
            (await writeMarks(ratingFiles, paths, marks, change.rating !== undefined)) ?? row.bytes;
          const user = { ...marks, bytes };
          try {
            index().setUser(id, user);
          } catch (error) {
            throw localError(error, root);
          }
          rated.push(toEntry({ ...row, ...user, favourite: marks.favourite ? 1 : 0 }));
        }
        return rated;
      }),

    close() {
      if (closed) return;
      closed = true;
      // A save in flight (the folder setting changed mid-batch) still gets indexed.
      if (pending === 0) db.close();
      else void tail.then(() => db.close());
    },
  };
}

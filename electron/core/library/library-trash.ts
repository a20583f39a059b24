// Delete with Undo (issue 11): deleted results are held aside inside the
// library (same file system: a rename), out of the index, so Undo can put them
// back while the window is open; the OS trash gets them when it closes.
import { randomUUID } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RestyleError } from '../../../shared/result';
import { ensureDir } from '../fs/ensure-dir';
import type { Logger } from '../log/logger';
import { isExists, writeFileAtomic, type FileOps } from './atomic-file';
import type { IndexDb, IndexRow } from './index-db';
import { rowFor } from './library';
import { setPresence, userOf } from './library-sync';
import { fromRelative, toRelative, withCounter } from './naming';
import { PRIVATE_DIR, stampOf } from './scan-sidecars';
import { parseSidecar, serializeSidecar, sidecarPathFor } from './sidecar';

/** Where deleted results wait for Undo: `<root>/.restyle/deleted/<undo token>/<their relative paths>`. */
export const heldPath = (root: string): string => join(root, PRIVATE_DIR, 'deleted');

/** Names tried when a restored result's name was taken meanwhile (as a save tries). */
const MAX_ATTEMPTS = 10_000;

export interface DeleteHoldOptions {
  root: string;
  ops: FileOps;
  log: Logger;
  /** The index as it is now (the library reopens it when its file was replaced). */
  index: () => IndexDb;
  /**
   * Moves a file to the OS trash. Without it (the CLI), held results stay held
   * until a host that has one (the window) finalizes them.
   */
  trash?: (path: string) => Promise<void>;
}

/** One result held aside: its index row, and where its files are now (null: it had none). */
interface Held {
  row: IndexRow;
  image: string | null;
  sidecar: string | null;
}

export interface DeleteHold {
  /** Holds these results aside and takes them out of the index; `not_found` when none is in it. */
  hold(ids: readonly string[]): Promise<{ undoToken: string; deleted: number }>;
  /** Puts a delete back (a taken name gets ` (2)`), with its rating; `not_found` for an unknown token. */
  restore(undoToken: string): Promise<{ restored: number }>;
  /** Sends everything held (this session's and any a crash left) to the OS trash; Undo ends. */
  finalize(): Promise<void>;
  /** Forgets missing entries (these, or all), their orphaned sidecars to the OS trash. */
  forgetMissing(ids?: readonly string[]): Promise<{ removed: number }>;
}

const notFound = (what: string) => new RestyleError('not_found', what);

/** Every file (or link) under `dir`, links not followed; folders aside. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

/** Removes `dir` and the folders below it when they hold no file (nothing is deleted for good). */
function removeEmptyFolders(dir: string): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) if (entry.isDirectory()) removeEmptyFolders(join(dir, entry.name));
  try {
    rmdirSync(dir);
  } catch {
    // Not empty (a file could not be trashed): kept for the next try.
  }
}

const isThere = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

export function createDeleteHold(options: DeleteHoldOptions): DeleteHold {
  const { root, ops, log } = options;
  const abs = (rel: string) => fromRelative(root, rel);
  /** This session's holds: tokens are not kept across a restart (leftovers go to the trash). */
  const tokens = new Map<string, Held[]>();

  /** Moves one held file back to `to`, without replacing anything. */
  const moveBack = async (from: string, to: string) => {
    ensureDir(dirname(to));
    await ops.renameNoReplace(from, to);
  };

  async function putBack(items: Held[]): Promise<void> {
    for (const { row, image, sidecar } of items)
      for (const [held, rel] of [
        [image, row.path],
        [sidecar, row.sidecarPath],
      ] as const)
        if (held)
          await moveBack(held, abs(rel)).catch((error: Error) =>
            log.error('library: a deleted file could not be put back', {
              path: abs(rel),
              error: error.message,
            }),
          );
  }

  /** The result back under its name, or the first free ` (k)` form of it; its index row. */
  async function restoreOne(item: Held): Promise<IndexRow> {
    const original = abs(item.row.path);
    const held = item.sidecar;
    const sidecar = held ? parseSidecar(readFileSync(held, 'utf8')) : null;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const image = join(dirname(original), withCounter(basename(original), attempt));
      const sidecarPath = sidecarPathFor(image);
      if (existsSync(image) || existsSync(sidecarPath)) continue;
      if (item.image) {
        try {
          await moveBack(item.image, image);
        } catch (error) {
          if (isExists(error)) continue;
          throw error;
        }
      }
      if (!held || !sidecar) {
        // No sidecar of ours to say more: the row as it was, under its new name.
        if (held) await moveBack(held, sidecarPath);
        const [path, fileName] = [toRelative(root, image), basename(image)];
        return { ...item.row, path, sidecarPath: toRelative(root, sidecarPath), fileName };
      }
      const user = userOf(sidecar, item.row);
      const restored = { ...sidecar, result: { ...sidecar.result, file: basename(image) }, user };
      if (attempt === 1 && user === sidecar.user) await moveBack(held, sidecarPath);
      else {
        await writeFileAtomic(ops, sidecarPath, serializeSidecar(restored));
        await ops.remove(held);
      }
      const bytes = stampOf(image)?.size ?? sidecar.result.bytes;
      return rowFor(root, image, sidecarPath, restored, bytes, item.image !== null);
    }
    throw new Error(`no free name for ${original}`);
  }

  return {
    async hold(ids) {
      const index = options.index();
      const rows = [...new Set(ids)].map((id) => index.get(id)).filter((row) => row !== null);
      if (rows.length === 0) throw notFound('none of these results is in the library');
      const undoToken = randomUUID();
      const dir = join(heldPath(root), undoToken);
      const holdFile = async (rel: string): Promise<string | null> => {
        if (!isThere(abs(rel))) return null;
        const to = join(dir, ...rel.split('/'));
        ensureDir(dirname(to));
        await ops.renameNoReplace(abs(rel), to);
        return to;
      };
      const items: Held[] = [];
      try {
        for (const row of rows) {
          const item: Held = { row, image: null, sidecar: null };
          items.push(item);
          item.image = await holdFile(row.path);
          item.sidecar = await holdFile(row.sidecarPath);
        }
      } catch (error) {
        // All or nothing: what was moved goes back, and the index is untouched.
        await putBack(items);
        removeEmptyFolders(dir);
        throw error;
      }
      index.db.transaction(() => {
        for (const row of rows) index.remove(row.id);
      });
      tokens.set(undoToken, items);
      log.info('library: results deleted (held for undo)', { undoToken, count: rows.length });
      return { undoToken, deleted: rows.length };
    },

    async restore(undoToken) {
      const items = tokens.get(undoToken);
      if (!items) throw notFound('nothing to undo: the delete is finished or unknown');
      tokens.delete(undoToken);
      const rows: IndexRow[] = [];
      const failed: Held[] = [];
      let firstError: unknown = null;
      for (const item of items) {
        try {
          rows.push(await restoreOne(item));
        } catch (error) {
          firstError ??= error;
          failed.push(item);
          log.error('library: a deleted result could not be put back', {
            id: item.row.id,
            error: (error as Error).message,
          });
        }
      }
      const index = options.index();
      index.db.transaction(() => {
        for (const row of rows) index.insert(row);
      });
      // What could not be put back stays held, to try again (or for the trash).
      if (failed.length > 0) tokens.set(undoToken, failed);
      else removeEmptyFolders(join(heldPath(root), undoToken));
      if (rows.length === 0 && firstError) throw firstError;
      return { restored: rows.length };
    },

    async finalize() {
      tokens.clear();
      const trash = options.trash;
      if (!trash) return;
      const held = heldPath(root);
      if (!existsSync(held)) return;
      for (const file of filesUnder(held)) {
        try {
          await trash(file);
        } catch (error) {
          log.warn('library: a deleted file could not go to the trash; tried again later', {
            path: file,
            error: (error as Error).message,
          });
        }
      }
      removeEmptyFolders(held);
    },

    async forgetMissing(ids) {
      const index = options.index();
      const candidates =
        ids ??
        index.db.all<{ id: string }>('SELECT id FROM entries WHERE present = 0').map((r) => r.id);
      const missing = candidates
        .map((id) => index.get(id))
        .filter((row): row is IndexRow => row !== null && row.present === 0);
      const gone: IndexRow[] = [];
      for (const row of missing) {
        // Its image came back meanwhile: present again, not forgotten.
        if (isThere(abs(row.path))) {
          setPresence(index.db, row.id, true);
          continue;
        }
        gone.push(row);
        const sidecar = abs(row.sidecarPath);
        if (!options.trash || !isThere(sidecar)) continue;
        await options.trash(sidecar).catch((error: Error) =>
          log.warn('library: the sidecar of a missing result could not go to the trash', {
            path: sidecar,
            error: error.message,
          }),
        );
      }
      index.db.transaction(() => {
        for (const row of gone) index.remove(row.id);
      });
      return { removed: gone.length };
    },
  };
}

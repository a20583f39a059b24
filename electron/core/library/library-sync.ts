// The library stays true to the disk (issue 11): the index is compared with
// the folder, results moved or renamed outside the app are re-linked with
// their ratings, and results whose file is gone are kept as missing.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { SyncReport } from '../../../shared/contract/library';
import type { Db, SqlValue } from '../db/sqlite';
import type { Logger } from '../log/logger';
import { writeFileAtomic, type FileOps } from './atomic-file';
import type { IndexDb, IndexRow } from './index-db';
import { rowFor } from './library';
import { fromRelative } from './naming';
import { sha256Hex } from './provenance';
import {
  foldersUnchanged,
  stampOf,
  stepDue,
  walkLibrary,
  type FileStamp,
  type LibraryListing,
} from './scan-sidecars';
import {
  imagePathFor,
  parseSidecar,
  serializeSidecar,
  sidecarPathFor,
  type Sidecar,
} from './sidecar';
import { locateXmp, restyleXmpAttribute, withoutXmp } from './xmp';

/** What a sync found, and whether the index changed (then the window's pages are out of date). */
export interface SyncOutcome extends SyncReport {
  changed: boolean;
}

/**
 * What the last sync saw of each sidecar and of each image without one, by
 * relative path: a file whose size and mtime are the same is not read again.
 * `id`: the result id a sidecar names (null: not ours), or the `ResultId` in
 * an image's XMP; `hash`: the sidecar's `result.sha256`, or the SHA-256 of an
 * image's bytes without its XMP packet (the bytes as downloaded).
 */
const STAMPS_SCHEMA = `CREATE TABLE IF NOT EXISTS sync_stamps (
  path TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mtime REAL NOT NULL,
  id TEXT,
  hash TEXT
)`;

/**
 * The mtime of every folder the last sync walked (the root is `''`): when
 * none has moved, nothing was added, removed or renamed in the library and a
 * sync reads no sidecar and no index row. Kept only when the whole folder was
 * walked; a folder changed moments before it was looked at is kept as -1
 * (never the same), since a change in the same tick of a coarse clock would
 * not move its mtime.
 */
const FOLDERS_SCHEMA = `CREATE TABLE IF NOT EXISTS sync_folders (
  path TEXT PRIMARY KEY,
  mtime REAL NOT NULL
)`;
/** A folder changed this recently (ms) is looked at again next time: file system clocks can be as coarse as 2 s. */
const RACY_MS = 3000;

interface StampRow {
  path: string;
  size: number;
  mtime: number;
  id: string | null;
  hash: string | null;
}

/** What the index knows of an entry, enough to compare it with the disk. */
interface KnownRow {
  id: string;
  path: string;
  sidecarPath: string;
  present: number;
  rating: number;
  favourite: number;
}

/** A sidecar of ours on disk. `parsed` is null while only the stamp cache was read. */
interface Found {
  rel: string;
  stamp: FileStamp;
  id: string;
  hash: string;
  parsed: Sidecar | null;
}

export interface SyncOptions {
  root: string;
  db: IndexDb;
  now: number;
  log: Logger;
  /** Read every sidecar again (a rebuild), not only new or changed ones. */
  full: boolean;
  /**
   * The index knew nothing (new, deleted, damaged or of another version): a
   * sidecar whose image is gone is then a missing result, since nothing tells
   * it from one the user deleted. Otherwise such a sidecar the index never had
   * is a save that did not finish (not a result until the save completes it).
   */
  fresh: boolean;
  /** Look for images moved without their sidecar (needs `applyFiles`). */
  relink: boolean;
}

/** A sidecar to move next to its image, under the image's name. */
interface Relink {
  from: string;
  imageRel: string;
  sidecar: Sidecar;
  /** The index has this result (marked missing if the move fails). */
  known: boolean;
}

/** What to change: file writes first (`applyFiles`), then the index in one transaction. */
export interface SyncPlan {
  /** Rows read from sidecars: added, moved, changed (all of them in a rebuild). */
  rows: IndexRow[];
  /** The index was opened new (empty): it is loaded with `rows` in one go. */
  replace: boolean;
  relinks: Relink[];
  /** Sidecars missing their `user` block while the index has a rating: written back. */
  writeBacks: Array<{ rel: string; sidecar: Sidecar }>;
  presence: Array<{ id: string; present: 0 | 1 }>;
  stamps: { clear: boolean; upsert: StampRow[]; remove: string[] };
  /** Each folder's mtime to remember for the next sync (replacing what was), or null: keep what is remembered. */
  folders: Array<{ path: string; mtime: number }> | null;
  added: number;
  relinked: number;
}

const KNOWN_COLUMNS = 'id, path, sidecar_path AS sidecarPath, present, rating, favourite';
/** Rows read at once from a table (a step or so at 100,000 results). */
const PAGE = 500;

/** Every row of a table, a page at a time (by rowid), a step between pages. */
function* pagedRows<T>(db: Db, columns: string, table: string): Generator<void, T[]> {
  const out: T[] = [];
  for (let after = -Infinity; ;) {
    const page = db.all<T & { _rowid: number }>(
      `SELECT rowid AS _rowid, ${columns} FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ?`,
      after,
      PAGE,
    );
    for (const { _rowid, ...row } of page) out.push(row as unknown as T); // the row, rowid aside
    yield;
    if (page.length < PAGE) return out;
    after = page[page.length - 1]!._rowid;
  }
}

function emptyPlan(full: boolean, folders: SyncPlan['folders']): SyncPlan {
  return {
    rows: [],
    replace: false,
    relinks: [],
    writeBacks: [],
    presence: [],
    stamps: { clear: full, upsert: [], remove: [] },
    folders,
    added: 0,
    relinked: 0,
  };
}

/** Marks an entry present or missing (`find` and the sync). */
export function setPresence(db: Db, id: string, present: boolean): void {
  db.run('UPDATE entries SET present = ? WHERE id = ?', present ? 1 : 0, id);
}

/**
 * The sidecar's `user` block, or the index's rating and favourite when the
 * sidecar has none (its write failed, or it came from an older version): a
 * rebuild never drops a rating.
 */
export function userOf(
  sidecar: Sidecar,
  known: { rating: number; favourite: number | boolean } | null | undefined,
): Sidecar['user'] {
  if (sidecar.user) return sidecar.user;
  if (!known || (known.rating === 0 && !known.favourite)) return undefined;
  return { rating: known.rating, favourite: known.favourite === true || known.favourite === 1 };
}

function readSidecar(path: string): { sidecar: Sidecar } | { reason: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { reason: (error as Error).message };
  }
  const sidecar = parseSidecar(text);
  return sidecar ? { sidecar } : { reason: 'not a Restyle sidecar' };
}

/** An image's result id (its XMP `restyle:ResultId`) and content hash (without the packet). */
function fingerprint(path: string): { id: string | null; hash: string } | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return null;
  }
  const packet = locateXmp(bytes)?.packet;
  return {
    id: packet ? restyleXmpAttribute(packet, 'ResultId') : null,
    hash: sha256Hex(withoutXmp(bytes)),
  };
}

/**
 * Compares the index with the folder, as steps (see `walkLibrary`). Reads
 * only sidecars that are new or changed since the last look (all of them when
 * `full`), and hashes only images that have no sidecar while some sidecar has
 * lost its image; writes nothing.
 */
export function* planSync(options: SyncOptions): Generator<void, SyncPlan> {
  const { root, log } = options;
  const db = options.db.db;
  const abs = (rel: string) => fromRelative(root, rel);
  db.exec(STAMPS_SCHEMA);
  db.exec(FOLDERS_SCHEMA);
  if (!options.full) {
    const remembered = db.all<{ path: string; mtime: number }>(
      'SELECT path, mtime FROM sync_folders',
    );
    if (yield* foldersUnchanged(root, new Map(remembered.map((f) => [f.path, f.mtime]))))
      return emptyPlan(false, null);
  }
  const knownRows = yield* pagedRows<KnownRow>(db, KNOWN_COLUMNS, 'entries');
  const known = new Map(knownRows.map((row) => [row.id, row]));
  const stampRows = options.full
    ? []
    : yield* pagedRows<StampRow>(db, 'path, size, mtime, id, hash', 'sync_stamps');
  const cached = new Map(stampRows.map((row) => [row.path, row]));
  const due = stepDue();
  const listing: LibraryListing = yield* walkLibrary(root, options.now);
  for (const { path, reason } of listing.unreadable)
    log.info('library: folder unreadable', { path, reason });
  for (const path of listing.removedTemps)
    log.info('library: leftover temp file removed', { path });

  const lookedAt = Date.now(); // the file system's clock, not the app's (tests set that one)
  const plan = emptyPlan(
    options.full,
    listing.unreadable.length > 0
      ? [] // part of the tree unseen: nothing remembered, the next sync walks it all
      : [...listing.folders].map(([path, mtime]) => ({
          path,
          mtime: lookedAt - mtime < RACY_MS ? -1 : mtime,
        })),
  );
  plan.replace = options.fresh;
  const ignore = (rel: string, reason: string) =>
    log.info('library: file ignored', { path: abs(rel), reason });
  const unchanged = (rel: string, stamp: FileStamp) => {
    const before = cached.get(rel);
    return before && before.size === stamp.size && before.mtime === stamp.mtimeMs ? before : null;
  };

  // What each sidecar names: from the cache when it has not changed, else read.
  const byId = new Map<string, Found[]>();
  for (const [rel, stamp] of listing.sidecars) {
    if (due()) yield;
    const before = unchanged(rel, stamp);
    let found: Found;
    if (before) {
      if (before.id === null) continue;
      found = { rel, stamp, id: before.id, hash: before.hash ?? '', parsed: null };
    } else {
      const read = readSidecar(abs(rel));
      const sidecar = 'sidecar' in read ? read.sidecar : null;
      plan.stamps.upsert.push({
        path: rel,
        size: stamp.size,
        mtime: stamp.mtimeMs,
        id: sidecar?.id ?? null,
        hash: sidecar?.result.sha256 ?? null,
      });
      if (!sidecar) {
        ignore(rel, 'reason' in read ? read.reason : '');
        continue;
      }
      found = { rel, stamp, id: sidecar.id, hash: sidecar.result.sha256, parsed: sidecar };
    }
    const same = byId.get(found.id);
    if (same) same.push(found);
    else byId.set(found.id, [found]);
  }
  yield;

  const paired = (found: Found) => listing.files.has(imagePathFor(found.rel));
  const full = (found: Found): Sidecar | null => {
    if (found.parsed) return found.parsed;
    const read = readSidecar(abs(found.rel));
    found.parsed = 'sidecar' in read && read.sidecar.id === found.id ? read.sidecar : null;
    return found.parsed;
  };
  const orphans: Found[] = [];
  const seen = new Set<string>();
  for (const [id, sidecars] of byId) {
    if (due()) yield;
    const entry = known.get(id);
    // One sidecar per result: where the index has it, else one beside its image.
    const kept =
      sidecars.find((f) => entry?.sidecarPath === f.rel && paired(f)) ??
      sidecars.find(paired) ??
      sidecars[0]!;
    for (const other of sidecars)
      if (other !== kept && other.parsed) ignore(other.rel, 'duplicate result id');
    if (!paired(kept)) {
      orphans.push(kept);
      continue;
    }
    seen.add(id);
    const imageRel = imagePathFor(kept.rel);
    const moved =
      entry !== undefined && (entry.path !== imageRel || entry.sidecarPath !== kept.rel);
    if (entry && !moved && !kept.parsed) {
      if (entry.present !== 1) plan.presence.push({ id, present: 1 });
      continue;
    }
    const sidecar = full(kept);
    if (!sidecar) continue;
    const user = userOf(sidecar, entry);
    const withUser = { ...sidecar, user };
    if (user && !sidecar.user) plan.writeBacks.push({ rel: kept.rel, sidecar: withUser });
    const bytes = stampOf(abs(imageRel))?.size ?? sidecar.result.bytes;
    plan.rows.push(rowFor(root, abs(imageRel), abs(kept.rel), withUser, bytes, true));
    if (!entry) plan.added += 1;
    else if (moved) plan.relinked += 1;
  }
  yield;

  // Images moved or renamed without their sidecar: matched by the result id in
  // their XMP, else by their bytes (the downloaded ones, whose hash the sidecar keeps).
  const beside = new Set([...listing.sidecars.keys()].map(imagePathFor));
  const alone = listing.images.filter((rel) => !beside.has(rel));
  const keepStamps = new Set<string>();
  if (options.relink && orphans.length > 0 && alone.length > 0) {
    const waiting = new Set(orphans);
    for (const rel of alone) {
      if (waiting.size === 0) break;
      const stamp = stampOf(abs(rel));
      if (!stamp) continue;
      keepStamps.add(rel);
      const before = unchanged(rel, stamp);
      let print = before ? { id: before.id, hash: before.hash ?? '' } : null;
      if (!print) {
        print = fingerprint(abs(rel));
        yield;
        if (!print) continue;
        plan.stamps.upsert.push({ path: rel, size: stamp.size, mtime: stamp.mtimeMs, ...print });
      }
      const { id, hash } = print;
      // An image that names its result is that result or none (a copy of another one).
      const match = [...waiting].find((f) => (id === null ? f.hash === hash : f.id === id));
      const sidecar = match && full(match);
      if (!match || !sidecar) continue;
      waiting.delete(match);
      seen.add(match.id);
      plan.relinks.push({
        from: match.rel,
        imageRel: rel,
        sidecar: {
          ...sidecar,
          result: { ...sidecar.result, file: basename(abs(rel)) },
          user: userOf(sidecar, known.get(match.id)),
        },
        known: known.has(match.id),
      });
    }
  }

  // Sidecars whose image is gone: the index's entries stay, as missing.
  for (const found of orphans) {
    if (seen.has(found.id)) continue;
    seen.add(found.id);
    const entry = known.get(found.id);
    if (entry) {
      if (entry.present !== 0) plan.presence.push({ id: found.id, present: 0 });
      continue;
    }
    const sidecar = options.fresh ? full(found) : null;
    if (!sidecar) {
      if (found.parsed) ignore(found.rel, 'its image is missing');
      continue;
    }
    const imageRel = imagePathFor(found.rel);
    const row = rowFor(root, abs(imageRel), abs(found.rel), sidecar, sidecar.result.bytes, false);
    plan.rows.push(row);
    plan.added += 1;
  }
  // Entries with no sidecar on disk: present while their image is.
  for (const entry of known.values()) {
    if (due()) yield;
    if (seen.has(entry.id)) continue;
    const present = listing.files.has(entry.path) ? 1 : 0;
    if (present !== entry.present) plan.presence.push({ id: entry.id, present });
  }
  for (const path of cached.keys())
    if (!listing.sidecars.has(path) && !keepStamps.has(path)) plan.stamps.remove.push(path);
  return plan;
}

/**
 * The plan's file changes: each re-linked sidecar is written beside its image
 * under the image's name (`result.file` updated, the rating kept) and the old
 * one removed; ratings the index kept are written back to sidecars that lack
 * them. A write that fails leaves that result as it was (logged), never half-moved.
 */
export async function applyFiles(
  plan: SyncPlan,
  root: string,
  ops: FileOps,
  log: Logger,
): Promise<void> {
  const abs = (rel: string) => fromRelative(root, rel);
  for (const { from, imageRel, sidecar, known } of plan.relinks) {
    const imagePath = abs(imageRel);
    const sidecarPath = sidecarPathFor(imagePath);
    try {
      await writeFileAtomic(ops, sidecarPath, serializeSidecar(sidecar));
    } catch (error) {
      log.warn('library: could not re-link a moved result', {
        path: imagePath,
        error: (error as Error).message,
      });
      if (known) plan.presence.push({ id: sidecar.id, present: 0 });
      plan.folders = []; // the next sync tries again, though no folder changed
      continue;
    }
    await ops.remove(abs(from)).catch((error: Error) =>
      log.warn('library: the old sidecar could not be removed', {
        path: abs(from),
        error: error.message,
      }),
    );
    const bytes = stampOf(imagePath)?.size ?? sidecar.result.bytes;
    plan.rows.push(rowFor(root, imagePath, sidecarPath, sidecar, bytes, true));
    recordStamp(plan, root, sidecarPathFor(imageRel), sidecar);
    plan.relinked += 1;
    log.info('library: result re-linked', { id: sidecar.id, path: imagePath });
  }
  for (const { rel, sidecar } of plan.writeBacks) {
    try {
      await writeFileAtomic(ops, abs(rel), serializeSidecar(sidecar), { replace: true });
      recordStamp(plan, root, rel, sidecar);
    } catch (error) {
      // The index keeps the rating; the next full sync or rebuild tries again.
      plan.folders = [];
      log.warn('library: the rating could not be written back', {
        path: abs(rel),
        error: (error as Error).message,
      });
    }
  }
}

/** Remembers the stamp of a sidecar the sync itself wrote, so the next sync does not read it again. */
function recordStamp(plan: SyncPlan, root: string, rel: string, sidecar: Sidecar): void {
  const stamp = stampOf(fromRelative(root, rel));
  if (!stamp) return;
  const { upsert } = plan.stamps;
  const row = { path: rel, size: stamp.size, mtime: stamp.mtimeMs, id: sidecar.id };
  upsert.push({ ...row, hash: sidecar.result.sha256 });
}

/** Whether two index rows say the same (so writing one over the other changes nothing). */
const sameRow = (a: IndexRow, b: IndexRow): boolean =>
  (Object.keys(a) as Array<keyof IndexRow>).every((key) => a[key] === b[key]);

/**
 * Writes the plan into the index, a page of rows per transaction with a step
 * between pages (a rebuild that changes nothing writes nothing). The library
 * runs saves, ratings, deletes and syncs one at a time, so no sidecar changed
 * since the plan read it. An index opened new is loaded in one go.
 */
export function* applyIndex(plan: SyncPlan, index: IndexDb): Generator<void, SyncOutcome> {
  const db = index.db;
  let changed = false;
  if (plan.replace) {
    index.replaceAll(plan.rows);
    changed = true;
  } else {
    const due = stepDue();
    for (let at = 0; at < plan.rows.length;) {
      db.transaction(() => {
        do {
          const row = plan.rows[at++]!;
          const current = index.get(row.id);
          if (current && sameRow(current, row)) continue;
          index.insert(row);
          changed = true;
        } while (at < plan.rows.length && !due());
      });
      yield;
    }
    db.transaction(() => {
      for (const { id, present } of plan.presence) setPresence(db, id, present === 1);
    });
    changed ||= plan.presence.length > 0;
  }
  const { stamps, folders } = plan;
  if (folders)
    db.transaction(() => {
      db.exec('DELETE FROM sync_folders');
      for (const { path, mtime } of folders)
        db.run('INSERT INTO sync_folders (path, mtime) VALUES (?, ?)', path, mtime);
    });
  if (stamps.clear) db.exec('DELETE FROM sync_stamps');
  for (let at = 0; at < Math.max(stamps.remove.length, stamps.upsert.length); at += PAGE) {
    db.transaction(() => {
      for (const path of stamps.remove.slice(at, at + PAGE))
        db.run('DELETE FROM sync_stamps WHERE path = ?', path);
      for (const stamp of stamps.upsert.slice(at, at + PAGE))
        db.run(
          'INSERT OR REPLACE INTO sync_stamps (path, size, mtime, id, hash) VALUES (@path, @size, @mtime, @id, @hash)',
          stamp as unknown as Record<string, SqlValue>, // every field is a string, a number or null
        );
    });
    yield;
  }
  const counts = db.get<{ entries: number; missing: number }>(
    'SELECT COUNT(*) AS entries, COALESCE(SUM(present = 0), 0) AS missing FROM entries',
  ) ?? { entries: 0, missing: 0 };
  return {
    entries: counts.entries,
    added: plan.added,
    relinked: plan.relinked,
    missing: counts.missing,
    changed,
  };
}

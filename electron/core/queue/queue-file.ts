/**
 * Opening the queue file (`<data>/queue.sqlite`), and what happens when it
 * cannot be used as it is:
 *
 * - **Damaged** (SQLITE_CORRUPT, SQLITE_NOTADB, or `PRAGMA quick_check` not ok;
 *   also a file of zeros or a truncated one): what can be read is salvaged
 *   into a fresh file (salvage.ts), the damaged file is moved aside with its
 *   -wal and -shm as `queue.sqlite.corrupt-<UTC time>` (kept as found: it
 *   holds the task ids), and the rebuild is noted in the fresh file's meta
 *   table for the window's banner and the CLI's line, until dismissed.
 * - **Read-only, full or unopenable**: a coded error naming the file
 *   (`queue_read_only`, `queue_disk_full`, `queue_unopenable`). With
 *   `fallback` (the app and the bridge) the store opens anyway, read-only
 *   (the file itself when it still reads, else an empty stand-in), so the
 *   window starts, shows the problem and refuses changes with that code.
 *
 * The rebuild is crash-safe: the fresh file is written and synced beside the
 * damaged one (`queue.sqlite.recovering`) before anything is renamed, so a
 * crash leaves either the damaged file in place (rebuilt again on the next
 * open) or a complete fresh file that the next open moves into place.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statfsSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { QueueRecovery } from '../../../shared/contract/jobs';
import { LOCAL_ERROR_CODES, RestyleError, type ErrorCode } from '../../../shared/result';
import { openDb, sqliteFailure, type Db } from '../db/sqlite';
import { ensureDir } from '../fs/ensure-dir';
import type { Logger } from '../log/logger';
import { lockOwner, pidAlive } from './engine-lock';
import { salvageQueue } from './salvage';
import { migrate, SCHEMA_VERSION } from './schema';

/** The meta row noting a rebuild, until the user dismisses it. */
const RECOVERY_KEY = 'recovered';
/** SQLite's files beside a database. */
const SIDE_FILES = ['-wal', '-shm', '-journal'] as const;
/** How long an open waits for another process that is rebuilding the same file. */
const RECOVERY_WAIT_MS = 60_000;

const MESSAGES: Record<string, (file: string) => string> = {
  queue_read_only: (file) => `the queue file ${file} (or its folder) cannot be written`,
  queue_disk_full: (file) => `the disk holding the queue file ${file} is full`,
  queue_unopenable: (file) => `the queue file ${file} cannot be opened`,
  queue_damaged: (file) => `the queue file ${file} is damaged`,
};

const errnoOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

const coded = (code: ErrorCode, file: string, cause?: unknown, detail?: string): RestyleError => {
  const message = `${(MESSAGES[code] ?? (() => code))(file)}${detail ? ` (${detail})` : ''}`;
  const error = new RestyleError(code, message, { file });
  if (cause !== undefined) error.cause = cause;
  return error;
};

/**
 * A failure of the queue file as a coded error naming it (the user's words
 * are `errors.<code>`; SQLite's own text stays in `cause`, for the log), or
 * null when it is not a local problem.
 */
export function queueFileError(error: unknown, file: string): RestyleError | null {
  if (error instanceof RestyleError) return LOCAL_ERROR_CODES.has(error.code) ? error : null;
  const failure = sqliteFailure(error);
  const errno = errnoOf(error);
  if (failure === 'full' || errno === 'ENOSPC' || errno === 'EDQUOT')
    return coded('queue_disk_full', file, error);
  if (
    failure === 'read_only' ||
    failure === 'cant_open' ||
    errno === 'EACCES' ||
    errno === 'EPERM' ||
    errno === 'EROFS'
  )
    return coded('queue_read_only', file, error);
  if (failure === 'corrupt') return coded('queue_damaged', file, error);
  // SQLite says only "disk I/O error" when its shared-memory file finds no room.
  if (failure === 'io' && nearlyFull(dirname(file))) return coded('queue_disk_full', file, error);
  if (
    failure === 'io' ||
    ['ENOENT', 'ENOTDIR', 'EISDIR', 'ELOOP', 'ENAMETOOLONG'].includes(errno ?? '')
  )
    return coded('queue_unopenable', file, error);
  return null;
}

/** Less free room than SQLite needs to open a queue (its WAL and shared memory) and write to it. */
const NEARLY_FULL_BYTES = 1024 * 1024;

function nearlyFull(dir: string): boolean {
  try {
    const { bavail, bsize } = statfsSync(dir);
    return bavail * bsize < NEARLY_FULL_BYTES;
  } catch {
    return false;
  }
}

const isDamaged = (error: unknown) =>
  error instanceof RestyleError && error.code === 'queue_damaged';

/** Every driver error of the queue's connection, coded when it is a local problem. */
const mapperFor = (file: string) => (error: unknown) => queueFileError(error, file) ?? error;

/** Opens, checks and migrates the file; a damaged one throws `queue_damaged`. */
function connect(file: string): Db {
  const db = openDb(file, { busyTimeoutMs: 10_000, mapError: mapperFor(file) });
  try {
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON');
    const check = db.all<{ quick_check: string }>('PRAGMA quick_check(1)');
    if (check[0]?.quick_check !== 'ok')
      throw coded('queue_damaged', file, undefined, check[0]?.quick_check);
    migrate(db);
    return db;
  } catch (error) {
    try {
      db.close();
    } catch {
      // Closing a damaged file may fail too; the first error is the one that counts.
    }
    throw error;
  }
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Syncs a file (or, where the OS allows, a folder's entries) to disk. */
function fsyncPath(path: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // A folder cannot be opened on Windows; its renames are durable there.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** One rebuild at a time per file, across processes: an exclusive lock file holding the pid. */
function takeRecoveryLock(file: string): () => void {
  const path = `${file}.recover-lock`;
  const deadline = Date.now() + RECOVERY_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') throw queueFileError(error, file) ?? error;
    }
    let pid = 0;
    try {
      pid = Number(readFileSync(path, 'utf8'));
    } catch {
      // Removed meanwhile: try again.
    }
    if (!Number.isInteger(pid) || pid <= 0 || (pid !== process.pid && !pidAlive(pid))) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw coded('queue_damaged', file, undefined, `being rebuilt by pid ${pid}`);
    sleepSync(100);
  }
}

/** `queue.sqlite.corrupt-20261130-174902` (UTC), with a number when taken. */
function keptName(file: string, at: number): string {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  let name = `${file}.corrupt-${stamp}`;
  for (let n = 2; existsSync(name); n += 1) name = `${file}.corrupt-${stamp}-${n}`;
  return name;
}

function removeWithSideFiles(path: string): void {
  for (const suffix of ['', ...SIDE_FILES]) rmSync(`${path}${suffix}`, { force: true });
}

/** Moves SQLite's side files of `file` to go with `kept` (a WAL must never meet another database). */
function moveSideFiles(file: string, kept: string): void {
  for (const suffix of SIDE_FILES) {
    if (!existsSync(`${file}${suffix}`)) continue;
    if (existsSync(`${kept}${suffix}`)) rmSync(`${file}${suffix}`, { force: true });
    else renameSync(`${file}${suffix}`, `${kept}${suffix}`);
  }
}

/** The damaged file for reading (read-only first, so it is kept as found), or null when it does not open. */
function openDamaged(file: string): Db | null {
  for (const readOnly of [true, false]) {
    try {
      const db = openDb(file, { readOnly, busyTimeoutMs: 2000 });
      try {
        // Tolerates a schema SQLite would refuse to load whole (a truncated file, say):
        // the tables whose pages still read can then be read.
        db.exec('PRAGMA writable_schema = 1');
      } catch {
        // The header is unreadable: nothing will be, and each read says so.
      }
      return db;
    } catch {
      // Try the next way.
    }
  }
  return null;
}

const readRecoveryFrom = (db: Db): QueueRecovery | null => {
  try {
    const row = db.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', RECOVERY_KEY);
    return row ? (JSON.parse(row.value) as QueueRecovery) : null;
  } catch {
    return null;
  }
};

/**
 * A rebuild interrupted between moving the damaged file aside and moving the
 * fresh one into place (a crash, a power cut) is finished; a fresh file left
 * from a rebuild interrupted earlier is dropped (the damaged file is still
 * there and is rebuilt again).
 */
function finishInterruptedRecovery(file: string): void {
  const scratch = `${file}.recovering`;
  if (!existsSync(scratch)) return;
  if (existsSync(file)) {
    removeWithSideFiles(scratch);
    return;
  }
  const db = openDb(scratch, { readOnly: true });
  const notice = readRecoveryFrom(db);
  db.close();
  if (notice) moveSideFiles(file, notice.keptAs);
  else removeWithSideFiles(file);
  renameSync(scratch, file);
  fsyncPath(dirname(file));
}

interface Clock {
  now: () => number;
  log?: Logger | undefined;
}

/** Rebuilds a damaged queue file; returns the fresh file, open. */
function recover(file: string, { now, log }: Clock): Db {
  const release = takeRecoveryLock(file);
  try {
    // Another process may have rebuilt it while this one waited.
    try {
      return connect(file);
    } catch (error) {
      if (!isDamaged(error)) throw error;
    }
    const scratch = `${file}.recovering`;
    removeWithSideFiles(scratch);
    const at = now();
    const keptAs = keptName(file, at);
    const damaged = openDamaged(file);
    let notice: QueueRecovery;
    try {
      if (damaged) {
        let owner: number | null = null;
        try {
          owner = lockOwner(damaged);
        } catch {
          // The lock row is unreadable: no engine can be working on it.
        }
        // A live engine still writing to it would keep writing to the kept file.
        if (owner !== null && owner !== process.pid)
          throw coded('queue_damaged', file, undefined, `in use by pid ${owner}`);
      }
      const fresh = openDb(scratch, { mapError: mapperFor(file) });
      try {
        migrate(fresh);
        const counts = salvageQueue(damaged, fresh, at);
        notice = {
          keptAs,
          batches: counts.batches,
          jobs: counts.jobs,
          inFlight: counts.inFlight,
          at,
        };
        fresh.run(
          'INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)',
          RECOVERY_KEY,
          JSON.stringify(notice),
        );
        log?.warn('queue: the queue file was damaged and has been rebuilt', {
          file,
          keptAs,
          ...counts,
          lostTaskIds: counts.lostTaskIds.join(','),
        });
      } finally {
        fresh.close();
      }
    } finally {
      damaged?.close();
    }
    fsyncPath(scratch);
    try {
      renameSync(file, keptAs);
      moveSideFiles(file, keptAs);
      renameSync(scratch, file);
    } catch (error) {
      throw queueFileError(error, file) ?? error;
    }
    fsyncPath(dirname(file));
  } finally {
    release();
  }
  return connect(file);
}

/** The file as it is, or rebuilt when damaged; throws a coded error for a local problem. */
function openOrRecover(file: string, clock: Clock): Db {
  try {
    ensureDir(dirname(file));
    if (existsSync(file) && !statSync(file).isFile())
      throw coded('queue_unopenable', file, undefined, 'not a file');
  } catch (error) {
    // A folder in the way is a file, say: the queue cannot be opened there.
    throw queueFileError(error, file) ?? coded('queue_unopenable', file, error);
  }
  try {
    finishInterruptedRecovery(file);
  } catch (error) {
    throw queueFileError(error, file) ?? error;
  }
  try {
    return connect(file);
  } catch (error) {
    if (!isDamaged(error)) throw error;
    clock.log?.error('queue: the queue file is damaged; rebuilding it', {
      file,
      error: String((error as Error).cause ?? (error as Error).message),
    });
  }
  return recover(file, clock);
}

/**
 * Where the queue cannot be written, a read-only one: the file itself when it
 * still reads and checks, else an empty one in memory. Every write refuses
 * with `problem` (its code names the file and the fix).
 */
function readOnlyStandIn(file: string, problem: RestyleError): Db {
  const mapError = (error: unknown) =>
    sqliteFailure(error) === 'read_only' ? problem : (queueFileError(error, file) ?? error);
  if (problem.code !== 'queue_damaged' && existsSync(file)) {
    try {
      const db = openDb(file, { readOnly: true, mapError });
      try {
        if (
          db.get<{ quick_check: string }>('PRAGMA quick_check(1)')?.quick_check === 'ok' &&
          Number(db.pragma('user_version')) === SCHEMA_VERSION
        )
          return db;
      } catch {
        // Not readable either: the stand-in below.
      }
      db.close();
    } catch {
      // Not openable for reading: the stand-in below.
    }
  }
  const db = openDb(':memory:', { mapError });
  migrate(db);
  db.exec('PRAGMA query_only = 1');
  return db;
}

export interface QueueFileOptions {
  now?: () => number;
  log?: Logger | undefined;
  /**
   * Opens read-only rather than throw when the file cannot be written or
   * rebuilt (the window starts and shows why). @default false
   */
  fallback?: boolean;
}

export interface OpenedQueueFile {
  db: Db;
  /** Why the queue is read-only (`fallback` only); null when it works. */
  problem: RestyleError | null;
}

/** Opens the queue file, rebuilding it when damaged (see the top of this file). */
export function openQueueFile(file: string, options: QueueFileOptions = {}): OpenedQueueFile {
  const clock: Clock = { now: options.now ?? Date.now, log: options.log };
  try {
    return { db: openOrRecover(file, clock), problem: null };
  } catch (error) {
    const problem = queueFileError(error, file);
    if (!problem || !options.fallback) throw error;
    options.log?.error('queue: the queue file cannot be used; read-only until fixed', {
      file,
      code: problem.code,
      error: String(problem.cause ?? problem.message),
    });
    return { db: readOnlyStandIn(file, problem), problem };
  }
}

/** The rebuild noted in the queue, until dismissed. */
export function queueRecovery(db: Db): QueueRecovery | null {
  return readRecoveryFrom(db);
}

export function dismissQueueRecovery(db: Db): void {
  db.run('DELETE FROM meta WHERE key = ?', RECOVERY_KEY);
}

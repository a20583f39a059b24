import { randomUUID } from 'node:crypto';
import type { Db } from '../db/sqlite';

/** Another live process owns the queue of this data folder. */
export class EngineLockedError extends Error {
  override readonly name = 'EngineLockedError';
  constructor(readonly pid: number) {
    super(`the queue is in use by another Restyle process (pid ${pid})`);
  }
}

export interface LockOptions {
  /** @default process.pid */
  pid?: number;
  now?: () => number;
  /** A lock whose heartbeat is older than this is taken over even if its pid lives (reused pid, hung process). @default 20000 */
  staleMs?: number;
  /** @default a signal-0 probe */
  isAlive?: (pid: number) => boolean;
}

export interface EngineLock {
  readonly token: string;
  heartbeat(): void;
  release(): void;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The owner of the lock row, or null; for `restyle status`. */
export function lockOwner(db: Db, options: LockOptions = {}): number | null {
  const row = db.get<{ lock_pid: number | null; heartbeat_at: number | null }>(
    'SELECT lock_pid, heartbeat_at FROM engine WHERE id = 1',
  );
  if (!row) return null;
  if (row.lock_pid === null) return null;
  const now = (options.now ?? Date.now)();
  const fresh = now - (row.heartbeat_at ?? 0) < (options.staleMs ?? 20_000);
  return fresh && (options.isAlive ?? pidAlive)(row.lock_pid) ? row.lock_pid : null;
}

/**
 * One engine per data folder: a lock row with pid and heartbeat, taken in an
 * IMMEDIATE transaction. A dead pid's lock (SIGKILL, crash) is taken over at once.
 */
export function acquireEngineLock(db: Db, options: LockOptions = {}): EngineLock {
  const pid = options.pid ?? process.pid;
  const now = options.now ?? Date.now;
  const token = randomUUID();
  db.transaction(() => {
    const owner = lockOwner(db, options);
    if (owner !== null) throw new EngineLockedError(owner);
    db.run(
      'UPDATE engine SET lock_pid = ?, lock_token = ?, heartbeat_at = ? WHERE id = 1',
      pid,
      token,
      now(),
    );
  }, 'immediate');
  return {
    token,
    heartbeat() {
      db.run('UPDATE engine SET heartbeat_at = ? WHERE id = 1 AND lock_token = ?', now(), token);
    },
    release() {
      db.run(
        'UPDATE engine SET lock_pid = NULL, lock_token = NULL, heartbeat_at = NULL WHERE id = 1 AND lock_token = ?',
        token,
      );
    },
  };
}

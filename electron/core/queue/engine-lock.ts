import { randomUUID } from 'node:crypto';
import type { Db } from '../db/sqlite';

/** Another live process owns the queue of this data folder. */
export class EngineLockedError extends Error {
  override readonly name = 'EngineLockedError';
  constructor(readonly pid: number) {
    super(`the queue is in use by another Restyle process (pid ${pid})`);
  }
}

/**
 * How long a lock may go without a heartbeat before another engine takes it
 * over although its pid lives (a hung, suspended or Ctrl-Z-stopped process,
 * a reused pid). The holder beats every quarter of it.
 */
export const LOCK_STALE_MS = 20_000;

export interface LockOptions {
  /** @default process.pid */
  pid?: number;
  now?: () => number;
  /** @default LOCK_STALE_MS */
  staleMs?: number;
  /** @default a signal-0 probe */
  isAlive?: (pid: number) => boolean;
}

export interface EngineLock {
  readonly token: string;
  /**
   * Renews the heartbeat (the lock's own timer does it every `staleMs / 4`);
   * false once another engine has taken the lock over: it is then lost for good.
   */
  heartbeat(): boolean;
  /** Whether the lock row still carries this lock's token (a read). */
  held(): boolean;
  /** The pid now named in the lock row (the engine that took over), or null. */
  holder(): number | null;
  /** Called once, when a heartbeat finds the lock taken over. */
  onLost(listener: () => void): void;
  /** Frees the row if it is still ours, and stops the heartbeat. */
  release(): void;
}

/** SQL true while the lock row carries the token bound as `@lockToken`. */
export const HOLDS_LOCK_SQL =
  'EXISTS (SELECT 1 FROM engine WHERE id = 1 AND lock_token = @lockToken)';

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
  const fresh = now - (row.heartbeat_at ?? 0) < (options.staleMs ?? LOCK_STALE_MS);
  return fresh && (options.isAlive ?? pidAlive)(row.lock_pid) ? row.lock_pid : null;
}

/**
 * One engine per data folder: a lock row with pid, token and heartbeat, taken
 * in an IMMEDIATE transaction. A dead pid's lock (SIGKILL, crash) is taken
 * over at once, a live one whose heartbeat is older than `staleMs` too. The
 * lock beats on its own timer from the moment it is taken, so a host may take
 * it before it writes anything and start the engine later.
 */
export function acquireEngineLock(db: Db, options: LockOptions = {}): EngineLock {
  const pid = options.pid ?? process.pid;
  const now = options.now ?? Date.now;
  const staleMs = options.staleMs ?? LOCK_STALE_MS;
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

  let lost = false;
  const listeners: Array<() => void> = [];
  const held = () =>
    !lost &&
    db.get<{ n: number }>('SELECT COUNT(*) AS n FROM engine WHERE id = 1 AND lock_token = ?', token)
      ?.n === 1;
  const markLost = () => {
    if (lost) return;
    lost = true;
    clearInterval(timer);
    for (const listener of listeners) listener();
  };
  const heartbeat = (): boolean => {
    if (lost) return false;
    const changed = db.run(
      'UPDATE engine SET heartbeat_at = ? WHERE id = 1 AND lock_token = ?',
      now(),
      token,
    ).changes;
    if (changed === 0) markLost();
    return !lost;
  };
  const timer = setInterval(() => {
    try {
      heartbeat();
    } catch {
      // A busy or failing database: a missed beat, not a lost lock.
    }
  }, staleMs / 4);
  timer.unref();

  return {
    token,
    heartbeat,
    held() {
      if (held()) return true;
      markLost();
      return false;
    },
    holder: () =>
      db.get<{ lock_pid: number | null }>('SELECT lock_pid FROM engine WHERE id = 1')?.lock_pid ??
      null,
    onLost(listener) {
      listeners.push(listener);
    },
    release() {
      clearInterval(timer);
      if (lost) return;
      lost = true;
      db.run(
        'UPDATE engine SET lock_pid = NULL, lock_token = NULL, heartbeat_at = NULL WHERE id = 1 AND lock_token = ?',
        token,
      );
    },
  };
}

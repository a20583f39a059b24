/**
 * The one door to SQLite: Node's built-in `node:sqlite`, which Electron's main
 * process and Node 22.16+ both carry, so the app, the CLI and the tests run the
 * same engine with no native addon to compile or match to an ABI. No other
 * file imports the driver; this wrapper adds what the store needs on top of it:
 * transactions (nested ones as savepoints), typed rows, one-value pragmas and a
 * cache of prepared statements.
 */
import type * as NodeSqlite from 'node:sqlite';
import type { DatabaseSync, StatementSync } from 'node:sqlite';

/** What SQLite can store; booleans and undefined are refused by the driver. */
export type SqlValue = null | number | bigint | string | Uint8Array;
/** Positional values, or one object of named ones (`@name` in the SQL). */
export type SqlParams = SqlValue[] | [Record<string, SqlValue>];

export interface Db {
  /** The file's path, as opened. */
  readonly file: string;
  exec(sql: string): void;
  get<T>(sql: string, ...params: SqlParams): T | undefined;
  all<T>(sql: string, ...params: SqlParams): T[];
  run(sql: string, ...params: SqlParams): { changes: number };
  /** The value of a pragma (first column of its first row): `pragma('user_version')`. */
  pragma(statement: string): unknown;
  /**
   * Runs `fn` in one transaction and returns what it returns; a throw rolls it
   * back. `immediate` takes the write lock at once. Nested calls are savepoints.
   */
  transaction<T>(fn: () => T, mode?: 'deferred' | 'immediate'): T;
  close(): void;
}

export interface OpenOptions {
  /** How long a writer waits for another connection's lock. @default 5000 */
  busyTimeoutMs?: number;
  /** Opens for reading only; the file must exist. @default false */
  readOnly?: boolean;
  /**
   * Turns a driver error into the error the caller wants thrown (a coded one);
   * every statement, pragma and transaction of the connection goes through it.
   */
  mapError?: (error: unknown) => unknown;
}

/**
 * What kind of failure a SQLite error is, from the driver's result code:
 * `corrupt` (SQLITE_CORRUPT, SQLITE_NOTADB: damaged, or not a database at all),
 * `full` (SQLITE_FULL), `read_only` (SQLITE_READONLY, SQLITE_PERM),
 * `cant_open` (SQLITE_CANTOPEN), `io` (SQLITE_IOERR), `busy`; null for
 * anything else (a bad statement, a constraint) or a non-SQLite error.
 */
export type SqliteFailure = 'corrupt' | 'full' | 'read_only' | 'cant_open' | 'io' | 'busy';

const FAILURES: Readonly<Record<number, SqliteFailure>> = {
  3: 'read_only', // SQLITE_PERM
  5: 'busy', // SQLITE_BUSY
  6: 'busy', // SQLITE_LOCKED
  8: 'read_only', // SQLITE_READONLY
  10: 'io', // SQLITE_IOERR
  11: 'corrupt', // SQLITE_CORRUPT
  13: 'full', // SQLITE_FULL
  14: 'cant_open', // SQLITE_CANTOPEN
  26: 'corrupt', // SQLITE_NOTADB
};

export function sqliteFailure(error: unknown): SqliteFailure | null {
  const code = (error as { code?: unknown; errcode?: unknown } | null)?.code;
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  if (code !== 'ERR_SQLITE_ERROR' || typeof errcode !== 'number') return null;
  // Extended result codes carry the primary code in their low byte.
  return FAILURES[errcode & 0xff] ?? null;
}

/** Statements kept compiled per connection; the SQL of the queue is a small, bounded set. */
const STATEMENT_CACHE = 256;

let driver: typeof NodeSqlite | undefined;

/**
 * Loads `node:sqlite`, hiding only its own ExperimentalWarning (it is printed
 * once per process on Node 22 and says nothing the user can act on); every
 * other warning goes through untouched.
 */
function sqlite(): typeof NodeSqlite {
  if (driver) return driver;
  const emit = process.emitWarning;
  process.emitWarning = function (
    this: NodeJS.Process,
    warning: string | Error,
    ...rest: unknown[]
  ) {
    const text = typeof warning === 'string' ? warning : warning.message;
    const first = rest[0];
    const type =
      typeof first === 'string'
        ? first
        : ((first as { type?: string } | undefined)?.type ??
          (typeof warning === 'string' ? undefined : warning.name));
    if (type === 'ExperimentalWarning' && /\bSQLite\b/.test(text)) return;
    // Forwarded as given: emitWarning's overloads cannot be named from a rest tuple.
    return (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    driver = process.getBuiltinModule('node:sqlite');
  } finally {
    process.emitWarning = emit;
  }
  return driver;
}

/** Opens (creating when missing) the database file. */
export function openDb(file: string, options: OpenOptions = {}): Db {
  const { DatabaseSync: Database } = sqlite();
  const mapError = options.mapError ?? ((error: unknown) => error);
  /** Runs one driver call, throwing the caller's error for a failure. */
  const guard = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      throw mapError(error);
    }
  };
  const db: DatabaseSync = guard(() => new Database(file, { readOnly: options.readOnly ?? false }));
  guard(() =>
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`),
  );

  interface Prepared {
    statement: StatementSync;
    /** Result column names, read once; rows come back as arrays and are built here. */
    names: string[] | null;
  }
  const cache = new Map<string, Prepared>();
  const prepared = (sql: string): Prepared => {
    let entry = cache.get(sql);
    if (!entry) {
      if (cache.size >= STATEMENT_CACHE) cache.clear();
      const statement = db.prepare(sql);
      // Arrays, then plain objects built in JS: the driver's own row objects have
      // a null prototype, which V8 keeps in slow dictionary mode (2x the heap).
      statement.setReturnArrays(true);
      entry = { statement, names: null };
      cache.set(sql, entry);
    }
    return entry;
  };
  const toRow = (entry: Prepared, values: unknown[]): Record<string, unknown> => {
    const names = (entry.names ??= entry.statement.columns().map((c) => c.name));
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i += 1) row[names[i] as string] = values[i];
    return row;
  };
  // The driver's parameter lists are typed as a union of tuple forms; ours is one of them.
  const args = (params: SqlParams) => params as [Record<string, SqlValue>];

  let depth = 0;
  const api: Db = {
    file,
    exec: (sql) => guard(() => db.exec(sql)),
    get<T>(sql: string, ...params: SqlParams) {
      return guard(() => {
        const entry = prepared(sql);
        const values = entry.statement.get(...args(params)) as unknown[] | undefined;
        return values === undefined ? undefined : (toRow(entry, values) as T);
      });
    },
    all<T>(sql: string, ...params: SqlParams) {
      return guard(() => {
        const entry = prepared(sql);
        const rows = entry.statement.all(...args(params)) as unknown as unknown[][];
        return rows.map((values) => toRow(entry, values) as T);
      });
    },
    run(sql, ...params) {
      return guard(() => {
        const { changes } = prepared(sql).statement.run(...args(params));
        return { changes: Number(changes) };
      });
    },
    pragma(text) {
      return guard(() => {
        const row = db.prepare(`PRAGMA ${text}`).get() as Record<string, unknown> | undefined;
        return row === undefined ? undefined : Object.values(row)[0];
      });
    },
    transaction<T>(fn: () => T, mode: 'deferred' | 'immediate' = 'deferred'): T {
      const savepoint = depth > 0 ? `sp_${depth}` : null;
      guard(() =>
        db.exec(
          savepoint ? `SAVEPOINT ${savepoint}` : mode === 'immediate' ? 'BEGIN IMMEDIATE' : 'BEGIN',
        ),
      );
      depth += 1;
      try {
        const result = fn();
        if (result instanceof Promise) {
          throw new TypeError('a transaction must not return a promise: it would commit early');
        }
        db.exec(savepoint ? `RELEASE ${savepoint}` : 'COMMIT');
        return result;
      } catch (error) {
        try {
          db.exec(savepoint ? `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}` : 'ROLLBACK');
        } catch {
          // SQLite already rolled back (some errors, like SQLITE_FULL, end the transaction).
        }
        // Mapped once: an error from a statement inside was mapped already.
        throw mapError(error);
      } finally {
        depth -= 1;
      }
    },
    close() {
      cache.clear();
      if (db.isOpen) guard(() => db.close());
    },
  };
  return api;
}

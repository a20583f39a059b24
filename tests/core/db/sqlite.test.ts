import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../electron/core/db/sqlite';
import { useTempDir } from '../../support/temp-dir';

describe('the SQLite wrapper over node:sqlite', () => {
  let tmp: ReturnType<typeof useTempDir>;
  let db: Db;
  const count = () => Number(db.get<{ n: number }>('SELECT COUNT(*) AS n FROM t')?.n);

  beforeEach(() => {
    tmp = useTempDir('restyle-sqlite-');
    db = openDb(join(tmp.path, 'a.sqlite'));
    db.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  });
  afterEach(() => {
    db.close();
    tmp.cleanup();
  });

  it('binds positional and named values and types the rows', () => {
    db.run('INSERT INTO t (id, v) VALUES (?, ?)', 1, 'one');
    expect(db.run('INSERT INTO t (id, v) VALUES (@id, @v)', { id: 2, v: null }).changes).toBe(1);
    expect(db.all<{ id: number; v: string | null }>('SELECT * FROM t ORDER BY id')).toEqual([
      { id: 1, v: 'one' },
      { id: 2, v: null },
    ]);
    expect(db.get('SELECT * FROM t WHERE id = ?', 3)).toBeUndefined();
    expect(db.pragma('journal_mode')).toBe('wal');
  });

  it('commits a transaction, and rolls all of it back when it throws', () => {
    db.transaction(() => db.run('INSERT INTO t (v) VALUES (?)', 'kept'));
    expect(() =>
      db.transaction(() => {
        db.run('INSERT INTO t (v) VALUES (?)', 'lost');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(db.all<{ v: string }>('SELECT v FROM t').map((r) => r.v)).toEqual(['kept']);
  });

  it('nests as savepoints: an inner failure undoes only the inner part', () => {
    db.transaction(() => {
      db.run('INSERT INTO t (v) VALUES (?)', 'outer');
      expect(() =>
        db.transaction(() => {
          db.run('INSERT INTO t (v) VALUES (?)', 'inner');
          throw new Error('inner');
        }),
      ).toThrow('inner');
      db.transaction(() => db.run('INSERT INTO t (v) VALUES (?)', 'inner ok'));
    });
    expect(db.all<{ v: string }>('SELECT v FROM t ORDER BY id').map((r) => r.v)).toEqual([
      'outer',
      'inner ok',
    ]);
  });

  it('refuses an async transaction body and rolls it back', () => {
    expect(() =>
      db.transaction(() => {
        db.run('INSERT INTO t (v) VALUES (?)', 'x');
        return Promise.resolve(1);
      }),
    ).toThrow(/promise/);
    expect(count()).toBe(0);
  });

  it('an immediate transaction holds the write lock against another connection', () => {
    const other = openDb(join(tmp.path, 'a.sqlite'), { busyTimeoutMs: 0 });
    try {
      db.transaction(() => {
        db.run('INSERT INTO t (v) VALUES (?)', 'mine');
        expect(() => other.run('INSERT INTO t (v) VALUES (?)', 'theirs')).toThrow(/locked|busy/i);
      }, 'immediate');
      other.run('INSERT INTO t (v) VALUES (?)', 'theirs');
      expect(count()).toBe(2);
    } finally {
      other.close();
    }
  });

  it("hides node:sqlite's experimental warning and no other warning", () => {
    const script = join(tmp.path, 'warn.ts');
    const wrapper = join(import.meta.dirname, '../../../electron/core/db/sqlite.ts');
    writeFileSync(
      script,
      [
        `import { openDb } from ${JSON.stringify(wrapper)};`,
        `const db = openDb(':memory:');`,
        `db.exec('CREATE TABLE x (a)');`,
        `db.close();`,
        `process.emitWarning('another feature is experimental', 'ExperimentalWarning');`,
      ].join('\n'),
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/SQLite/);
    expect(run.stderr).toMatch(/ExperimentalWarning: another feature is experimental/);
  });
});

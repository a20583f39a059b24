import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureDir } from '../../../electron/core/fs/ensure-dir';
import { useTempDir } from '../../support/temp-dir';

describe('ensureDir', () => {
  let tmp: ReturnType<typeof useTempDir>;
  beforeEach(() => (tmp = useTempDir()));
  afterEach(() => tmp.cleanup());

  it('creates every missing level and accepts an existing folder', () => {
    const deep = join(tmp.path, 'a', 'b', 'c');
    ensureDir(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    ensureDir(deep);
  });

  it('fails on a file in the way', () => {
    writeFileSync(join(tmp.path, 'file'), 'x');
    expect(() => ensureDir(join(tmp.path, 'file', 'sub'))).toThrow();
  });

  it.runIf(existsSync('/proc/self'))(
    'fails, instead of looping forever, where mkdir always answers ENOENT',
    () => {
      expect(() => ensureDir('/proc/restyle-cannot-exist/library')).toThrow();
    },
  );
});

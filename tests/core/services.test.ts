// createServices is the one composition root: what the CLI asks of it (the lock
// taken before anything is written, a pinned library folder) and what every
// host hands it (the OS, read at the edge).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultDataDir, defaultLibraryDir } from '../../electron/core/app-paths';
import { EngineLockedError } from '../../electron/core/queue/engine-lock';
import type { Services } from '../../electron/core/services';
import { makeServices } from '../support/core-services';
import { useTempDir } from '../support/temp-dir';

let tmp: ReturnType<typeof useTempDir>;
let open: Services[];
beforeEach(() => {
  tmp = useTempDir('restyle-services-');
  open = [];
});
afterEach(async () => {
  for (const services of open) await services.close();
  tmp.cleanup();
});

const compose = (...args: Parameters<typeof makeServices>) => {
  const services = makeServices(...args);
  open.push(services);
  return services;
};

describe('createServices for the CLI', () => {
  it('takes the lock before anything is written: another holder means no folder made, nothing remembered', async () => {
    const data = join(tmp.path, 'data');
    const first = compose(data, { queue: { lock: 'now' } });
    expect(first.queueLock?.held()).toBe(true);

    const given = join(tmp.path, 'new-library');
    expect(() =>
      makeServices(data, {
        queue: { lock: 'now' },
        pinnedLibrary: { given, create: true },
      }),
    ).toThrow(EngineLockedError);
    expect(existsSync(given)).toBe(false);
    expect(first.queue.getMeta('libraryDir')).toBeNull();

    await first.close();
    open = [];
    const second = compose(data, {
      queue: { lock: 'now' },
      pinnedLibrary: { given, create: true },
    });
    expect(second.queueLock?.held()).toBe(true);
    expect(existsSync(given)).toBe(true);
  });

  it('a pinned library is remembered in the queue; later hosts that pin use it, the window follows settings', async () => {
    const data = join(tmp.path, 'data');
    const given = join(tmp.path, 'given');
    const run = compose(data, { pinnedLibrary: { given, create: true } });
    expect(run.library.root).toBe(given);
    await run.close();
    open = [];

    const resume = compose(data, { pinnedLibrary: { create: false } });
    expect(resume.library.root).toBe(given);
    await resume.close();
    open = [];

    const window = compose(data);
    expect(window.library.root).toBe(window.settings.view().libraryDir);
    expect(window.library.root).not.toBe(given);
  });

  it('a pinned folder that is missing is not made unless asked (only `run` makes it)', () => {
    const data = join(tmp.path, 'data');
    const gone = join(tmp.path, 'unplugged');
    const status = compose(data, {
      queue: { lock: 'none' },
      pinnedLibrary: { given: gone, create: false },
    });
    expect(status.library.root).toBe(gone);
    expect(existsSync(gone)).toBe(false);
  });

  it('the OS it reports is the one the edge passed', () => {
    const services = compose(join(tmp.path, 'data'), { osPlatform: 'plan9' });
    expect(services.info().platform).toBe('plan9');
  });
});

describe('the folders, from what the edge read of the OS', () => {
  const home = '/home/ada';
  it('mirror Electron userData for productName Restyle', () => {
    expect(defaultDataDir({ platform: 'linux', home, env: {} })).toBe(
      join(home, '.config', 'Restyle'),
    );
    expect(defaultDataDir({ platform: 'linux', home, env: { XDG_CONFIG_HOME: '/x' } })).toBe(
      join('/x', 'Restyle'),
    );
    expect(defaultDataDir({ platform: 'darwin', home, env: {} })).toBe(
      join(home, 'Library', 'Application Support', 'Restyle'),
    );
    expect(defaultDataDir({ platform: 'win32', home, env: { APPDATA: '/appdata' } })).toBe(
      join('/appdata', 'Restyle'),
    );
    expect(defaultDataDir({ platform: 'win32', home, env: {} })).toBe(
      join(home, 'AppData', 'Roaming', 'Restyle'),
    );
  });

  it('RESTYLE_DATA_DIR overrides the data folder; the library sits in Pictures', () => {
    expect(defaultDataDir({ platform: 'linux', home, env: { RESTYLE_DATA_DIR: '/d' } })).toBe('/d');
    expect(defaultLibraryDir(join(tmp.path, 'Pictures'))).toBe(
      join(tmp.path, 'Pictures', 'Restyle'),
    );
  });
});

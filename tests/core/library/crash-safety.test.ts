import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFileOps, type FileOps } from '../../../electron/core/library/atomic-file';
import { createLibrary } from '../../../electron/core/library/library';
import { useTempDir } from '../../support/temp-dir';
import { filesUnder, pngResult, saveInput } from './fixtures';

const child = join(import.meta.dirname, 'library-child.ts');
let temp: ReturnType<typeof useTempDir>;

beforeEach(() => {
  temp = useTempDir('restyle-library-crash-');
});
afterEach(() => temp.cleanup());

const errnoError = (code: string) => Object.assign(new Error(`${code}: injected`), { code });

/** Writes half of the bytes for real, then fails as a full disk does. */
const diskFullAt = (failOn: (path: string) => boolean): FileOps => ({
  ...nodeFileOps,
  async writeNew(path, data) {
    if (!failOn(path)) return nodeFileOps.writeNew(path, data);
    await nodeFileOps.writeNew(path, data.subarray(0, data.length >> 1));
    throw errnoError('ENOSPC');
  },
});

describe('crash safety', () => {
  it('leaves no temp file after a save', async () => {
    const library = createLibrary({ root: temp.path });
    await library.save(saveInput(await pngResult()));
    library.close();
    expect(filesUnder(temp.path)).toEqual([
      'Trip 2024/day 1/IMG_0001.anime.png',
      'Trip 2024/day 1/IMG_0001.anime.png.restyle.json',
    ]);
  });

  it('a failure between write and rename leaves nothing under the final name', async () => {
    const library = createLibrary({
      root: temp.path,
      fileOps: {
        ...nodeFileOps,
        renameNoReplace: () => Promise.reject(errnoError('EIO')),
      },
    });
    await expect(library.save(saveInput(await pngResult()))).rejects.toMatchObject({
      code: 'EIO',
    });
    library.close();
    expect(filesUnder(temp.path)).toEqual([]);
  });

  it('a process killed before the rename leaves a complete temp file at most, never a partial result', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, 'hang', temp.path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const ready = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout.on('data', (chunk) => {
        out += String(chunk);
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line && out.includes('\n')) resolve((JSON.parse(line) as { ready: string }).ready);
      });
      proc.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    proc.kill('SIGKILL');
    await new Promise((resolve) => proc.once('close', resolve));

    const folder = join(temp.path, 'Trip 2024', 'day 1');
    expect(readdirSync(folder)).toEqual([ready.split(/[/\\]/).pop()]);
    // The temp file was fsynced before the crash: complete, and not a result.
    expect(statSync(ready).size).toBeGreaterThan(3 * 1024 * 1024);

    const later = Date.now() + 2 * 60 * 60 * 1000;
    const library = createLibrary({ root: temp.path, now: () => later });
    expect(library.list()).toEqual([]);
    await library.rebuildIndex();
    library.close();
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('disk full', () => {
  it('maps ENOSPC while writing the image to disk_full and leaves no file', async () => {
    const library = createLibrary({ root: temp.path, fileOps: diskFullAt(() => true) });
    await expect(library.save(saveInput(await pngResult()))).rejects.toMatchObject({
      name: 'RestyleError',
      code: 'disk_full',
    });
    expect(library.list()).toEqual([]);
    library.close();
    expect(filesUnder(temp.path)).toEqual([]);
  });

  it('takes the image back when the sidecar no longer fits', async () => {
    const library = createLibrary({
      root: temp.path,
      fileOps: diskFullAt((path) => path.includes('.restyle.json.')),
    });
    await expect(library.save(saveInput(await pngResult()))).rejects.toMatchObject({
      code: 'disk_full',
    });
    library.close();
    expect(filesUnder(temp.path)).toEqual([]);
  });

  const canMount =
    process.platform === 'linux' &&
    spawnSync('unshare', ['-rm', 'true'], { stdio: 'ignore' }).status === 0;

  it.skipIf(!canMount)('on a real 1 MB file system: disk_full, and no partial file', () => {
    const root = join(temp.path, 'tiny');
    mkdirSync(root);
    const script = `mount -t tmpfs -o size=1m none "$1" && exec "$2" --import tsx "$3" save "$1"`;
    const run = spawnSync(
      'unshare',
      ['-rm', 'sh', '-c', script, 'sh', root, process.execPath, child],
      { encoding: 'utf8', cwd: process.cwd(), timeout: 30_000 },
    );
    const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
    expect(line, run.stderr).toBeDefined();
    expect(JSON.parse(line ?? '{}')).toEqual({ error: 'disk_full', files: [] });
  });
});

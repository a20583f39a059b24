import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFileOps, TEMP_SUFFIX, type FileOps } from '../../../electron/core/library/atomic-file';
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

  it('a process killed before the image is renamed leaves its sidecar and a complete temp file at most, never a partial result', async () => {
    const ready = (await killedAt('hang')) as string;

    const folder = join(temp.path, 'Trip 2024', 'day 1');
    expect(readdirSync(folder).sort()).toEqual(
      [ready.split(/[/\\]/).pop(), 'IMG_0001.anime.png.restyle.json'].sort(),
    );
    // The temp file was fsynced before the crash: complete, and not a result.
    expect(statSync(ready).size).toBeGreaterThan(3 * 1024 * 1024);

    const later = Date.now() + 2 * 60 * 60 * 1000;
    const library = createLibrary({ root: temp.path, now: () => later });
    expect(library.list()).toEqual([]);
    await library.rebuildIndex();
    expect(library.list()).toEqual([]);
    library.close();
    // A sidecar without its image is not a result; the next save of that task completes it.
    expect(readdirSync(folder)).toEqual(['IMG_0001.anime.png.restyle.json']);
  });

  // Kills between the save's steps: the same task and image index saved again
  // (the engine downloads it again after a restart) is one result, not two.
  for (const [mode, when] of [
    ['between', 'between the sidecar and the image'],
    ['unindexed', 'after both files, before the index row'],
  ] as const) {
    it(`a result killed ${when} is completed by the next save, never saved twice`, async () => {
      await killedAt(mode);
      const library = createLibrary({ root: temp.path });
      try {
        const entry = await library.save(saveInput(await pngResult()));
        // (A young temp file a kill left is removed by a rebuild an hour later.)
        expect(results()).toEqual([
          'Trip 2024/day 1/IMG_0001.anime.png',
          'Trip 2024/day 1/IMG_0001.anime.png.restyle.json',
        ]);
        expect(entry.path).toBe(join(temp.path, 'Trip 2024', 'day 1', 'IMG_0001.anime.png'));
        expect(library.list().map((e) => e.id)).toEqual([entry.id]);
        const sidecar = JSON.parse(readFileSync(entry.sidecarPath, 'utf8')) as { id: string };
        expect(sidecar.id).toBe(entry.id);
        // And once more: still one.
        expect((await library.save(saveInput(await pngResult()))).id).toBe(entry.id);
        expect(results()).toHaveLength(2);
      } finally {
        library.close();
      }
    });
  }
});

/** The library's files, temp files aside. */
const results = () => filesUnder(temp.path).filter((path) => !path.endsWith(TEMP_SUFFIX));

/** Runs library-child.ts in `mode` until it says it is at its point, then SIGKILLs it. */
async function killedAt(mode: 'hang' | 'between' | 'unindexed'): Promise<unknown> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, mode, temp.path], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await new Promise<unknown>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (chunk) => {
      out += String(chunk);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && out.includes('\n')) resolve((JSON.parse(line) as { ready: unknown }).ready);
    });
    proc.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
  });
  proc.kill('SIGKILL');
  await new Promise((resolve) => proc.once('close', resolve));
  return ready;
}

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

import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { buildSync } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listFolder } from '../../../electron/core/bridge/list-folder';
import { BROWSE_MAX_ENTRIES, type BrowseResult, type FolderListing } from '../../../shared/bridge';
import { useTempDir } from '../../support/temp-dir';

const posix = process.platform !== 'win32';

function listed(result: BrowseResult): FolderListing {
  if (!result.ok) throw new Error(`expected a listing, got ${result.error.code}`);
  return result.value;
}
const names = (entries: Array<{ name: string }>) => entries.map((entry) => entry.name);
const codeOf = (result: BrowseResult) => (result.ok ? 'ok' : result.error.code);

/**
 * Lists as a user who may not read what root may: in a child process as
 * `nobody` (root reads any folder). The child must not depend on where this
 * checkout and this Node live (a clone under /root, a Node in root's cache are
 * out of nobody's reach), so it runs a copy of this Node on a one-file bundle
 * of list-folder.ts, both inside the test's own world-readable folder.
 */
function listAsUnprivileged(path: string, home: string, dir: string): BrowseResult {
  if (process.getuid?.() !== 0) throw new Error('only for root');
  const bundle = join(dir, 'list-folder.mjs');
  buildSync({
    entryPoints: [resolve('electron/core/bridge/list-folder.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
    logLevel: 'silent',
  });
  const node = join(dir, 'node');
  copyFileSync(process.execPath, node);
  chmodSync(node, 0o755);
  const script = `import { listFolder } from ${JSON.stringify(bundle)};
    process.stdout.write(JSON.stringify(await listFolder(${JSON.stringify(path)}, { home: ${JSON.stringify(home)} })));`;
  const child = spawnSync(node, ['--input-type=module', '-e', script], {
    uid: 65534,
    gid: 65534,
    encoding: 'utf8',
    cwd: dir,
  });
  if (child.status !== 0) {
    throw new Error(`child failed: ${child.error?.message ?? child.stderr}`);
  }
  return JSON.parse(child.stdout) as BrowseResult;
}

describe('listFolder (the dev bridge folder browser)', () => {
  let tmp: ReturnType<typeof useTempDir>;
  let album: string;

  beforeEach(() => {
    tmp = useTempDir('restyle-list-');
    album = join(tmp.path, 'Album');
    mkdirSync(join(album, 'Day 10'), { recursive: true });
    mkdirSync(join(album, 'Day 2'));
    mkdirSync(join(album, 'day 1'));
    mkdirSync(join(album, '.git'));
    mkdirSync(join(album, '@eaDir'));
    for (const name of ['IMG_10.jpg', 'IMG_2.JPG', 'img_1.heic', 'b.png', 'c.webp', 'd.tiff'])
      writeFileSync(join(album, name), 'x');
    for (const name of ['notes.txt', 'movie.mp4', '.hidden.jpg', '._IMG_2.JPG', 'Thumbs.db'])
      writeFileSync(join(album, name), 'x');
  });
  afterEach(() => {
    if (posix) chmodSync(tmp.path, 0o700);
    tmp.cleanup();
  });

  it('lists subfolders and image files by name, leaving out other files, dot files and system folders', async () => {
    const listing = listed(await listFolder(album, { home: tmp.path }));
    expect(listing.path).toBe(album);
    expect(listing.parent).toBe(tmp.path);
    expect(listing.home).toBe(tmp.path);
    expect(names(listing.folders)).toEqual(['day 1', 'Day 2', 'Day 10']);
    expect(names(listing.images)).toEqual([
      'b.png',
      'c.webp',
      'd.tiff',
      'img_1.heic',
      'IMG_2.JPG',
      'IMG_10.jpg',
    ]);
    expect(listing.images[0]?.path).toBe(join(album, 'b.png'));
    expect(listing.folders[0]?.path).toBe(join(album, 'day 1'));
    expect([listing.folderCount, listing.imageCount]).toEqual([3, 6]);
  });

  it('starts at home when no path is given, and has no parent at the root', async () => {
    expect(listed(await listFolder(null, { home: album })).path).toBe(album);
    const root = listed(await listFolder(resolve(sep), { home: album }));
    expect(root.parent).toBeNull();
  });

  it('normalises the path it is given', async () => {
    const listing = listed(await listFolder(`${album}${sep}Day 2${sep}..${sep}`, { home: album }));
    expect(listing.path).toBe(album);
    expect(listing.imageCount).toBe(6);
  });

  it('refuses a relative, empty or NUL-holding path as invalid_path', async () => {
    for (const path of ['Album', `.${sep}Album`, '', `${album}\0`, `${album}${'/x'.repeat(3000)}`])
      expect(codeOf(await listFolder(path, { home: tmp.path })), JSON.stringify(path)).toBe(
        'invalid_path',
      );
  });

  it('says not_found for a path that does not exist, and not_a_folder for a file', async () => {
    expect(codeOf(await listFolder(join(album, 'missing'), { home: tmp.path }))).toBe('not_found');
    expect(codeOf(await listFolder(join(album, 'b.png'), { home: tmp.path }))).toBe('not_a_folder');
    expect(codeOf(await listFolder(join(album, 'b.png', 'x'), { home: tmp.path }))).toBe(
      'not_a_folder',
    );
  });

  it.skipIf(!posix)(
    'follows links one step: a link loop lists finitely, broken and self links are left out',
    async () => {
      symlinkSync('.', join(album, 'again')); // a loop: Album/again is Album
      symlinkSync('self', join(album, 'self')); // ELOOP
      symlinkSync('nowhere', join(album, 'broken.jpg'));
      symlinkSync(join(album, 'b.png'), join(album, 'linked.png'));
      const listing = listed(await listFolder(album, { home: tmp.path }));
      expect(names(listing.folders)).toEqual(['again', 'day 1', 'Day 2', 'Day 10']);
      expect(names(listing.images)).toContain('linked.png');
      expect(names(listing.images)).not.toContain('broken.jpg');
      expect(names(listing.folders)).not.toContain('self');

      const inside = listed(await listFolder(join(album, 'again', 'again'), { home: tmp.path }));
      expect(inside.path).toBe(join(album, 'again', 'again'));
      expect(inside.parent).toBe(join(album, 'again'));
      expect(inside.imageCount).toBe(listing.imageCount);
      expect(codeOf(await listFolder(join(album, 'self'), { home: tmp.path }))).toBe('not_found');
    },
  );

  it.skipIf(!posix)('says unreadable for a folder it may not read', async () => {
    const locked = join(tmp.path, 'locked');
    mkdirSync(locked);
    writeFileSync(join(locked, 'secret.jpg'), 'x');
    chmodSync(locked, 0o000);
    let result: BrowseResult;
    if (process.getuid?.() === 0) {
      chmodSync(tmp.path, 0o755); // let `nobody` reach it, not read it
      result = listAsUnprivileged(locked, tmp.path, tmp.path);
    } else {
      result = await listFolder(locked, { home: tmp.path });
    }
    chmodSync(locked, 0o700);
    expect(result).toMatchObject({ ok: false, error: { code: 'unreadable' } });
    if (!result.ok) expect(result.error.message).toContain('EACCES');
  });

  it('lists at most BROWSE_MAX_ENTRIES images, and counts them all', async () => {
    const big = join(tmp.path, 'big');
    mkdirSync(big);
    for (let i = 0; i < BROWSE_MAX_ENTRIES + 5; i += 1) writeFileSync(join(big, `${i}.jpg`), '');
    const listing = listed(await listFolder(big, { home: tmp.path }));
    expect(listing.images).toHaveLength(BROWSE_MAX_ENTRIES);
    expect(listing.imageCount).toBe(BROWSE_MAX_ENTRIES + 5);
    expect(listing.images[0]?.name).toBe('0.jpg');
    expect(listing.images[2]?.name).toBe('2.jpg'); // numeric order, not 0, 1, 10, 100…
  });
});

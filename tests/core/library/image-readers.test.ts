// The window is served only library images and cached thumbnails: a link
// planted in the library (`x.png -> /etc/passwd`), a FIFO, a foreign file or a
// link out of the cache is a 404, never its bytes (and never a hang).
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBridgeApp, type BridgeApp } from '../../../electron/core/bridge/bridge-app';
import { readThumbnail, thumbnailPath } from '../../../electron/core/intake/thumbnails';
import { createLibrary } from '../../../electron/core/library/library';
import { parseSidecar, serializeSidecar } from '../../../electron/core/library/sidecar';
import type { Library } from '../../../electron/core/library/types';
import { silentLogger } from '../../../electron/core/log/logger';
import { BRIDGE_ROUTES, BRIDGE_TOKEN_HEADER } from '../../../shared/bridge';
import { useTempDir } from '../../support/temp-dir';
import { HASH_B, pngResult, saveInput } from './fixtures';

const posix = process.platform !== 'win32';
const SECRET = 'root:x:0:0:root:/root:/bin/bash\n';
const PLANTED_ID = '00000000-0000-4000-8000-00000000beef';

let tmp: ReturnType<typeof useTempDir>;
let libRoot: string;
let outside: string;
beforeEach(() => {
  tmp = useTempDir();
  libRoot = join(tmp.path, 'library');
  outside = join(tmp.path, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'passwd'), SECRET);
});
afterEach(() => tmp.cleanup());

/**
 * Plants `<album>/x.png -> target` with a sidecar of ours beside it (copied
 * from a real result, with its own id), as an attacker with write access to
 * the library folder could.
 */
function plant(library: Library, sidecarOf: string, target: string): string {
  const real = parseSidecar(readFileSync(sidecarOf, 'utf8'));
  if (!real) throw new Error('no sidecar');
  const image = join(dirname(sidecarOf), 'x.png');
  symlinkSync(target, image);
  const sidecar = { ...real, id: PLANTED_ID, result: { ...real.result, file: 'x.png' } };
  writeFileSync(`${image}.restyle.json`, serializeSidecar(sidecar));
  expect(library.root).toBe(libRoot);
  return image;
}

describe.runIf(posix)('library.readImage serves only library images', () => {
  it('a planted link with a sidecar is not indexed by a rebuild, nor served', async () => {
    const library = createLibrary({ root: libRoot });
    const saved = await library.save(saveInput(await pngResult()));
    plant(library, saved.sidecarPath, join(outside, 'passwd'));
    await library.rebuildIndex();
    expect(library.get(PLANTED_ID)).toBeNull();
    expect(await library.readImage(PLANTED_ID)).toBeNull();
    expect((await library.readImage(saved.id))?.subarray(1, 4).toString()).toBe('PNG');
    library.close();
  });

  it('an indexed result swapped for a link out, a FIFO, a foreign file or a device is refused', async () => {
    const library = createLibrary({ root: libRoot });
    const saved = await library.save(saveInput(await pngResult()));
    const other = await library.save(
      saveInput(await pngResult(32, 32), {
        source: { path: '/p/b.jpg', hash: HASH_B, albumFolder: 'Other' },
      }),
    );
    // Even a real PNG outside the library is not served through a link.
    const outsidePng = join(outside, 'photo.png');
    writeFileSync(outsidePng, await pngResult());
    const swaps: Array<[string, () => void]> = [
      ['link out to a PNG', () => symlinkSync(outsidePng, saved.path)],
      ['link out to a secret', () => symlinkSync(join(outside, 'passwd'), saved.path)],
      ['FIFO', () => execFileSync('mkfifo', [saved.path])],
      ['link to /dev/zero', () => symlinkSync('/dev/zero', saved.path)],
      ['hard link to a non-image', () => linkSync(join(outside, 'passwd'), saved.path)],
      ['a text file', () => writeFileSync(saved.path, SECRET)],
    ];
    for (const [what, swap] of swaps) {
      rmSync(saved.path, { force: true });
      swap();
      expect(await library.readImage(saved.id), what).toBeNull();
    }
    // A link to another result inside the library is still a library image.
    rmSync(saved.path, { force: true });
    symlinkSync(other.path, saved.path);
    expect(await library.readImage(saved.id)).toEqual(readFileSync(other.path));
    library.close();
  });

  it('a library folder that is itself a link (moved to another disk) still serves its results', async () => {
    const realRoot = join(tmp.path, 'disk', 'Restyle');
    mkdirSync(realRoot, { recursive: true });
    symlinkSync(realRoot, libRoot);
    const library = createLibrary({ root: libRoot });
    const saved = await library.save(saveInput(await pngResult()));
    expect((await library.readImage(saved.id))?.subarray(1, 4).toString()).toBe('PNG');
    library.close();
  });
});

describe.runIf(posix)('readThumbnail serves only cached WebP thumbnails', () => {
  const hash = 'c'.repeat(64);
  it('refuses a link out of the cache, a FIFO and a non-WebP file', async () => {
    const cache = join(tmp.path, 'cache');
    const path = thumbnailPath(cache, hash, 'small');
    mkdirSync(dirname(path), { recursive: true });
    const webp = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
      .webp()
      .toBuffer();
    const png = await pngResult();
    writeFileSync(path, webp);
    expect(await readThumbnail(cache, hash, 'small')).toEqual(webp);

    const outsideWebp = join(outside, 'x.webp');
    writeFileSync(outsideWebp, webp);
    const swaps: Array<[string, () => void]> = [
      ['link out to a WebP', () => symlinkSync(outsideWebp, path)],
      ['link out to a secret', () => symlinkSync(join(outside, 'passwd'), path)],
      ['FIFO', () => execFileSync('mkfifo', [path])],
      ['a text file', () => writeFileSync(path, SECRET)],
      ['a PNG', () => writeFileSync(path, png)],
    ];
    for (const [what, swap] of swaps) {
      rmSync(path, { force: true });
      swap();
      expect(await readThumbnail(cache, hash, 'small'), what).toBeNull();
    }
  });
});

describe.runIf(posix)('the dev bridge image route', () => {
  let app: BridgeApp;
  afterEach(async () => app?.close());

  const get = (url: string): Promise<{ status: number; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const req = request(url, { headers: { [BRIDGE_TOKEN_HEADER]: app.bridge.token } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });

  it('answers 404 for a planted link after library:rebuild, and serves real results', async () => {
    app = await startBridgeApp({
      dataDir: join(tmp.path, 'data'),
      libraryDir: libRoot,
      env: {},
      log: silentLogger,
    });
    const library = app.services.library;
    const saved = await library.save(saveInput(await pngResult()));
    plant(library, saved.sidecarPath, join(outside, 'passwd'));
    await library.rebuildIndex();
    const result = (id: string) => get(`${app.bridge.origin}${BRIDGE_ROUTES.result}${id}/full`);
    const planted = await result(PLANTED_ID);
    expect(planted.status).toBe(404);
    expect(planted.body.toString()).not.toContain('root:');
    const real = await result(saved.id);
    expect(real.status).toBe(200);
    expect(real.body.subarray(1, 4).toString()).toBe('PNG');
  });
});

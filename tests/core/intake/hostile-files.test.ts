// FIFOs, sockets, devices and broken links among the photos: refused by their
// type before anything opens them (opening a FIFO for reading blocks until a
// writer comes, so the old code hung here until the test timed out).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoRecord } from '../../../shared/photos';
import { createIntakeService } from '../../../electron/core/intake/intake-service';
import { hashFile } from '../../../electron/core/intake/hash';
import { IntakeError } from '../../../electron/core/intake/intake-error';
import { readHead } from '../../../electron/core/intake/scan';
import {
  kindOf,
  NotARegularFileError,
  readRegularFile,
} from '../../../electron/core/fs/regular-file';
import { photo, tempDir } from './images';

const posix = process.platform !== 'win32';

let root: string;
let album: string;
let fifo: string;
let server: Server;

beforeAll(async () => {
  root = await tempDir();
  album = join(root, 'album');
  await mkdir(album);
  await photo(400, 300).jpeg().toFile(join(album, 'beach.jpg'));
  if (!posix) return;
  fifo = join(album, 'pipe.jpg');
  execFileSync('mkfifo', [fifo]);
  server = createServer();
  await new Promise<void>((resolve) => server.listen(join(album, 'socket.jpg'), resolve));
  await symlink('/dev/zero', join(album, 'zero.jpg'));
  await symlink(join(album, 'gone.jpg'), join(album, 'dangling.jpg'));
  await symlink(join(album, 'self.jpg'), join(album, 'self.jpg'));
});

afterAll(async () => {
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(root, { recursive: true, force: true });
});

const collect = async (gen: AsyncIterable<PhotoRecord>) => {
  const out: PhotoRecord[] = [];
  for await (const record of gen) out.push(record);
  return out;
};

describe.runIf(posix)('hostile files in a scan', () => {
  it('reports FIFOs, sockets, devices and broken links with a reason, and reads none', async () => {
    const intake = createIntakeService({ cacheDir: join(root, 'cache') });
    const records = await collect(intake.scan([album], { model: 'wanx-style-repaint-v1' }));
    const byName = Object.fromEntries(records.map((r) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(
      ['beach.jpg', 'dangling.jpg', 'pipe.jpg', 'self.jpg', 'socket.jpg', 'zero.jpg'].sort(),
    );
    expect(byName['beach.jpg']).toMatchObject({ status: 'ready' });
    for (const name of ['pipe.jpg', 'socket.jpg', 'zero.jpg']) {
      expect(byName[name], name).toMatchObject({
        status: 'rejected',
        reason: { code: 'not_a_regular_file' },
        hash: null,
      });
    }
    for (const name of ['dangling.jpg', 'self.jpg']) {
      expect(byName[name], name).toMatchObject({
        status: 'rejected',
        reason: { code: 'broken_link' },
      });
    }
  });

  it('refuses a FIFO or a device given on its own (a drop, a style reference)', async () => {
    const intake = createIntakeService({ cacheDir: join(root, 'cache') });
    const records = await collect(
      intake.scan([fifo, '/dev/zero', join(album, 'nowhere.jpg')], {
        model: 'wanx-style-repaint-v1',
      }),
    );
    // Records come out as they finish, not in the order given.
    expect(records.map((r) => [r.name, r.status, r.reason?.code]).sort()).toEqual([
      ['nowhere.jpg', 'rejected', 'not_found'],
      ['pipe.jpg', 'rejected', 'not_a_regular_file'],
      ['zero', 'rejected', 'not_a_regular_file'],
    ]);
  });

  it("the job engine's prepare refuses them with a reason instead of blocking", async () => {
    const intake = createIntakeService({ cacheDir: join(root, 'cache') });
    for (const path of [fifo, '/dev/zero', join(album, 'zero.jpg')]) {
      const error = await intake
        .prepare(path, { model: 'wanx-style-repaint-v1' })
        .catch((e: unknown) => e);
      expect(error, path).toBeInstanceOf(IntakeError);
      expect((error as IntakeError).reason.code, path).toBe('not_a_regular_file');
    }
    const dangling = await intake
      .prepare(join(album, 'dangling.jpg'), { model: 'wanx-style-repaint-v1' })
      .catch((e: unknown) => e);
    expect((dangling as IntakeError).reason.code).toBe('broken_link');
  });

  it('every reader of user files (head, hash, whole file) refuses them by type', async () => {
    for (const path of [fifo, '/dev/zero', join(album, 'socket.jpg')]) {
      await expect(readHead(path), path).rejects.toBeInstanceOf(NotARegularFileError);
      await expect(hashFile(path), path).rejects.toBeInstanceOf(NotARegularFileError);
      await expect(readRegularFile(path), path).rejects.toBeInstanceOf(NotARegularFileError);
    }
    expect(await hashFile(join(album, 'beach.jpg'))).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tells a broken link from a missing path', async () => {
    expect(await kindOf(join(album, 'dangling.jpg'))).toBe('broken_link');
    expect(await kindOf(join(album, 'self.jpg'))).toBe('broken_link');
    expect(await kindOf(join(album, 'nowhere.jpg'))).toBe('missing');
    expect(await kindOf(fifo)).toBe('fifo');
    expect(await kindOf(join(album, 'socket.jpg'))).toBe('socket');
    expect(existsSync('/dev/zero') ? await kindOf('/dev/zero') : 'device').toBe('device');
  });
});

/**
 * Kept scans and batches by scan id, through the dispatcher as ipcMain and
 * the dev bridge serve it: a window that reloads gets its tabs back, and not
 * the ones the user closed; an unknown scan, batch or job id answers
 * `not_found`, never `internal`.
 */
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatch } from '../../../electron/core/ipc/dispatch';
import { handlers } from '../../../electron/core/ipc/handlers';
import { createSenderCheck } from '../../../electron/core/ipc/trusted-sender';
import type { Services } from '../../../electron/core/services';
import type { ScanSummary } from '../../../shared/contract/intake';
import type { PhotoRecord } from '../../../shared/photos';
import { APP_PAGE_URL } from '../../../shared/protocol';
import { makeServices } from '../../support/core-services';
import { useTempDir } from '../../support/temp-dir';
import { makePhotos } from '../queue/rig';

const own = { senderUrl: APP_PAGE_URL };
const UNKNOWN = '3f0c8a52-3d7b-4c0e-9a8e-2b1f6a1d9c11';
const notFound = { ok: false, error: { code: 'not_found' } };

let tmp: ReturnType<typeof useTempDir>;
let services: Services;
let dispatch: Dispatch;
beforeEach(() => {
  tmp = useTempDir('restyle-scan-channels-');
  services = makeServices(join(tmp.path, 'data'));
  dispatch = createDispatcher({
    services,
    handlers,
    isTrustedSender: createSenderCheck([APP_PAGE_URL]),
  });
});
afterEach(async () => {
  await services.close();
  tmp.cleanup();
});

/** Drops a folder as the window does and waits for its scan to end. */
async function drop(path: string): Promise<string> {
  const added = await dispatch(own, 'intake:add-paths', { paths: [path] });
  if (!added.ok) throw new Error(added.error.message);
  const { scanId } = added.value as { scanId: string };
  await services.intake.scanDone(scanId);
  return scanId;
}

describe('kept scans', () => {
  it('lists the scans of this session, pages their records in gallery order, and forgets a closed one', async () => {
    const album = join(tmp.path, 'Album');
    mkdirSync(join(album, 'b'), { recursive: true });
    const photos = await makePhotos(album, 3, 'IMG_');
    // IMG_10 after IMG_2 (natural order); the subfolder's photo after the album's own.
    renameSync(photos[0]!.path, join(album, 'IMG_10.jpg'));
    renameSync(photos[1]!.path, join(album, 'IMG_2.jpg'));
    renameSync(photos[2]!.path, join(album, 'b', 'IMG_1.jpg'));
    const scanId = await drop(album);

    const listed = await dispatch(own, 'intake:list-scans', {});
    expect(listed).toMatchObject({
      ok: true,
      value: [
        {
          scanId,
          paths: [album],
          size: 3,
          counts: { ready: 3 },
          leftOut: { count: 0 },
          scanning: false,
          canceled: false,
        },
      ],
    });
    expect((listed as { value: ScanSummary[] }).value[0]?.error).toBeUndefined();

    const page = async (offset: number, limit: number) => {
      const answer = await dispatch(own, 'intake:scan-records', { scanId, offset, limit });
      const value = (answer as { value: { records: PhotoRecord[]; total: number } }).value;
      return { total: value.total, names: value.records.map((r) => `${r.folder}/${r.name}`) };
    };
    expect(await page(0, 2)).toEqual({
      total: 3,
      names: ['Album/IMG_2.jpg', 'Album/IMG_10.jpg'],
    });
    expect(await page(2, 2)).toEqual({ total: 3, names: ['Album/b/IMG_1.jpg'] });

    expect(await dispatch(own, 'intake:cancel-scan', { scanId })).toEqual({
      ok: true,
      value: { canceled: false },
    });
    expect(await dispatch(own, 'intake:close-scan', { scanId })).toEqual({
      ok: true,
      value: { closed: true },
    });
    expect(await dispatch(own, 'intake:list-scans', {})).toEqual({ ok: true, value: [] });
    // Remembered as closed for the session, so a reloaded window does not show its runs as a tab.
    expect(await dispatch(own, 'intake:closed-scans', {})).toEqual({ ok: true, value: [scanId] });
    expect(await dispatch(own, 'intake:scan-records', { scanId })).toMatchObject(notFound);
    expect(
      await dispatch(own, 'jobs:quote', { scanId, recipes: [{ kind: 'preset', styleIndex: 1 }] }),
    ).toMatchObject(notFound);
  });

  it("closing the tab of an earlier session's scan (not kept, its runs still queued) remembers it too", async () => {
    expect(await dispatch(own, 'intake:close-scan', { scanId: UNKNOWN })).toEqual({
      ok: true,
      value: { closed: true },
    });
    expect(await dispatch(own, 'intake:closed-scans', {})).toEqual({ ok: true, value: [UNKNOWN] });
    expect(await dispatch(own, 'intake:list-scans', {})).toEqual({ ok: true, value: [] });
  });

  it('an unknown scan, batch or job id is not_found; channels nothing called are gone', async () => {
    const recipes = [{ kind: 'preset', styleIndex: 1 }];
    for (const [channel, payload] of [
      ['intake:scan-records', { scanId: UNKNOWN }],
      ['intake:cancel-scan', { scanId: UNKNOWN }],
      ['jobs:quote', { scanId: UNKNOWN, recipes }],
      ['jobs:create-batch', { scanId: UNKNOWN, recipes }],
      ['jobs:pause', { batchId: 'nope' }],
      ['jobs:resume', { jobId: 'nope' }],
      ['jobs:cancel', { batchId: 'nope' }],
      ['jobs:retry-failed', { jobId: 'nope' }],
      ['jobs:list-jobs', { batchId: 'nope' }],
    ] as const)
      expect(await dispatch(own, channel, payload), channel).toMatchObject(notFound);

    // A photo id the scan does not have.
    const [photo] = await makePhotos(tmp.path, 1);
    const scanId = await drop(photo!.path);
    expect(
      await dispatch(own, 'jobs:quote', { scanId, photoIds: ['nope'], recipes }),
    ).toMatchObject(notFound);
    expect(services.engine.listBatches()).toEqual([]);

    for (const channel of ['jobs:start', 'jobs:resolve'])
      expect(await dispatch(own, channel, { batchId: 'x' })).toMatchObject({
        ok: false,
        error: { code: 'unknown_channel' },
      });
  });
});

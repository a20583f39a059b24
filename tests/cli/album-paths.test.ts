/**
 * One way photos become jobs: an album run from the window (a kept scan of
 * the dropped folder, then `jobs:create-batch` by its id, through the
 * dispatcher as ipcMain serves it) and the same album run by `restyle run`
 * (the real CLI) land their results at the same places in their libraries,
 * mirroring the album's folders.
 */
import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/ipc/dispatch';
import { handlers } from '../../electron/core/ipc/handlers';
import { createSenderCheck } from '../../electron/core/ipc/trusted-sender';
import type { BatchView } from '../../shared/contract/jobs';
import { APP_PAGE_URL } from '../../shared/protocol';
import { makePhotos } from '../core/queue/rig';
import { makeServices } from '../support/core-services';
import { createMockDashScope, type MockDashScope } from '../support/mock-dashscope';
import { useTempDir } from '../support/temp-dir';
import { runCli } from './cli-rig';

let mock: MockDashScope;
let tmp: ReturnType<typeof useTempDir>;
beforeAll(async () => {
  mock = await createMockDashScope({ taskMs: 100, pendingMs: 10 });
  tmp = useTempDir('restyle-album-paths-');
});
afterAll(async () => {
  await mock.close();
  tmp.cleanup();
});

const own = { senderUrl: APP_PAGE_URL };
const env = () => ({ DASHSCOPE_API_KEY: mock.apiKey, DASHSCOPE_HTTP_BASE_URL: mock.baseUrl });

/** The results under a library folder (images and sidecars), relative, `/`-separated. */
const results = (root: string): string[] =>
  readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((name) => name.split('\\').join('/'))
    .filter((name) => /\.(jpe?g|png|webp)$|\.restyle\.json$/i.test(name))
    .sort();

describe('the window and the CLI make jobs from an album one way', () => {
  it('an album with nested folders: results at the same relative paths, mirroring its folders', async () => {
    const album = join(tmp.path, 'Trip 2024');
    mkdirSync(join(album, 'day 1', 'evening'), { recursive: true });
    const photos = await makePhotos(album, 3, 'IMG_');
    renameSync(photos[1]!.path, join(album, 'day 1', 'IMG_beach.jpg'));
    renameSync(photos[2]!.path, join(album, 'day 1', 'evening', 'IMG_sunset.jpg'));
    const recipe = { kind: 'preset', styleIndex: 2 } as const;

    // The window: the folder dropped, scanned, then the batch made from the scan by its id.
    const services = makeServices(join(tmp.path, 'window'), { env: env() });
    const dispatch = createDispatcher({
      services,
      handlers,
      isTrustedSender: createSenderCheck([APP_PAGE_URL]),
    });
    let windowLibrary: string;
    try {
      services.engine.start();
      const added = await dispatch(own, 'intake:add-paths', { paths: [album] });
      if (!added.ok) throw new Error(added.error.message);
      const { scanId } = added.value as { scanId: string };
      await services.intake.scanDone(scanId);
      const created = await dispatch(own, 'jobs:create-batch', { scanId, recipes: [recipe] });
      if (!created.ok) throw new Error(created.error.message);
      const [batch] = (created.value as { batches: BatchView[] }).batches;
      expect(batch).toMatchObject({ kind: 'album', scanId, total: 3 });
      await services.engine.whenSettled();
      expect(services.engine.listBatches()[0]).toMatchObject({ state: 'done', finished: 3 });
      windowLibrary = services.library.root;
    } finally {
      await services.engine.stop();
      services.library.close();
    }

    // The CLI: `restyle run` on the same folder.
    const cliLibrary = join(tmp.path, 'cli', 'library');
    const run = await runCli(
      [
        'run',
        album,
        '--style',
        '2',
        '--yes',
        '--data-dir',
        join(tmp.path, 'cli', 'data'),
        '--library',
        cliLibrary,
      ],
      env(),
    );
    expect(run.code, run.stderr).toBe(0);

    const fromWindow = results(windowLibrary);
    expect(fromWindow).toHaveLength(6);
    expect(fromWindow.filter((name) => name.endsWith('.restyle.json'))).toEqual([
      expect.stringMatching(/^Trip 2024\/IMG_000.*\.restyle\.json$/),
      expect.stringMatching(/^Trip 2024\/day 1\/IMG_beach.*\.restyle\.json$/),
      expect.stringMatching(/^Trip 2024\/day 1\/evening\/IMG_sunset.*\.restyle\.json$/),
    ]);
    expect(results(cliLibrary)).toEqual(fromWindow);
  }, 60_000);
});

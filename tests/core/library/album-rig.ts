/**
 * An album the real core has worked on, for the coverage and re-run tests:
 * core composed as main composes it, the dispatcher the window calls, and
 * the mock DashScope. Three photos of `Trip` (one in `Trip/day 1`) and one
 * of `Trip 2` (a folder whose name starts like it) end as:
 *
 * |          | Retro comic (0) | Anime (2)          | Fresh (3) |
 * | -------- | --------------- | ------------------ | --------- |
 * | a        | failed          | done               | none      |
 * | b        | none            | missing (deleted)  | queued    |
 * | day 1/c  | none            | done               | none      |
 * | Trip 2/z | none            | done               | none      |
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDispatcher, type Dispatch } from '../../../electron/core/ipc/dispatch';
import { handlers } from '../../../electron/core/ipc/handlers';
import { createSenderCheck } from '../../../electron/core/ipc/trusted-sender';
import type { Services } from '../../../electron/core/services';
import type { InvokeChannel, InvokeRequest, InvokeResponse } from '../../../shared/contract';
import type { BatchView } from '../../../shared/contract/jobs';
import type { LibraryItem } from '../../../shared/contract/library';
import type { Recipe } from '../../../shared/recipe';
import { APP_PAGE_URL } from '../../../shared/protocol';
import { makeServices } from '../../support/core-services';
import type { MockDashScope } from '../../support/mock-dashscope';
import { makePhotos, until, type TestPhoto } from '../queue/rig';

export const COMIC: Recipe = { kind: 'preset', styleIndex: 0 };
export const ANIME: Recipe = { kind: 'preset', styleIndex: 2 };
export const FRESH: Recipe = { kind: 'preset', styleIndex: 3 };

export interface AlbumRig {
  services: Services;
  /** Invokes a channel as the window does; throws on an error answer. */
  call<C extends InvokeChannel>(channel: C, payload: InvokeRequest<C>): Promise<InvokeResponse<C>>;
  dispatch: Dispatch;
  /** The originals. */
  paths: { a: string; b: string; c: string; z: string };
  /** The scan the album was dropped as, and its record id per original path. */
  scanId: string;
  photoIds: Map<string, string>;
  /** The results of the first run (anime), by original path. */
  anime: Map<string, LibraryItem>;
  /** Runs a request's batches to their end (the engine running). */
  settle(batches: readonly BatchView[]): Promise<void>;
  close(): Promise<void>;
}

const own = { senderUrl: APP_PAGE_URL };

export async function buildAlbum(root: string, mock: MockDashScope): Promise<AlbumRig> {
  const trip = join(root, 'photos', 'Trip');
  mkdirSync(join(trip, 'day 1'), { recursive: true });
  mkdirSync(join(root, 'photos', 'Trip 2'), { recursive: true });
  const paths = {
    a: join(trip, 'IMG_2.jpg'),
    b: join(trip, 'IMG_10.jpg'),
    c: join(trip, 'day 1', 'IMG_1.jpg'),
    z: join(root, 'photos', 'Trip 2', 'IMG_1.jpg'),
  };
  // Four distinct photos (each its own hash), named and placed as above.
  const made = await makePhotos(root, 4, 'made');
  Object.values(paths).forEach((path, index) => renameSync((made[index] as TestPhoto).path, path));

  const services = makeServices(join(root, 'data'), {
    env: { DASHSCOPE_API_KEY: mock.apiKey, DASHSCOPE_HTTP_BASE_URL: mock.baseUrl },
  });
  const dispatch = createDispatcher({
    services,
    handlers,
    isTrustedSender: createSenderCheck([APP_PAGE_URL]),
  });
  const call = async <C extends InvokeChannel>(channel: C, payload: InvokeRequest<C>) => {
    const answer = await dispatch(own, channel, payload);
    if (!answer.ok) throw new Error(`${channel}: ${answer.error.code} ${answer.error.message}`);
    return answer.value as InvokeResponse<C>;
  };
  const settle = async (batches: readonly BatchView[]) => {
    const ids = batches.map((batch) => batch.id);
    await until(
      () => ids.every((id) => services.queue.getBatch(id)?.state === 'done'),
      20_000,
      'the batches to end',
    );
    // And whatever they linked to in other batches.
    await services.engine.whenSettled();
  };

  // The two albums dropped at once, then the first run: anime on every photo.
  const { scanId } = await call('intake:add-paths', {
    paths: [trip, join(root, 'photos', 'Trip 2')],
  });
  await services.intake.scanDone(scanId);
  const records = services.intake.scanRecords(scanId).records;
  const photoIds = new Map(records.map((record) => [record.path, record.id]));
  const idOf = (path: string) => photoIds.get(path) as string;
  services.engine.start();
  const first = await call('jobs:create-batch', { scanId, recipes: [ANIME] });
  await settle(first.batches);
  const anime = new Map(
    services.library.list({}).map((entry) => [entry.sourcePath, entry] as const),
  );

  // Retro comic on a fails at the service.
  mock.inject({ failTasks: { count: 1, code: 'DataInspectionFailed' } });
  const failing = await call('jobs:create-batch', {
    scanId,
    photoIds: [idOf(paths.a)],
    recipes: [COMIC],
  });
  await settle(failing.batches);

  // Fresh on b waits in the queue (the engine stopped).
  await services.engine.stop();
  await call('jobs:create-batch', { scanId, photoIds: [idOf(paths.b)], recipes: [FRESH] });

  // b's anime result is deleted outside the app: missing once the library looks.
  rmSync((anime.get(paths.b) as LibraryItem).path);
  await call('library:sync', {});

  return {
    services,
    call,
    dispatch,
    paths,
    scanId,
    photoIds,
    anime,
    settle,
    async close() {
      await services.close();
    },
  };
}

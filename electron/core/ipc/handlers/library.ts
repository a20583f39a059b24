import { dirname } from 'node:path';
import type {
  LibraryQueryFilter,
  SyncReport,
  libraryInvoke,
} from '../../../../shared/contract/library';
import { RestyleError } from '../../../../shared/result';
import { albumCoverage, albumSummaries } from '../../library/album-queries';
import { exportResults } from '../../library/library-export';
import { resultFile } from '../../library/result-readers';
import { prepareRun } from '../../library/run-plan';
import { libraryQuery } from '../../library/library-queries';
import type { Services } from '../../services';
import type { Handlers } from '../handler-types';
import type { EventPayload } from '../../../../shared/contract';
import type { SyncOutcome } from '../../library/library-sync';

/** The filter as the library runs it: a batch's results are the ids its jobs saved. */
const queryOf = (services: Services, filter: LibraryQueryFilter) =>
  libraryQuery(filter, (batchId) => services.queue.batchEntryIds(batchId));

type UpdateReason = EventPayload<'library:updated'>['reason'];

/** Tells the window its pages are out of date (`library:updated`) when `changed` says so. */
function updated<T>(
  services: Services,
  reason: UpdateReason,
  result: T,
  changed: (result: T) => boolean,
): T {
  if (changed(result)) services.events.emit('library:updated', { reason });
  return result;
}

async function syncReport(
  services: Services,
  reason: UpdateReason,
  run: Promise<SyncOutcome>,
): Promise<SyncReport> {
  const { changed, ...report } = await run;
  return updated(services, reason, report, () => changed);
}

export const libraryHandlers: Handlers<keyof typeof libraryInvoke> = {
  'library:list': (services, filter) => ({ entries: services.library.list(filter) }),
  'library:results': (services, { filter, sort, offset, limit }) =>
    services.library.results(queryOf(services, filter), sort, { offset, limit }),
  'library:photos': (services, { filter, sort, offset, limit }) =>
    services.library.photos(queryOf(services, filter), sort, { offset, limit }),
  'library:photo-stack': (services, { sourceHash }) => {
    const stack = services.library.photoStack(sourceHash);
    if (!stack) throw new RestyleError('not_found', `no result of photo ${sourceHash}`);
    return stack;
  },
  'library:facets': (services, { filter }) => services.library.facets(queryOf(services, filter)),
  'library:stats': (services, { filter }) => services.library.stats(queryOf(services, filter)),
  'library:albums': (services) => albumSummaries(services),
  'library:coverage': (services, { albumFolder, offset, limit }) =>
    albumCoverage(services, albumFolder, offset, limit),
  'library:get': (services, { id }) => {
    const entry = services.library.get(id);
    if (!entry) throw new RestyleError('not_found', `no result ${id} in the library`, { id });
    return entry;
  },
  'library:set-rating': async (services, { ids, rating, favourite }) => {
    const items = await services.library.setRating(ids, { rating, favourite });
    if (!items.length)
      throw new RestyleError('not_found', 'none of these results is in the library');
    services.events.emit('library:updated', { reason: 'rating' });
    return { items };
  },
  'library:delete': async (services, { ids }) =>
    updated(services, 'delete', await services.library.deleteResults(ids), (r) => r.deleted > 0),
  'library:undo-delete': async (services, { undoToken }) =>
    updated(services, 'undo', await services.library.undoDelete(undoToken), (r) => r.restored > 0),
  'library:remove-missing': async (services, { ids }) =>
    updated(services, 'remove', await services.library.removeMissing(ids), (r) => r.removed > 0),
  'library:reveal': async (services, { id }) => {
    await services.platform.revealPath(await resultFile(services.library, id));
    return null;
  },
  'library:open': async (services, { id }) => {
    await services.platform.openPath(await resultFile(services.library, id));
    return null;
  },
  'library:copy-image': async (services, { id }) => {
    await services.platform.copyImage(await resultFile(services.library, id));
    return null;
  },
  'library:start-drag': async (services, { ids }) => {
    const paths: string[] = [];
    for (const id of ids) paths.push(await resultFile(services.library, id));
    await services.platform.startDrag(paths);
    return null;
  },
  // The OS chooser opens beside the library; in a browser it answers choose_in_window and
  // the page sends the folder its own browser chose as `destination`.
  'library:export': async (services, { destination, ...request }) => {
    const folder =
      destination ?? (await services.platform.chooseFolder(dirname(services.library.root)));
    if (folder === null) return null;
    return exportResults(
      services.library,
      { ...request, destination: folder },
      { log: services.log },
    );
  },
  'library:prepare-run': (services, request) =>
    prepareRun({ ...services, crop: !services.settings.view().limits.sendUncropped }, request),
  'library:sync': async (services) => syncReport(services, 'sync', services.library.sync()),
  'library:rebuild': async (services) =>
    syncReport(services, 'rebuild', services.library.rebuildIndex()),
};

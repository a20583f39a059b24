import { dirname } from 'node:path';
import type { libraryInvoke } from '../../../../shared/contract/library';
import { RestyleError } from '../../../../shared/result';
import { albumCoverage, albumSummaries } from '../../library/album-queries';
import { exportResults } from '../../library/library-export';
import { resultFile } from '../../library/result-readers';
import { prepareRun } from '../../library/run-plan';
import type { Handlers } from '../handler-types';

// Channels not built yet answer `internal` (issue 11 replaces each stub).
const todo = (channel: string) => () => {
  throw new RestyleError('internal', `${channel} is not built yet`);
};

export const libraryHandlers: Handlers<keyof typeof libraryInvoke> = {
  'library:list': (services, filter) => ({ entries: services.library.list(filter) }),
  'library:results': todo('library:results'),
  'library:photos': todo('library:photos'),
  'library:photo-stack': todo('library:photo-stack'),
  'library:facets': todo('library:facets'),
  'library:stats': todo('library:stats'),
  'library:albums': (services) => albumSummaries(services),
  'library:coverage': (services, { albumFolder, offset, limit }) =>
    albumCoverage(services, albumFolder, offset, limit),
  'library:get': todo('library:get'),
  'library:set-rating': todo('library:set-rating'),
  'library:delete': todo('library:delete'),
  'library:undo-delete': todo('library:undo-delete'),
  'library:remove-missing': todo('library:remove-missing'),
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
  'library:sync': todo('library:sync'),
  'library:rebuild': todo('library:rebuild'),
};

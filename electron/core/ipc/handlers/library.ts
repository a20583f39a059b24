import type { libraryInvoke } from '../../../../shared/contract/library';
import { RestyleError } from '../../../../shared/result';
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
  'library:albums': todo('library:albums'),
  'library:coverage': todo('library:coverage'),
  'library:get': todo('library:get'),
  'library:set-rating': todo('library:set-rating'),
  'library:delete': todo('library:delete'),
  'library:undo-delete': todo('library:undo-delete'),
  'library:remove-missing': todo('library:remove-missing'),
  'library:reveal': todo('library:reveal'),
  'library:open': todo('library:open'),
  'library:copy-image': todo('library:copy-image'),
  'library:start-drag': todo('library:start-drag'),
  'library:export': todo('library:export'),
  'library:prepare-run': todo('library:prepare-run'),
  'library:sync': todo('library:sync'),
  'library:rebuild': todo('library:rebuild'),
};

import type { libraryInvoke } from '../../../../shared/contract/library';
import { RestyleError } from '../../../../shared/result';
import type { Services } from '../../services';
import type { Handlers } from '../handler-types';

const entry = (services: Services, id: string) => {
  const found = services.library.get(id);
  if (!found) throw new RestyleError('not_found', `no result with id ${id}`);
  return found;
};

export const libraryHandlers: Handlers<keyof typeof libraryInvoke> = {
  'library:list': (services, filter) => ({ entries: services.library.list(filter) }),
  'library:get': (services, { id }) => entry(services, id),
  'library:reveal': async (services, { id }) => {
    await services.platform.revealPath(entry(services, id).path);
    return { revealed: true };
  },
  'library:rebuild': (services) => services.library.rebuildIndex(),
  'library:open-folder': async (services) => {
    const path = services.library.root;
    await services.platform.revealPath(path);
    return { path };
  },
};

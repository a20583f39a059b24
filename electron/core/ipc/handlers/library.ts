import type { libraryInvoke } from '../../../../shared/contract/library';
import type { Handlers } from '../handler-types';

export const libraryHandlers: Handlers<keyof typeof libraryInvoke> = {
  'library:list': (services, filter) => ({ entries: services.library.list(filter) }),
};

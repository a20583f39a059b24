import type { appInvoke } from '../../../../shared/contract/app';
import type { Handlers } from '../handler-types';

export const appHandlers: Handlers<keyof typeof appInvoke> = {
  'app:info': (services) => services.info(),
  'app:open-external': async (services, { url }) => {
    await services.platform.openExternal(url);
    return null;
  },
  'app:reveal-path': async (services, { path }) => {
    await services.platform.revealPath(path);
    return null;
  },
};

import type { appInvoke } from '../../../../shared/contract/app';
import { RestyleError } from '../../../../shared/result';
import { allowedExternalUrl } from '../../security/external-url';
import { revealablePath } from '../../security/reveal-path';
import type { Handlers } from '../handler-types';

export const appHandlers: Handlers<keyof typeof appInvoke> = {
  'app:info': (services) => services.info(),
  'app:open-external': async (services, { url }) => {
    const allowed = allowedExternalUrl(url);
    if (!allowed) throw new RestyleError('forbidden_url', 'not a DashScope console or docs link');
    await services.platform.openExternal(allowed);
    return null;
  },
  'app:reveal-path': async (services, { path }) => {
    const roots = [services.library.root, services.paths.data, services.paths.logs];
    await services.platform.revealPath(await revealablePath(path, roots));
    return null;
  },
};

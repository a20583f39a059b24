import type { settingsInvoke } from '../../../../shared/contract/settings';
import type { Handlers } from '../handler-types';

export const settingsHandlers: Handlers<keyof typeof settingsInvoke> = {
  'settings:get': (services) => services.settings.view(),
  'settings:update': (services, patch) => services.settings.update(patch),
  'settings:set-key': (services, { key, persistence }) =>
    services.settings.setKey(key, persistence),
  'settings:remove-key': (services) => services.settings.removeKey(),
  'settings:test-key': (services) => services.checkKey(),
  'settings:choose-library-dir': async (services) => {
    const chosen = await services.platform.chooseFolder(services.settings.view().libraryDir);
    return chosen === null ? null : services.settings.update({ libraryDir: chosen });
  },
};

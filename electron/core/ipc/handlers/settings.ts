import type { settingsInvoke } from '../../../../shared/contract/settings';
import { updateConfirmed } from '../../settings/endpoint-consent';
import type { Handlers } from '../handler-types';

export const settingsHandlers: Handlers<keyof typeof settingsInvoke> = {
  'settings:get': (services) => services.settings.view(),
  // A new server for the key and photos is confirmed by the host, never by the window alone.
  'settings:update': (services, patch) =>
    updateConfirmed(
      services.settings,
      (change) => services.platform.confirmEndpoint(change),
      patch,
    ),
  'settings:set-key': (services, { key, persistence }) =>
    services.settings.setKey(key, persistence),
  'settings:remove-key': (services) => services.settings.removeKey(),
  'settings:test-key': (services) => services.checkKey(),
  'settings:choose-library-dir': async (services) => {
    const chosen = await services.platform.chooseFolder(services.settings.view().libraryDir);
    return chosen === null ? null : services.settings.update({ libraryDir: chosen });
  },
};

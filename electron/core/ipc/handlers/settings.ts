import type { FreeAllowance, settingsInvoke } from '../../../../shared/contract/settings';
import { MODEL_IDS } from '../../../../shared/models';
import type { Services } from '../../services';
import { updateConfirmed } from '../../settings/endpoint-consent';
import type { Handlers } from '../handler-types';

/** Each model's free images: the allowance set in Settings, what Restyle counted as used, what is left. */
const freeAllowance = ({ settings, costs }: Services): FreeAllowance[] => {
  const used = costs.freeUsed();
  return MODEL_IDS.map((model) => ({
    model,
    allowance: settings.pricing().freeAllowance,
    used: used[model] ?? 0,
    left: costs.freeLeft(model),
  }));
};

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
  'settings:free-allowance': (services) => freeAllowance(services),
  'settings:set-free-used': (services, { model, used }) => {
    services.costs.setFreeUsed(model, used);
    return freeAllowance(services);
  },
};

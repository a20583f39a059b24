import { RestyleError } from '../../../shared/result';
import type { SettingsPatch, SettingsView } from '../../../shared/settings';
import type { SettingsService } from './settings-service';

/** A change of the server that the API key and the photos go to. */
export interface EndpointChange {
  /** The endpoint in force now. */
  from: string;
  /** The endpoint the change would put in force. */
  to: string;
  /** The new server as the user reads it: host and port of `to`. */
  host: string;
}

/** Scheme, host and port: two endpoints with the same origin reach the same server. */
const originOf = (url: string): string => {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
};

/** Host and port of an endpoint, as the user reads it (`proxy.example`, `127.0.0.1:8080`). */
export const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** The change of server a patch would make; null when the key would go where it goes now. */
export function endpointChange(
  settings: SettingsService,
  patch: SettingsPatch,
): EndpointChange | null {
  const from = settings.endpoint();
  const to = settings.endpointAfter(patch);
  return originOf(from) === originOf(to) ? null : { from, to, host: hostOf(to) };
}

/**
 * Applies a settings patch that came from the window. A patch that would
 * send the key (and the photos) to another server is applied only once the
 * host confirms it, in a dialog the window does not own
 * (`Platform.confirmEndpoint`); declined, nothing is written and the answer
 * is `endpoint_not_confirmed`. Every change of server is asked, the built-in
 * regions too (they are in different countries). Until then the old endpoint
 * stays in force, so neither the key check nor the engine can reach the new
 * one. The CLI's DASHSCOPE_HTTP_BASE_URL is the user's own word and never
 * comes through here.
 */
export async function updateConfirmed(
  settings: SettingsService,
  confirm: (change: EndpointChange) => Promise<boolean>,
  patch: SettingsPatch,
): Promise<SettingsView> {
  let confirmed: string | null = null;
  for (;;) {
    // Checked again after every answer: another update may have landed meanwhile.
    const change = endpointChange(settings, patch);
    if (change === null || originOf(change.to) === confirmed) return settings.update(patch);
    if (!(await confirm(change))) {
      throw new RestyleError(
        'endpoint_not_confirmed',
        `sending the key to ${change.host} was not confirmed`,
        {
          host: change.host,
        },
      );
    }
    confirmed = originOf(change.to);
  }
}

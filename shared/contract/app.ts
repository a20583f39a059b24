import { z } from 'zod';
import { invoke, event } from './define';

export interface AppInfo {
  version: string;
  platform: string;
  /** Where the app keeps its files, to show the user. */
  paths: { data: string; cache: string; logs: string; settings: string };
  /** True when served by the dev bridge in a browser (tests, `npm run preview`). */
  bridge: boolean;
}

export type NetworkState = 'online' | 'offline';

export const appInvoke = {
  'app:info': invoke<AppInfo>()(z.null()),
  /**
   * Opens a link to DashScope's console or docs in the OS browser; any other
   * URL is refused with `forbidden_url` (allowlist in electron/core/security/external-url.ts).
   */
  'app:open-external': invoke<null>()(z.object({ url: z.url({ protocol: /^https$/ }) }).strict()),
  /**
   * Shows a file or folder in the OS file manager, only inside the library,
   * data or log folder; anything else is refused with `forbidden_path`.
   */
  'app:reveal-path': invoke<null>()(z.object({ path: z.string().min(1).max(4096) }).strict()),
};

export const appEvents = {
  'app:network': event<{ state: NetworkState }>(),
  /** The user clicked a run's "finished" notification: show that run's results in the Library. */
  'app:show-batch-results': event<{ batchId: string }>(),
};

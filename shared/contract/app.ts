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
  /** Opens an https link in the OS browser; anything else is refused. */
  'app:open-external': invoke<null>()(z.object({ url: z.url({ protocol: /^https$/ }) }).strict()),
  /** Shows a file or folder in the OS file manager. */
  'app:reveal-path': invoke<null>()(z.object({ path: z.string().min(1).max(4096) }).strict()),
};

export const appEvents = {
  'app:network': event<{ state: NetworkState }>(),
};

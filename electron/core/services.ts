import { join } from 'node:path';
import type { AppInfo } from '../../shared/contract/app';
import type { KeyCheck } from '../../shared/contract/settings';
import type { Language } from '../../shared/settings';
import { createCostLedger, type CostLedger } from './cost/cost-ledger';
import { createDashScopeClient, type DashScopeClient } from './dashscope';
import { createEventBus, type EventBus } from './events';
import { createIntakeService, type IntakeService } from './intake/intake-service';
import { createLibrary } from './library/library';
import { createSwitchableLibrary } from './library/switchable-library';
import { createJobEngine, type JobEngine } from './queue/engine';
import { openJobStore } from './queue/job-store';
import type { Library } from './library/types';
import type { Logger } from './log/logger';
import type { KeyValueStore } from './settings/key-value-store';
import type { EndpointChange } from './settings/endpoint-consent';
import type { SecretCipher } from './settings/secret-cipher';
import { createSettingsService, type SettingsService } from './settings/settings-service';

/** The app's folders, decided by the edge (Electron's app.getPath, or CLI flags). */
export interface AppPaths {
  data: string;
  cache: string;
  logs: string;
  /** Where the library goes until the user picks another folder. */
  defaultLibrary: string;
}

/** What only the host can do: the OS shell and dialogs (Electron, or the dev bridge's stand-ins). */
export interface Platform {
  openExternal(url: string): Promise<void>;
  revealPath(path: string): Promise<void>;
  chooseFolder(defaultPath: string): Promise<string | null>;
  /** Photos and folders to add (or one image when `single`); null when canceled. */
  choosePhotos(options?: { single?: boolean }): Promise<string[] | null>;
  /**
   * Asks the user, in a dialog the window does not own, whether the API key
   * and photos may go to a new server; true only on an explicit yes.
   */
  confirmEndpoint(change: EndpointChange): Promise<boolean>;
}

export interface Services {
  paths: AppPaths;
  info: () => AppInfo;
  settings: SettingsService;
  platform: Platform;
  events: EventBus;
  log: Logger;
  /** A free authenticated call telling a valid key from an invalid one. */
  checkKey: () => Promise<KeyCheck>;
  /** The DashScope client, reading key, endpoint and workspace from settings on every call. */
  dashscope: DashScopeClient;
  /** Photo intake: scan, thumbnails, preparation (electron/core/intake). */
  intake: IntakeService;
  /** The results folder (settings' libraryDir), re-opened when that setting changes. */
  library: Library;
  /** Free allowance used and total spend, priced from settings (electron/core/cost). */
  costs: CostLedger;
  /** The job engine over `<data>/queue.sqlite`; the host calls `start()` once (it takes the folder's lock). */
  engine: JobEngine;
}

export interface CoreDeps {
  paths: AppPaths;
  store: KeyValueStore;
  cipher: SecretCipher;
  platform: Platform;
  log: Logger;
  env: Readonly<Record<string, string | undefined>>;
  version: string;
  systemLanguage: Language;
  /** True when served by the dev bridge. */
  bridge: boolean;
  /** Overrides the DashScope client's key check (tests). */
  checkKey?: Services['checkKey'];
}

/** Pause reasons a new key can fix. */
const KEY_PAUSES = new Set(['api_key_invalid', 'api_access_denied', 'key_missing']);

/** The composition root of core: main, the CLI and the dev bridge all start here. */
export function createServices(deps: CoreDeps): Services {
  const events = createEventBus();
  const settings = createSettingsService({
    store: deps.store,
    cipher: deps.cipher,
    env: deps.env,
    defaults: { libraryDir: deps.paths.defaultLibrary, language: deps.systemLanguage },
    onChange: (view) => events.emit('settings:changed', view),
  });
  const key = settings.apiKey();
  if (key) deps.log.addSecret(key);
  settings.subscribe(() => {
    const current = settings.apiKey();
    if (current) deps.log.addSecret(current);
  });

  const openLibrary = (root: string) =>
    createLibrary({
      root,
      // A folder the user chose (made when chosen, in Settings) that is missing now is
      // a drive unplugged: it opens empty and saving pauses the queue naming it, rather
      // than making it again on the system disk. Only the default library is made here.
      create: root === deps.paths.defaultLibrary,
      log: deps.log,
      appVersion: deps.version,
      onSaved: (entry) => events.emit('library:changed', { added: entry }),
    });
  const library = createSwitchableLibrary((root) => {
    try {
      return openLibrary(root);
    } catch (error) {
      // A folder on a drive that is gone must not stop the app from starting.
      if (root === deps.paths.defaultLibrary) throw error;
      deps.log.error('library folder unusable; using the default', {
        root,
        error: (error as Error).message,
      });
      return openLibrary(deps.paths.defaultLibrary);
    }
  }, settings.view().libraryDir);
  settings.subscribe((view) => library.switchTo(view.libraryDir));

  const dashscope = createDashScopeClient({
    baseUrl: () => settings.endpoint(),
    apiKey: () => settings.apiKey(),
    workspaceId: () => settings.workspaceId(),
  });

  const intake = createIntakeService({ cacheDir: deps.paths.cache, events });
  const costs = createCostLedger({ store: deps.store, pricing: () => settings.pricing() });
  const engine = createJobEngine({
    // A damaged queue file is rebuilt; an unwritable one opens read-only, and the
    // engine starts paused with the reason (the window says which file and the fix).
    store: openJobStore(join(deps.paths.data, 'queue.sqlite'), Date.now, {
      fallback: true,
      log: deps.log,
    }),
    client: dashscope,
    intake,
    library,
    limits: () => settings.limits(),
    priceCny: (model) =>
      model === 'wanx2.1-imageedit'
        ? settings.pricing().imageEditCny
        : settings.pricing().styleRepaintCny,
    costs,
    events,
    log: deps.log,
  });

  // A queue paused because the key was refused resumes when the user gives a new key.
  const keyIdentity = () => `${settings.view().key.source}:${settings.view().key.hint ?? ''}`;
  let lastKey = keyIdentity();
  settings.subscribe((view) => {
    const key = keyIdentity();
    const given = key !== lastKey && view.key.source !== 'none';
    lastKey = key;
    const status = engine.status();
    if (given && status.state === 'paused' && KEY_PAUSES.has(status.reason ?? ''))
      engine.resume({});
  });

  return {
    paths: deps.paths,
    settings,
    platform: deps.platform,
    events,
    log: deps.log,
    info: () => ({
      version: deps.version,
      platform: process.platform,
      bridge: deps.bridge,
      paths: {
        data: deps.paths.data,
        cache: deps.paths.cache,
        logs: deps.paths.logs,
        settings: deps.store.path,
      },
    }),
    intake,
    checkKey: deps.checkKey ?? (() => dashscope.checkKey()),
    dashscope,
    library,
    costs,
    engine,
  };
}

/** The standard layout under one data folder (CLI and bridge). */
export function pathsUnder(dataDir: string, libraryDir?: string): AppPaths {
  return {
    data: dataDir,
    cache: join(dataDir, 'cache'),
    logs: join(dataDir, 'logs'),
    defaultLibrary: libraryDir ?? join(dataDir, 'library'),
  };
}

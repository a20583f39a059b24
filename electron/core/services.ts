import type { AppInfo } from '../../shared/contract/app';
import type { KeyCheck } from '../../shared/contract/settings';
import { KEY_ERROR_CODES, isCodeIn } from '../../shared/result';
import { modelPriceCny, type Language, type Limits } from '../../shared/settings';
import { createCostLedger, type CostLedger } from './cost/cost-ledger';
import { createDashScopeClient, type DashScopeClient } from './dashscope';
import { createEventBus, type EventBus } from './events';
import { createIntakeService, type IntakeService } from './intake/intake-service';
import { createLibrary } from './library/library';
import { createSwitchableLibrary } from './library/switchable-library';
import { createJobEngine, type JobEngine } from './queue/engine';
import { acquireEngineLock, type EngineLock } from './queue/engine-lock';
import { openJobStore, type JobStore } from './queue/job-store';
import type { Library } from './library/types';
import type { Logger } from './log/logger';
import type { KeyValueStore } from './settings/key-value-store';
import type { EndpointChange } from './settings/endpoint-consent';
import type { SecretCipher } from './settings/secret-cipher';
import { createSettingsService, type SettingsService } from './settings/settings-service';
import { queueFile, type AppPaths } from './app-paths';

export { pathsUnder, type AppPaths } from './app-paths';

/** What only the host can do: the OS shell and dialogs (Electron, or the dev bridge's stand-ins). */
export interface Platform {
  openExternal(url: string): Promise<void>;
  revealPath(path: string): Promise<void>;
  /** Opens a file with the OS default app (a library result). */
  openPath(path: string): Promise<void>;
  /** Moves a file to the OS trash (recycle bin). */
  trashItem(path: string): Promise<void>;
  /** Puts an image file on the clipboard as an image. */
  copyImage(path: string): Promise<void>;
  /** Starts an OS drag of these files out of the window (during the page's `dragstart`). */
  startDrag(paths: string[]): Promise<void>;
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
  /** The durable queue, `<data>/queue.sqlite`, that the engine runs on. */
  queue: JobStore;
  /**
   * The data folder's lock, when the host had it taken at once (`queue.lock:
   * 'now'`); else null, and the engine takes its own when it starts.
   */
  queueLock: EngineLock | null;
  /** The job engine over `queue`; the host calls `start()` once (it takes the folder's lock). */
  engine: JobEngine;
  /**
   * Stops the engine (work in flight stays recorded), sends deletes held for
   * Undo to the OS trash, and closes the library and the queue.
   */
  close(): Promise<void>;
}

/** How a host uses the data folder's queue. The window's ways are the defaults. */
export interface QueueHost {
  /**
   * `start`: the engine takes the data folder's lock when it starts (the window).
   * `now`: it is taken before anything is written, and handed to the engine
   * (`restyle run`, `resume`); while another Restyle holds it, `createServices`
   * throws `EngineLockedError` having written nothing.
   * `none`: never taken (`restyle status`, `cancel`: compare-and-set changes only).
   * @default 'start'
   */
  lock?: 'start' | 'now' | 'none';
  /** How long the lock may go without a heartbeat before another engine takes it over. @default LOCK_STALE_MS */
  lockStaleMs?: number;
  /**
   * A queue file that cannot be written or rebuilt throws its coded error
   * (the CLI names the file and exits 4) instead of opening read-only with the
   * engine paused (the window shows why). @default false
   */
  strict?: boolean;
}

/**
 * A library folder the host keeps to, instead of following settings' libraryDir
 * (the CLI): `given` (`--library`) is remembered in the queue, and without it the
 * folder remembered there is used, else settings'.
 */
export interface PinnedLibrary {
  given?: string;
  /** Remember `given` for later commands; false: for this command only (`restyle library`). @default true */
  remember?: boolean;
  /** Make the folder when it is missing (`restyle run` only); else it opens empty. */
  create: boolean;
}

export interface CoreDeps {
  paths: AppPaths;
  store: KeyValueStore;
  cipher: SecretCipher;
  platform: Platform;
  log: Logger;
  env: Readonly<Record<string, string | undefined>>;
  /** The OS, as `process.platform` names it (read at the edge; shown in `app:info`). */
  osPlatform: string;
  version: string;
  systemLanguage: Language;
  /** True when served by the dev bridge. */
  bridge: boolean;
  /** Overrides the DashScope client's key check (tests). */
  checkKey?: Services['checkKey'];
  /** How this host uses the queue (the CLI's lock, stale limit and strict queue file). */
  queue?: QueueHost;
  /** Over settings' limits (the CLI's RESTYLE_STYLE_REPAINT_CONCURRENCY, RESTYLE_IMAGEEDIT_CONCURRENCY). */
  limits?: Partial<Limits>;
  /** Over settings' workspace (the CLI's DASHSCOPE_WORKSPACE_ID). */
  workspaceId?: string;
  /** The CLI's library folder; without it the library follows settings. */
  pinnedLibrary?: PinnedLibrary;
}

/** The composition root of core: main, the CLI, the dev bridge and the tests all start here. */
export function createServices(deps: CoreDeps): Services {
  const host = deps.queue ?? {};
  // The queue first, and its lock if the host takes it now: while another engine
  // runs, nothing below is written (no library made, no `--library` remembered).
  // A damaged queue file is rebuilt; an unwritable one, unless `strict`, opens
  // read-only and the engine starts paused with the reason (the window says which
  // file and the fix).
  const queue = openJobStore(queueFile(deps.paths.data), Date.now, {
    fallback: !host.strict,
    log: deps.log,
  });
  let queueLock: EngineLock | null = null;
  try {
    if (host.lock === 'now')
      queueLock = acquireEngineLock(queue.db, {
        ...(host.lockStaleMs !== undefined && { staleMs: host.lockStaleMs }),
      });
    return compose(deps, queue, queueLock);
  } catch (error) {
    queueLock?.release();
    queue.close();
    throw error;
  }
}

function compose(deps: CoreDeps, queue: JobStore, queueLock: EngineLock | null): Services {
  const host = deps.queue ?? {};
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

  const openLibrary = (root: string, create: boolean) =>
    createLibrary({
      root,
      create,
      log: deps.log,
      appVersion: deps.version,
      onSaved: (entry) => events.emit('library:changed', { added: entry }),
      // The window's deletes go to the OS trash; the CLI never deletes, and leaves the window's held ones be.
      ...(deps.pinnedLibrary ? {} : { trash: (path: string) => deps.platform.trashItem(path) }),
    });
  const library = deps.pinnedLibrary
    ? openPinnedLibrary(queue, deps.pinnedLibrary, settings.view().libraryDir, openLibrary)
    : followSettings(deps, settings, openLibrary);

  const dashscope = createDashScopeClient({
    baseUrl: () => settings.endpoint(),
    apiKey: () => settings.apiKey(),
    workspaceId: () => deps.workspaceId ?? settings.workspaceId(),
  });

  const intake = createIntakeService({ cacheDir: deps.paths.cache, events });
  const limitsOver = Object.fromEntries(
    Object.entries(deps.limits ?? {}).filter(([, value]) => value !== undefined),
  ) as Partial<Limits>;
  const costs = createCostLedger({ store: deps.store, pricing: () => settings.pricing() });
  const engine = createJobEngine({
    store: queue,
    client: dashscope,
    intake,
    library,
    limits: () => ({ ...settings.limits(), ...limitsOver }),
    priceCny: (model) => modelPriceCny(model, settings.pricing()),
    costs,
    events,
    log: deps.log,
    lock: queueLock ?? host.lock !== 'none',
    ...(host.lockStaleMs !== undefined && { options: { lockStaleMs: host.lockStaleMs } }),
  });

  // A queue paused because the key was refused resumes when the user gives a new key.
  const keyIdentity = () => `${settings.view().key.source}:${settings.view().key.hint ?? ''}`;
  let lastKey = keyIdentity();
  settings.subscribe((view) => {
    const key = keyIdentity();
    const given = key !== lastKey && view.key.source !== 'none';
    lastKey = key;
    const status = engine.status();
    if (given && status.state === 'paused' && isCodeIn(KEY_ERROR_CODES, status.reason))
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
      platform: deps.osPlatform,
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
    queue,
    queueLock,
    engine,
    async close() {
      await engine.stop();
      await library.finalizeDeletes();
      library.close();
      queue.close();
    },
  };
}

type OpenLibrary = (root: string, create: boolean) => Library;

/** The window's library: settings' libraryDir, opened again when that setting changes. */
function followSettings(
  deps: CoreDeps,
  settings: SettingsService,
  openLibrary: OpenLibrary,
): Library {
  // A folder the user chose (made when chosen, in Settings) that is missing now is
  // a drive unplugged: it opens empty and saving pauses the queue naming it, rather
  // than making it again on the system disk. Only the default library is made here.
  const open = (root: string) => openLibrary(root, root === deps.paths.defaultLibrary);
  const library = createSwitchableLibrary((root) => {
    try {
      return open(root);
    } catch (error) {
      // A folder on a drive that is gone must not stop the app from starting.
      if (root === deps.paths.defaultLibrary) throw error;
      deps.log.error('library folder unusable; using the default', {
        root,
        error: (error as Error).message,
      });
      return open(deps.paths.defaultLibrary);
    }
  }, settings.view().libraryDir);
  settings.subscribe((view) => library.switchTo(view.libraryDir));
  return library;
}

/** The CLI's library: `--library` (remembered in the queue unless told not to), else the one remembered, else settings'. */
function openPinnedLibrary(
  queue: JobStore,
  pinned: PinnedLibrary,
  fromSettings: string,
  openLibrary: OpenLibrary,
): Library {
  if (pinned.given && pinned.remember !== false) queue.setMeta('libraryDir', pinned.given);
  return openLibrary(pinned.given ?? queue.getMeta('libraryDir') ?? fromSettings, pinned.create);
}

import { join, resolve } from 'node:path';
import { createTranslator, languageFromLocale, type Translate } from '../../../shared/i18n';
import type { Limits } from '../../../shared/settings';
import { cliPaths, defaultDataDir, defaultLibraryDir } from '../../core/app-paths';
import { createCostLedger } from '../../core/cost/cost-ledger';
import { createDashScopeClient } from '../../core/dashscope';
import { createEventBus, type EventBus } from '../../core/events';
import { createIntakeService, type IntakeService } from '../../core/intake/intake-service';
import { createLibrary } from '../../core/library/library';
import type { Library } from '../../core/library/types';
import { createJobEngine, type JobEngine } from '../../core/queue/engine';
import {
  acquireEngineLock,
  EngineLockedError,
  LOCK_STALE_MS,
  type EngineLock,
} from '../../core/queue/engine-lock';
import { openJobStore, type JobStore } from '../../core/queue/job-store';
import { createFileStore } from '../../core/settings/key-value-store';
import type { SecretCipher } from '../../core/settings/secret-cipher';
import { createSettingsService, type SettingsService } from '../../core/settings/settings-service';
import { EXIT } from '../exit-codes';
import { writeLine } from '../text';

/** Flags every queue command shares. */
export interface SessionFlags {
  dataDir?: string;
  library?: string;
  json?: boolean;
}

export interface Session {
  t: Translate;
  store: JobStore;
  engine: JobEngine;
  events: EventBus;
  intake: IntakeService;
  library: Library;
  /** The data folder lock's stale limit (`RESTYLE_LOCK_STALE_MS`, for tests; else 20 s). */
  lockStaleMs: number;
  /**
   * Null while this session holds the data folder's lock (or took none); else
   * the pid that took it over (0 when the row names none any more).
   */
  lockedBy(): number | null;
  close(): Promise<void>;
}

export const cliTranslator = (): Translate =>
  createTranslator(
    languageFromLocale(
      (process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG)?.replace('_', '-'),
    ),
  );

/** The app's limits, with positive integers from the environment over them (tests and benches). */
function limitsWithEnv(limits: Limits, env: NodeJS.ProcessEnv): Limits {
  const read = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return Number.isInteger(value) && value >= 1 && value <= 10 ? value : fallback;
  };
  return {
    ...limits,
    styleRepaintConcurrency: read(
      'RESTYLE_STYLE_REPAINT_CONCURRENCY',
      limits.styleRepaintConcurrency,
    ),
    imageEditConcurrency: read('RESTYLE_IMAGEEDIT_CONCURRENCY', limits.imageEditConcurrency),
  };
}

/** `RESTYLE_LOCK_STALE_MS` (1 s to 10 min) over the lock's stale limit: tests freeze an engine for seconds, not 20 s. */
function lockStaleMsWithEnv(env: NodeJS.ProcessEnv): number {
  const value = Number(env.RESTYLE_LOCK_STALE_MS);
  return Number.isInteger(value) && value >= 1000 && value <= 600_000 ? value : LOCK_STALE_MS;
}

/**
 * The CLI cannot open the app's keychain-sealed key (safeStorage needs
 * Electron), so a stored key reads as absent and DASHSCOPE_API_KEY is used.
 */
const noKeychain: SecretCipher = {
  status: () => 'unavailable',
  encrypt: () => {
    throw new Error('the CLI does not store keys');
  },
  decrypt: () => {
    throw new Error('the CLI cannot open the keychain');
  },
};

/** The window's settings (same config.json in the same data folder), read by the CLI. */
function appSettings(
  dataDir: string,
  env: NodeJS.ProcessEnv,
): { settings: SettingsService; store: ReturnType<typeof createFileStore> } {
  const store = createFileStore(dataDir);
  const settings = createSettingsService({
    store,
    cipher: noKeychain,
    env,
    defaults: { libraryDir: defaultLibraryDir(), language: 'en' },
  });
  return { settings, store };
}

/**
 * The queue of a data folder with an engine over it, for the CLI. It follows
 * the window's settings in that folder (region or endpoint, workspace,
 * library folder, limits, prices, free allowance used); the key comes from
 * DASHSCOPE_API_KEY, DASHSCOPE_HTTP_BASE_URL and DASHSCOPE_WORKSPACE_ID
 * override, and --library (remembered in the queue for `resume`) overrides
 * the library folder.
 */
export function openSession(
  flags: SessionFlags,
  options: {
    lock: boolean;
    /**
     * Make the library folder when it is missing: only `run` (a new batch into
     * the folder given). Otherwise a missing folder stays missing, and the
     * engine pauses with `library_missing` rather than save into a new one.
     */
    createLibrary?: boolean;
  },
): Session {
  const env = process.env;
  const t = cliTranslator();
  const dataDir = resolve(flags.dataDir ?? defaultDataDir());
  const paths = cliPaths(dataDir);
  const lockStaleMs = lockStaleMsWithEnv(env);
  const store = openJobStore(join(dataDir, 'queue.sqlite'));
  // The lock comes first: while another engine runs, nothing here is written.
  let lock: EngineLock | false = false;
  if (options.lock) {
    try {
      lock = acquireEngineLock(store.db, { staleMs: lockStaleMs });
    } catch (error) {
      store.close();
      throw error;
    }
  }
  tellRecovery(t, store, flags.json ?? false);
  if (flags.library) store.setMeta('libraryDir', resolve(flags.library));
  const { settings, store: settingsStore } = appSettings(dataDir, env);
  const libraryDir = store.getMeta('libraryDir') ?? settings.view().libraryDir;
  const client = createDashScopeClient({
    baseUrl: () => settings.endpoint(),
    apiKey: () => settings.apiKey(),
    workspaceId: () => env.DASHSCOPE_WORKSPACE_ID ?? settings.workspaceId(),
  });
  const events = createEventBus();
  const intake = createIntakeService({ cacheDir: paths.cache });
  const library = createLibrary({ root: libraryDir, create: options.createLibrary ?? false });
  const limits = limitsWithEnv(settings.limits(), env);
  const pricing = settings.pricing();
  const engine = createJobEngine({
    store,
    client,
    intake,
    library,
    limits: () => limits,
    priceCny: (model) =>
      model === 'wanx2.1-imageedit' ? pricing.imageEditCny : pricing.styleRepaintCny,
    costs: createCostLedger({ store: settingsStore, pricing: () => pricing }),
    events,
    lock,
    options: { lockStaleMs },
  });
  return {
    t,
    store,
    engine,
    events,
    intake,
    library,
    lockStaleMs,
    lockedBy: () => (lock === false || lock.held() ? null : (lock.holder() ?? 0)),
    async close() {
      await engine.stop();
      library.close();
      store.close();
    },
  };
}

/**
 * The session of `run` and `resume`, with the data folder's lock taken before
 * anything is written; null, with the reason said and exit code 4, while
 * another Restyle (the window or another `restyle`) uses the folder.
 */
export function openEngineSession(
  flags: SessionFlags,
  options: { createLibrary?: boolean } = {},
): Session | null {
  try {
    return openSession(flags, { lock: true, ...options });
  } catch (error) {
    if (!(error instanceof EngineLockedError)) throw error;
    process.stderr.write(`${lockedMessage(cliTranslator(), error.pid)}\n`);
    process.exitCode = EXIT.local;
    return null;
  }
}

export const lockedMessage = (t: Translate, pid: number): string => t('jobs.cli.locked', { pid });

/** Said when another engine took the folder over while this one was stopped. */
export const lockLostMessage = (session: Session, pid: number | null): string =>
  session.t('jobs.cli.lockLost', {
    pid: pid || '?',
    seconds: Math.round(session.lockStaleMs / 1000),
  });

/**
 * A damaged queue file rebuilt at open (by this command or by the window):
 * said once, then dismissed (the window shows it until dismissed too).
 */
function tellRecovery(t: Translate, store: JobStore, json: boolean): void {
  const recovery = store.recovery();
  if (!recovery) return;
  if (json) process.stdout.write(`${JSON.stringify({ event: 'queue:recovered', ...recovery })}\n`);
  else
    writeLine(
      process.stderr,
      t('jobs.cli.recovered', {
        batches: recovery.batches,
        jobs: recovery.jobs,
        inFlight: recovery.inFlight,
        file: recovery.keptAs,
      }),
    );
  store.dismissRecovery();
}

import { resolve } from 'node:path';
import type { Translate } from '../../../shared/i18n';
import type { EventBus } from '../../core/events';
import type { IntakeService } from '../../core/intake/intake-service';
import type { Library } from '../../core/library/types';
import { silentLogger } from '../../core/log/logger';
import type { JobEngine } from '../../core/queue/engine';
import { EngineLockedError } from '../../core/queue/engine-lock';
import type { JobStore } from '../../core/queue/job-store';
import { createServices, type Platform, type Services } from '../../core/services';
import { createFileStore } from '../../core/settings/key-value-store';
import type { SecretCipher } from '../../core/settings/secret-cipher';
import { EXIT } from '../exit-codes';
import { cliDataDir, cliPaths, cliTranslator, envLimits, envLockStaleMs } from '../host';
import { tellRecovery } from './queue-view';
import { VERSION } from '../version';

export { cliTranslator };

/** Flags every queue command shares. */
export interface SessionFlags {
  dataDir?: string;
  library?: string;
  json?: boolean;
}

export interface Session {
  t: Translate;
  /** Core, composed by `createServices` as the window composes it. */
  services: Services;
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

/** A terminal has no OS shell or dialogs to offer; no queue command asks for them. */
const noShell = (what: string) => () => Promise.reject(new Error(`the CLI has no ${what}`));
const headless: Platform = {
  openExternal: noShell('browser'),
  revealPath: noShell('file manager'),
  openPath: noShell('default app'),
  trashItem: noShell('trash'),
  copyImage: noShell('clipboard'),
  startDrag: noShell('drag and drop'),
  chooseFolder: noShell('folder chooser'),
  choosePhotos: noShell('photo chooser'),
  // The CLI never changes settings, so never moves the key to a new server here
  // (DASHSCOPE_HTTP_BASE_URL is the user's own word and is never asked about).
  confirmEndpoint: () => Promise.resolve(false),
};

/**
 * The queue of a data folder with an engine over it, for the CLI: core composed
 * by `createServices`, as the window has it. It follows the window's settings in
 * that folder (region or endpoint, workspace, library folder, limits, prices,
 * free allowance used); the key comes from DASHSCOPE_API_KEY,
 * DASHSCOPE_HTTP_BASE_URL and DASHSCOPE_WORKSPACE_ID override, and --library
 * (remembered in the queue for `resume`) overrides the library folder.
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
    /** Remember `--library` for later commands (as `run` does). @default true */
    rememberLibrary?: boolean;
  },
): Session {
  const env = process.env;
  const t = cliTranslator();
  const dataDir = cliDataDir(flags.dataDir);
  const lockStaleMs = envLockStaleMs();
  // The queue file is opened and the lock taken (when asked) before anything
  // is written; an unwritable queue file names itself (exit 4).
  const services = createServices({
    paths: cliPaths(dataDir),
    store: createFileStore(dataDir),
    cipher: noKeychain,
    platform: headless,
    log: silentLogger,
    env,
    osPlatform: process.platform,
    version: VERSION,
    systemLanguage: 'en',
    bridge: false,
    queue: { lock: options.lock ? 'now' : 'none', lockStaleMs, strict: true },
    limits: envLimits(),
    ...(env.DASHSCOPE_WORKSPACE_ID !== undefined && { workspaceId: env.DASHSCOPE_WORKSPACE_ID }),
    pinnedLibrary: {
      ...(flags.library && { given: resolve(flags.library) }),
      remember: options.rememberLibrary ?? true,
      create: options.createLibrary ?? false,
    },
  });
  tellRecovery(t, services.queue, flags.json ?? false);
  const lock = services.queueLock;
  return {
    t,
    services,
    store: services.queue,
    engine: services.engine,
    events: services.events,
    intake: services.intake,
    library: services.library,
    lockStaleMs,
    lockedBy: () => (lock === null || lock.held() ? null : (lock.holder() ?? 0)),
    close: () => services.close(),
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

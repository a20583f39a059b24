import { join, resolve } from 'node:path';
import { createTranslator, languageFromLocale, type Translate } from '../../../shared/i18n';
import { DEFAULT_LIMITS, REGION_BASE_URLS, type Limits } from '../../../shared/settings';
import { cliPaths, defaultDataDir, defaultLibraryDir } from '../../core/app-paths';
import { createDashScopeClient } from '../../core/dashscope';
import { createEventBus, type EventBus } from '../../core/events';
import { createIntakeService, type IntakeService } from '../../core/intake/intake-service';
import { createLibrary } from '../../core/library/library';
import type { Library } from '../../core/library/types';
import { createJobEngine, type JobEngine } from '../../core/queue/engine';
import { openJobStore, type JobStore } from '../../core/queue/job-store';

/** Flags every queue command shares. */
export interface SessionFlags {
  dataDir?: string;
  library?: string;
}

export interface Session {
  t: Translate;
  store: JobStore;
  engine: JobEngine;
  events: EventBus;
  intake: IntakeService;
  library: Library;
  close(): Promise<void>;
}

export const cliTranslator = (): Translate =>
  createTranslator(
    languageFromLocale(
      (process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG)?.replace('_', '-'),
    ),
  );

/** Positive integers from the environment (tests and benches raise the concurrency). */
function limitsFromEnv(env: NodeJS.ProcessEnv): Limits {
  const read = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return Number.isInteger(value) && value >= 1 && value <= 10 ? value : fallback;
  };
  return {
    ...DEFAULT_LIMITS,
    styleRepaintConcurrency: read(
      'RESTYLE_STYLE_REPAINT_CONCURRENCY',
      DEFAULT_LIMITS.styleRepaintConcurrency,
    ),
    imageEditConcurrency: read(
      'RESTYLE_IMAGEEDIT_CONCURRENCY',
      DEFAULT_LIMITS.imageEditConcurrency,
    ),
  };
}

/**
 * The queue of a data folder with an engine over it, for the CLI: key from
 * DASHSCOPE_API_KEY, endpoint from DASHSCOPE_HTTP_BASE_URL, library from
 * --library (remembered in the queue for `resume`).
 */
export function openSession(flags: SessionFlags, options: { lock: boolean }): Session {
  const env = process.env;
  const t = cliTranslator();
  const dataDir = resolve(flags.dataDir ?? defaultDataDir());
  const paths = cliPaths(dataDir);
  const store = openJobStore(join(dataDir, 'queue.sqlite'));
  if (flags.library) store.setMeta('libraryDir', resolve(flags.library));
  const libraryDir = store.getMeta('libraryDir') ?? defaultLibraryDir();
  const endpoint = (env.DASHSCOPE_HTTP_BASE_URL || REGION_BASE_URLS.beijing).replace(/\/+$/, '');
  const key = env.DASHSCOPE_API_KEY?.trim() || null;
  const client = createDashScopeClient({
    baseUrl: () => endpoint,
    apiKey: () => key,
    workspaceId: () => env.DASHSCOPE_WORKSPACE_ID ?? '',
  });
  const events = createEventBus();
  const intake = createIntakeService({ cacheDir: paths.cache });
  const library = createLibrary({ root: libraryDir });
  const limits = limitsFromEnv(env);
  const engine = createJobEngine({
    store,
    client,
    intake,
    library,
    limits: () => limits,
    events,
    lock: options.lock,
  });
  return {
    t,
    store,
    engine,
    events,
    intake,
    library,
    async close() {
      await engine.stop();
      library.close();
      store.close();
    },
  };
}

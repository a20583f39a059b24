import { rm } from 'node:fs/promises';
import { join, parse, resolve } from 'node:path';
import { contentSecurityPolicy } from '../../../shared/csp';
import { languageFromLocale } from '../../../shared/i18n';
import { RestyleError } from '../../../shared/result';
import { imageReaders } from '../image-readers';
import { createDispatcher } from '../ipc/dispatch';
import { handlers } from '../ipc/handlers';
import { createLogger, type Logger } from '../log/logger';
import { createFileStore } from '../settings/key-value-store';
import { createFileKeyCipher } from '../settings/secret-cipher';
import { createServices, pathsUnder, type Platform, type Services } from '../services';
import type { EndpointChange } from '../settings/endpoint-consent';
import { startDevBridge, type DevBridge } from './dev-bridge';
import { listFolder } from './list-folder';

export interface BridgeAppOptions {
  /** Where settings, queue, cache and logs go (a temp dir in tests). */
  dataDir: string;
  libraryDir?: string;
  /** The built renderer to serve (out/renderer). */
  staticDir?: string;
  port?: number;
  /**
   * The environment core honours (DASHSCOPE_API_KEY, DASHSCOPE_HTTP_BASE_URL,
   * LANG): the host's to give (scripts/bridge-server.ts passes its own), never read here.
   */
  env: Readonly<Record<string, string | undefined>>;
  version?: string;
  /** @default from LANG */
  locale?: string;
  log?: Logger;
  /**
   * Where the page's folder browser starts (scripts/bridge-server.ts passes the
   * user's home folder). @default the root of the data folder's file system
   */
  home?: string;
  /** The host's OS as `process.platform` names it, for `app:info`. @default 'unknown' */
  osPlatform?: string;
}

/**
 * Stand-ins for the OS shell and dialogs, which a browser page cannot reach:
 * links and reveals are recorded, and the choosers answer with what a test
 * queued. With nothing queued they answer `choose_in_window`: the page then
 * opens its own folder browser (over `GET /api/browse`), so a person using
 * `npm run preview` can choose too.
 *
 * A new server for the key (`confirmEndpoint`) gets the answer a test queued.
 * With nothing queued it is declined: a browser page has no dialog of the
 * host's own, and the page's word alone never moves the key. (In
 * `npm run preview`, point the bridge at another server with
 * DASHSCOPE_HTTP_BASE_URL instead.)
 */
export interface ScriptedPlatform extends Platform {
  readonly opened: string[];
  readonly revealed: string[];
  /** Files opened with the default app, trashed, copied to the clipboard and dragged out, in order. */
  readonly openedPaths: string[];
  readonly trashed: string[];
  readonly copied: string[];
  readonly dragged: string[][];
  queueFolderChoice(path: string | null): void;
  /** The next answer of the photo chooser ("Add photos", style reference); null cancels. */
  queuePhotoChoice(paths: string[] | null): void;
  /** Every new server the key was asked to go to, in order. */
  readonly endpointAsks: EndpointChange[];
  /** The next answer to "send the key to this new server?". */
  queueEndpointConfirm(answer: boolean): void;
}

const chooseInWindow = () =>
  new RestyleError('choose_in_window', 'no scripted choice: the page offers its folder browser');

export function createScriptedPlatform(): ScriptedPlatform {
  const opened: string[] = [];
  const revealed: string[] = [];
  const openedPaths: string[] = [];
  const trashed: string[] = [];
  const copied: string[] = [];
  const dragged: string[][] = [];
  const choices: Array<string | null> = [];
  const photoChoices: Array<string[] | null> = [];
  const endpointAsks: EndpointChange[] = [];
  const endpointAnswers: boolean[] = [];
  return {
    opened,
    revealed,
    openedPaths,
    trashed,
    copied,
    dragged,
    queueFolderChoice: (path) => void choices.push(path),
    queuePhotoChoice: (paths) => void photoChoices.push(paths),
    endpointAsks,
    queueEndpointConfirm: (answer) => void endpointAnswers.push(answer),
    openExternal: async (url) => void opened.push(url),
    revealPath: async (path) => void revealed.push(path),
    openPath: async (path) => void openedPaths.push(path),
    // A browser has no OS trash to reach: the file is removed, and the call recorded.
    trashItem: async (path) => {
      trashed.push(path);
      await rm(path, { force: true, recursive: true });
    },
    copyImage: async (path) => void copied.push(path),
    startDrag: async (paths) => void dragged.push([...paths]),
    chooseFolder: async () => {
      if (choices.length === 0) throw chooseInWindow();
      return choices.shift() ?? null;
    },
    choosePhotos: async () => {
      if (photoChoices.length === 0) throw chooseInWindow();
      return photoChoices.shift() ?? null;
    },
    confirmEndpoint: async (change) => {
      endpointAsks.push(change);
      return endpointAnswers.shift() ?? false;
    },
  };
}

export interface BridgeApp {
  bridge: DevBridge;
  services: Services;
  platform: ScriptedPlatform;
  close(): Promise<void>;
}

/** The real core, composed as main composes it, served to a browser over the dev bridge. */
export async function startBridgeApp(options: BridgeAppOptions): Promise<BridgeApp> {
  const env = options.env;
  const paths = pathsUnder(options.dataDir, options.libraryDir);
  const log = options.log ?? createLogger({ dir: paths.logs });
  const platform = createScriptedPlatform();
  const services = createServices({
    paths,
    store: createFileStore(options.dataDir),
    cipher: createFileKeyCipher(join(options.dataDir, 'bridge-secret.key')),
    platform,
    log,
    env,
    osPlatform: options.osPlatform ?? 'unknown',
    version: options.version ?? '0.0.0-dev',
    systemLanguage: languageFromLocale(options.locale ?? env.LANG),
    bridge: true,
  });

  let origin = '';
  const dispatch = createDispatcher({
    services,
    handlers,
    isTrustedSender: (url) => origin !== '' && url === `${origin}/`,
  });
  const readers = imageReaders(services);
  const bridge = await startDevBridge({
    dispatch,
    readThumbnail: readers.thumbnail,
    readResult: readers.result,
    events: services.events,
    log,
    port: options.port,
    staticDir: options.staticDir,
    csp: contentSecurityPolicy({ dev: false }),
    browse: (path) =>
      listFolder(path, { home: options.home ?? parse(resolve(options.dataDir)).root }),
  });
  origin = bridge.origin;
  // The queue of this data folder: restored after a crash, then running.
  services.engine.start({ wait: true });
  log.info('dev bridge started', { origin });

  return {
    bridge,
    services,
    platform,
    async close() {
      await bridge.close();
      await services.close();
      await log.close();
    },
  };
}

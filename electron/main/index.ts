/**
 * The Electron edge: app lifecycle, the window, and the wiring of core
 * services to Electron's APIs. Everything that matters lives in electron/core.
 */
import { app, BrowserWindow, session } from 'electron';
import { join } from 'node:path';
import { languageFromLocale } from '../../shared/i18n';
import { APP_PAGE_URL } from '../../shared/protocol';
import { defaultLibraryDir } from '../core/app-paths';
import { imageReaders } from '../core/image-readers';
import { createDispatcher } from '../core/ipc/dispatch';
import { handlers } from '../core/ipc/handlers';
import { createSenderCheck } from '../core/ipc/trusted-sender';
import { createLogger } from '../core/log/logger';
import { createServices } from '../core/services';
import { integrateDesktop } from './desktop-integration';
import { createElectronStore } from './electron-store-adapter';
import { handleAppPage, handleImageProtocol, registerPrivilegedSchemes } from './protocols';
import { registerIpc } from './ipc';
import { createElectronPlatform } from './platform';
import { createSafeStorageCipher } from './safe-storage-cipher';
import { createMainWindow } from './window';

registerPrivilegedSchemes();

// A separate data folder (tests, a second profile); must be set before the app is ready.
if (process.env.RESTYLE_DATA_DIR) app.setPath('userData', process.env.RESTYLE_DATA_DIR);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

async function start(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');
  const paths = {
    data: userData,
    cache: join(userData, 'cache'),
    logs: app.getPath('logs'),
    defaultLibrary: defaultLibraryDir(app.getPath('pictures')),
  };
  const log = createLogger({ dir: paths.logs, echo: !app.isPackaged });
  process.on('uncaughtException', (error) => log.error('uncaught exception', { error }));
  process.on('unhandledRejection', (error) => log.error('unhandled rejection', { error }));

  let window: BrowserWindow | null = null;
  const services = createServices({
    paths,
    store: createElectronStore(),
    cipher: createSafeStorageCipher(),
    // Read at the time of a dialog, once services exist.
    platform: createElectronPlatform(
      () => window,
      () => services.settings.language(),
    ),
    log,
    env: process.env,
    osPlatform: process.platform,
    version: app.getVersion(),
    systemLanguage: languageFromLocale(app.getLocale()),
    bridge: false,
  });

  // No permission (camera, notifications prompts, geolocation, …) is ever granted to the page.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);

  // The window's page: the dev server in `npm run dev`, else app://restyle/index.html
  // served from out/renderer (never file://).
  const devServerUrl = app.isPackaged ? undefined : process.env.VITE_DEV_SERVER_URL;
  const pageUrl = devServerUrl ?? APP_PAGE_URL;
  const isOwnPage = createSenderCheck([pageUrl]);
  registerIpc(
    createDispatcher({ services, handlers, isTrustedSender: isOwnPage }),
    services.events,
    () => window,
  );
  handleAppPage(join(__dirname, '../renderer'));
  handleImageProtocol(imageReaders(services));

  const openWindow = () => {
    window = createMainWindow({
      preloadPath: join(__dirname, '../preload/index.cjs'),
      pageUrl,
      isOwnPage,
    });
    window.on('closed', () => {
      window = null;
      // Undo ends with the window: what it deleted goes to the OS trash.
      void services.library.finalizeDeletes();
    });
  };
  openWindow();

  app.on('second-instance', () => {
    if (!window) return openWindow();
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  integrateDesktop(services, () => window);
  // Another Restyle (the CLI) holding the data folder is waited out, and the window says so.
  services.engine.start({ wait: true });
  app.on('will-quit', () => void log.close());
  log.info('Restyle started', { version: app.getVersion(), packaged: app.isPackaged });
}

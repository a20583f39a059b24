import { BrowserWindow, shell, type WebContents } from 'electron';
import type { SenderCheck } from '../core/ipc/trusted-sender';
import { allowedExternalUrl } from '../core/security/external-url';

export interface WindowOptions {
  preloadPath: string;
  /** The dev server's URL in development; app://restyle/index.html otherwise (never file://). */
  pageUrl: string;
  isOwnPage: SenderCheck;
}

/** The one window, locked down: isolated, sandboxed, no Node, no navigation away. */
export function createMainWindow(options: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Restyle',
    backgroundColor: '#1b1b1f',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  lockDown(window.webContents, options.isOwnPage);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.pageUrl);
  return window;
}

function lockDown(contents: WebContents, isOwnPage: SenderCheck): void {
  // Nothing opens inside the app; links to DashScope's console and docs (the
  // allowlist in core) open in the OS browser, anything else is dropped.
  contents.setWindowOpenHandler(({ url }) => {
    const allowed = allowedExternalUrl(url);
    if (allowed) void shell.openExternal(allowed);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isOwnPage(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isOwnPage(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

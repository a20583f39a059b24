import { BrowserWindow, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import type { SenderCheck } from '../core/ipc/trusted-sender';

export interface WindowOptions {
  preloadPath: string;
  /** The dev server's URL in development; the bundled index.html otherwise. */
  devServerUrl?: string;
  rendererDir: string;
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
  if (options.devServerUrl) void window.loadURL(options.devServerUrl);
  else void window.loadFile(join(options.rendererDir, 'index.html'));
  return window;
}

function lockDown(contents: WebContents, isOwnPage: SenderCheck): void {
  // Links the app shows open in the OS browser (https only); nothing opens inside the app.
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
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

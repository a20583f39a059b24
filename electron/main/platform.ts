import { dialog, shell, type BrowserWindow } from 'electron';
import type { Platform } from '../core/services';

export function createElectronPlatform(window: () => BrowserWindow | null): Platform {
  return {
    openExternal: async (url) => {
      if (url.startsWith('https://')) await shell.openExternal(url);
    },
    revealPath: async (path) => shell.showItemInFolder(path),
    chooseFolder: async (defaultPath) => {
      const owner = window();
      const options = {
        defaultPath,
        properties: ['openDirectory', 'createDirectory'] as Array<
          'openDirectory' | 'createDirectory'
        >,
      };
      const result = owner
        ? await dialog.showOpenDialog(owner, options)
        : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}

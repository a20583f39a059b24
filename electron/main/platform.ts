import { clipboard, ClipboardItem, dialog, nativeImage, shell, type BrowserWindow } from 'electron';
import { createTranslator } from '../../shared/i18n';
import { PHOTO_EXTENSIONS } from '../../shared/photos';
import type { Language } from '../../shared/settings';
import { allowedExternalUrl } from '../core/security/external-url';
import type { Platform } from '../core/services';

export function createElectronPlatform(
  window: () => BrowserWindow | null,
  language: () => Language,
): Platform {
  return {
    // The handlers decide (electron/core/security); checked again here, at the OS door.
    openExternal: async (url) => {
      const allowed = allowedExternalUrl(url);
      if (allowed) await shell.openExternal(allowed);
    },
    revealPath: async (path) => shell.showItemInFolder(path),
    openPath: async (path) => {
      // shell.openPath answers an error message ('' on success) instead of throwing.
      const failure = await shell.openPath(path);
      if (failure) throw new Error(failure);
    },
    trashItem: (path) => shell.trashItem(path),
    // Electron 45's clipboard is the W3C-shaped async one: a PNG blob in a ClipboardItem.
    copyImage: async (path) => {
      const image = nativeImage.createFromPath(path);
      if (image.isEmpty()) throw new Error(`not an image the clipboard can take: ${path}`);
      const png = new Blob([new Uint8Array(image.toPNG())], { type: 'image/png' });
      await clipboard.write([new ClipboardItem({ 'image/png': png })]);
    },
    // Electron's drag-out: must start while the page's dragstart is being handled.
    startDrag: async (paths) => {
      const owner = window();
      const first = paths[0];
      if (!owner || owner.isDestroyed() || !first) return;
      const icon = nativeImage.createFromPath(first).resize({ width: 64 });
      owner.webContents.startDrag({ file: first, files: paths, icon });
    },
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
    choosePhotos: async (options) => {
      const owner = window();
      const single = options?.single ?? false;
      // Windows and Linux cannot mix files and folders in one dialog: they show a
      // folder chooser (albums are folders); single files can still be dropped.
      const properties: Array<'openFile' | 'openDirectory' | 'multiSelections'> = single
        ? ['openFile']
        : ['openFile', 'openDirectory', 'multiSelections'];
      const dialogOptions = {
        properties,
        filters: [{ name: 'Images', extensions: [...PHOTO_EXTENSIONS] }],
      };
      const result = owner
        ? await dialog.showOpenDialog(owner, dialogOptions)
        : await dialog.showOpenDialog(dialogOptions);
      return result.canceled || result.filePaths.length === 0 ? null : result.filePaths;
    },
    // Main's own dialog, modal over the window: the page can neither draw nor answer it.
    confirmEndpoint: async (change) => {
      const owner = window();
      if (!owner || owner.isDestroyed()) return false;
      const t = createTranslator(language());
      const answer = await dialog.showMessageBox(owner, {
        type: 'warning',
        title: t('desktop.endpointTitle'),
        message: t('desktop.endpointMessage', { host: change.host }),
        detail: t('desktop.endpointDetail', { from: change.from, to: change.to }),
        buttons: [t('desktop.endpointCancel'), t('desktop.endpointConfirm', { host: change.host })],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      });
      return answer.response === 1;
    },
  };
}

import { ipcMain, type BrowserWindow } from 'electron';
import { INVOKE_CHANNELS } from '../../shared/contract';
import type { Dispatch } from '../core/ipc/dispatch';
import type { EventBus } from '../core/events';

/**
 * Registers one ipcMain handler per contract channel, all through the same
 * dispatcher (sender check, schema validation, Result answers), and forwards
 * core events to the window.
 */
export function registerIpc(
  dispatch: Dispatch,
  events: EventBus,
  window: () => BrowserWindow | null,
): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) =>
      dispatch({ senderUrl: event.senderFrame?.url }, channel, payload),
    );
  }
  const unsubscribe = events.subscribe((name, payload) => {
    const target = window();
    if (target && !target.isDestroyed()) target.webContents.send(name, payload);
  });
  return () => {
    unsubscribe();
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}

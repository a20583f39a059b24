/**
 * The preload exposes exactly the contract, under `window.restyle`, and nothing
 * else: no ipcRenderer, no Node. Channels outside the contract are refused here
 * already; main validates every payload again.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  isEventName,
  isInvokeChannel,
  type EventName,
  type EventPayload,
  type RestyleApi,
} from '../../shared/contract';
import { fail } from '../../shared/result';
import { IMAGE_PROTOCOL } from '../../shared/protocol';

const api: RestyleApi = {
  invoke(channel, payload) {
    if (!isInvokeChannel(channel)) return Promise.resolve(fail('unknown_channel', String(channel)));
    return ipcRenderer.invoke(channel, payload);
  },
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void) {
    if (!isEventName(name)) return () => {};
    const wrapped = (_event: Electron.IpcRendererEvent, payload: EventPayload<E>) =>
      listener(payload);
    ipcRenderer.on(name, wrapped);
    return () => void ipcRenderer.removeListener(name, wrapped);
  },
  thumbnailUrl: (hash, size) => `${IMAGE_PROTOCOL}://thumbnail/${encodeURIComponent(hash)}/${size}`,
  resultUrl: (resultId, variant = 'full') =>
    `${IMAGE_PROTOCOL}://result/${encodeURIComponent(resultId)}/${variant}`,
  pathForFile: (file) => webUtils.getPathForFile(file) || null,
};

contextBridge.exposeInMainWorld('restyle', api);

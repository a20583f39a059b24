import { BRIDGE_TOKEN_PARAM } from '../../../shared/bridge';
import { createBridgeClient } from './bridge-client';
import type { WindowApi } from './window-api';

const TOKEN_KEY = 'restyle.bridgeToken';

/**
 * The window's only I/O seam: the preload's `window.restyle` in the app, or
 * the dev bridge client when the page is opened from the bridge with a token.
 */
export function connectApi(): WindowApi | null {
  if (window.restyle) return window.restyle;
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get(BRIDGE_TOKEN_PARAM);
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete(BRIDGE_TOKEN_PARAM);
    window.history.replaceState(null, '', url);
  }
  const token = fromUrl ?? sessionStorage.getItem(TOKEN_KEY);
  return token ? createBridgeClient(token) : null;
}

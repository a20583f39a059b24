import {
  BRIDGE_ROUTES,
  BRIDGE_TOKEN_HEADER,
  BRIDGE_TOKEN_PARAM,
  BROWSE_ERROR_CODES,
  type BrowseResult,
} from '../../../shared/bridge';
import type { EventName, EventPayload } from '../../../shared/contract';
import { fail } from '../../../shared/result';
import type { WindowApi } from './window-api';

type Listener = (payload: unknown) => void;

/** The bridge's answer when it is a browse result (success or coded error), else null. */
function asBrowseResult(body: unknown): BrowseResult | null {
  if (!body || typeof body !== 'object' || !('ok' in body)) return null;
  if (body.ok === true && 'value' in body) return body as BrowseResult;
  const error = 'error' in body ? (body.error as { code?: unknown } | null) : null;
  return (BROWSE_ERROR_CODES as readonly unknown[]).includes(error?.code)
    ? (body as BrowseResult)
    : null;
}

/**
 * The contract over the loopback dev bridge, for the renderer in a plain
 * browser (end-to-end tests, `npm run preview`). Same interface as the
 * preload, plus `browse` for the page's own folder browser.
 */
export function createBridgeClient(token: string): WindowApi {
  const listeners = new Map<string, Set<Listener>>();
  const source = new EventSource(
    `${BRIDGE_ROUTES.events}?${BRIDGE_TOKEN_PARAM}=${encodeURIComponent(token)}`,
  );
  source.onmessage = (message: MessageEvent<string>) => {
    const { name, payload } = JSON.parse(message.data) as { name: string; payload: unknown };
    for (const listener of listeners.get(name) ?? []) listener(payload);
  };
  const query = `${BRIDGE_TOKEN_PARAM}=${encodeURIComponent(token)}`;

  return {
    async invoke(channel, payload) {
      try {
        const response = await fetch(`${BRIDGE_ROUTES.invoke}${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [BRIDGE_TOKEN_HEADER]: token },
          body: JSON.stringify(payload ?? null),
        });
        if (!response.ok) return fail('internal', `bridge answered ${response.status}`);
        return await response.json();
      } catch (error) {
        return fail('internal', error instanceof Error ? error.message : String(error));
      }
    },
    on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(name) ?? new Set<Listener>();
      listeners.set(name, set);
      const wrapped = listener as Listener;
      set.add(wrapped);
      return () => void set.delete(wrapped);
    },
    thumbnailUrl: (hash, size) =>
      `${BRIDGE_ROUTES.thumbnail}${encodeURIComponent(hash)}/${size}?${query}`,
    resultUrl: (id, variant = 'full') =>
      `${BRIDGE_ROUTES.result}${encodeURIComponent(id)}/${variant}?${query}`,
    pathForFile: () => null,
    async browse(path) {
      const url =
        path === null
          ? BRIDGE_ROUTES.browse
          : `${BRIDGE_ROUTES.browse}?path=${encodeURIComponent(path)}`;
      try {
        const response = await fetch(url, { headers: { [BRIDGE_TOKEN_HEADER]: token } });
        const answer = asBrowseResult(await response.json().catch(() => null));
        return (
          answer ?? {
            ok: false,
            error: { code: 'failed', message: `bridge answered ${response.status}` },
          }
        );
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, error: { code: 'failed', message } };
      }
    },
  };
}

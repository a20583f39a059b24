import { BRIDGE_ROUTES, BRIDGE_TOKEN_HEADER, BRIDGE_TOKEN_PARAM } from '../../../shared/bridge';
import type { EventName, EventPayload, RestyleApi } from '../../../shared/contract';
import { fail } from '../../../shared/result';

type Listener = (payload: unknown) => void;

/**
 * The contract over the loopback dev bridge, for the renderer in a plain
 * browser (end-to-end tests, `npm run preview`). Same interface as the preload.
 */
export function createBridgeClient(token: string): RestyleApi {
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
    resultUrl: (id) => `${BRIDGE_ROUTES.result}${encodeURIComponent(id)}/full?${query}`,
    pathForFile: () => null,
  };
}

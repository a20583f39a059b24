import type { ScanDone } from '../../../shared/contract/intake';
import type { PhotoRecord } from '../../../shared/photos';

export type ScanEvent = { photos: PhotoRecord[] } | { done: ScanDone };

/**
 * Holds scan events that arrive before `intake:add-paths` has answered with
 * their scan id (events and answers travel separately), and hands them to the
 * slice that started the scan. Only held while a start is in flight.
 */
export interface ScanInbox {
  begin(): void;
  /** The start answered (scanId) or failed (null): returns what arrived early for it. */
  end(scanId: string | null): ScanEvent[];
  /** A start that learned several scan ids at once (the tabs given back at start). */
  endMany(scanIds: readonly string[]): Array<{ scanId: string; event: ScanEvent }>;
  /** True when the event was held for a start still in flight. */
  hold(scanId: string, event: ScanEvent): boolean;
}

export function createScanInbox(): ScanInbox {
  const early = new Map<string, ScanEvent[]>();
  let starting = 0;
  return {
    begin: () => void (starting += 1),
    end(scanId) {
      starting = Math.max(0, starting - 1);
      const held = scanId ? (early.get(scanId) ?? []) : [];
      if (scanId) early.delete(scanId);
      if (starting === 0) early.clear();
      return held;
    },
    endMany(scanIds) {
      starting = Math.max(0, starting - 1);
      const held = scanIds.flatMap((scanId) =>
        (early.get(scanId) ?? []).map((event) => ({ scanId, event })),
      );
      for (const scanId of scanIds) early.delete(scanId);
      if (starting === 0) early.clear();
      return held;
    },
    hold(scanId, event) {
      if (starting === 0) return false;
      const list = early.get(scanId) ?? [];
      list.push(event);
      early.set(scanId, list);
      return true;
    },
  };
}

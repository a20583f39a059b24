/**
 * The contract between the window and the main process, written once.
 * Channel strings exist only in these maps; the preload, main, the dev bridge
 * and the renderer all derive from them.
 */
import type { z } from 'zod';
import type { Result } from '../result';
import type { EventDef, InvokeDef } from './define';
import { appEvents, appInvoke } from './app';
import { intakeEvents, intakeInvoke } from './intake';
import { jobsEvents, jobsInvoke } from './jobs';
import { libraryEvents, libraryInvoke } from './library';
import { settingsEvents, settingsInvoke } from './settings';

export const invokeContract = {
  ...appInvoke,
  ...settingsInvoke,
  ...intakeInvoke,
  ...jobsInvoke,
  ...libraryInvoke,
} as const;

export const eventContract = {
  ...appEvents,
  ...settingsEvents,
  ...intakeEvents,
  ...jobsEvents,
  ...libraryEvents,
} as const;

export type InvokeContract = typeof invokeContract;
export type InvokeChannel = keyof InvokeContract;
export type EventContract = typeof eventContract;
export type EventName = keyof EventContract;

/** What the caller passes (before defaults are applied). */
export type InvokeRequest<C extends InvokeChannel> = z.input<InvokeContract[C]['request']>;
/** What the handler receives (after validation). */
export type InvokeParsed<C extends InvokeChannel> = z.output<InvokeContract[C]['request']>;
export type InvokeResponse<C extends InvokeChannel> =
  InvokeContract[C] extends InvokeDef<z.ZodType, infer R> ? R : never;
export type EventPayload<E extends EventName> =
  EventContract[E] extends EventDef<infer P> ? P : never;

export const INVOKE_CHANNELS = Object.keys(invokeContract) as InvokeChannel[];
export const EVENT_NAMES = Object.keys(eventContract) as EventName[];

export const isInvokeChannel = (name: unknown): name is InvokeChannel =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(invokeContract, name);
export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(eventContract, name);

export type ThumbnailSize = 'small' | 'large';
export type ResultVariant = 'full' | 'thumb' | 'source';

/**
 * The one object the window sees (`window.restyle`), served by the preload in
 * the app and by the dev bridge client in a browser.
 */
export interface RestyleApi {
  invoke<C extends InvokeChannel>(
    channel: C,
    payload: InvokeRequest<C>,
  ): Promise<Result<InvokeResponse<C>>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** A URL the window can show for a cached thumbnail (by content hash only). */
  thumbnailUrl(hash: string, size: ThumbnailSize): string;
  /**
   * A URL for a result in the library, by its id: `full` the image, `thumb` a
   * small preview for grids, `source` the original as it was sent (upright,
   * cut to the crop), for before/after.
   */
  resultUrl(resultId: string, variant?: ResultVariant): string;
  /** The local path of a dropped file (Electron's webUtils); null in a browser. */
  pathForFile(file: File): string | null;
}

export { type Result } from '../result';

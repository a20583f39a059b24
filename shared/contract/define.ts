import type { z } from 'zod';

/**
 * One invoke channel: the runtime schema main validates the request with, and
 * (as a phantom type) what it answers inside a Result.
 */
export interface InvokeDef<Req extends z.ZodType, Res> {
  readonly request: Req;
  /** Never set at run time; carries the response type. */
  readonly response?: Res;
}

/** `invoke<Response>()(requestSchema)`: the response type is given, the request type inferred. */
export const invoke =
  <Res>() =>
  <Req extends z.ZodType>(request: Req): InvokeDef<Req, Res> => ({ request });

/** An event's payload type, main to window. */
export type EventDef<Payload> = { readonly payload?: Payload };
export const event = <Payload>(): EventDef<Payload> => ({});

import type { InvokeChannel, InvokeParsed, InvokeResponse } from '../../../shared/contract';
import type { Services } from '../services';

/** A contract handler: a plain function of the services and a validated payload. */
export type Handler<C extends InvokeChannel> = (
  services: Services,
  payload: InvokeParsed<C>,
) => Promise<InvokeResponse<C>> | InvokeResponse<C>;

export type Handlers<Cs extends InvokeChannel> = { [C in Cs]: Handler<C> };

import type { z } from 'zod';
import { invokeContract, isInvokeChannel, type InvokeChannel } from '../../../shared/contract';
import { fail, ok, RestyleError, type Result } from '../../../shared/result';
import { issueParams } from '../../../shared/validation';
import type { Services } from '../services';
import type { Handler, Handlers } from './handler-types';
import type { SenderCheck } from './trusted-sender';

export interface CallContext {
  /** URL of the frame that sent the call (Electron's `event.senderFrame.url`). */
  senderUrl: string | undefined;
}

export type Dispatch = (
  context: CallContext,
  channel: unknown,
  payload: unknown,
) => Promise<Result<unknown>>;

export interface DispatcherDeps {
  services: Services;
  handlers: Handlers<InvokeChannel>;
  isTrustedSender: SenderCheck;
}

const describeIssues = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`)
    .join('; ');

/**
 * The one door into main: checks the sender, validates the payload against the
 * contract's schema, runs the handler, and answers with a Result. Nothing
 * thrown inside ever crosses the boundary as an exception.
 */
export function createDispatcher({
  services,
  handlers,
  isTrustedSender,
}: DispatcherDeps): Dispatch {
  return async (context, channel, payload) => {
    if (!isTrustedSender(context.senderUrl)) {
      services.log.warn('ipc call from a foreign sender refused', {
        channel: String(channel),
        sender: context.senderUrl,
      });
      return fail('forbidden_sender', 'sender is not our window');
    }
    if (!isInvokeChannel(channel))
      return fail('unknown_channel', `unknown channel ${String(channel)}`);

    const parsed = invokeContract[channel].request.safeParse(
      payload === undefined ? null : payload,
    );
    if (!parsed.success) {
      // zod's English stays in the message (the log); the window translates the params.
      return fail('invalid_payload', describeIssues(parsed.error), {
        ...issueParams(parsed.error),
      });
    }
    const handler = handlers[channel] as Handler<InvokeChannel>;
    try {
      return ok(await handler(services, parsed.data as never));
    } catch (error) {
      if (error instanceof RestyleError) return { ok: false, error: error.toAppError() };
      services.log.error('handler failed', { channel, error });
      return fail('internal', error instanceof Error ? error.message : String(error));
    }
  };
}

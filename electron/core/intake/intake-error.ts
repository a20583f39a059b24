import type { PhotoReason, ReasonCode } from '../../../shared/photos';

/** A photo that cannot be used, with the reason the user is shown. */
export class IntakeError extends Error {
  override readonly name = 'IntakeError';
  readonly reason: PhotoReason;
  constructor(code: ReasonCode, message: string, params?: Record<string, string | number>) {
    super(message);
    this.reason = params ? { code, params } : { code };
  }
}

const TRUNCATED =
  /premature end|truncated|unexpected end|end of (file|stream|data)|not enough (image )?data|short read|out of data|too short/i;
const UNREADABLE = /EACCES|EPERM|ENOENT|EISDIR|EIO|input file is missing|permission denied/i;
const TOO_LARGE = /pixel limit/i;

/** Turns a decoder's error into an IntakeError with a reason a person can act on. */
export function classifyDecodeError(error: unknown): IntakeError {
  if (error instanceof IntakeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const detail = message.split('\n')[0]?.slice(0, 200) ?? '';
  if (TRUNCATED.test(message)) return new IntakeError('truncated', message, { detail });
  if (UNREADABLE.test(message)) return new IntakeError('unreadable', message, { detail });
  if (TOO_LARGE.test(message)) return new IntakeError('too_large', message, { detail });
  return new IntakeError('corrupt', message, { detail });
}

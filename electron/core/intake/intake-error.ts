import type { PhotoFormat, PhotoReason, ReasonCode } from '../../../shared/photos';
import { NotARegularFileError, openRegularFile } from '../fs/regular-file';

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
  if (error instanceof NotARegularFileError) {
    const code = error.kind === 'broken_link' ? 'broken_link' : 'not_a_regular_file';
    return new IntakeError(code, error.message);
  }
  if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT')
    return new IntakeError('not_found', (error as Error).message);
  const message = error instanceof Error ? error.message : String(error);
  const detail = message.split('\n')[0]?.slice(0, 200) ?? '';
  if (TRUNCATED.test(message)) return new IntakeError('truncated', message, { detail });
  if (UNREADABLE.test(message)) return new IntakeError('unreadable', message, { detail });
  if (TOO_LARGE.test(message)) return new IntakeError('too_large', message, { detail });
  return new IntakeError('corrupt', message, { detail });
}

/** How far from its end a complete file of the format carries its end marker. */
const END_MARKERS: Partial<Record<PhotoFormat, { marker: Buffer; within: number }>> = {
  // JPEG ends with EOI (FF D9); some writers pad a little after it.
  jpeg: { marker: Buffer.from([0xff, 0xd9]), within: 1024 },
  // PNG ends with the IEND chunk (type + CRC: 8 bytes).
  png: { marker: Buffer.from('IEND', 'latin1'), within: 64 },
};

/** True when the file stops before its format's end marker: it was cut short. */
async function endsEarly(path: string, format: PhotoFormat): Promise<boolean> {
  const end = END_MARKERS[format];
  if (!end) return false;
  const file = await openRegularFile(path);
  try {
    const { size } = await file.stat();
    const length = Math.min(size, end.within);
    const tail = Buffer.alloc(length);
    await file.read(tail, 0, length, size - length);
    return !tail.includes(end.marker);
  } finally {
    await file.close();
  }
}

/**
 * Like classifyDecodeError, and when the decoder's words leave it open
 * ("corrupt"), the file itself decides: one cut before its end marker is
 * truncated (the decoder's message depends on where in the data it broke).
 */
export async function classifyFileError(
  error: unknown,
  path: string,
  format: PhotoFormat,
): Promise<IntakeError> {
  const classified = classifyDecodeError(error);
  if (classified.reason.code !== 'corrupt') return classified;
  const cut = await endsEarly(path, format).catch(() => false);
  return cut
    ? new IntakeError('truncated', classified.message, classified.reason.params)
    : classified;
}

/**
 * DashScope speaks Beijing time (UTC+8, no daylight saving) without saying so:
 * task times look like `2024-08-19 20:01:35.371` and the task list takes
 * `start_time=YYYYMMDDhhmmss`. Both are read and written here as UTC+8; an
 * instant given as a number is epoch milliseconds.
 */
const OFFSET_MS = 8 * 60 * 60 * 1000;

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `YYYYMMDDhhmmss` in Beijing time, as the task list's `start_time`/`end_time` want it. */
export function formatBeijingCompact(date: Date): string {
  const shifted = new Date(date.getTime() + OFFSET_MS);
  return (
    `${shifted.getUTCFullYear()}${pad(shifted.getUTCMonth() + 1)}${pad(shifted.getUTCDate())}` +
    `${pad(shifted.getUTCHours())}${pad(shifted.getUTCMinutes())}${pad(shifted.getUTCSeconds())}`
  );
}

/** `YYYY-MM-DD hh:mm:ss.SSS` in Beijing time, as task answers carry it. */
export function formatBeijingTimestamp(date: Date): string {
  const shifted = new Date(date.getTime() + OFFSET_MS);
  return (
    `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())} ` +
    `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}.` +
    pad(shifted.getUTCMilliseconds(), 3)
  );
}

const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const SPACED = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;

/**
 * Reads a DashScope time: epoch milliseconds, `YYYYMMDDhhmmss` or
 * `YYYY-MM-DD hh:mm:ss(.SSS)` (both Beijing time), or an ISO string with a zone.
 * Null when absent or unreadable (a placeholder such as `xxx`).
 */
export function parseBeijingTime(value: unknown): Date | null {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return new Date(value);
  if (typeof value !== 'string' || value === '') return null;
  const match = COMPACT.exec(value) ?? SPACED.exec(value);
  if (match) {
    const [, y, mo, d, h, mi, s, ms] = match;
    const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    const millis = ms ? Number(ms.padEnd(3, '0')) : 0;
    return new Date(utc + millis - OFFSET_MS);
  }
  if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(value)) {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? null : new Date(parsed);
  }
  return null;
}

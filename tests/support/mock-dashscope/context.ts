import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Faults } from './faults';
import type { Recorder } from './recorder';
import type { SlidingWindow } from './sliding-window';
import type { TaskStore } from './task-store';
import type { MockConfig, ThrottleCode } from './types';

/** What the route handlers share. */
export interface MockContext {
  config: MockConfig;
  faults: Faults;
  store: TaskStore;
  recorder: Recorder;
  now: () => number;
  apiKeys: ReadonlySet<string>;
  /** Per model, accepted submits in the last second. */
  submitWindow: (model: string) => SlidingWindow;
  queryWindow: SlidingWindow;
  /** `http://127.0.0.1:PORT`. */
  origin: () => string;
  resultImage: () => Promise<Buffer>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
): void {
  sendJson(res, status, { code, message, request_id: randomUUID() });
}

/** What the service says with each 429 code (a free allowance used up says `Free allocated quota exceeded.`). */
const THROTTLE_MESSAGES: Record<ThrottleCode, string> = {
  Throttling: 'Requests throttling triggered.',
  'Throttling.RateQuota': 'Requests rate limit exceeded, please try again later.',
  'Throttling.AllocationQuota': 'Allocated quota exceeded, please increase your quota limit.',
};

/** A 429 with the service's message for `code`. */
export const throttled = (code: ThrottleCode): [number, string, string] => [
  429,
  code,
  THROTTLE_MESSAGES[code],
];

/** Ends the connection without an answer: the client sees a reset socket. */
export function dropConnection(req: IncomingMessage): void {
  req.socket.destroy();
}

/** A 200 whose body is not JSON: what a broken proxy or a truncated answer looks like. */
export function sendMalformed(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end('{"output": {"task_id": ');
}

const OFFSET_MS = 8 * 60 * 60 * 1000;
const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `YYYY-MM-DD hh:mm:ss.SSS`, Beijing time, as the service writes task times. */
export function beijingTimestamp(ms: number): string {
  const d = new Date(ms + OFFSET_MS);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
  );
}

/** Reads `YYYYMMDDhhmmss` as Beijing time; null when malformed. */
export function parseCompactBeijing(value: string | null): number | null {
  const match = value ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value) : null;
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return Date.UTC(y as number, (mo as number) - 1, d, h, mi, s) - OFFSET_MS;
}

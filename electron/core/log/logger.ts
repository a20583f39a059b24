import { mkdirSync } from 'node:fs';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** Registers a secret (the API key) that must never reach the log. */
  addSecret(secret: string): void;
  close(): Promise<void>;
}

const API_KEY = /\bsk-[A-Za-z0-9_-]{6,}/g;
const BEARER = /(Bearer\s+)[^\s"',]+/gi;
const DATA_URI = /data:([a-z]+\/[a-z0-9.+-]+);base64,[A-Za-z0-9+/=]+/gi;
const LONG_BASE64 = /[A-Za-z0-9+/]{512,}={0,2}/g;

/**
 * Removes what must never be written down: keys, bearer tokens, and photo
 * contents (data URIs or long base64 runs).
 */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 6) out = out.split(secret).join('[secret]');
  }
  return out
    .replace(API_KEY, 'sk-[redacted]')
    .replace(BEARER, '$1[redacted]')
    .replace(DATA_URI, (_m, mime: string) => `data:${mime};base64,[image]`)
    .replace(LONG_BASE64, '[base64]');
}

export interface LoggerOptions {
  dir: string;
  /** @default 'restyle.log' */
  fileName?: string;
  /** @default 'info' */
  level?: LogLevel;
  /** Also write to stderr (development). @default false */
  echo?: boolean;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** JSON lines in `dir`, rotated at 5 MB, 5 files kept. */
export function createLogger(options: LoggerOptions): Logger {
  mkdirSync(options.dir, { recursive: true });
  const stream: RotatingFileStream = createStream(options.fileName ?? 'restyle.log', {
    path: options.dir,
    size: '5M',
    maxFiles: 5,
  });
  const threshold = ORDER[options.level ?? 'info'];
  const secrets = new Set<string>();

  const write = (level: LogLevel, message: string, fields?: LogFields) => {
    if (ORDER[level] < threshold) return;
    const line = redact(
      JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }, errorReplacer),
      secrets,
    );
    stream.write(line + '\n');
    if (options.echo) process.stderr.write(line + '\n');
  };

  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    addSecret: (secret) => void secrets.add(secret),
    close: () => new Promise((resolve) => stream.end(resolve)),
  };
}

/** A logger that drops everything (tests of units that need one). */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  addSecret: () => {},
  close: async () => {},
};

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error)
    return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

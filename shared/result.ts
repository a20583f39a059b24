/** Problems of this computer (not of the account): the CLI exits with EXIT.local, the engine pauses. */
const LOCAL_CODES = [
  // the library folder's disk, or the folder itself; params.path names it
  'disk_full',
  'library_missing',
  'folder_read_only',
  'folder_not_writable',
  // the queue file (<data>/queue.sqlite); params.file names it
  'queue_read_only',
  'queue_disk_full',
  'queue_unopenable',
  'queue_damaged',
] as const;

/**
 * Results cross every boundary (IPC, bridge, CLI) instead of exceptions.
 * `code` is stable and translated by the UI (`errors.<code>` in the locale files);
 * `message` is an English fallback for logs; `params` fill the translated text.
 */
export const ERROR_CODES = [
  // contract
  'invalid_payload',
  'unknown_channel',
  'forbidden_sender',
  'internal',
  'not_found',
  /** The dev bridge has no OS chooser: the page's own folder browser chooses. */
  'choose_in_window',
  // settings and key
  'key_missing',
  'key_format',
  'secure_storage_unavailable',
  'invalid_endpoint',
  /** The user did not confirm sending the key to a new server (a dialog owned by main). */
  'endpoint_not_confirmed',
  /** The endpoint answered, but not as DashScope does (a web page, a redirect, a 404): a wrong address. */
  'endpoint_not_dashscope',
  'invalid_folder',
  // DashScope (see docs/dashscope-api.md)
  'api_key_invalid',
  'api_access_denied',
  'api_arrearage',
  'api_quota_exhausted',
  'api_throttled',
  'api_invalid_input',
  'api_content_rejected',
  'api_server_error',
  'api_timeout',
  'api_task_expired',
  'api_task_failed',
  'network_offline',
  // files
  'file_unreadable',
  /** A library result whose file is gone from the folder (moved or deleted outside Restyle); params.path. */
  'file_missing',
  ...LOCAL_CODES,
  // another Restyle (params.pid) holds this data folder's queue; this one waits
  'queue_in_use',
  /** A batch being written was dropped as left by a crash (its process stopped too long): nothing of it was queued. */
  'batch_abandoned',
  'budget_exceeded',
  // asked of the OS shell for something outside the app's own places
  'forbidden_path',
  'forbidden_url',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** LOCAL_CODES, for lookups. */
export const LOCAL_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(LOCAL_CODES);

/**
 * Problems of the account (not of one job, nor of this computer): the engine
 * pauses the whole queue until the user acts, and the CLI exits with
 * EXIT.accountPaused.
 */
export const ACCOUNT_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'key_missing',
  'api_key_invalid',
  'api_access_denied',
  'api_arrearage',
  'api_quota_exhausted',
]);

/** The account problems a new key can fix: a queue paused by one resumes when the user gives a key. */
export const KEY_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'key_missing',
  'api_key_invalid',
  'api_access_denied',
]);

/** Whether a code read back as text (a pause reason, a key check's code) is one of `codes`. */
export const isCodeIn = (
  codes: ReadonlySet<ErrorCode>,
  code: string | null | undefined,
): code is ErrorCode => code != null && (codes as ReadonlySet<string>).has(code);

export interface AppError {
  code: ErrorCode;
  message: string;
  params?: Record<string, string | number>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = <T = never>(
  code: ErrorCode,
  message: string,
  params?: Record<string, string | number>,
): Result<T> => ({ ok: false, error: params ? { code, message, params } : { code, message } });

/** An error carrying a stable code; thrown inside a process, turned into a Result at its edge. */
export class RestyleError extends Error {
  override readonly name: string = 'RestyleError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
  }

  toAppError(): AppError {
    return this.params
      ? { code: this.code, message: this.message, params: this.params }
      : { code: this.code, message: this.message };
  }
}

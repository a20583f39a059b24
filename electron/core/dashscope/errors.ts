import type { KeyCheckOutcome } from '../../../shared/contract/settings';
import { KEY_ERROR_CODES, RestyleError, type ErrorCode } from '../../../shared/result';

/**
 * What a failure means for the queue:
 * `job` fails (or retries) one photo, `account` pauses the whole queue until
 * the user acts, `network` holds the queue as offline until the network returns.
 */
export type ErrorScope = 'job' | 'account' | 'network';

export interface DashScopeErrorInit {
  code: ErrorCode;
  message: string;
  /** DashScope's own code (`InvalidApiKey`, `Throttling.RateQuota`…), or the socket error code. */
  apiCode?: string | null;
  httpStatus?: number | null;
  requestId?: string | null;
  retryable: boolean;
  scope: ErrorScope;
  /**
   * Submits only: the request may have reached the service, so a task may
   * exist (and be billed). Reconcile against the task list before resubmitting.
   */
  outcomeUnknown?: boolean;
  /** From a `Retry-After` header, when the service sent one. */
  retryAfterMs?: number | null;
}

/** Every failure of the DashScope client. Messages never carry the key or image data. */
export class DashScopeError extends RestyleError {
  override readonly name = 'DashScopeError';
  readonly apiCode: string | null;
  readonly httpStatus: number | null;
  readonly requestId: string | null;
  readonly retryable: boolean;
  readonly scope: ErrorScope;
  readonly outcomeUnknown: boolean;
  readonly retryAfterMs: number | null;

  constructor(init: DashScopeErrorInit) {
    super(
      init.code,
      init.message,
      init.apiCode ? { detail: init.message, apiCode: init.apiCode } : undefined,
    );
    this.apiCode = init.apiCode ?? null;
    this.httpStatus = init.httpStatus ?? null;
    this.requestId = init.requestId ?? null;
    this.retryable = init.retryable;
    this.scope = init.scope;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.retryAfterMs = init.retryAfterMs ?? null;
  }
}

export interface ErrorClass {
  code: ErrorCode;
  retryable: boolean;
  scope: ErrorScope;
}

const job = (code: ErrorCode, retryable = false): ErrorClass => ({ code, retryable, scope: 'job' });
const account = (code: ErrorCode): ErrorClass => ({ code, retryable: false, scope: 'account' });

/**
 * The error table of docs/dashscope-api.md, row by row, keyed by DashScope's code.
 * Throttling is `job`-scoped and retryable: the scheduler backs off the whole
 * model's budget on `api_throttled`, but nothing needs the user.
 */
export const API_CODE_TABLE: Readonly<Record<string, ErrorClass>> = {
  InvalidParameter: job('api_invalid_input'),
  InvalidURL: job('api_invalid_input'),
  InvalidImageResolution: job('api_invalid_input'),
  InvalidImageFormat: job('api_invalid_input'),
  DataInspectionFailed: job('api_content_rejected'),
  Arrearage: account('api_arrearage'),
  InvalidApiKey: account('api_key_invalid'),
  AccessDenied: account('api_access_denied'),
  'Model.AccessDenied': account('api_access_denied'),
  RequestTimeOut: job('api_timeout', true),
  Throttling: job('api_throttled', true),
  'Throttling.RateQuota': job('api_throttled', true),
  'Throttling.AllocationQuota': account('api_quota_exhausted'),
  InternalError: job('api_server_error', true),
  SystemError: job('api_server_error', true),
  ModelUnavailable: job('api_server_error', true),
};

/** Classifies an HTTP error answer: by DashScope code first, by HTTP status otherwise. */
export function classifyHttpError(httpStatus: number, apiCode: string | null): ErrorClass {
  const known = apiCode ? API_CODE_TABLE[apiCode] : undefined;
  if (known) return known;
  if (apiCode?.startsWith('InvalidImage')) return job('api_invalid_input');
  if (apiCode?.startsWith('Throttling')) return job('api_throttled', true);
  if (httpStatus === 401) return account('api_key_invalid');
  if (httpStatus === 403) return account('api_access_denied');
  if (httpStatus === 408) return job('api_timeout', true);
  if (httpStatus === 429) return job('api_throttled', true);
  if (httpStatus >= 500) return job('api_server_error', true);
  return job('api_invalid_input');
}

/**
 * Classifies the `output.code` of a FAILED task. Codes of the table keep their
 * meaning (`InternalError` may be retried as a new task, `DataInspectionFailed`
 * may not); anything else is a non-retryable `api_task_failed`.
 */
export function classifyTaskFailure(apiCode: string | null): ErrorClass {
  const known = apiCode ? API_CODE_TABLE[apiCode] : undefined;
  if (known) return known;
  if (apiCode?.startsWith('InvalidImage')) return job('api_invalid_input');
  return job('api_task_failed');
}

/** A FAILED task as a typed error (never outcome-unknown: the task exists and ended). */
export function taskFailureError(
  apiCode: string | null,
  message: string | null,
  requestId: string | null,
): DashScopeError {
  const kind = classifyTaskFailure(apiCode);
  return new DashScopeError({
    ...kind,
    message: `task failed: ${apiCode ?? 'no code'}${message ? `: ${message}` : ''}`,
    apiCode,
    requestId,
  });
}

/**
 * Whether an HTTP answer to the key check was not DashScope's (a wrong
 * address): a success whose body is not DashScope's JSON (a web page), a
 * redirect, a refusal without DashScope's error body (`{"code",…}`: a web
 * server's 404, a proxy's own login), or any 404 (DashScope answers a task id
 * it does not know with 200 and UNKNOWN, so a 404 means the path is wrong). A
 * timeout (408) or server error (5xx) is no usable answer, not a wrong one.
 */
function notDashScopeAnswer(error: DashScopeError): boolean {
  const status = error.httpStatus;
  if (status === null || status >= 500 || status === 408) return false;
  // Only a body the task schema refused makes a 2xx answer an error.
  return status < 400 || status === 404 || error.apiCode === null;
}

/**
 * What a failed key check means. Only a refusal of the key itself (401/403
 * from DashScope: invalid, or not allowed these models) is `rejected`; no
 * usable answer (network, DNS, TLS, timeout, 5xx) is `unreachable`, and an
 * answer that is not DashScope's is `not_dashscope`: both say nothing about
 * the key. Any other refusal by DashScope (a 400 for the made-up task id,
 * throttling) came past authentication, so the key is `valid`.
 */
export function keyCheckOutcome(error: DashScopeError): KeyCheckOutcome {
  if (error.code === 'key_missing') return 'missing';
  if (notDashScopeAnswer(error)) return 'not_dashscope';
  if (KEY_ERROR_CODES.has(error.code)) return 'rejected';
  if (error.scope === 'account') return 'account';
  if (
    error.scope === 'network' ||
    error.code === 'api_timeout' ||
    error.code === 'api_server_error'
  ) {
    return 'unreachable';
  }
  return 'valid';
}

/**
 * The key check's detail: the status of an HTTP answer (`HTTP 503`,
 * `HTTP 404`), else the socket error (ENOTFOUND, ECONNREFUSED, a TLS code).
 */
export function keyCheckDetail(error: DashScopeError): string {
  if (error.httpStatus !== null) return `HTTP ${error.httpStatus}`;
  return error.apiCode ?? error.code;
}

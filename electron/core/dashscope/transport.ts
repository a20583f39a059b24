import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { z } from 'zod';
import { DashScopeError, classifyHttpError } from './errors';
import { errorBodySchema } from './schemas';

export interface TransportOptions {
  /** The base URL in force, including `/api/v1`; read on every call so Settings changes apply at once. */
  baseUrl: () => string;
  /** The key in force; null when none is set. */
  apiKey: () => string | null;
  /** Sent as `X-DashScope-WorkSpace` when not empty. */
  workspaceId: () => string;
  /** Per-request timeout of API calls. @default 30000 */
  timeoutMs?: number;
  /** An axios instance (tests inject one with an adapter or special agent). @default a fresh instance */
  http?: AxiosInstance;
}

export interface ApiCall {
  method: 'GET' | 'POST';
  /** Relative to the base URL, starting with `/`. */
  path: string;
  query?: Record<string, string | number>;
  body?: unknown;
  /** A submit: sends `X-DashScope-Async: enable` and marks unclear outcomes as unknown. */
  submit?: boolean;
}

export interface ApiAnswer<T> {
  data: T;
  status: number;
  requestId: string | null;
}

/** Connection errors where the request never reached the service. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
]);
const TIMEOUTS = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/** Keeps service messages short and free of keys and image data, whatever the service echoes. */
export function sanitiseMessage(message: string, key?: string | null): string {
  let text = message.replace(/data:[^\s"',;]*;base64,[A-Za-z0-9+/=]*/g, 'data:…');
  text = text.replace(/sk-[A-Za-z0-9_-]{4,}/g, 'sk-…');
  if (key && key.length >= 4) text = text.split(key).join('…');
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function retryAfterMs(value: unknown): number | null {
  if (typeof value !== 'string' || value === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** Any failure to get an HTTP answer, as a typed error. */
export function connectionError(error: unknown, submit: boolean): DashScopeError {
  const raw = error as { code?: unknown; cause?: { code?: unknown }; message?: unknown };
  const code =
    (typeof raw.cause?.code === 'string' && raw.cause.code) ||
    (typeof raw.code === 'string' && raw.code) ||
    'ERR_NETWORK';
  if (TIMEOUTS.has(code)) {
    return new DashScopeError({
      code: 'api_timeout',
      message: 'DashScope did not answer in time',
      apiCode: code,
      retryable: true,
      scope: 'job',
      outcomeUnknown: submit,
    });
  }
  return new DashScopeError({
    code: 'network_offline',
    message: `no connection to DashScope (${code})`,
    apiCode: code,
    retryable: true,
    scope: 'network',
    outcomeUnknown: submit && !NOT_SENT.has(code),
  });
}

export interface Transport {
  call<S extends z.ZodType>(call: ApiCall, schema: S): Promise<ApiAnswer<z.infer<S>>>;
  /** The shared axios instance (downloads use it without the key). */
  http: AxiosInstance;
  timeoutMs: number;
}

export function createTransport(options: TransportOptions): Transport {
  const http = options.http ?? axios.create();
  const timeoutMs = options.timeoutMs ?? 30_000;

  const httpError = (
    response: AxiosResponse<string>,
    submit: boolean,
    key: string,
  ): DashScopeError => {
    let parsed: z.infer<typeof errorBodySchema> = {};
    try {
      const result = errorBodySchema.safeParse(JSON.parse(response.data));
      if (result.success) parsed = result.data;
    } catch {
      // Not JSON (a gateway's HTML page): classified by status alone.
    }
    const apiCode = parsed.code ?? null;
    const kind = classifyHttpError(response.status, apiCode);
    return new DashScopeError({
      ...kind,
      message: sanitiseMessage(
        `HTTP ${response.status} ${apiCode ?? ''}: ${parsed.message ?? ''}`.trim(),
        key,
      ),
      apiCode,
      httpStatus: response.status,
      requestId: parsed.request_id ?? null,
      outcomeUnknown: submit && (response.status === 408 || response.status >= 500),
      retryAfterMs: retryAfterMs(response.headers['retry-after']),
    });
  };

  async function call<S extends z.ZodType>(
    spec: ApiCall,
    schema: S,
  ): Promise<ApiAnswer<z.infer<S>>> {
    const key = options.apiKey();
    if (!key) {
      throw new DashScopeError({
        code: 'key_missing',
        message: 'no API key',
        retryable: false,
        scope: 'account',
      });
    }
    const submit = spec.submit ?? false;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${key}`,
      'Content-Type': 'application/json',
      Accept: 'application/json',
    };
    if (submit) headers['X-DashScope-Async'] = 'enable';
    const workspace = options.workspaceId().trim();
    if (workspace) headers['X-DashScope-WorkSpace'] = workspace;

    let response: AxiosResponse<string>;
    try {
      response = await http.request<string>({
        method: spec.method,
        url: `${options.baseUrl().replace(/\/+$/, '')}${spec.path}`,
        params: spec.query,
        data: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        headers,
        timeout: timeoutMs,
        responseType: 'text',
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
        maxRedirects: 0,
        maxContentLength: 5 * 1024 * 1024,
      });
    } catch (error) {
      throw connectionError(error, submit);
    }
    if (response.status < 200 || response.status >= 300) throw httpError(response, submit, key);

    let json: unknown;
    try {
      json = JSON.parse(typeof response.data === 'string' ? response.data : '');
    } catch {
      json = undefined;
    }
    const result = schema.safeParse(json);
    if (!result.success) {
      // A garbled answer is the service's fault: retry, and after a submit, reconcile first.
      throw new DashScopeError({
        code: 'api_server_error',
        message: `malformed answer from DashScope (HTTP ${response.status})`,
        apiCode: 'MalformedResponse',
        httpStatus: response.status,
        retryable: true,
        scope: 'job',
        outcomeUnknown: submit,
      });
    }
    const data = result.data as { request_id?: string | null };
    return { data: result.data, status: response.status, requestId: data?.request_id ?? null };
  }

  return { call, http, timeoutMs };
}

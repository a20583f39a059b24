import type { ModelId } from '../../../shared/models';
import { parseBeijingTime } from './beijing-time';
import { taskFailureError, type DashScopeError } from './errors';
import type { ListedTaskAnswer, TaskAnswer } from './schemas';

export const TASK_STATUSES = [
  'PENDING',
  'RUNNING',
  'SUSPENDED',
  'SUCCEEDED',
  'FAILED',
  'UNKNOWN',
  'CANCELED',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Statuses after which a task never changes again. */
export const FINAL_STATUSES: ReadonlySet<TaskStatus> = new Set([
  'SUCCEEDED',
  'FAILED',
  'UNKNOWN',
  'CANCELED',
]);

/** An unrecognised status is read as UNKNOWN rather than trusted. */
export function toTaskStatus(value: string | null | undefined): TaskStatus {
  const upper = (value ?? '').toUpperCase();
  if (upper === 'CANCELLED') return 'CANCELED';
  return (TASK_STATUSES as readonly string[]).includes(upper) ? (upper as TaskStatus) : 'UNKNOWN';
}

export interface TaskFailure {
  /** DashScope's `output.code` (e.g. `DataInspectionFailed`), null when it sent none. */
  apiCode: string | null;
  message: string | null;
  /** The failure classified by the error table (retryable as a new task or not, scope). */
  error: DashScopeError;
}

/** One task as the queue sees it, whatever the model. */
export interface DashScopeTask {
  taskId: string;
  status: TaskStatus;
  /** Every result URL, from `output.results[].url` and `output.result_url`, without duplicates. */
  resultUrls: string[];
  /** `usage.image_count`: images billed; null when the answer had none. */
  imageCount: number | null;
  /** Set when status is FAILED. */
  failure: TaskFailure | null;
  submitTime: Date | null;
  scheduledTime: Date | null;
  endTime: Date | null;
  requestId: string | null;
}

export function normaliseTask(answer: TaskAnswer, fallbackTaskId: string): DashScopeTask {
  const out = answer.output;
  const status = toTaskStatus(out.task_status);
  const urls = new Set<string>();
  for (const result of out.results ?? []) if (result.url) urls.add(result.url);
  if (out.result_url) urls.add(out.result_url);
  const requestId = answer.request_id ?? null;
  const apiCode = out.code ?? null;
  const message = out.message ?? null;
  return {
    taskId: out.task_id || fallbackTaskId,
    status,
    resultUrls: [...urls],
    imageCount: answer.usage?.image_count ?? null,
    failure:
      status === 'FAILED'
        ? { apiCode, message, error: taskFailureError(apiCode, message, requestId) }
        : null,
    submitTime: parseBeijingTime(out.submit_time),
    scheduledTime: parseBeijingTime(out.scheduled_time),
    endTime: parseBeijingTime(out.end_time),
    requestId,
  };
}

/** One row of the task list. */
export interface ListedTask {
  taskId: string;
  status: TaskStatus;
  /** The model name as the service spells it (a ModelId for ours). */
  model: ModelId | string | null;
  /** When the service recorded the task (`gmt_create`, else `submit_time`/`start_time`). */
  submitTime: Date | null;
  endTime: Date | null;
  requestId: string | null;
}

export function normaliseListedTask(row: ListedTaskAnswer): ListedTask {
  return {
    taskId: row.task_id,
    status: toTaskStatus(row.status ?? row.task_status),
    model: row.model_name ?? null,
    submitTime:
      parseBeijingTime(row.gmt_create) ??
      parseBeijingTime(row.submit_time) ??
      parseBeijingTime(row.start_time),
    endTime: parseBeijingTime(row.end_time),
    requestId: row.request_id ?? null,
  };
}

import type { KeyCheck } from '../../../shared/contract/settings';
import { MODELS, type ModelId } from '../../../shared/models';
import { formatBeijingCompact } from './beijing-time';
import {
  downloadResult,
  type DownloadOptions,
  type DownloadResult,
  type DownloadTarget,
} from './download';
import { DashScopeError, keyCheckDetail, keyCheckOutcome } from './errors';
import { hostOf } from '../settings/endpoint-consent';
import {
  imageEditBody,
  styleRepaintBody,
  type ImageEditRequest,
  type StyleRepaintRequest,
  type SubmitBody,
} from './requests';
import {
  cancelAnswerSchema,
  listAnswerSchema,
  submitAnswerSchema,
  taskAnswerSchema,
} from './schemas';
import {
  normaliseListedTask,
  normaliseTask,
  toTaskStatus,
  type DashScopeTask,
  type ListedTask,
  type TaskStatus,
} from './task';
import { createTransport, type TransportOptions } from './transport';

/** See TransportOptions: base URL, key and workspace getters, timeout, injectable axios instance. */
export type DashScopeClientOptions = TransportOptions;

export interface SubmitResult {
  taskId: string;
  requestId: string | null;
  status: TaskStatus;
  model: ModelId;
}

export interface ListTasksQuery {
  /** Window start; sent as Beijing time (UTC+8), `YYYYMMDDhhmmss`. */
  startTime: Date;
  endTime: Date;
  modelName?: ModelId | string;
  status?: TaskStatus;
  /** @default 1 */
  pageNo?: number;
  /** @default 10 (the service's default; it may cap larger pages) */
  pageSize?: number;
}

export interface TaskPage {
  tasks: ListedTask[];
  pageNo: number;
  pageSize: number;
  total: number | null;
  totalPages: number | null;
  requestId: string | null;
}

export interface ListAllOptions {
  /** Widens the window on both sides, against clock skew between this machine and the service. @default 120000 */
  padMs?: number;
  /** Stops after this many pages (a safety net, not a limit one expects to meet). @default 50 */
  maxPages?: number;
  /** @default 100 */
  pageSize?: number;
}

export interface DashScopeClient {
  /**
   * The API base URL calls go to now (the user's choice of region or proxy): what the
   * queue learns of a service's limits (whether it queues a second task) is kept per endpoint.
   */
  endpoint(): string;
  submitStyleRepaint(request: StyleRepaintRequest): Promise<SubmitResult>;
  submitImageEdit(request: ImageEditRequest): Promise<SubmitResult>;
  /** A task's state. UNKNOWN means it does not exist or is older than 24 h. */
  getTask(taskId: string): Promise<DashScopeTask>;
  /** One page of the task list. */
  listTasks(query: ListTasksQuery): Promise<TaskPage>;
  /** Every task of a window (padded, see ListAllOptions), paging through all pages; ids unique. */
  listAllTasks(
    query: Omit<ListTasksQuery, 'pageNo' | 'pageSize'>,
    options?: ListAllOptions,
  ): Promise<ListedTask[]>;
  /** Cancels a PENDING task; anything else is refused by the service (a job-scoped DashScopeError). */
  cancelTask(taskId: string): Promise<{ requestId: string | null }>;
  download(url: string, target: DownloadTarget, options?: DownloadOptions): Promise<DownloadResult>;
  /** A free authenticated call that creates nothing: queries a task id that cannot exist. */
  checkKey(): Promise<KeyCheck>;
}

/** A well-formed task id that no task has. */
const NO_SUCH_TASK = '00000000-0000-0000-0000-000000000000';

const taskPath = (taskId: string): string => {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(taskId)) {
    throw new DashScopeError({
      code: 'api_invalid_input',
      message: 'malformed task id',
      retryable: false,
      scope: 'job',
    });
  }
  return `/tasks/${taskId}`;
};

export function createDashScopeClient(options: DashScopeClientOptions): DashScopeClient {
  const transport = createTransport(options);

  async function submit(model: ModelId, body: SubmitBody): Promise<SubmitResult> {
    const answer = await transport.call(
      { method: 'POST', path: MODELS[model].submitPath, body, submit: true },
      submitAnswerSchema,
    );
    return {
      taskId: answer.data.output.task_id,
      requestId: answer.requestId,
      status: toTaskStatus(answer.data.output.task_status),
      model,
    };
  }

  async function listTasks(query: ListTasksQuery): Promise<TaskPage> {
    const params: Record<string, string | number> = {
      start_time: formatBeijingCompact(query.startTime),
      end_time: formatBeijingCompact(query.endTime),
      page_no: query.pageNo ?? 1,
      page_size: query.pageSize ?? 10,
    };
    if (query.modelName) params.model_name = query.modelName;
    if (query.status) params.status = query.status;
    const answer = await transport.call(
      { method: 'GET', path: '/tasks', query: params },
      listAnswerSchema,
    );
    const data = answer.data;
    return {
      tasks: (data.data ?? []).map(normaliseListedTask),
      pageNo: data.page_no ?? (params.page_no as number),
      pageSize: data.page_size ?? (params.page_size as number),
      total: data.total ?? null,
      totalPages: data.total_page ?? null,
      requestId: answer.requestId,
    };
  }

  return {
    endpoint: () => options.baseUrl(),
    submitStyleRepaint: async (request) =>
      submit('wanx-style-repaint-v1', styleRepaintBody(request)),
    submitImageEdit: async (request) => submit('wanx2.1-imageedit', imageEditBody(request)),

    async getTask(taskId) {
      const answer = await transport.call(
        { method: 'GET', path: taskPath(taskId) },
        taskAnswerSchema,
      );
      return normaliseTask(answer.data, taskId);
    },

    listTasks,

    async listAllTasks(query, listOptions = {}) {
      const padMs = listOptions.padMs ?? 120_000;
      const maxPages = listOptions.maxPages ?? 50;
      const pageSize = listOptions.pageSize ?? 100;
      const seen = new Map<string, ListedTask>();
      for (let pageNo = 1; pageNo <= maxPages; pageNo += 1) {
        const page = await listTasks({
          ...query,
          startTime: new Date(query.startTime.getTime() - padMs),
          endTime: new Date(query.endTime.getTime() + padMs),
          pageNo,
          pageSize,
        });
        for (const task of page.tasks) seen.set(task.taskId, task);
        const lastPage =
          page.totalPages !== null ? pageNo >= page.totalPages : page.tasks.length < pageSize;
        if (lastPage || page.tasks.length === 0) break;
      }
      return [...seen.values()];
    },

    async cancelTask(taskId) {
      const answer = await transport.call(
        { method: 'POST', path: `${taskPath(taskId)}/cancel` },
        cancelAnswerSchema,
      );
      return { requestId: answer.requestId };
    },

    download: (url, target, downloadOptions) =>
      downloadResult(transport.http, url, target, downloadOptions),

    async checkKey() {
      const endpoint = options.baseUrl();
      const host = hostOf(endpoint);
      try {
        await transport.call({ method: 'GET', path: `/tasks/${NO_SUCH_TASK}` }, taskAnswerSchema);
        return { valid: true, outcome: 'valid', endpoint, host };
      } catch (error) {
        if (!(error instanceof DashScopeError)) throw error;
        const outcome = keyCheckOutcome(error);
        if (outcome === 'valid') return { valid: true, outcome, endpoint, host };
        const wrongAddress = outcome === 'not_dashscope';
        return {
          valid: false,
          outcome,
          code: wrongAddress ? 'endpoint_not_dashscope' : error.code,
          endpoint,
          host,
          ...(wrongAddress || outcome === 'unreachable' ? { detail: keyCheckDetail(error) } : {}),
        };
      }
    },
  };
}

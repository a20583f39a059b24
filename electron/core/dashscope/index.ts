/** The DashScope client: plain Node, no Electron. See docs/dashscope-api.md. */
export { createDashScopeClient } from './client';
export type {
  DashScopeClient,
  DashScopeClientOptions,
  ListAllOptions,
  ListTasksQuery,
  SubmitResult,
  TaskPage,
} from './client';
export {
  DashScopeError,
  API_CODE_TABLE,
  classifyHttpError,
  classifyTaskFailure,
  taskFailureError,
} from './errors';
export type { DashScopeErrorInit, ErrorClass, ErrorScope } from './errors';
export type { ImageEditRequest, StyleRepaintRequest } from './requests';
export { FINAL_STATUSES, TASK_STATUSES } from './task';
export type { DashScopeTask, ListedTask, TaskFailure, TaskStatus } from './task';
export type { DownloadOptions, DownloadResult, DownloadTarget } from './download';
export { SDK_POLLING, RUNNING_POLLING, pollDelayMs, pollTimesMs, backoffDelayMs } from './schedule';
export type { BackoffOptions, PollScheduleOptions } from './schedule';
export { formatBeijingCompact, formatBeijingTimestamp, parseBeijingTime } from './beijing-time';

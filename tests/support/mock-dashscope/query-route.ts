import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  beijingTimestamp,
  dropConnection,
  parseCompactBeijing,
  sendError,
  sendJson,
  sendMalformed,
  throttled,
  type MockContext,
} from './context';
import { Faults } from './faults';
import type { MockTask, QueryRecord } from './types';

const resultUrls = (ctx: MockContext, task: MockTask): string[] => {
  const ext = ctx.config.resultFormat === 'png' ? 'png' : 'jpg';
  const expires = (task.endedAt as number) + (ctx.faults.resultUrlTtlMs ?? ctx.config.resultTtlMs);
  return Array.from(
    { length: task.images },
    (_, i) =>
      `${ctx.origin()}/results/${task.taskId}/${i}.${ext}?Expires=${expires}&OSSAccessKeyId=mock&Signature=mock`,
  );
};

function taskBody(
  ctx: MockContext,
  task: MockTask | undefined,
  taskId: string,
  now: number,
): unknown {
  const requestId = crypto.randomUUID();
  const expired = task && now - (task.endedAt ?? task.submittedAt) > ctx.config.taskTtlMs;
  if (!task || expired)
    return { request_id: requestId, output: { task_id: taskId, task_status: 'UNKNOWN' } };
  const output: Record<string, unknown> = {
    task_id: task.taskId,
    task_status: task.status,
    submit_time: beijingTimestamp(task.submittedAt),
  };
  if (task.startedAt !== null) output.scheduled_time = beijingTimestamp(task.startedAt);
  if (task.endedAt !== null) output.end_time = beijingTimestamp(task.endedAt);
  if (task.status === 'SUCCEEDED') {
    const urls = resultUrls(ctx, task);
    output.results = urls.map((url) => ({ url }));
    if (task.model === 'wanx-style-repaint-v1') output.result_url = urls[0];
    output.task_metrics = { TOTAL: task.images, SUCCEEDED: task.images, FAILED: 0 };
    return { request_id: requestId, output, usage: { image_count: task.images } };
  }
  if (task.status === 'FAILED' && task.failWith) {
    output.code = task.failWith.code;
    output.message = task.failWith.message;
  }
  return { request_id: requestId, output };
}

function listBody(ctx: MockContext, url: URL): { status: number; body: unknown } {
  const params = url.searchParams;
  const start = parseCompactBeijing(params.get('start_time'));
  const end = parseCompactBeijing(params.get('end_time'));
  if ((params.has('start_time') && start === null) || (params.has('end_time') && end === null)) {
    return {
      status: 400,
      body: { code: 'InvalidParameter', message: 'start_time/end_time must be YYYYMMDDhhmmss' },
    };
  }
  const pageNo = Math.max(1, Number(params.get('page_no') ?? 1) || 1);
  const pageSize = Math.min(100, Math.max(1, Number(params.get('page_size') ?? 10) || 10));
  const model = params.get('model_name');
  const status = params.get('status');
  const matching = ctx.store
    .all()
    .filter((task) => start === null || task.submittedAt >= start)
    // end_time has one-second resolution: the whole last second is inside.
    .filter((task) => end === null || task.submittedAt < end + 1000)
    .filter((task) => !model || task.model === model)
    .filter((task) => !status || task.status === status)
    .sort((a, b) => b.submittedAt - a.submittedAt);
  const data = matching.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((task) => ({
    task_id: task.taskId,
    status: task.status,
    model_name: task.model,
    request_id: task.requestId,
    gmt_create: task.submittedAt,
    start_time: task.startedAt,
    end_time: task.endedAt,
  }));
  return {
    status: 200,
    body: {
      request_id: crypto.randomUUID(),
      data,
      total: matching.length,
      total_page: Math.ceil(matching.length / pageSize),
      page_no: pageNo,
      page_size: pageSize,
    },
  };
}

/** `GET /tasks/{id}`, `GET /tasks`, `POST /tasks/{id}/cancel`. */
export function handleQuery(
  ctx: MockContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  kind: QueryRecord['kind'],
  taskId: string | null,
): void {
  const now = ctx.now();
  const workspace =
    typeof req.headers['x-dashscope-workspace'] === 'string'
      ? req.headers['x-dashscope-workspace']
      : null;
  const record = ctx.recorder.query({
    at: now,
    kind,
    taskId,
    httpStatus: null,
    workspace,
    query: url.search,
  });
  const answer = (status: number, body: unknown) => {
    record.httpStatus = status;
    sendJson(res, status, body);
  };
  const error = (status: number, code: string, message: string) => {
    record.httpStatus = status;
    sendError(res, status, code, message);
  };

  if (ctx.faults.dropQueries > 0) {
    ctx.faults.dropQueries -= 1;
    return dropConnection(req);
  }
  const failure = Faults.take(ctx.faults.failQueries);
  if (failure) return error(failure.status, failure.code, failure.message ?? failure.code);
  const bearer = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
  if (!ctx.apiKeys.has(bearer)) return error(401, 'InvalidApiKey', 'Invalid API-key provided.');
  if (ctx.queryWindow.count(now) >= ctx.config.queriesPerSecond)
    return error(...throttled('Throttling.RateQuota'));
  ctx.queryWindow.add(now);
  if (ctx.faults.takeMalformed('query')) {
    record.httpStatus = 200;
    return sendMalformed(res);
  }
  ctx.store.advance(now);

  if (kind === 'list') {
    const { status, body } = listBody(ctx, url);
    return answer(status, body);
  }
  const id = taskId ?? '';
  if (kind === 'cancel') {
    const outcome = ctx.store.cancel(id, now);
    if (outcome === 'canceled') return answer(200, { request_id: crypto.randomUUID() });
    if (outcome === 'missing') return error(404, 'NotFound', 'Task not found.');
    return error(
      400,
      'UnsupportedOperation',
      'Failed to cancel the task, please confirm if the task is in PENDING status.',
    );
  }
  return answer(200, taskBody(ctx, ctx.store.get(id), id, now));
}

const EXPIRED_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>AccessDenied</Code>\n' +
  '  <Message>Request has expired.</Message>\n  <HostId>mock-oss</HostId>\n</Error>\n';

/** `GET /results/{taskId}/{i}.jpg?Expires=…`: the signed storage URL of a result. */
export async function handleResult(
  ctx: MockContext,
  res: ServerResponse,
  url: URL,
  taskId: string,
): Promise<void> {
  const now = ctx.now();
  const task = ctx.store.get(taskId);
  const expires = Number(url.searchParams.get('Expires'));
  const live =
    task?.status === 'SUCCEEDED' &&
    now <= (task.endedAt as number) + (ctx.faults.resultUrlTtlMs ?? ctx.config.resultTtlMs) &&
    Number.isFinite(expires);
  if (!live) {
    ctx.recorder.download({ at: now, taskId, httpStatus: 403 });
    res.writeHead(403, { 'Content-Type': 'application/xml' });
    res.end(EXPIRED_XML);
    return;
  }
  const image = await ctx.resultImage();
  ctx.recorder.download({ at: now, taskId, httpStatus: 200 });
  res.writeHead(200, {
    'Content-Type': ctx.config.resultFormat === 'png' ? 'image/png' : 'image/jpeg',
    'Content-Length': image.length,
  });
  res.end(image);
}

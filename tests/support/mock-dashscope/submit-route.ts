import type { IncomingMessage, ServerResponse } from 'node:http';
import { IMAGEEDIT_FUNCTIONS, MODELS, type ModelId } from '../../../shared/models';
import {
  dropConnection,
  sendError,
  sendJson,
  sendMalformed,
  throttled,
  type MockContext,
} from './context';
import { Faults } from './faults';
import { checkImageRef, hashImageRef } from './images';
import type { SubmitRecord } from './types';

type Problem = { status: number; code: string; message: string };
const invalid = (message: string): Problem => ({ status: 400, code: 'InvalidParameter', message });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const inRange = (value: unknown, min: number, max: number, integer: boolean): boolean =>
  value === undefined ||
  (typeof value === 'number' &&
    value >= min &&
    value <= max &&
    (!integer || Number.isInteger(value)));

/** Checks a submit body as the service does; returns the image reference and the image count. */
async function checkBody(
  ctx: MockContext,
  model: ModelId,
  body: Record<string, unknown>,
): Promise<Problem | { imageRef: string; images: number }> {
  const input = body.input;
  if (!isRecord(input)) return invalid('input is required');
  if (model === 'wanx-style-repaint-v1') {
    const index = input.style_index;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < -1 || index > 9) {
      return invalid('style_index must be an integer from -1 to 9');
    }
    if ((index === -1) !== (input.style_ref_url !== undefined)) {
      return invalid('style_ref_url goes with style_index -1, and only with it');
    }
    for (const field of ['image_url', 'style_ref_url'] as const) {
      if (field === 'style_ref_url' && input[field] === undefined) continue;
      const problem = await checkImageRef(input[field], model, ctx.config.validateImages);
      if (problem) return { status: 400, ...problem };
    }
    return { imageRef: input.image_url as string, images: 1 };
  }
  const fn = input.function;
  if (typeof fn !== 'string' || !(IMAGEEDIT_FUNCTIONS as readonly string[]).includes(fn))
    return invalid('unknown function');
  if (typeof input.prompt !== 'string' || input.prompt.trim() === '')
    return invalid('prompt is required');
  if (input.mask_image_url !== undefined) {
    if (fn !== 'description_edit_with_mask')
      return invalid('mask_image_url is only for description_edit_with_mask');
    if (typeof input.mask_image_url !== 'string' || !/^https?:\/\//.test(input.mask_image_url)) {
      return { status: 400, code: 'InvalidURL', message: 'mask_image_url must be a URL' };
    }
  } else if (fn === 'description_edit_with_mask') return invalid('mask_image_url is required');
  const params = isRecord(body.parameters) ? body.parameters : {};
  if (!inRange(params.n, 1, 4, true)) return invalid('n must be 1-4');
  if (!inRange(params.seed, 0, 2_147_483_647, true)) return invalid('seed out of range');
  if (!inRange(params.upscale_factor, 1, 4, true)) return invalid('upscale_factor must be 1-4');
  for (const scale of ['top_scale', 'bottom_scale', 'left_scale', 'right_scale']) {
    if (!inRange(params[scale], 1, 2, false)) return invalid(`${scale} must be 1.0-2.0`);
  }
  const problem = await checkImageRef(input.base_image_url, model, ctx.config.validateImages);
  if (problem) return { status: 400, ...problem };
  return {
    imageRef: input.base_image_url as string,
    images: (params.n as number | undefined) ?? 1,
  };
}

export async function handleSubmit(
  ctx: MockContext,
  req: IncomingMessage,
  res: ServerResponse,
  pathModel: ModelId,
  raw: Buffer,
): Promise<void> {
  const now = ctx.now();
  const header = (name: string): string | null => {
    const value = req.headers[name];
    return typeof value === 'string' ? value : null;
  };
  const record = ctx.recorder.submit({
    at: now,
    model: null,
    taskId: null,
    httpStatus: null,
    code: null,
    imageHash: null,
    workspace: header('x-dashscope-workspace'),
    asyncHeader: header('x-dashscope-async') === 'enable',
  } satisfies SubmitRecord);
  const answer = (status: number, code: string, message: string) => {
    record.httpStatus = status;
    record.code = code;
    sendError(res, status, code, message);
  };

  const drop = Faults.take(ctx.faults.dropSubmits);
  if (drop && (drop.when ?? 'before') === 'before') return dropConnection(req);
  const failure = Faults.take(ctx.faults.failSubmits);
  if (failure && !failure.afterCreate)
    return answer(failure.status, failure.code, failure.message ?? failure.code);

  if (!ctx.apiKeys.has((header('authorization') ?? '').replace(/^Bearer\s+/i, ''))) {
    return answer(401, 'InvalidApiKey', 'Invalid API-key provided.');
  }
  if (!record.asyncHeader)
    return answer(403, 'AccessDenied', 'current user api does not support synchronous calls');
  if (ctx.faults.arrears) {
    return answer(
      400,
      'Arrearage',
      'Access denied, please make sure your account is in good standing.',
    );
  }
  if (ctx.faults.quotaImages !== null && ctx.store.paidImages >= ctx.faults.quotaImages) {
    return answer(429, 'Throttling.AllocationQuota', 'Free allocated quota exceeded.');
  }
  const window = ctx.submitWindow(pathModel);
  if (window.count(now) >= ctx.config.submitsPerSecond)
    return answer(...throttled('Throttling.RateQuota'));
  window.add(now);

  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return answer(400, 'InvalidParameter', 'The request body is not valid JSON');
  }
  if (!isRecord(body)) return answer(400, 'InvalidParameter', 'The request body must be an object');
  if (typeof body.model !== 'string' || !(body.model in MODELS))
    return answer(400, 'InvalidParameter', 'Model not exist.');
  if (MODELS[body.model as ModelId].submitPath !== MODELS[pathModel].submitPath) {
    return answer(400, 'InvalidParameter', 'Model does not match this endpoint');
  }
  record.model = pathModel;
  const checked = await checkBody(ctx, pathModel, body);
  if ('code' in checked) return answer(checked.status, checked.code, checked.message);
  record.imageHash = hashImageRef(checked.imageRef);

  const cap = ctx.config.concurrency[pathModel] ?? 1;
  const createdAt = ctx.now();
  ctx.store.advance(createdAt);
  if (ctx.config.overConcurrency === 'reject' && ctx.store.inFlight(pathModel) >= cap) {
    ctx.recorder.refusedSubmits += 1;
    return answer(...throttled(ctx.config.rejectCode));
  }
  const failTask = Faults.take(ctx.faults.failTasks);
  const task = ctx.store.create(
    {
      model: pathModel,
      imageHash: record.imageHash,
      images: checked.images,
      failWith: failTask
        ? { code: failTask.code, message: failTask.message ?? failTask.code }
        : null,
    },
    createdAt,
  );
  record.taskId = task.taskId;

  if (drop) return dropConnection(req);
  if (failure) return answer(failure.status, failure.code, failure.message ?? failure.code);
  record.httpStatus = 200;
  if (ctx.faults.takeMalformed('submit')) return sendMalformed(res);
  sendJson(res, 200, {
    output: { task_id: task.taskId, task_status: 'PENDING' },
    request_id: task.requestId,
  });
}

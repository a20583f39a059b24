import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ErrorScope } from '../../../electron/core/dashscope';
import type { ErrorCode } from '../../../shared/result';
import { photoDataUri, startRig, type Rig, caught } from './fixtures';

/** docs/dashscope-api.md, "Error codes and what a client does with them", row by row. */
const TABLE: [number, string, ErrorCode, boolean, ErrorScope, boolean][] = [
  // status, apiCode, our code, retryable, scope, outcomeUnknown on a submit
  [400, 'InvalidParameter', 'api_invalid_input', false, 'job', false],
  [400, 'InvalidURL', 'api_invalid_input', false, 'job', false],
  [400, 'InvalidImageResolution', 'api_invalid_input', false, 'job', false],
  [400, 'InvalidImageFormat', 'api_invalid_input', false, 'job', false],
  [400, 'DataInspectionFailed', 'api_content_rejected', false, 'job', false],
  [400, 'Arrearage', 'api_arrearage', false, 'account', false],
  [401, 'InvalidApiKey', 'api_key_invalid', false, 'account', false],
  [403, 'AccessDenied', 'api_access_denied', false, 'account', false],
  [403, 'Model.AccessDenied', 'api_access_denied', false, 'account', false],
  [408, 'RequestTimeOut', 'api_timeout', true, 'job', true],
  [429, 'Throttling', 'api_throttled', true, 'job', false],
  [429, 'Throttling.RateQuota', 'api_throttled', true, 'job', false],
  [429, 'Throttling.AllocationQuota', 'api_quota_exhausted', false, 'account', false],
  [500, 'InternalError', 'api_server_error', true, 'job', true],
  [500, 'SystemError', 'api_server_error', true, 'job', true],
  [503, 'ModelUnavailable', 'api_server_error', true, 'job', true],
  [504, 'GatewayTimeout', 'api_server_error', true, 'job', true],
  // not in the table: unknown 4xx is a job error, unknown 5xx is retryable
  [400, 'SomethingNew', 'api_invalid_input', false, 'job', false],
  [502, 'SomethingNew', 'api_server_error', true, 'job', true],
];

let rig: Rig;
let photo: string;
beforeAll(async () => {
  rig = await startRig();
  photo = await photoDataUri();
});
afterAll(() => rig.mock.close());
beforeEach(() => rig.mock.reset());

describe('the error table on submits', () => {
  it.each(TABLE)('HTTP %i %s -> %s', async (status, apiCode, code, retryable, scope, unknown) => {
    rig.mock.inject({
      failSubmits: { count: 1, status, code: apiCode, message: `mock ${apiCode}` },
    });
    const error = await caught(
      rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 2 }),
    );
    expect(error).toMatchObject({
      name: 'DashScopeError',
      code,
      apiCode,
      httpStatus: status,
      retryable,
      scope,
    });
    expect(error.outcomeUnknown).toBe(unknown);
    expect(error.requestId).toEqual(expect.any(String));
    expect(error.message).not.toContain(rig.mock.apiKey);
    expect(error.message).not.toContain('base64');
  });
});

describe('the error table on queries', () => {
  it.each(TABLE)(
    'HTTP %i %s -> %s, never outcome-unknown',
    async (status, apiCode, code, retryable, scope) => {
      rig.mock.inject({ failQueries: { count: 1, status, code: apiCode } });
      const error = await caught(rig.client.getTask('4d1c6e0a-0000-4000-8000-000000000001'));
      expect(error).toMatchObject({ code, retryable, scope, outcomeUnknown: false });
    },
  );
});

describe('FAILED tasks go through the same table', () => {
  it.each([
    ['InternalError', 'api_server_error', true],
    ['DataInspectionFailed', 'api_content_rejected', false],
    ['InvalidImageResolution', 'api_invalid_input', false],
    ['SomeModelFailure', 'api_task_failed', false],
  ] as const)('%s -> %s (retryable as a new task: %s)', async (apiCode, code, retryable) => {
    rig.mock.inject({ failTasks: { count: 1, code: apiCode, message: 'mock failure' } });
    const { taskId } = await rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 });
    rig.clock.advance(5000);
    const task = await rig.client.getTask(taskId);
    expect(task.status).toBe('FAILED');
    expect(task.resultUrls).toEqual([]);
    expect(task.failure).toMatchObject({ apiCode, message: 'mock failure' });
    expect(task.failure?.error).toMatchObject({ code, retryable, outcomeUnknown: false });
    expect(rig.mock.stats().totals.paidImages).toBe(0);
  });
});

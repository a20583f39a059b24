import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobState, PauseReason } from '../../../shared/contract/jobs';
import {
  createMockDashScope,
  type FaultPlan,
  type MockDashScope,
} from '../../support/mock-dashscope';
import { useTempDir } from '../../support/temp-dir';
import { createBatch, makePhotos, startEngineRig, until, type EngineRig } from './rig';

let mock: MockDashScope;
let tmp: ReturnType<typeof useTempDir>;
let rig: EngineRig | null = null;
beforeAll(async () => {
  mock = await createMockDashScope({ taskMs: 150, pendingMs: 10 });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.reset();
  tmp = useTempDir('restyle-errors-');
});
afterEach(async () => {
  await rig?.close();
  rig = null;
  await mock.up();
  tmp.cleanup();
});

interface Row {
  name: string;
  fault: FaultPlan;
  job: JobState;
  engine?: { state: 'paused'; reason: PauseReason };
  code?: string;
}

const fail = (status: number, code: string, afterCreate = false): FaultPlan => ({
  failSubmits: { count: 1, status, code, afterCreate },
});

/** docs/dashscope-api.md's error table, row by row: what becomes of the job and of the queue. */
const ROWS: Row[] = [
  {
    name: '400 InvalidParameter fails the photo',
    fault: fail(400, 'InvalidParameter'),
    job: 'failed',
    code: 'api_invalid_input',
  },
  {
    name: '400 InvalidURL fails the photo',
    fault: fail(400, 'InvalidURL'),
    job: 'failed',
    code: 'api_invalid_input',
  },
  {
    name: '400 InvalidImageResolution fails the photo',
    fault: fail(400, 'InvalidImageResolution'),
    job: 'failed',
    code: 'api_invalid_input',
  },
  {
    name: '400 InvalidImageFormat fails the photo',
    fault: fail(400, 'InvalidImageFormat'),
    job: 'failed',
    code: 'api_invalid_input',
  },
  {
    name: '400 DataInspectionFailed fails the photo',
    fault: fail(400, 'DataInspectionFailed'),
    job: 'failed',
    code: 'api_content_rejected',
  },
  {
    name: 'a FAILED task with DataInspectionFailed fails the photo',
    fault: { failTasks: { count: 1, code: 'DataInspectionFailed' } },
    job: 'failed',
    code: 'api_content_rejected',
  },
  {
    name: '400 Arrearage pauses the queue',
    fault: fail(400, 'Arrearage'),
    job: 'queued',
    engine: { state: 'paused', reason: 'api_arrearage' },
  },
  {
    name: '401 InvalidApiKey pauses the queue',
    fault: fail(401, 'InvalidApiKey'),
    job: 'queued',
    engine: { state: 'paused', reason: 'api_key_invalid' },
  },
  {
    name: '403 AccessDenied pauses the queue',
    fault: fail(403, 'AccessDenied'),
    job: 'queued',
    engine: { state: 'paused', reason: 'api_access_denied' },
  },
  {
    name: '403 Model.AccessDenied pauses the queue',
    fault: fail(403, 'Model.AccessDenied'),
    job: 'queued',
    engine: { state: 'paused', reason: 'api_access_denied' },
  },
  {
    name: '429 Throttling.AllocationQuota pauses the queue',
    fault: fail(429, 'Throttling.AllocationQuota'),
    job: 'queued',
    engine: { state: 'paused', reason: 'api_quota_exhausted' },
  },
  {
    name: '408 RequestTimeOut: task list read, then done',
    fault: fail(408, 'RequestTimeOut'),
    job: 'done',
  },
  { name: '429 Throttling: backed off, then done', fault: fail(429, 'Throttling'), job: 'done' },
  {
    name: '429 Throttling.RateQuota: backed off, then done',
    fault: fail(429, 'Throttling.RateQuota'),
    job: 'done',
  },
  {
    name: '500 InternalError after the task was created: adopted, paid once',
    fault: fail(500, 'InternalError', true),
    job: 'done',
  },
  {
    name: '500 SystemError: task list read, then done',
    fault: fail(500, 'SystemError'),
    job: 'done',
  },
  {
    name: '503 ModelUnavailable: backed off, then done',
    fault: fail(503, 'ModelUnavailable'),
    job: 'done',
  },
  {
    name: 'a FAILED task with InternalError is retried as a new task',
    fault: { failTasks: { count: 1, code: 'InternalError' } },
    job: 'done',
  },
  {
    name: 'a dropped connection (network) holds offline, then done',
    fault: { dropSubmits: { count: 1, when: 'before' } },
    job: 'done',
  },
  {
    name: 'a dropped answer after the task was created: adopted, paid once',
    fault: { dropSubmits: { count: 1, when: 'after' } },
    job: 'done',
  },
];

describe('every row of the error table', () => {
  it.each(ROWS)(
    '$name',
    async (row) => {
      rig = await startEngineRig(tmp.path, { mock });
      const [photo] = await makePhotos(tmp.path, 1);
      mock.inject(row.fault);
      const { batch } = await createBatch(rig, [photo!], { kind: 'preset', styleIndex: 0 });
      rig.engine.start();
      const r = rig;
      const job = () => r.engine.listJobs(batch.id).jobs[0]!;
      if (row.engine) {
        await until(() => r.engine.status().state === 'paused', 8000, 'engine paused');
        expect(r.engine.status()).toEqual(row.engine);
        expect(job().state).toBe(row.job);
        // The user fixes the account and resumes: the photo then goes through.
        r.engine.resume();
        await until(() => job().state === 'done', 8000, 'done after resume');
      } else {
        await until(() => ['done', 'failed'].includes(job().state), 8000, 'job settled');
        expect(job().state).toBe(row.job);
        if (row.code) expect(job().error?.code).toBe(row.code);
      }
      const stats = mock.stats();
      expect(stats.duplicatePaidImages).toEqual([]);
      expect(mock.tasks().filter((t) => t.status === 'SUCCEEDED').length).toBe(
        job().state === 'done' ? 1 : 0,
      );
    },
    15_000,
  );
});

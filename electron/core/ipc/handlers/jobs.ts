import type { jobsInvoke } from '../../../../shared/contract/jobs';
import type { PhotoInput } from '../../queue/engine-controls';
import type { Handlers } from '../handler-types';

export const jobsHandlers: Handlers<keyof typeof jobsInvoke> = {
  async 'jobs:create-batch'(services, { paths, recipe, budgetCny, force, label, start }) {
    const photos: PhotoInput[] = [];
    const rejected: { path: string; reason: string }[] = [];
    const records = services.intake.scan(paths, {
      model: services.engine.recipeModel(recipe),
      crop: !services.settings.view().limits.sendUncropped,
      thumbnails: false,
    });
    for await (const record of records) {
      if (record.status === 'skipped' && record.reason?.code === 'system_file') continue;
      if (record.status === 'rejected' || record.hash === null) {
        rejected.push({ path: record.path, reason: record.reason?.code ?? 'unreadable' });
        continue;
      }
      photos.push({
        path: record.path,
        hash: record.hash,
        folder: record.folder,
        adjustments: record.adjustments,
      });
    }
    const created = services.engine.createBatch({
      photos,
      recipe,
      budgetCny: budgetCny ?? null,
      force,
      ...(label !== undefined ? { label } : {}),
      start,
    });
    return { ...created, rejected };
  },
  'jobs:quote': (services, { batchId }) => services.engine.quote(batchId),
  'jobs:start': (services, { batchId }) => services.engine.startBatch(batchId),
  'jobs:pause': (services, target) => ({ changed: services.engine.pause(target) }),
  'jobs:resume': (services, target) => ({ changed: services.engine.resume(target) }),
  'jobs:cancel': async (services, target) => ({ changed: await services.engine.cancel(target) }),
  'jobs:retry-failed': (services, target) => ({ changed: services.engine.retryFailed(target) }),
  'jobs:reorder': (services, { batchIds }) => services.engine.reorder(batchIds),
  'jobs:resolve': (services, { jobId, action, taskId }) =>
    services.engine.resolve(jobId, action, taskId),
  'jobs:list-batches': (services) => services.engine.listBatches(),
  'jobs:list-jobs': (services, { batchId, offset, limit, states }) =>
    services.engine.listJobs(batchId, offset, limit, states),
  'jobs:engine-state': (services) => services.engine.status(),
  'jobs:recovery': (services) => services.engine.recovery(),
  'jobs:dismiss-recovery': (services) => {
    services.engine.dismissRecovery();
    return null;
  },
};

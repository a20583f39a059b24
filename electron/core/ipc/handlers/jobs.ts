import type { jobsInvoke } from '../../../../shared/contract/jobs';
import type { Handlers } from '../handler-types';

export const jobsHandlers: Handlers<keyof typeof jobsInvoke> = {
  'jobs:quote': (services, request) => services.engine.quote(request),
  'jobs:create-batch': (services, request) => services.engine.createBatches(request),
  'jobs:pause': (services, target) => ({ changed: services.engine.pause(target) }),
  'jobs:resume': (services, target) => ({ changed: services.engine.resume(target) }),
  'jobs:cancel': async (services, target) => ({ changed: await services.engine.cancel(target) }),
  'jobs:retry-failed': async (services, target) => ({
    changed: await services.engine.retryFailed(target),
  }),
  'jobs:reorder': (services, { batchIds }) => services.engine.reorder(batchIds),
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

import type { jobsInvoke } from '../../../../shared/contract/jobs';
import type { Handlers } from '../handler-types';

export const jobsHandlers: Handlers<keyof typeof jobsInvoke> = {};

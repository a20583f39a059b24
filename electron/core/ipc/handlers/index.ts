import type { InvokeChannel } from '../../../../shared/contract';
import type { Handlers } from '../handler-types';
import { appHandlers } from './app';
import { intakeHandlers } from './intake';
import { jobsHandlers } from './jobs';
import { libraryHandlers } from './library';
import { settingsHandlers } from './settings';

/** Every channel of the contract has exactly one handler (the type checks it). */
export const handlers: Handlers<InvokeChannel> = {
  ...appHandlers,
  ...settingsHandlers,
  ...intakeHandlers,
  ...jobsHandlers,
  ...libraryHandlers,
};

import type { intakeInvoke } from '../../../../shared/contract/intake';
import type { Handlers } from '../handler-types';

export const intakeHandlers: Handlers<keyof typeof intakeInvoke> = {};

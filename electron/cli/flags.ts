/** Parsers of command-line values shared by the commands: a bad value is a usage error (exit 2), in the user's language. */
import { InvalidArgumentError } from 'commander';
import type { Translate } from '../../shared/i18n';
import { MODEL_IDS, type ModelId } from '../../shared/models';
import { cliTranslator } from './language';

/** A number within [min, max] (whole when `integer`). */
export const number =
  (flag: string, min: number, max: number, integer: boolean) => (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(cliTranslator()('jobs.cli.run.badNumber', { flag, min, max }));
    }
    return n;
  };

/** One of the models. */
export const parseModel = (t: Translate) => (value: string) => {
  if (!(MODEL_IDS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(
      t('intake.cli.scan.bad_model', { model: value, models: MODEL_IDS.join(', ') }),
    );
  }
  return value as ModelId;
};

import type { KeyCheckOutcome } from '../../../shared/contract/settings';
import { describeKeyCheck } from '../../../shared/i18n';
import { EXIT } from '../exit-codes';
import { openSession } from '../jobs/session';
import { writeLine } from '../text';

/**
 * The exit code of each outcome: a refused key, an account that cannot run
 * tasks or no key at all is an account problem (3, as a queue it would pause);
 * no usable answer, or an answer that is not DashScope's, is a failure (1): the
 * key was not checked.
 */
const EXIT_OF: Readonly<Record<KeyCheckOutcome, number>> = {
  valid: EXIT.ok,
  rejected: EXIT.accountPaused,
  account: EXIT.accountPaused,
  missing: EXIT.accountPaused,
  unreachable: EXIT.failed,
  not_dashscope: EXIT.failed,
};

/**
 * `restyle check-key [--json] [--data-dir DIR]`: the window's key check
 * (`services.checkKey`, core composed as the window has it) against the server
 * the window's settings choose, with the key of DASHSCOPE_API_KEY
 * (DASHSCOPE_HTTP_BASE_URL and DASHSCOPE_WORKSPACE_ID override). Said as the
 * window says it (describeKeyCheck), in the user's language.
 */
export async function checkKey(flags: { dataDir?: string; json?: boolean }): Promise<void> {
  const session = openSession(flags, { lock: false });
  try {
    const check = await session.services.checkKey();
    const found = describeKeyCheck(session.t, check);
    // The window has Settings to type a key in; a terminal has the environment.
    const message =
      check.outcome === 'missing' ? `${found} ${session.t('dashscope.checkKey.setKey')}` : found;
    if (flags.json) process.stdout.write(`${JSON.stringify({ ...check, message })}\n`);
    else writeLine(process.stdout, message);
    process.exitCode = EXIT_OF[check.outcome];
  } finally {
    await session.close();
  }
}

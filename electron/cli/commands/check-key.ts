import type { Command } from 'commander';
import { createDashScopeClient } from '../../core/dashscope';
import { createTranslator, describeError, languageFromLocale } from '../../../shared/i18n';
import { ACCOUNT_ERROR_CODES, ERROR_CODES, type ErrorCode } from '../../../shared/result';
import { REGION_BASE_URLS } from '../../../shared/settings';
import { EXIT } from '../exit-codes';
import { writeLine } from '../text';

/**
 * `restyle check-key [--json]`: tests DASHSCOPE_API_KEY against DASHSCOPE_HTTP_BASE_URL
 * (default Beijing). An account-level answer (ACCOUNT_ERROR_CODES) exits 3; anything
 * else that is not valid is a connection problem (exit 1).
 */
export function registerCheckKey(program: Command): void {
  program
    .command('check-key')
    .description(
      'Check the DashScope API key in DASHSCOPE_API_KEY with a free call that creates nothing.',
    )
    .option('--json', 'print the result as one JSON line')
    .action(async (options: { json?: boolean }) => {
      const env = process.env;
      const t = createTranslator(languageFromLocale(env.LC_ALL || env.LANG));
      const endpoint = (env.DASHSCOPE_HTTP_BASE_URL || REGION_BASE_URLS.beijing).replace(
        /\/+$/,
        '',
      );
      const key = env.DASHSCOPE_API_KEY?.trim() || null;
      const client = createDashScopeClient({
        baseUrl: () => endpoint,
        apiKey: () => key,
        workspaceId: () => env.DASHSCOPE_WORKSPACE_ID ?? '',
      });
      const check = await client.checkKey();
      const code =
        check.code && (ERROR_CODES as readonly string[]).includes(check.code)
          ? (check.code as ErrorCode)
          : 'internal';
      let message: string;
      if (check.valid) message = t('dashscope.checkKey.valid', { endpoint });
      else if (code === 'key_missing') message = t('dashscope.checkKey.missing');
      else {
        const reason = describeError(t, { code, message: code });
        message = t(
          ACCOUNT_ERROR_CODES.has(code)
            ? 'dashscope.checkKey.invalid'
            : 'dashscope.checkKey.offline',
          { endpoint, reason },
        );
      }
      const exit = check.valid
        ? EXIT.ok
        : ACCOUNT_ERROR_CODES.has(code)
          ? EXIT.accountPaused
          : EXIT.failed;
      if (options.json) process.stdout.write(`${JSON.stringify({ ...check, message })}\n`);
      else writeLine(process.stdout, message);
      process.exitCode = exit;
    });
}

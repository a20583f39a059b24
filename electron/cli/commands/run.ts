import { createInterface } from 'node:readline/promises';
import { IMAGEEDIT_FUNCTIONS } from '../../../shared/models';
import type { Quote } from '../../../shared/contract/jobs';
import type { Translate } from '../../../shared/i18n';
import { describeQuote } from '../../../shared/i18n/quote';
import { recipeModel, recipeSchema, type Recipe } from '../../../shared/recipe';
import type { ReasonCode } from '../../../shared/photos';
import { kindOf, NotARegularFileError, type FileKind } from '../../core/fs/regular-file';
import { hashFile } from '../../core/intake/hash';
import { EXIT } from '../exit-codes';
import { writeLine } from '../text';
import { drive } from '../jobs/drive';
import { cliTranslator, lockedMessage, lockLostMessage, openEngineSession } from '../jobs/session';

interface RunFlags {
  style?: number;
  styleRef?: string;
  prompt?: string;
  function?: string;
  variants?: number;
  library?: string;
  dataDir?: string;
  budget?: number;
  yes?: boolean;
  json?: boolean;
  force?: boolean;
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Why a path cannot be a style reference, in intake's words (the same reasons a scan gives). */
const STYLE_REF_REASONS: Partial<Record<FileKind, ReasonCode>> = {
  fifo: 'not_a_regular_file',
  socket: 'not_a_regular_file',
  device: 'not_a_regular_file',
  directory: 'not_a_regular_file',
  broken_link: 'broken_link',
  missing: 'not_found',
};

/**
 * The style reference's SHA-256. It is checked by its type before it is
 * read: a FIFO (`--style-ref <(…)`, `mkfifo`) or a device would block or
 * never end the hashing. What cannot be used is a usage error (exit 2), in
 * the user's language.
 */
async function styleRefHash(path: string): Promise<string> {
  const t = cliTranslator();
  const refuse = (reason: ReasonCode, detail = '') =>
    new UsageError(
      t('jobs.cli.run.badStyleRef', { path, reason: t(`intake.reason.${reason}`, { detail }) }),
    );
  const reason = STYLE_REF_REASONS[await kindOf(path)];
  if (reason) throw refuse(reason);
  try {
    return await hashFile(path);
  } catch (error) {
    if (error instanceof NotARegularFileError) throw refuse('not_a_regular_file');
    const code = (error as NodeJS.ErrnoException | null)?.code;
    throw refuse('unreadable', typeof code === 'string' ? code : 'EIO');
  }
}

async function recipeFrom(flags: RunFlags): Promise<Recipe> {
  const t = cliTranslator();
  const given = [
    flags.style !== undefined,
    flags.styleRef !== undefined,
    flags.prompt !== undefined,
  ];
  if (given.filter(Boolean).length !== 1) throw new UsageError(t('jobs.cli.run.oneRecipe'));
  if (
    flags.prompt === undefined &&
    (flags.function !== undefined || flags.variants !== undefined)
  ) {
    throw new UsageError(t('jobs.cli.run.oneRecipe'));
  }
  if (
    flags.function !== undefined &&
    !(IMAGEEDIT_FUNCTIONS as readonly string[]).includes(flags.function)
  ) {
    throw new UsageError(
      t('jobs.cli.run.badFunction', {
        value: flags.function,
        functions: IMAGEEDIT_FUNCTIONS.join(', '),
      }),
    );
  }
  const raw =
    flags.style !== undefined
      ? { kind: 'preset', styleIndex: flags.style }
      : flags.styleRef !== undefined
        ? {
            kind: 'reference',
            refPath: flags.styleRef,
            refHash: await styleRefHash(flags.styleRef),
          }
        : {
            kind: 'prompt',
            prompt: flags.prompt,
            function: flags.function,
            variants: flags.variants,
          };
  const parsed = recipeSchema.safeParse(JSON.parse(JSON.stringify(raw)));
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

/**
 * The quote in the window's words (`describeQuote`, one wording for both),
 * then every photo the recipe cannot take, named by its path with its reason.
 */
function quoteLines(t: Translate, quote: Quote): string[] {
  const lines = describeQuote(t, quote).map((line) => line.text);
  if (quote.unsendable.length > 0) {
    lines.push(t('run.quote.unsendable', { count: quote.unsendable.length }));
    for (const photo of quote.unsendable)
      lines.push(
        t('jobs.cli.failedJob', {
          path: photo.path,
          reason: t(`intake.reason.${photo.reason.code}`, { detail: '', ...photo.reason.params }),
        }),
      );
  }
  return lines;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** `restyle run <paths...> (--style N | --style-ref FILE | --prompt TEXT …)`: scan, quote, run. */
export async function run(paths: string[], flags: RunFlags): Promise<void> {
  const t = cliTranslator();
  let recipe: Recipe;
  try {
    recipe = await recipeFrom(flags);
    if (!flags.yes && !process.stdin.isTTY) throw new UsageError(t('jobs.cli.run.needYes'));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    writeLine(process.stderr, `restyle: ${error.message}`);
    process.exitCode = EXIT.usage;
    return;
  }
  // The data folder's lock first: while another Restyle runs, no batch is written.
  const session = openEngineSession(flags, { createLibrary: true });
  if (!session) return;
  try {
    // The kept-scan path the window takes too (its thumbnail and probe
    // cache, no upload built): its records, by id, make the batch.
    const { scanId } = session.intake.startScan(paths, { model: recipeModel(recipe) });
    const scanned = await session.intake.scanDone(scanId);
    if (scanned.error) throw new Error(scanned.error);
    // Every file named (not a system file, not a second copy): what cannot be sent is named.
    const photoIds = session.intake
      .scanRecords(scanId)
      .records.filter((record) => record.status !== 'skipped')
      .map((record) => record.id);
    if (photoIds.length === 0) {
      writeLine(process.stderr, t('jobs.cli.run.noPhotos'));
      process.exitCode = EXIT.failed;
      return;
    }
    const request = {
      scanId,
      photoIds,
      recipes: [recipe],
      kind: 'album' as const,
      budgetCny: flags.budget ?? null,
      force: flags.force ?? false,
      label: paths.join(', ').slice(0, 200),
    };
    const quote = await session.engine.quote(request);
    if (flags.json) process.stdout.write(`${JSON.stringify({ event: 'quote', ...quote })}\n`);
    else for (const line of quoteLines(t, quote)) writeLine(process.stderr, line);
    if (quote.jobs === 0) {
      writeLine(process.stderr, t('jobs.cli.run.noPhotos'));
      process.exitCode = EXIT.failed;
      return;
    }
    // Stopped (Ctrl-Z) past the lock's stale limit while scanning: another engine took over.
    const takenBy = session.lockedBy();
    if (takenBy !== null) {
      process.stderr.write(`${lockedMessage(t, takenBy)}\n`);
      process.exitCode = EXIT.local;
      return;
    }
    // Nothing is written to the queue before the user says yes.
    if (!flags.yes && !(await confirm(t('jobs.cli.run.confirm')))) {
      writeLine(process.stderr, t('jobs.cli.run.declined'));
      process.exitCode = EXIT.ok;
      return;
    }
    const lostTo = session.lockedBy();
    if (lostTo !== null) {
      // Taken over while the quote waited: nothing was queued; the other engine carries on.
      process.stderr.write(`${lockLostMessage(session, lostTo)}\n`);
      process.exitCode = EXIT.local;
      return;
    }
    const { batches } = await session.engine.createBatches(request);
    const code = await drive(session, {
      json: flags.json ?? false,
      batchIds: batches.map((batch) => batch.id),
    });
    // A file given that could not be sent is not done: exit 1, unless something graver.
    process.exitCode = code === EXIT.ok && quote.unsendable.length > 0 ? EXIT.failed : code;
  } finally {
    await session.close();
  }
}

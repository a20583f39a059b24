/**
 * `restyle library list|search|stats|export|rebuild`: the history library in
 * a terminal, over the window's own channels (the same dispatcher, schemas and
 * handlers: no query is written twice). Read-only, and none takes the data
 * folder's lock, so they run beside the window or a `restyle run`. Their
 * flags are registered in commands/index.ts; the styles, days and sort given
 * are checked here, when the command runs (they need the contract's schemas,
 * which `--help` does not load).
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import type { InvokeChannel, InvokeRequest, InvokeResponse } from '../../../shared/contract';
import {
  LIBRARY_SORTS,
  type LibraryItem,
  type LibraryQueryFilter,
  type LibrarySort,
  type LibraryStats,
  type SpendLine,
} from '../../../shared/contract/library';
import { describeError, type Translate } from '../../../shared/i18n';
import { formatCny } from '../../../shared/i18n/quote';
import { STYLE_PRESETS, type ModelId } from '../../../shared/models';
import { recipeKey } from '../../../shared/recipe';
import { LOCAL_ERROR_CODES, type AppError } from '../../../shared/result';
import type { Language } from '../../../shared/settings';
import { createDispatcher } from '../../core/ipc/dispatch';
import { handlers } from '../../core/ipc/handlers';
import { EXIT } from '../exit-codes';
import { cliLanguage } from '../host';
import { cliTranslator, openSession, type Session, type SessionFlags } from '../jobs/session';
import { writeLine } from '../text';

interface FilterFlags extends SessionFlags {
  album?: string;
  style?: string[];
  model?: ModelId[];
  from?: string;
  to?: string;
  favourite?: boolean;
  minRating?: number;
  missing?: boolean;
  present?: boolean;
  batch?: string;
}

interface PageFlags extends FilterFlags {
  sort: string;
  limit: number;
  offset: number;
}

interface ExportFlags extends SessionFlags {
  to: string;
  flat?: boolean;
  zip?: boolean;
  sidecars: boolean;
}

/** A channel's error answer (`describeError` words it). */
class Refused extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
  }
}

class UsageError extends Error {}

type Ask = <C extends InvokeChannel>(
  channel: C,
  payload: InvokeRequest<C>,
) => Promise<InvokeResponse<C>>;

/** Core as the window calls it: the one dispatcher (the contract's schema, then the handler). */
function askCore(session: Session): Ask {
  const dispatch = createDispatcher({
    services: session.services,
    handlers,
    // The CLI is its own sender: there is no page to check.
    isTrustedSender: () => true,
  });
  return async (channel, payload) => {
    const answer = await dispatch({ senderUrl: undefined }, channel, payload);
    if (!answer.ok) throw new Refused(answer.error);
    return answer.value as InvokeResponse<typeof channel>;
  };
}

/**
 * Opens core without the data folder's lock (and without remembering
 * `--library`), runs `work` (its exit code, else 0), closes.
 */
async function withCore(
  flags: SessionFlags,
  work: (ask: Ask) => Promise<number | void>,
): Promise<void> {
  const t = cliTranslator();
  let session: Session | null = null;
  try {
    session = openSession(flags, { lock: false, rememberLibrary: false });
    process.exitCode = (await work(askCore(session))) ?? EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      writeLine(process.stderr, `restyle: ${error.message}`);
      process.exitCode = EXIT.usage;
      return;
    }
    if (!(error instanceof Refused)) throw error;
    writeLine(process.stderr, `restyle: ${describeError(t, error.error)}`);
    const { code } = error.error;
    process.exitCode =
      code === 'invalid_payload'
        ? EXIT.usage
        : LOCAL_ERROR_CODES.has(code)
          ? EXIT.local
          : EXIT.failed;
  } finally {
    await session?.close();
  }
}

/** A style as people name it: a preset's slug (`anime`) or number (`2`), or a recipe key. */
const styleKey = (t: Translate) => (value: string) => {
  const preset = STYLE_PRESETS.find((p) => p.slug === value || String(p.index) === value);
  if (preset) return recipeKey({ kind: 'preset', styleIndex: preset.index });
  if (/^(preset|reference|prompt):/.test(value)) return value;
  throw new UsageError(
    t('library.cli.badStyle', { value, slugs: STYLE_PRESETS.map((p) => p.slug).join(', ') }),
  );
};

/** A calendar day, `YYYY-MM-DD`, as the contract takes it. */
function day(t: Translate, flag: string, value: string): string {
  if (!z.iso.date().safeParse(value).success)
    throw new UsageError(t('library.cli.badDay', { flag, value }));
  return value;
}

function sortOf(t: Translate, value: string): LibrarySort {
  if (!(LIBRARY_SORTS as readonly string[]).includes(value))
    throw new UsageError(t('library.cli.badSort', { value, sorts: LIBRARY_SORTS.join(', ') }));
  return value as LibrarySort;
}

/** The contract's filter of the flags (and the words searched). */
function filterOf(t: Translate, flags: FilterFlags, text?: string): LibraryQueryFilter {
  if (flags.missing && flags.present)
    throw new UsageError(t('library.cli.oneOf', { flags: '--missing, --present' }));
  return {
    ...(flags.album !== undefined && { albumFolder: flags.album }),
    ...(flags.style && { recipeKeys: flags.style.map(styleKey(t)) }),
    ...(flags.model && { models: flags.model }),
    ...(flags.from !== undefined && { from: day(t, '--from', flags.from) }),
    ...(flags.to !== undefined && { to: day(t, '--to', flags.to) }),
    ...(flags.favourite && { favourite: true }),
    ...(flags.minRating !== undefined && { minRating: flags.minRating }),
    ...(flags.missing && { presence: 'missing' as const }),
    ...(flags.present && { presence: 'present' as const }),
    ...(flags.batch !== undefined && { batchId: flags.batch }),
    ...(text !== undefined && { text }),
  };
}

const json = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
const money = (t: Translate, cny: number) => t('library.cli.money', { amount: formatCny(cny) });
const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO time as this computer's local `YYYY-MM-DD HH:mm`. */
function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** One result on one line: id (for `export`), saved, style, cost, rating, favourite, missing, file. */
function itemLine(t: Translate, language: Language, item: LibraryItem): string {
  const marks = [
    '★'.repeat(item.rating),
    item.favourite ? '♥' : '',
    item.present ? '' : t('library.cli.missing'),
  ].filter(Boolean);
  return t('library.cli.item', {
    id: item.id,
    saved: localTime(item.savedAt),
    style: item.styleName[language],
    cost: item.costCny === 0 ? t('library.cost.free') : money(t, item.costCny),
    marks: marks.length > 0 ? `  ${marks.join(' ')}` : '',
    path: item.path,
  });
}

/** A page of results: a line each, then which of how many. */
async function printPage(ask: Ask, flags: PageFlags, text?: string): Promise<void> {
  const t = cliTranslator();
  const page = await ask('library:results', {
    filter: filterOf(t, flags, text),
    sort: sortOf(t, flags.sort),
    offset: flags.offset,
    limit: flags.limit,
  });
  if (flags.json) return void json(page);
  const language = cliLanguage();
  for (const item of page.items) writeLine(process.stdout, itemLine(t, language, item));
  const first = flags.offset + 1;
  writeLine(
    process.stderr,
    page.total === 0
      ? t('library.cli.none')
      : page.items.length === 0
        ? t('library.cli.pastEnd', { total: page.total })
        : t('library.cli.shown', {
            first,
            last: flags.offset + page.items.length,
            total: page.total,
          }),
  );
}

/** The spend lines of one grouping, under its heading. */
function spendLines(t: Translate, language: Language, heading: string, lines: SpendLine[]) {
  if (lines.length === 0) return;
  writeLine(process.stdout, heading);
  for (const line of lines) {
    const label =
      typeof line.label === 'string'
        ? line.label || t('library.cli.stats.rootAlbum')
        : line.label[language];
    writeLine(
      process.stdout,
      t('library.cli.stats.line', {
        label,
        results: t('library.cli.stats.results', { count: line.results }),
        cost: money(t, line.costCny),
      }),
    );
  }
}

function printStats(t: Translate, stats: LibraryStats): void {
  const language = cliLanguage();
  writeLine(
    process.stdout,
    t('library.cli.stats.total', {
      results: t('library.cli.stats.results', { count: stats.results }),
      photos: t('library.cli.stats.photos', { count: stats.photos }),
      cost: money(t, stats.costCny),
      free: stats.freeResults,
    }),
  );
  spendLines(t, language, t('library.cli.stats.byAlbum'), stats.byAlbum);
  spendLines(t, language, t('library.cli.stats.byStyle'), stats.byStyle);
  spendLines(t, language, t('library.cli.stats.byMonth'), stats.byMonth);
  spendLines(t, language, t('library.cli.stats.byModel'), stats.byModel);
}

/** `restyle library list`: a page of results. */
export const list = (flags: PageFlags) => withCore(flags, (ask) => printPage(ask, flags));

/** `restyle library search <words...>`: a page of the results that match. */
export const search = (words: string[], flags: PageFlags) =>
  withCore(flags, (ask) => printPage(ask, flags, words.join(' ')));

/** `restyle library stats`: what was spent, per album, style, month and model. */
export const stats = (flags: FilterFlags) =>
  withCore(flags, async (ask) => {
    const t = cliTranslator();
    const answer = await ask('library:stats', { filter: filterOf(t, flags) });
    if (flags.json) json(answer);
    else printStats(t, answer);
  });

/** `restyle library export <ids...> --to DIR`: copies of results, as the window exports them. */
export const exportResults = (ids: string[], flags: ExportFlags) =>
  withCore(flags, async (ask) => {
    const t = cliTranslator();
    if (flags.flat && flags.zip)
      throw new UsageError(t('library.cli.oneOf', { flags: '--flat, --zip' }));
    const report = await ask('library:export', {
      ids,
      layout: flags.zip ? 'zip' : flags.flat ? 'flat' : 'folders',
      sidecars: flags.sidecars,
      destination: resolve(flags.to),
    });
    // The window's own chooser never opens here: a destination is always given.
    if (!report) return;
    if (flags.json) json(report);
    else {
      const { images: count, destination } = report;
      writeLine(process.stdout, t('library.cli.export.done', { count, destination }));
      if (report.skipped > 0)
        writeLine(process.stderr, t('library.cli.export.skipped', { count: report.skipped }));
    }
    // A result asked for and not exported (unknown, or its file gone) is a failure.
    return report.skipped > 0 ? EXIT.failed : EXIT.ok;
  });

/** `restyle library rebuild`: the index again from the sidecars; ratings kept. */
export const rebuild = (flags: SessionFlags) =>
  withCore(flags, async (ask) => {
    const report = await ask('library:rebuild', {});
    if (flags.json) json(report);
    else writeLine(process.stdout, cliTranslator()('library.cli.rebuild.done', { ...report }));
  });

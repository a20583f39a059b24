import { describeLeftOut, type Translate } from '../../../shared/i18n';
import type { ModelId } from '../../../shared/models';
import type { LeftOut } from '../../../shared/contract/intake';
import type { PhotoRecord, PhotoStatus } from '../../../shared/photos';
import { createIntakeService } from '../../core/intake/intake-service';
import { EXIT } from '../exit-codes';
import { cliDataDir, cliPaths, cliTranslator } from '../host';
import { writeLine } from '../text';

interface ScanFlags {
  model: ModelId;
  json?: boolean;
  uncropped?: boolean;
}

/** `restyle scan <paths...>`: a dry run of intake, one line per file found. */
export async function scan(paths: string[], flags: ScanFlags): Promise<void> {
  const t = cliTranslator();
  const intake = createIntakeService({ cacheDir: cliPaths(cliDataDir()).cache });
  const counts: Record<PhotoStatus, number> = {
    ready: 0,
    adjusted: 0,
    skipped: 0,
    rejected: 0,
  };
  const leftOut: LeftOut = { count: 0, extensions: [] };
  // As the window scans: thumbnails and probes from the data folder's cache
  // (made when missing), and no upload built (only the engine builds one).
  const records = intake.scan(paths, {
    model: flags.model,
    leftOut,
    crop: !flags.uncropped,
  });
  for await (const record of records) {
    counts[record.status] += 1;
    if (flags.json) process.stdout.write(`${JSON.stringify(asJson(record, t))}\n`);
    else writeLine(process.stdout, asLine(record, t));
  }
  if (!flags.json) {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    writeLine(process.stderr, t('intake.cli.scan.summary', { total, ...counts }));
    if (leftOut.count > 0) writeLine(process.stderr, describeLeftOut(t, leftOut));
  }
  process.exitCode = counts.rejected > 0 ? EXIT.failed : EXIT.ok;
}

/** The reason, or else what was changed, in the user's language. */
function explain(record: PhotoRecord, t: Translate): string {
  if (record.reason) return t(`intake.reason.${record.reason.code}`, { ...record.reason.params });
  return record.adjustments.map((a) => t(`intake.adjustment.${a}`)).join(', ');
}

const size = (w: number | null | undefined, h: number | null | undefined) =>
  w && h ? `${w}x${h}` : '-';

function asLine(record: PhotoRecord, t: Translate): string {
  return [
    t(`intake.status.${record.status}`).padEnd(9),
    size(record.width, record.height).padStart(11),
    '->',
    size(record.planned?.width, record.planned?.height).padEnd(11),
    record.path,
    explain(record, t) ? ` (${explain(record, t)})` : '',
  ].join(' ');
}

function asJson(record: PhotoRecord, t: Translate) {
  return {
    path: record.path,
    folder: record.folder,
    status: record.status,
    reason: record.reason?.code ?? null,
    reasonParams: record.reason?.params ?? null,
    message: explain(record, t),
    format: record.format,
    hash: record.hash,
    bytes: record.bytes,
    width: record.width,
    height: record.height,
    plannedWidth: record.planned?.width ?? null,
    plannedHeight: record.planned?.height ?? null,
    adjustments: record.adjustments,
    model: record.model,
  };
}

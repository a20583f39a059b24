import { EXIT } from '../exit-codes';
import { writeLine } from '../text';
import { cliTranslator, openSession } from '../jobs/session';

/** `restyle cancel [batchId]`: nothing more is sent; tasks already running finish on the next run and are saved. */
export async function cancel(
  batchId: string | undefined,
  flags: { dataDir?: string; json?: boolean },
): Promise<void> {
  const t = cliTranslator();
  // No lock: every change is a compare-and-set the owning engine re-reads.
  const session = openSession(flags, { lock: false });
  try {
    const count = await session.engine.cancel(batchId ? { batchId } : {});
    if (flags.json) process.stdout.write(`${JSON.stringify({ canceled: count })}\n`);
    else writeLine(process.stdout, t('jobs.cli.cancel.done', { count }));
    process.exitCode = EXIT.ok;
  } finally {
    await session.close();
  }
}

import type { BatchProgress, EngineStatus } from '../../../shared/contract/jobs';
import { describeError } from '../../../shared/i18n';
import { LOCAL_ERROR_CODES, type ErrorCode } from '../../../shared/result';
import { EngineLockedError } from '../../core/queue/engine-lock';
import { TASK_STATES } from '../../core/queue/states';
import { EXIT } from '../exit-codes';
import { printable, writeLine } from '../text';
import { failedJobLines } from './failed-jobs';
import { lockedMessage, lockLostMessage, type Session } from './session';

/** Ctrl-C: the batch is paused safely; `restyle resume` continues (the shell's convention for SIGINT). */
export const EXIT_INTERRUPTED = 130;

const seconds = (ms: number) =>
  ms >= 3_600_000
    ? `${Math.floor(ms / 3_600_000)}h${Math.round((ms % 3_600_000) / 60_000)}m`
    : ms >= 60_000
      ? `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`
      : `${Math.ceil(ms / 1000)}s`;

function reasonText(session: Session, status: EngineStatus): string {
  if (!status.reason) return '';
  const error = { code: status.reason as ErrorCode, message: status.reason };
  return describeError(session.t, status.params ? { ...error, params: status.params } : error);
}

/**
 * Runs the engine over the queue until nothing more can happen without the
 * user, printing progress (one redrawn line on a terminal, plain lines
 * otherwise, JSON lines with --json), and answers the exit code. First Ctrl-C:
 * no new submits, tasks in flight finish and are saved, then exit 130; second
 * Ctrl-C: exit at once (tasks in flight stay recorded; `resume` picks them up).
 */
export async function drive(
  session: Session,
  options: { json: boolean; batchIds?: string[] },
): Promise<number> {
  const { t, engine, events } = session;
  const out = process.stderr;
  const tty = out.isTTY === true && !options.json;
  let lastLine = '';
  let interrupted = false;
  const print = (line: string) => {
    if (tty) out.write(`\r\x1b[2K${printable(line)}`);
    else if (line !== lastLine) writeLine(out, line);
    lastLine = line;
  };
  const unsubscribe = events.subscribe((name, payload) => {
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ event: name, ...(payload as object) })}\n`);
      return;
    }
    if (name === 'jobs:batch-progress') {
      const p = payload as BatchProgress;
      if (options.batchIds && !options.batchIds.includes(p.batchId)) return;
      const eta =
        p.etaMs !== null && p.etaMs > 0 ? t('jobs.cli.eta', { time: seconds(p.etaMs) }) : '';
      print(
        t('jobs.cli.progress', {
          finished: p.finished,
          total: p.total,
          failed: p.counts.failed,
          spent: p.spentCny.toFixed(2),
          eta,
        }),
      );
    } else if (name === 'jobs:engine-state') {
      const s = payload as EngineStatus;
      if (s.state === 'offline') print(t('jobs.cli.offline'));
      if (s.state === 'paused') print(t('jobs.cli.paused', { reason: reasonText(session, s) }));
    }
  });

  let lastSigint = 0;
  const onSigint = () => {
    // tsx's signal relay can emit one Ctrl-C twice in the same instant: count it once.
    const now = Date.now();
    if (now - lastSigint < 300) return;
    lastSigint = now;
    if (interrupted) {
      // Every state change is already committed: tasks in flight are picked up by `resume`.
      process.exit(EXIT_INTERRUPTED);
    }
    interrupted = true;
    if (tty) out.write('\n');
    out.write(`${t('jobs.cli.interrupted')}\n`);
    engine.pause();
  };
  process.on('SIGINT', onSigint);
  try {
    try {
      engine.start();
    } catch (error) {
      if (error instanceof EngineLockedError) {
        out.write(`${lockedMessage(t, error.pid)}\n`);
        return EXIT.local;
      }
      throw error;
    }
    await engine.whenSettled();
    // After Ctrl-C, the tasks already sent are paid for: let them finish and be saved
    // (a second Ctrl-C exits at once).
    if (interrupted) await inFlightDone(session);
    const lost = engine.lockLost();
    if (lost) {
      if (tty) out.write('\n');
      out.write(`${lockLostMessage(session, lost.pid)}\n`);
      return EXIT.local;
    }
  } finally {
    process.off('SIGINT', onSigint);
    unsubscribe();
    await engine.stop();
    if (tty) out.write('\n');
  }
  return exitCode(session, interrupted, options);
}

/** Resolves once no job has a task at DashScope and nothing is being prepared or saved. */
async function inFlightDone(session: Session): Promise<void> {
  while (
    !session.engine.lockLost() &&
    (session.store.jobsIn([...TASK_STATES]).length > 0 || session.engine.busy() > 0)
  ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function exitCode(
  session: Session,
  interrupted: boolean,
  options: { json: boolean; batchIds?: string[] },
): number {
  const { t, engine, store } = session;
  const batches = engine
    .listBatches()
    .filter((b) => !options.batchIds || options.batchIds.includes(b.id));
  const sum = (pick: (c: (typeof batches)[number]['counts']) => number) =>
    batches.reduce((n, b) => n + pick(b.counts), 0);
  const done = sum((c) => c.done);
  const skipped = sum((c) => c.skipped);
  const failed = sum((c) => c.failed + c.expired);
  const attention = sum((c) => c.needs_attention);
  const total = batches.reduce((n, b) => n + b.total, 0);
  const other = total - done - skipped - failed;
  const spent = batches.reduce((n, b) => n + b.spentCny, 0);
  const status = engine.status();
  const summary = { done, skipped, failed, other, spent: spent.toFixed(2) };
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ event: 'summary', ...summary, total, engine: status, totalSpentCny: store.totalSpent() })}\n`,
    );
  } else {
    writeLine(process.stderr, t('jobs.cli.summary', summary));
    // Each photo that ended without a result, and why.
    for (const line of failedJobLines(
      session,
      batches.map((b) => b.id),
    ))
      writeLine(process.stderr, line);
    if (attention > 0) writeLine(process.stderr, t('jobs.cli.attention', { count: attention }));
  }
  if (status.state === 'paused' && status.reason !== 'user') {
    writeLine(process.stderr, t('jobs.cli.paused', { reason: reasonText(session, status) }));
    // A full disk or an unwritable queue file is this computer's problem, not the account's.
    return LOCAL_ERROR_CODES.has(status.reason as ErrorCode) ? EXIT.local : EXIT.accountPaused;
  }
  if (interrupted) {
    process.stderr.write(`${t('jobs.cli.resumeHint')}\n`);
    return EXIT_INTERRUPTED;
  }
  return failed > 0 || other > 0 ? EXIT.failed : EXIT.ok;
}

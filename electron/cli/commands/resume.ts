import { drive } from '../jobs/drive';
import { openEngineSession } from '../jobs/session';

/** `restyle resume`: every unfinished batch continues (paused ones, after Ctrl-C, a crash, an account pause). */
export async function resume(flags: {
  dataDir?: string;
  library?: string;
  json?: boolean;
}): Promise<void> {
  const session = openEngineSession(flags);
  if (!session) return;
  try {
    session.engine.resume();
    process.exitCode = await drive(session, { json: flags.json ?? false });
  } finally {
    await session.close();
  }
}

// The engine when a write to the queue fails at the worst moment. SQLite
// itself refuses the write: a temporary trigger on the engine's own
// connection raises an error for exactly that statement (as a full disk or a
// read-only file would for any), and nothing else is changed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../../support/temp-dir';
import { createBatch, makePhotos, startEngineRig, until, type EngineRig } from './rig';

let tmp: ReturnType<typeof useTempDir>;
let rig: EngineRig | null = null;
beforeEach(() => {
  tmp = useTempDir('restyle-write-failures-');
});
afterEach(async () => {
  await rig?.close();
  rig = null;
  tmp.cleanup();
});

describe('a write the queue refuses', () => {
  it('of the submit intent: nothing is sent, and the photo is sent once the write goes through', async () => {
    rig = await startEngineRig(tmp.path);
    const db = rig.store.db;
    db.exec(`CREATE TEMP TABLE refuse (on_ INTEGER); INSERT INTO refuse VALUES (1);
      CREATE TEMP TABLE refused (state TEXT);
      CREATE TEMP TRIGGER refuse_intent BEFORE UPDATE OF state ON main.jobs
      WHEN NEW.state = 'submitting' AND (SELECT on_ FROM refuse)
      BEGIN INSERT INTO refused VALUES (NEW.state); SELECT RAISE(FAIL, 'write refused'); END`);
    const photos = await makePhotos(tmp.path, 1);
    const { batch } = await createBatch(rig, photos, { kind: 'preset', styleIndex: 2 });
    rig.engine.start();
    const refusals = () => Number(db.get<{ n: number }>('SELECT COUNT(*) AS n FROM refused')?.n);
    await until(() => refusals() > 0, 15_000, 'the intent refused');
    expect(rig.mock.stats().totals.submits).toBe(0);
    db.exec('UPDATE refuse SET on_ = 0');
    const r = rig;
    await until(() => r.store.getBatch(batch.id)?.state === 'done', 20_000, 'the batch done');
    expect(rig.mock.stats().totals.acceptedSubmits).toBe(1);
  }, 30_000);

  it('after the submit was answered: the task is adopted from the task list, never sent again, and saved', async () => {
    rig = await startEngineRig(tmp.path);
    const db = rig.store.db;
    // Every claim of a task id is refused until the test lets it through.
    db.exec(`CREATE TEMP TABLE refuse (on_ INTEGER); INSERT INTO refuse VALUES (1);
      CREATE TEMP TRIGGER refuse_claim BEFORE INSERT ON main.tasks WHEN (SELECT on_ FROM refuse)
      BEGIN SELECT RAISE(ABORT, 'write refused'); END`);
    const [photo] = await makePhotos(tmp.path, 1);
    const { batch } = await createBatch(rig, [photo as NonNullable<typeof photo>], {
      kind: 'preset',
      styleIndex: 2,
    });
    rig.engine.start();
    const r = rig;
    const job = () => r.store.listJobs(batch.id).jobs[0];
    // The answer came and its task id could not be written: the job is settled from the task
    // list (or, as before, given up as failed with its paid task lost).
    await until(
      () => r.mock.stats().queries.some((q) => q.kind === 'list') || job()?.state === 'failed',
      15_000,
      'the refused answer handled',
    );
    db.exec('UPDATE refuse SET on_ = 0');
    await until(() => r.store.getBatch(batch.id)?.state !== 'active', 20_000, 'the batch ended');
    expect(job()?.state).toBe('done');
    const stats = rig.mock.stats();
    expect(stats.totals.acceptedSubmits).toBe(1);
    expect(stats.duplicatePaidImages).toEqual([]);
    const [task] = rig.mock.tasks();
    expect(rig.library.find(photo?.hash ?? '', 'preset:2').map((e) => e.taskId)).toEqual([
      task?.taskId,
    ]);
  }, 30_000);

  it('at the end of a prepare (and of its failure): the photo is prepared again, not left behind', async () => {
    rig = await startEngineRig(tmp.path);
    const db = rig.store.db;
    db.exec(`CREATE TEMP TABLE refuse (on_ INTEGER); INSERT INTO refuse VALUES (1);
      CREATE TEMP TABLE refused (state TEXT);
      CREATE TEMP TRIGGER refuse_prepared BEFORE UPDATE OF state ON main.jobs
      WHEN NEW.state IN ('ready', 'failed') AND (SELECT on_ FROM refuse)
      BEGIN INSERT INTO refused VALUES (NEW.state); SELECT RAISE(FAIL, 'write refused'); END`);
    const photos = await makePhotos(tmp.path, 1);
    const { batch } = await createBatch(rig, photos, { kind: 'preset', styleIndex: 2 });
    rig.engine.start();
    const refused = () =>
      db.all<{ state: string }>('SELECT state FROM refused').map((row) => row.state);
    // Both the move to `ready` and the move to `failed` were refused: the job is left `preparing`.
    await until(() => refused().includes('failed'), 15_000, 'both writes refused');
    expect(rig.store.listJobs(batch.id).jobs[0]?.state).toBe('preparing');
    db.exec('UPDATE refuse SET on_ = 0');
    const r = rig;
    await until(() => r.store.getBatch(batch.id)?.state === 'done', 20_000, 'the batch done');
    expect(rig.mock.stats().totals.acceptedSubmits).toBe(1);
  }, 30_000);
});

// The CLI with a damaged, read-only or full queue file: it recovers and
// carries on (saying so once), or names the file and the fix and exits 4.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLibrary } from '../../electron/core/library/library';
import { openJobStore } from '../../electron/core/queue/job-store';
import { EXIT } from '../../electron/cli/exit-codes';
import { canFillDisk, canMakeReadOnly, runOnTinyDisk, runReadOnly } from '../core/queue/confined';
import {
  pagesOf,
  PROMPT_KEY,
  queueWithTasksInFlight,
  writeGarbage,
} from '../core/queue/damaged-queue';
import { makePhotos } from '../core/queue/rig';
import { createMockDashScope, type MockDashScope } from '../support/mock-dashscope';
import { useTempDir } from '../support/temp-dir';
import { runCli } from './cli-rig';

let tmp: ReturnType<typeof useTempDir>;
let mock: MockDashScope;
beforeEach(async () => {
  tmp = useTempDir('restyle-cli-queue-');
  mock = await createMockDashScope({ taskMs: 1500, pendingMs: 20 });
});
afterEach(async () => {
  await mock.close();
  tmp.cleanup();
});

const env = () => ({ DASHSCOPE_API_KEY: mock.apiKey, DASHSCOPE_HTTP_BASE_URL: mock.baseUrl });
const RECOVERED = /The queue file was damaged\. Restyle rebuilt it/g;

describe('the CLI and the queue file', () => {
  it('recovers a damaged queue, says so once, and collects the tasks in flight once', async () => {
    const dataDir = join(tmp.path, 'data');
    mkdirSync(dataDir);
    const queue = await queueWithTasksInFlight(dataDir, mock, { waiting: false });
    // Damage the check finds (an index) and the tasks table (the claims).
    const index = pagesOf(queue.file, 'jobs_by_state');
    const tasks = pagesOf(queue.file, 'tasks');
    writeGarbage(queue.file, [...index.leaves, ...tasks.leaves], index.pageSize);
    const libraryDir = join(dataDir, 'library');

    const resumed = await runCli(
      ['resume', '--data-dir', dataDir, '--library', libraryDir],
      env(),
      40_000,
    );
    expect(resumed.code, resumed.stderr).toBe(EXIT.ok);
    expect(resumed.stderr.match(RECOVERED)).toHaveLength(1);
    const kept = /kept as (\S+queue\.sqlite\.corrupt-\d{8}-\d{6}):/.exec(resumed.stderr)?.[1];
    expect(kept, resumed.stderr).toBeDefined();
    expect(resumed.stderr).toContain('jobs recovered: 2, of which 2 had a task at DashScope');

    const stats = mock.stats();
    expect(stats.totals.acceptedSubmits).toBe(2);
    expect(stats.duplicatePaidImages).toEqual([]);
    const library = createLibrary({ root: libraryDir });
    try {
      expect(library.find(queue.photos[0]?.hash ?? '', 'preset:2')).toHaveLength(1);
      expect(library.find(queue.photos[1]?.hash ?? '', PROMPT_KEY)).toHaveLength(1);
    } finally {
      library.close();
    }

    // Said once: the next command opens the rebuilt file quietly.
    const status = await runCli(['status', '--data-dir', dataDir], env());
    expect(status.code).toBe(EXIT.ok);
    expect(status.stderr).not.toMatch(RECOVERED);
  }, 60_000);

  it('a data folder that is a file: exit 4, the queue file named', async () => {
    const notAFolder = join(tmp.path, 'file');
    writeFileSync(notAFolder, 'not a folder');
    const run = await runCli(['status', '--data-dir', notAFolder], env());
    expect(run.code).toBe(EXIT.local);
    expect(run.stderr).toContain(
      `restyle: Restyle cannot open its queue file ${join(notAFolder, 'queue.sqlite')}: check that its folder exists`,
    );
  });

  it.skipIf(!canMakeReadOnly)(
    'a read-only data folder: exit 4, the queue file and the fix named, nothing sent',
    async () => {
      const dataDir = join(tmp.path, 'data');
      openJobStore(join(dataDir, 'queue.sqlite')).close();
      const [photo] = await makePhotos(tmp.path, 1, 'ro');
      const run = runReadOnly(
        dataDir,
        'cli',
        ['run', photo?.path ?? '', '--style', '2', '--yes', '--data-dir', dataDir],
        env(),
      );
      const { code, stderr } = await run.done;
      expect(code, stderr).toBe(EXIT.local);
      expect(stderr).toContain(
        `restyle: Restyle cannot write its queue file ${join(dataDir, 'queue.sqlite')}: the file or its folder is read-only`,
      );
      expect(stderr).not.toMatch(/malformed|SQLITE_|attempt to write|unable to open database/);
      expect(mock.stats().totals.submits).toBe(0);
    },
    30_000,
  );

  it.skipIf(!canFillDisk)(
    'a disk that fills up mid-run: exit 4 naming the file; once space is freed, resume finishes, nothing paid twice',
    async () => {
      const dataDir = join(tmp.path, 'data');
      const libraryDir = join(tmp.path, 'library');
      mkdirSync(dataDir);
      const photos = await makePhotos(tmp.path, 3, 'full');
      const script = [
        '"$NODE" "$RESTYLE" status --data-dir "$1" > /dev/null',
        // Room for the batch to be written and started, not for it to finish (the kept
        // counts and their indexes take more room than before schema 4: 120 KB no longer
        // held the batch itself).
        'avail=$(df -k --output=avail "$1" | tail -1)',
        'dd if=/dev/zero of="$1/filler" bs=1k count=$((avail - 250)) 2> /dev/null',
        '"$NODE" "$RESTYLE" run $PHOTOS --style 2 --yes --data-dir "$1" --library "$LIB"',
        'echo "{\\"run\\":$?}"',
        'rm "$1/filler"',
        '"$NODE" "$RESTYLE" resume --data-dir "$1"',
        'echo "{\\"resume\\":$?}"',
      ].join('; ');
      const confined = runOnTinyDisk(dataDir, 4096, script, {
        ...env(),
        LIB: libraryDir,
        PHOTOS: photos.map((p) => p.path).join(' '),
      });
      const { stdout, stderr } = await confined.done;
      const codes = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, number>);
      expect(codes, stderr).toEqual([{ run: EXIT.local }, { resume: EXIT.ok }]);
      const full = `The disk holding the queue file ${join(dataDir, 'queue.sqlite')} is full: free some space`;
      expect(stderr).toContain(`The queue is paused: ${full}`);
      expect(stderr).not.toMatch(/SQLITE_|database or disk is full/);

      const stats = mock.stats();
      expect(stats.duplicatePaidImages).toEqual([]);
      expect(stats.totals.acceptedSubmits).toBe(3);
      const library = createLibrary({ root: libraryDir });
      try {
        for (const photo of photos) expect(library.find(photo.hash, 'preset:2')).toHaveLength(1);
      } finally {
        library.close();
      }
    },
    90_000,
  );
});

import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhotos } from '../core/queue/rig';
import { createMockDashScope, type MockDashScope } from '../support/mock-dashscope';
import { useTempDir } from '../support/temp-dir';
import { runCli } from './cli-rig';

let mock: MockDashScope;
let tmp: ReturnType<typeof useTempDir>;
beforeAll(async () => {
  mock = await createMockDashScope({ taskMs: 100, pendingMs: 10 });
  tmp = useTempDir('restyle-run-');
});
afterAll(async () => {
  await mock.close();
  tmp.cleanup();
});

const env = () => ({ DASHSCOPE_API_KEY: mock.apiKey, DASHSCOPE_HTTP_BASE_URL: mock.baseUrl });
const dirs = (name: string) => [
  '--data-dir',
  join(tmp.path, name, 'data'),
  '--library',
  join(tmp.path, name, 'lib'),
];

describe('restyle run/status exit codes', () => {
  it('exits 2 on usage errors (no recipe, two recipes, no --yes off a terminal)', async () => {
    const [photo] = await makePhotos(tmp.path, 1, 'usage');
    expect((await runCli(['run', photo!.path, '--yes', ...dirs('u')], env())).code).toBe(2);
    expect(
      (
        await runCli(
          ['run', photo!.path, '--style', '1', '--prompt', 'x', '--yes', ...dirs('u')],
          env(),
        )
      ).code,
    ).toBe(2);
    expect((await runCli(['run', photo!.path, '--style', '1', ...dirs('u')], env())).code).toBe(2);
    expect(
      (await runCli(['run', photo!.path, '--style', '12', '--yes', ...dirs('u')], env())).code,
    ).toBe(2);
  }, 30_000);

  it('exits 0 when all are done, 1 when one failed, 3 on a bad key; status --json reports it', async () => {
    const photos = await makePhotos(tmp.path, 2, 'ok');
    const ok = await runCli(
      ['run', ...photos.map((p) => p.path), '--style', '3', '--yes', '--json', ...dirs('ok')],
      env(),
    );
    expect(ok.code, ok.stderr).toBe(0);
    const summary = JSON.parse(ok.stdout.trim().split('\n').at(-1)!) as {
      event: string;
      done: number;
    };
    expect(summary).toMatchObject({ event: 'summary', done: 2 });

    const bad = join(tmp.path, 'not-a-photo.jpg');
    writeFileSync(bad, 'hello');
    const partial = await runCli(
      ['run', photos[0]!.path, bad, '--style', '6', '--yes', ...dirs('partial')],
      env(),
    );
    expect(partial.code, partial.stderr).toBe(1);

    const locked = await runCli(['run', photos[1]!.path, '--style', '7', '--yes', ...dirs('key')], {
      ...env(),
      DASHSCOPE_API_KEY: 'sk-wrong-key-123',
    });
    expect(locked.code, locked.stderr).toBe(3);
    const status = await runCli(
      ['status', '--json', '--data-dir', join(tmp.path, 'key', 'data')],
      env(),
    );
    expect(JSON.parse(status.stdout)).toMatchObject({
      engine: { state: 'paused', reason: 'api_key_invalid' },
    });
  }, 60_000);
});

describe('restyle run follows the window settings in its data folder', () => {
  it('uses the endpoint, library folder and prices the app saved in config.json', async () => {
    const photos = await makePhotos(tmp.path, 2, 'settings');
    const dataDir = join(tmp.path, 'from-settings', 'data');
    const libraryDir = join(tmp.path, 'from-settings', 'chosen library');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      join(dataDir, 'config.json'),
      JSON.stringify({
        region: 'custom',
        customEndpoint: mock.baseUrl,
        libraryDir,
        pricing: { styleRepaintCny: 0.5, imageEditCny: 0.14, freeAllowance: 0 },
      }),
    );
    /** Runs the album with a preset through the CLI on these settings; answers its quote event. */
    const runQuoted = async (style: string) => {
      const run = await runCli(
        [
          'run',
          ...photos.map((p) => p.path),
          '--style',
          style,
          '--yes',
          '--json',
          '--data-dir',
          dataDir,
        ],
        { DASHSCOPE_API_KEY: mock.apiKey, DASHSCOPE_HTTP_BASE_URL: '' },
      );
      expect(run.code, run.stderr).toBe(0);
      return run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { event: string })
        .find((event) => event.event === 'quote');
    };

    expect(await runQuoted('4')).toMatchObject({ priceCny: 0.5, totalCny: 1 });
    const saved = readdirSync(libraryDir, { recursive: true }).map(String);
    expect(saved.filter((name) => name.endsWith('.restyle.json'))).toHaveLength(2);

    // With a free allowance of 3 images, the next 2 are free and the quote says so.
    const config = JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')) as {
      pricing: { freeAllowance: number };
    };
    config.pricing.freeAllowance = 3;
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify(config));
    expect(await runQuoted('6')).toMatchObject({
      images: 2,
      freeImages: 2,
      freeLeft: 3,
      totalCny: 0,
    });
  }, 30_000);
});

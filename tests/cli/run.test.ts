import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
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

    expect(await runQuoted('4')).toMatchObject({
      perImageCny: { 'wanx-style-repaint-v1': 0.5 },
      costCny: 1,
    });
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
      paidImages: 0,
      freeLeft: { 'wanx-style-repaint-v1': 3 },
      costCny: 0,
    });
  }, 30_000);
});

/**
 * `restyle run` on a terminal (a real pty, through `script`), answering the
 * confirmation with `answer` once it is asked.
 */
function runOnTerminal(
  args: string[],
  answer: string,
): Promise<{ code: number | null; out: string }> {
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'restyle.js');
  const command = [process.execPath, bin, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`);
  const child = spawn('script', ['-qec', command.join(' '), '/dev/null'], {
    env: { ...process.env, LANG: 'en_US.UTF-8', ...env() },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let answered = false;
  child.stdout.on('data', (chunk: Buffer) => {
    out += String(chunk);
    if (!answered && out.includes('[y/N]')) {
      answered = true;
      child.stdin.write(`${answer}\n`);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    }),
  );
}

describe('restyle run quotes before anything is queued', () => {
  it('says the quote in one wording, names the photo the recipe cannot take, and queues nothing when declined', async () => {
    const [small] = await makePhotos(tmp.path, 1, 'small'); // 320 px: too small for imageedit
    const big = join(tmp.path, 'big.jpg');
    await sharp({ create: { width: 640, height: 640, channels: 3, background: '#3a6' } })
      .jpeg()
      .toFile(big);
    const dataDir = join(tmp.path, 'declined', 'data');
    const args = [
      'run',
      small!.path,
      big,
      '--prompt',
      'ink wash',
      '--variants',
      '2',
      '--data-dir',
      dataDir,
      '--library',
      join(tmp.path, 'declined', 'lib'),
    ];
    const declined = await runOnTerminal(args, 'n');
    expect(declined.code, declined.out).toBe(0);
    const text = declined.out.replaceAll('\r', '');
    // The window's wording, each thing once: nothing paid, so no price line.
    expect(text).toContain('1 photo → 2 images\n');
    expect(text).toContain(
      'The free allowance covers all 2 (about 500 left, as set in Settings).\n',
    );
    expect(text).not.toContain('To pay for');
    expect(text).toContain('Total: 0.00 CNY\n');
    expect(text).toContain('1 photo cannot be sent in this style:');
    expect(text).toContain(
      `  ${small!.path}: Too small: 320x320 px; this model needs at least 512 px on each side.`,
    );
    expect(text).toContain('Nothing was queued.');
    const status = await runCli(['status', '--json', '--data-dir', dataDir], env());
    expect(JSON.parse(status.stdout)).toMatchObject({ batches: [] });
    expect(mock.tasks().filter((task) => task.model === 'wanx2.1-imageedit')).toHaveLength(0);
  }, 60_000);
});

// Hostile input through the real `restyle` bin: file names carrying terminal
// escapes, FIFOs and devices, broken links, unreadable folders, and the
// reasons of files that cannot be sent and of failed jobs in text mode.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photo } from '../core/intake/images';
import { createMockDashScope, type MockDashScope } from '../support/mock-dashscope';
import { useTempDir } from '../support/temp-dir';
import { runCli } from './cli-rig';

const posix = process.platform !== 'win32';
const bin = join(import.meta.dirname, '../../bin/restyle.js');
/** ESC, BEL, CR, LF and the right-to-left override: none may reach the terminal raw. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;

let tmp: ReturnType<typeof useTempDir>;
let mock: MockDashScope;
let album: string;
let fifo: string;
const escName = 'a\x1b[31mred\x07.jpg';
const lineName = 'line\nbreak.jpg';
const rtlName = 'evil\u202egpj.exe.jpg';

beforeAll(async () => {
  tmp = useTempDir('restyle-cli-hostile-');
  mock = await createMockDashScope({ taskMs: 50, pendingMs: 10 });
  album = join(tmp.path, 'album');
  mkdirSync(album);
  await photo(400, 300).jpeg().toFile(join(album, 'good.jpg'));
  await photo(400, 300, 20).jpeg().toFile(join(album, escName));
  writeFileSync(join(album, lineName), 'not a photo');
  writeFileSync(join(album, rtlName), 'not a photo either');
  if (posix) {
    fifo = join(tmp.path, 'pipe.jpg');
    execFileSync('mkfifo', [fifo]);
    symlinkSync(join(album, 'gone.jpg'), join(album, 'dangling.jpg'));
  }
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

describe('text output escapes what names carry', () => {
  it('restyle scan prints one line per file, with control characters escaped', async () => {
    const text = await runCli(['scan', album], { RESTYLE_DATA_DIR: join(tmp.path, 'd0') });
    expect(text.stdout).not.toMatch(CONTROL);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(posix ? 5 : 4);
    expect(text.stdout).toContain('a\\x1b[31mred\\x07.jpg');
    expect(text.stdout).toContain('line\\nbreak.jpg');
    expect(text.stdout).toContain('evil\\u202egpj.exe.jpg');
    // JSON keeps the names exact (JSON.stringify escapes them itself).
    const json = await runCli(['scan', album, '--json'], {
      RESTYLE_DATA_DIR: join(tmp.path, 'd0'),
    });
    const paths = json.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { path: string }).path);
    expect(paths).toEqual(expect.arrayContaining([join(album, escName), join(album, lineName)]));
  }, 60_000);

  it('restyle run names each file it cannot send, and run and status each failed job, with its reason, escaped', async () => {
    // Both photos are refused by the content check (the mock is told so).
    mock.inject({ failTasks: { count: 2, code: 'DataInspectionFailed' } });
    const run = await runCli(['run', album, '--style', '3', '--yes', ...dirs('fail')], env());
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).not.toMatch(CONTROL);
    // Named in the quote, before anything is sent.
    const notImage = 'Not an image: the content is not a photo format';
    expect(run.stderr).toContain(`  ${join(album, 'line\\nbreak.jpg')}: ${notImage}`);
    expect(run.stderr).toContain(`  ${join(album, 'evil\\u202egpj.exe.jpg')}: ${notImage}`);
    if (posix) {
      expect(run.stderr).toContain(`  ${join(album, 'dangling.jpg')}: A broken shortcut`);
    }
    const refused = `  ${join(album, 'a\\x1b[31mred\\x07.jpg')}: DashScope's content check refused this photo.`;
    expect(run.stderr).toContain(refused);
    const status = await runCli(['status', '--data-dir', join(tmp.path, 'fail', 'data')], env());
    expect(status.code).toBe(0);
    expect(status.stdout).not.toMatch(CONTROL);
    expect(status.stdout).toContain(refused);
  }, 60_000);

  it('in Chinese too', async () => {
    mock.clearFaults();
    mock.inject({ failTasks: { count: 2, code: 'DataInspectionFailed' } });
    const zh = { ...env(), LANG: 'zh_CN.UTF-8' };
    const run = await runCli(['run', album, '--style', '4', '--yes', ...dirs('zh')], zh);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(`  ${join(album, 'line\\nbreak.jpg')}：不是图片`);
    const refused = `  ${join(album, 'a\\x1b[31mred\\x07.jpg')}：这张照片未通过 DashScope 的内容审核。`;
    expect(run.stderr).toContain(refused);
    const status = await runCli(['status', '--data-dir', join(tmp.path, 'zh', 'data')], zh);
    expect(status.stdout).toContain(refused);
  }, 60_000);
});

describe.runIf(posix)('FIFOs, devices and unreadable folders', () => {
  it('restyle scan reports a FIFO, a device and a broken link, and ends', () => {
    const result = spawnSync(
      process.execPath,
      [bin, 'scan', fifo, '/dev/zero', join(album, 'dangling.jpg')],
      {
        encoding: 'utf8',
        env: { ...process.env, LANG: 'en_US.UTF-8', RESTYLE_DATA_DIR: join(tmp.path, 'd1') },
        timeout: 60_000,
      },
    );
    expect(result.signal, 'the scan hung').toBeNull();
    expect(result.status).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.find((l) => l.includes('pipe.jpg'))).toContain('Not a regular file');
    expect(lines.find((l) => l.includes('/dev/zero'))).toContain('Not a regular file');
    expect(lines.find((l) => l.includes('dangling.jpg'))).toContain('A broken shortcut');
  });

  it('restyle run --style-ref <fifo> is a usage error, not a hang', async () => {
    const run = await runCli(
      ['run', join(album, 'good.jpg'), '--style-ref', fifo, '--yes', ...dirs('ref')],
      env(),
    );
    expect(run.signal, 'the run hung').toBeNull();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`The style reference ${fifo} cannot be used: Not a regular file`);
    const missing = await runCli(
      ['run', join(album, 'good.jpg'), '--style-ref', join(album, 'nowhere.png'), '--yes'],
      env(),
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('The file does not exist');
    expect(missing.stderr).not.toContain('ENOENT');
  }, 60_000);

  it('an unreadable folder is called a folder', () => {
    const root = join(tmp.path, 'perm');
    const locked = join(root, 'locked');
    mkdirSync(locked, { recursive: true });
    chmodSync(tmp.path, 0o755);
    chmodSync(root, 0o755);
    chmodSync(locked, 0o000);
    // Root reads every folder: scan as root without the capabilities that bypass file
    // modes (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so the locked folder is locked for it
    // while Node, which may live in root's own home (CI), stays readable.
    const asRoot = process.getuid?.() === 0;
    const command = asRoot ? 'setpriv' : process.execPath;
    const args = [bin, 'scan', root];
    const result = spawnSync(
      command,
      asRoot
        ? ['--bounding-set=-dac_override,-dac_read_search', '--', process.execPath, ...args]
        : args,
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          LANG: 'en_US.UTF-8',
          HOME: root,
          RESTYLE_DATA_DIR: join(root, 'data'),
        },
        timeout: 60_000,
      },
    );
    if (result.error) throw result.error;
    chmodSync(locked, 0o755);
    expect(result.stderr).toContain('1 files: 0 ready, 0 adjusted, 0 skipped, 1 rejected');
    const line = result.stdout.split('\n').find((l) => l.includes(locked));
    expect(line).toContain(
      '(This folder cannot be opened (EACCES): its photos were not looked at.)',
    );
  });
});

// Intake benchmark (`npm run bench intake`): photos per second for scan +
// thumbnails and for preparation on a folder of 12 MP JPEGs, against libvips'
// own vipsthumbnail as the yardstick, with peak memory for two folder sizes.
// Each measurement runs in its own process so its peak RSS is its own.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createIntakeService } from '../electron/core/intake/intake-service';

const SMALL = 16;
const LARGE = 40;
const VIPSTHUMBNAIL = '/usr/bin/vipsthumbnail';
const corpus = join(tmpdir(), 'restyle-bench-intake');

type Phase = 'thumbs' | 'prepare';
interface Measure {
  photos: number;
  seconds: number;
  maxRssMb: number;
}

/** Child mode: `--phase thumbs|prepare <folder>` prints one JSON Measure. */
async function child(phase: Phase, folder: string): Promise<void> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'restyle-bench-cache-'));
  const intake = createIntakeService({ cacheDir });
  const started = performance.now();
  let photos = 0;
  const options =
    phase === 'thumbs'
      ? { model: 'wanx-style-repaint-v1' as const, thumbnails: true }
      : { model: 'wanx-style-repaint-v1' as const, thumbnails: false, prepare: true };
  for await (const record of intake.scan([folder], options)) {
    if (record.status === 'rejected') throw new Error(`${record.path}: ${record.reason?.code}`);
    photos += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  await rm(cacheDir, { recursive: true, force: true });
  const measure: Measure = { photos, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(`${JSON.stringify(measure)}\n`);
}

/** A folder of `count` distinct 12 MP JPEGs (4000x3000, noisy like a real photo), kept between runs. */
async function folderOf(count: number): Promise<string> {
  const dir = join(corpus, `jpeg-12mp-${count}`);
  await mkdir(dir, { recursive: true });
  const have = new Set(await readdir(dir));
  for (let i = 0; i < count; i += 1) {
    const name = `IMG_${String(i).padStart(4, '0')}.jpg`;
    if (have.has(name)) continue;
    await sharp({
      create: {
        width: 4000,
        height: 3000,
        channels: 3,
        background: { r: 90 + (i % 7) * 20, g: 120, b: 160 - (i % 5) * 15 },
        noise: { type: 'gaussian', mean: 110 + (i % 9) * 5, sigma: 14 },
      },
    })
      .jpeg({ quality: 88 })
      .toFile(join(dir, `${name}.tmp`));
    execFileSync('mv', [join(dir, `${name}.tmp`), join(dir, name)]);
  }
  return dir;
}

function measureChild(phase: Phase, folder: string): Measure {
  const self = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, ['--import', 'tsx', self, '--phase', phase, folder], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`${phase} failed`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Measure;
}

/** vipsthumbnail over the same files, making the same sizes (one pass per size, as its CLI does). */
async function vipsthumbnail(folder: string, sizes: number[]): Promise<number> {
  const files = (await readdir(folder))
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => join(folder, f));
  const out = await mkdtemp(join(tmpdir(), 'restyle-bench-vips-'));
  const started = performance.now();
  for (const size of sizes) {
    execFileSync(VIPSTHUMBNAIL, [
      '-s',
      String(size),
      '-o',
      join(out, `%s-${size}.webp[Q=80]`),
      ...files,
    ]);
  }
  const seconds = (performance.now() - started) / 1000;
  await rm(out, { recursive: true, force: true });
  return files.length / seconds;
}

const rate = (m: Measure) => m.photos / m.seconds;
const fmt = (n: number) => n.toFixed(1);

async function main(): Promise<void> {
  const phaseAt = process.argv.indexOf('--phase');
  if (phaseAt > 0)
    return child(process.argv[phaseAt + 1] as Phase, process.argv[phaseAt + 2] ?? '');

  console.log(`generating/reusing ${LARGE} 12 MP JPEGs under ${corpus} …`);
  const small = await folderOf(SMALL);
  const large = await folderOf(LARGE);
  if (!existsSync(VIPSTHUMBNAIL))
    throw new Error(`${VIPSTHUMBNAIL} missing (apt-get install libvips-tools)`);

  const rows: string[] = [];
  let last: { thumbs: Measure; prepare: Measure } | undefined;
  for (const [count, folder] of [
    [SMALL, small],
    [LARGE, large],
  ] as const) {
    const thumbs = measureChild('thumbs', folder);
    const prepare = measureChild('prepare', folder);
    rows.push(
      `${String(count).padStart(3)} photos | scan+hash+thumbnails ${fmt(rate(thumbs))}/s, peak RSS ${fmt(thumbs.maxRssMb)} MB | prepare ${fmt(rate(prepare))}/s, peak RSS ${fmt(prepare.maxRssMb)} MB`,
    );
    last = { thumbs, prepare };
  }
  for (const row of rows) console.log(row);
  if (!last) return;

  const vipsBoth = await vipsthumbnail(large, [1024, 320]);
  const vipsSmall = await vipsthumbnail(large, [320]);
  const ours = rate(last.thumbs);
  console.log(`vipsthumbnail, same two sizes (1024 + 320 px WebP): ${fmt(vipsBoth)} photos/s`);
  console.log(`vipsthumbnail, 320 px only:                         ${fmt(vipsSmall)} photos/s`);
  console.log(
    `ratio restyle/vipsthumbnail (same sizes): ${(ours / vipsBoth).toFixed(2)} (target >= 0.80)`,
  );
  console.log(`ratio restyle/vipsthumbnail (320 only):   ${(ours / vipsSmall).toFixed(2)}`);
}

await main();

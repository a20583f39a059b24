// Intake bench (`npm run bench intake`, issue 12): Restyle's intake of 200
// real 12 MP JPEGs (bench/support/photos.ts), all it does for each photo
// before the photo can be sent (its hash and header, the gallery's 1024 and
// 320 px WebP thumbnails and the probe cache, then the upload as the job
// engine builds it), timed as a whole process from spawn to exit, beside two
// anchors measured in the same run, doing the same work:
//
// - vipsthumbnail, libvips' own command. Restyle decodes each photo once (the
//   1024 px thumbnail, shrinking on load) and the 320 px one from that
//   thumbnail; a photo it sends as it is (upright 8-bit sRGB JPEG within the
//   limits) is not decoded again. So vipsthumbnail runs once over all the
//   photos for the 1024 px WebPs and once over those for the 320 px ones: the
//   same sizes, settings and decodes, and a process start per pass (Restyle
//   pays one: a bundled script, as the CLI ships). Where the upload must be
//   re-encoded (photos turned by EXIF), a third pass makes it at full size,
//   quality 90, metadata stripped. vipsthumbnail hashes nothing: Restyle's
//   SHA-256 and its metadata strip are only against it.
// - a plain sharp script doing the same steps with none of Restyle's code
//   (bench/support/intake-plain.ts), four photos at a time as Restyle's scan.
//
// Each contender runs BENCH_ROUNDS times (3), interleaved, on a fresh output
// folder; the median is printed with the fastest. The photos come back from
// the page cache after their first read, for every contender alike.
// BENCH_PHOTOS (200) and BENCH_ROTATED (40) set the two sets' sizes.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import sharp from 'sharp';
import { stripJpegMetadata } from '../electron/core/intake/jpeg-strip';
import type { IntakeReport } from './support/intake-report';
import { photos12mp } from './support/photos';

const PHOTOS = Number(process.env.BENCH_PHOTOS ?? 200);
const ROTATED = Number(process.env.BENCH_ROTATED ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const VIPSTHUMBNAIL = '/usr/bin/vipsthumbnail';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundles = join(root, 'out', 'bench-intake');

/** The two children, bundled like the CLI (plain Node, no TypeScript compiled at start). */
async function bundleChildren(): Promise<void> {
  await build({
    absWorkingDir: root,
    entryPoints: {
      restyle: 'bench/support/intake-restyle.ts',
      plain: 'bench/support/intake-plain.ts',
    },
    outdir: bundles,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    external: ['sharp', 'heic-decode', 'libheif-js', 'electron'],
    banner: {
      js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}

/** `count` of the 12 MP photos again, turned by EXIF (orientation 6, as a phone held upright writes). */
async function rotatedPhotos(sources: string[]): Promise<string[]> {
  const folder = join(tmpdir(), 'restyle-bench-intake-rotated-v1');
  await mkdir(folder, { recursive: true });
  const paths: string[] = [];
  for (const source of sources) {
    const path = join(folder, basename(source));
    if (!existsSync(path)) {
      await sharp(source)
        .withMetadata({ orientation: 6 })
        .jpeg({ quality: 90 })
        .toFile(`${path}.tmp`);
      await rename(`${path}.tmp`, path);
    }
    paths.push(path);
  }
  return paths;
}

interface Timed {
  seconds: number;
  /** CPU seconds (user + system, all threads) of the process; NaN where the OS does not tell. */
  cpu: number;
  result?: IntakeReport;
}

/**
 * CPU seconds of this process's finished children (Linux: /proc/self/stat's
 * cutime and cstime, in clock ticks of 1/100 s): the work done, which the
 * other processes sharing the machine do not change as they change wall time.
 */
function childrenCpu(): number {
  if (!existsSync('/proc/self/stat')) return NaN;
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** Runs a command to its end: wall time from spawn to exit, and its CPU time. */
function timed(command: string, args: string[]): Timed {
  const cpuBefore = childrenCpu();
  const started = performance.now();
  const run = spawnSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = childrenCpu() - cpuBefore;
  if (run.status !== 0) throw new Error(`${basename(command)} failed: ${run.stderr}`);
  const last = run.stdout.trim().split('\n').pop() ?? '';
  return last.startsWith('{')
    ? { seconds, cpu, result: JSON.parse(last) as IntakeReport }
    : { seconds, cpu };
}

type Contender = (photos: string[], upload: boolean) => Promise<Timed>;

/** `run` given a fresh output folder, removed after. */
async function inFresh<T>(run: (folder: string) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(join(tmpdir(), 'restyle-bench-intake-out-'));
  try {
    return await run(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** A bundled child (restyle.mjs, plain.mjs): its output folder first, then the photos. */
const child =
  (name: string): Contender =>
  (photos) =>
    inFresh(async (out) => timed(process.execPath, [join(bundles, `${name}.mjs`), out, ...photos]));

/** One vipsthumbnail process over `inputs`. */
const vipsPass = (side: number, output: string, inputs: string[]) =>
  timed(VIPSTHUMBNAIL, ['-s', String(side), '-o', output, ...inputs]);

const plus = (a: Timed, b: Timed): Timed => ({
  seconds: a.seconds + b.seconds,
  cpu: a.cpu + b.cpu,
});

/** vipsthumbnail's passes (see the top of this file); `upload`: the third, full-size JPEG pass. */
const vipsthumbnail: Contender = (photos, upload) =>
  inFresh(async (out) => {
    let total = vipsPass(1024, `${out}/%s-1024.webp[Q=80,effort=2]`, photos);
    const larges = (await readdir(out)).map((name) => join(out, name));
    total = plus(total, vipsPass(320, `${out}/%s-320.webp[Q=75,effort=2]`, larges));
    if (upload) {
      const sizes = await Promise.all(photos.map((photo) => sharp(photo).metadata()));
      const side = Math.max(...sizes.map((meta) => Math.max(meta.width ?? 0, meta.height ?? 0)));
      const jpeg = `${out}/%s-upload.jpg[Q=90,strip,optimize_coding=false]`;
      total = plus(total, vipsPass(side, jpeg, photos));
    }
    return total;
  });

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const s = (seconds: number) => `${seconds.toFixed(2)} s`;

/** Every contender ROUNDS times, interleaved; the median and fastest of each, wall and CPU. */
async function compare(label: string, photos: string[], upload: boolean): Promise<void> {
  const contenders: [string, Contender][] = [
    ['Restyle', child('restyle')],
    ['plain sharp', child('plain')],
  ];
  const vips = existsSync(VIPSTHUMBNAIL);
  if (vips) contenders.push(['vipsthumbnail', vipsthumbnail]);
  const runs = new Map<string, Timed[]>(contenders.map(([name]) => [name, []]));
  let ours: IntakeReport | undefined;
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, run] of contenders) {
      const result = await run(photos, upload);
      runs.get(name)!.push(result);
      if (result.result && name === 'Restyle') ours = result.result;
    }
  }
  console.log(
    `\n${label}: ${photos.length} photos, ${ROUNDS} rounds, whole processes (median; fastest)`,
  );
  const wall = (name: string) => median(runs.get(name)!.map((run) => run.seconds));
  const cpu = (name: string) => median(runs.get(name)!.map((run) => run.cpu));
  for (const [name] of contenders) {
    const fastest = Math.min(...runs.get(name)!.map((run) => run.seconds));
    console.log(
      `  ${name.padEnd(14)} wall ${s(wall(name)).padStart(8)} (${s(fastest)})  ${(photos.length / wall(name)).toFixed(1)} photos/s  CPU ${s(cpu(name)).padStart(8)}`,
    );
  }
  if (ours) {
    console.log(
      `  Restyle sent ${ours.sentAsIs} of ${ours.photos} as they are (metadata stripped); uploads ${(ours.uploadBytes / 1048576).toFixed(0)} MB as data URIs; peak RSS ${ours.maxRssMb.toFixed(0)} MB`,
    );
  }
  const ratios = (anchor: string, target: string) =>
    `  Restyle / ${anchor}: wall ${(wall('Restyle') / wall(anchor)).toFixed(2)}, CPU ${(cpu('Restyle') / cpu(anchor)).toFixed(2)} (done when <= ${target})`;
  console.log(ratios('plain sharp', '1.10'));
  if (vips) console.log(ratios('vipsthumbnail', '1.00'));
  else {
    console.log(
      `  vipsthumbnail: not installed (${VIPSTHUMBNAIL}; Debian: apt-get install libvips-tools), that anchor is skipped`,
    );
  }
}

/** The upload of an in-limit upright sRGB JPEG: stripped as it is, against re-encoding it. */
async function uploadCost(photos: string[]): Promise<void> {
  const files = await Promise.all(photos.map((photo) => readFile(photo)));
  const encode = (optimiseCoding: boolean) => async (file: Buffer) =>
    (await sharp(file).rotate().toColourspace('srgb')
      .jpeg({ quality: 90, chromaSubsampling: '4:2:0', optimiseCoding }).toBuffer()).length; // prettier-ignore
  const ways: [string, (file: Buffer) => Promise<number>][] = [
    ['sent as is, metadata stripped', async (file) => stripJpegMetadata(file)?.jpeg.length ?? NaN],
    ['re-encoded, q90 (Restyle now)', encode(false)],
    ['re-encoded, q90, optimiseCoding (before)', encode(true)],
  ];
  console.log(
    `\nOne upload of a 12 MP JPEG that needs nothing (${files.length} photos, one at a time):`,
  );
  let anchor = 0;
  for (const [label, way] of ways) {
    const started = performance.now();
    let bytes = 0;
    for (const file of files) bytes += await way(file);
    const ms = (performance.now() - started) / files.length;
    anchor ||= ms;
    console.log(
      `  ${label.padEnd(42)} ${ms.toFixed(1).padStart(7)} ms/photo  ${(bytes / files.length / 1048576).toFixed(2)} MB  (x${(ms / anchor).toFixed(1)})`,
    );
  }
}

console.log(`photos: ${PHOTOS} distinct 12 MP JPEGs (made once, kept under ${tmpdir()})`);
const photos = await photos12mp(PHOTOS);
const rotated = await rotatedPhotos(photos.slice(0, ROTATED));
await bundleChildren();
await uploadCost(photos.slice(0, 20));
await compare('Upright sRGB JPEGs within the limits (uploads sent as they are)', photos, false);
await compare('Turned by EXIF (uploads decoded, turned, re-encoded)', rotated, true);

// Gallery benchmark (`npm run bench gallery`): the real window in Chromium over
// the dev bridge, against the real core, with a folder of 10,000 small JPEGs.
// Prints the time from adding the folder (the path a drop takes) to the first
// thumbnail on screen and to every record listed, then frame times (p50, p95,
// p99, max, and the frames over the 16.7 ms budget of 60 Hz) while the gallery
// scrolls top to bottom in 5 s and at reading speed, driven by
// requestAnimationFrame, beside its anchors in the same Chromium: an empty
// page, and the gallery not scrolling. Figures only: nothing here asserts a timing.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { buildRenderer, printScrolls, withBenchWindow } from './support/window';

const PHOTOS = 10_000;
const PER_FOLDER = 500;
const corpus = join(tmpdir(), 'restyle-bench-gallery', `jpeg-400x300-${PHOTOS}`);

/** Distinct 400x300 JPEGs (colour and a block vary with i), in folders of 500; cached. */
async function ensureCorpus(): Promise<void> {
  const marker = `${corpus}.complete`;
  if (existsSync(marker)) return;
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < PHOTOS; i = next++) {
      const dir = join(corpus, `roll-${String(Math.floor(i / PER_FOLDER)).padStart(2, '0')}`);
      if (i % PER_FOLDER === 0) await mkdir(dir, { recursive: true });
      const background = {
        r: (i % 16) * 16,
        g: (Math.floor(i / 16) % 16) * 16,
        b: 60 + (i % 7) * 25,
      };
      const block = await sharp({
        create: {
          width: 120,
          height: 90,
          channels: 3,
          background: { r: 250, g: 240, b: (i * 37) % 256 },
        },
      })
        .png()
        .toBuffer();
      const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background } })
        .composite([{ input: block, left: (i * 13) % 280, top: (i * 7) % 210 }])
        .jpeg({ quality: 80 })
        .toBuffer();
      await writeFile(join(dir, `IMG_${String(i).padStart(5, '0')}.jpg`), jpeg);
    }
  };
  await mkdir(join(corpus, 'roll-00'), { recursive: true });
  await Promise.all(Array.from({ length: 4 }, worker));
  await writeFile(marker, '');
  console.log(
    `generated ${PHOTOS} JPEGs in ${((performance.now() - started) / 1000).toFixed(1)} s (cached in ${corpus})`,
  );
}

// Page scripts are plain source: tsx would wrap named functions in a helper the page lacks.
/** Clicks Add photos and resolves with the ms until the first thumbnail has loaded. */
const FIRST_THUMBNAIL = `new Promise((resolve) => {
  const started = performance.now();
  document.querySelector('[data-testid="add-photos"]').click();
  const check = () => {
    const img = document.querySelector('[data-testid="gallery"] img');
    if (img && img.complete && img.naturalWidth > 0) resolve(performance.now() - started);
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})`;

async function main(): Promise<void> {
  buildRenderer();
  await ensureCorpus();
  await withBenchWindow({ dataPrefix: 'restyle-bench-gallery-data-' }, async ({ page, app }) => {
    await page.getByTestId('add-photos').waitFor();

    // Same path as a drop: addPaths, here behind Add photos with a scripted dialog answer.
    app.platform.queuePhotoChoice([corpus]);
    const firstMs = Number(await page.evaluate(FIRST_THUMBNAIL));
    const listedStarted = Date.now();
    await page.getByTestId('cancel-scan').waitFor({ state: 'detached', timeout: 900_000 });
    const allMs = firstMs + (Date.now() - listedStarted);
    const found = await page.locator('[data-testid="overview"] strong').textContent();

    console.log(
      `gallery of ${found?.trim()} (${PHOTOS} JPEGs, 400x300, Chromium headless, 1280x860)`,
    );
    console.log(`  drop → first thumbnail visible: ${firstMs.toFixed(0)} ms`);
    console.log(`  drop → all records listed:      ${(allMs / 1000).toFixed(1)} s`);
    await printScrolls(page, 'gallery-scroll');
  });
}

await main();

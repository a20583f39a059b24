// Library benchmark (`npm run bench library`): 100,000 results written as
// sidecars and small real JPEGs (tests/support/synthetic-library.ts; cached
// between runs under the OS temp folder), then:
//   1. the index made from the sidecars: createLibrary over no index, then
//      rebuildIndex, in a child process so its peak memory is its own;
//   2. library:sync with nothing changed, and the window's queries through the
//      real dispatcher (zod, handler, SQL): first call, p50 and p95;
//   3. the `thumb` reader: the first time per tile (decode, resize, cache)
//      and cached;
//   4. the real window in Chromium over the dev bridge: opening the Results
//      grid to its first tiles, and frame times while it scrolls.
// Figures only: nothing here asserts a timing. BENCH_PARTS=rebuild,queries,
// thumbs,grid picks parts (default: all).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LibraryQueryFilter } from '../shared/contract/library';
import { createDispatcher, type Dispatch } from '../electron/core/ipc/dispatch';
import { handlers } from '../electron/core/ipc/handlers';
import { createLibrary, indexPath } from '../electron/core/library/library';
import { createResultReaders } from '../electron/core/library/result-readers';
import { pathsUnder } from '../electron/core/services';
import { makeServices } from '../tests/support/core-services';
import { percentile } from './support/frames';
import { buildRenderer, printScrolls, withBenchWindow } from './support/window';
import { writeSyntheticLibrary, type SyntheticLibrary } from '../tests/support/synthetic-library';
import { openDb } from '../electron/core/db/sqlite';

const RESULTS = 100_000;
/** The newest results get photo-sized images (the first screens of the grid). */
const FULL_SIZE = 400;
const QUERY_TARGET_MS = 50;
const RUNS = 30;
const THUMBS = 120;
/** Bump when the generator changes what it writes, so an old cache is not used. */
const CORPUS_VERSION = 'v2';
const cacheDir = join(tmpdir(), 'restyle-bench-library');
const corpus = join(cacheDir, `${CORPUS_VERSION}-${RESULTS}`);
const corpusInfo = `${corpus}.json`;
const parts = new Set(
  (process.env.BENCH_PARTS ?? 'rebuild,queries,thumbs,grid').split(',').map((p) => p.trim()),
);

async function ensureCorpus(): Promise<SyntheticLibrary> {
  if (existsSync(corpusInfo))
    return JSON.parse(readFileSync(corpusInfo, 'utf8')) as SyntheticLibrary;
  rmSync(corpus, { recursive: true, force: true });
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(0);
  const made = await writeSyntheticLibrary({
    root: corpus,
    results: RESULTS,
    fullSize: FULL_SIZE,
    onProgress: (n) => n % 25_000 === 0 && console.log(`  … ${n} results written (${seconds()} s)`),
  });
  writeFileSync(corpusInfo, JSON.stringify(made, null, 2));
  console.log(`generated ${RESULTS} results in ${seconds()} s (cached in ${corpus})`);
  return made;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** In a child process (`--rebuild`): the index made from nothing, then rebuilt; prints JSON. */
async function rebuildChild(root: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(indexPath(root) + suffix, { force: true });
  let started = performance.now();
  const library = createLibrary({ root });
  const openMs = performance.now() - started;
  const afterOpen = { maxRss: process.resourceUsage().maxRSS * 1024, ...process.memoryUsage() };
  started = performance.now();
  const { entries } = await library.rebuildIndex();
  const rebuildMs = performance.now() - started;
  const afterRebuild = { maxRss: process.resourceUsage().maxRSS * 1024, ...process.memoryUsage() };
  library.close();
  console.log(JSON.stringify({ entries, openMs, rebuildMs, afterOpen, afterRebuild }));
}

async function rebuild(): Promise<void> {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--rebuild', corpus],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (child.status !== 0) throw new Error(`rebuild child failed: ${child.stderr}`);
  type Memory = { maxRss: number; heapTotal: number; heapUsed: number };
  const r = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as {
    entries: number;
    openMs: number;
    rebuildMs: number;
    afterOpen: Memory;
    afterRebuild: Memory;
  };
  console.log(`index of ${r.entries} results from their sidecars (its own process):`);
  console.log(
    `  createLibrary over no index: ${(r.openMs / 1000).toFixed(1)} s; peak RSS ${mb(r.afterOpen.maxRss)}, ` +
      `V8 heap after ${mb(r.afterOpen.heapTotal)} committed / ${mb(r.afterOpen.heapUsed)} used`,
  );
  console.log(
    `  rebuildIndex on the open library: ${(r.rebuildMs / 1000).toFixed(1)} s; peak RSS ${mb(r.afterRebuild.maxRss)}, ` +
      `V8 heap after ${mb(r.afterRebuild.heapTotal)} committed / ${mb(r.afterRebuild.heapUsed)} used`,
  );
}

/** The Library's switch to the Results view. */
const RESULTS_VIEW_TESTID = 'library-mode-results';

const OWN_PAGE = 'app://restyle/index.html';

interface Timing {
  /** The first call (nothing remembered, pages not in SQLite's cache yet). */
  first: number;
  /** Each call after another connection wrote to the index, so no answer is remembered. */
  p50: number;
  p95: number;
  /** Asked again unchanged: what scrolling a filter's pages costs (totals and facets are remembered). */
  again: number;
  value: unknown;
}

/**
 * Times `channel`: a first call, RUNS calls each after `forget()` (another
 * connection's write moves the index's data_version, which drops the answers
 * the queries remember), then RUNS calls asked again unchanged.
 */
async function timeCalls(
  dispatch: Dispatch,
  channel: string,
  payload: unknown,
  forget: () => void,
  runs = RUNS,
): Promise<Timing> {
  const call = async () => {
    const started = performance.now();
    const result = await dispatch({ senderUrl: OWN_PAGE }, channel, payload);
    const ms = performance.now() - started;
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return { ms, value: result.value };
  };
  const first = await call();
  const cold: number[] = [];
  for (let i = 0; i < runs; i++) {
    forget();
    cold.push((await call()).ms);
  }
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) warm.push((await call()).ms);
  cold.sort((a, b) => a - b);
  warm.sort((a, b) => a - b);
  return {
    first: first.ms,
    p50: percentile(cold, 50),
    p95: percentile(cold, 95),
    again: percentile(warm, 50),
    value: first.value,
  };
}

const ms = (n: number) => `${n.toFixed(1).padStart(6)} ms`;
const line = (label: string, t: Timing, extra = '') =>
  `  ${label.padEnd(42)} first ${ms(t.first)}, p50 ${ms(t.p50)}, p95 ${ms(t.p95)}; again ${ms(t.again)}  ${extra}`;

const verdict = (p95: number, target: number) =>
  `(target p95 < ${target} ms: ${p95 < target ? 'met' : 'MISSED'})`;

/** The core part: sync with nothing changed, then every query the window makes. */
async function queries(made: SyntheticLibrary): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'restyle-bench-library-data-'));
  const services = makeServices(dataDir, { paths: pathsUnder(dataDir, corpus) });
  const dispatch = createDispatcher({
    services,
    handlers,
    isTrustedSender: (url) => url === OWN_PAGE,
  });
  try {
    // Another connection's write: the queries' remembered answers are dropped.
    const other = openDb(indexPath(corpus));
    let touches = 0;
    const forget = () =>
      void other.run(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('bench', ?)",
        String(++touches),
      );
    console.log(
      `sync and queries over ${RESULTS} results (the dispatcher in-process; p50/p95 of ${RUNS} runs, none remembered):`,
    );
    const sync = await timeCalls(dispatch, 'library:sync', {}, forget, 5);
    console.log(line('library:sync, nothing changed', sync, JSON.stringify(sync.value)));

    const { probes } = made;
    const results = async (label: string, filter: LibraryQueryFilter, extra: object = {}) => {
      const t = await timeCalls(
        dispatch,
        'library:results',
        { filter, limit: 100, ...extra },
        forget,
      );
      const total = (t.value as { total: number }).total;
      console.log(
        line(label, t, `${String(total).padStart(6)} match ${verdict(t.p95, QUERY_TARGET_MS)}`),
      );
    };
    await results('results, newest first, page 1', {});
    await results('filter: album + style', {
      albumFolder: probes.album,
      recipeKeys: [probes.recipeKey],
    });
    await results(`text: file name "${probes.fileWord}"`, { text: probes.fileWord });
    await results(`text: Chinese "${probes.chineseWord}"`, { text: probes.chineseWord });
    await results(`text: prompt "${probes.promptWord}"`, { text: probes.promptWord });
    await results('rated 4+, newest', { minRating: 4 });
    await results('deep page (offset 90,000)', {}, { offset: 90_000 });
    await results('deep page (offset 90,000), sort by name', {}, { offset: 90_000, sort: 'name' });

    const query = async (label: string, channel: string, payload: unknown) => {
      const t = await timeCalls(dispatch, channel, payload, forget);
      console.log(line(label, t, verdict(t.p95, QUERY_TARGET_MS)));
      return t.value;
    };
    await query('facets, whole library', 'library:facets', { filter: {} });
    await query(`facets, text "${probes.fileWord}"`, 'library:facets', {
      filter: { text: probes.fileWord },
    });
    await query('stats (spend), whole library', 'library:stats', { filter: {} });
    const photos = (await query('photos page 1 (one tile per photo)', 'library:photos', {
      limit: 100,
    })) as { photos: Array<{ sourceHash: string }>; total: number };
    await query('photos page at offset 20,000', 'library:photos', {
      offset: Math.min(20_000, Math.max(0, photos.total - 100)),
      limit: 100,
    });
    const stackOf = photos.photos[0]?.sourceHash;
    if (stackOf) await query('photo stack', 'library:photo-stack', { sourceHash: stackOf });
    await query('albums', 'library:albums', {});
    await query(`coverage of "${probes.album}"`, 'library:coverage', {
      albumFolder: probes.album,
      limit: 100,
    });
    other.run("DELETE FROM meta WHERE key = 'bench'");
    other.close();
  } finally {
    await services.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The grid's previews: made the first time a tile asks, then read from the cache. */
async function thumbs(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'restyle-bench-library-thumbs-'));
  const library = createLibrary({ root: corpus });
  try {
    const readers = createResultReaders(library, join(dataDir, 'cache'));
    const newest = library.list({ limit: THUMBS });
    const older = library.list({ limit: THUMBS, offset: 50_000 });
    console.log(`thumb reader (WebP previews; ${THUMBS} tiles each, one after another):`);
    for (const [label, entries] of [
      ['photo-sized results (1024x768 JPEG)', newest],
      ['small results (160x120 JPEG)', older],
    ] as const) {
      const timeAll = async () => {
        const started = performance.now();
        for (const entry of entries) {
          if (!(await readers.read(entry.id, 'thumb'))) throw new Error(`no thumb for ${entry.id}`);
        }
        return (performance.now() - started) / entries.length;
      };
      const first = await timeAll();
      const cached = await timeAll();
      console.log(
        `  ${label.padEnd(36)} first time ${first.toFixed(1)} ms a tile, cached ${cached.toFixed(2)} ms a tile`,
      );
    }
  } finally {
    library.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

// Page scripts are plain source: tsx would wrap named functions in a helper the page lacks.
/**
 * Resolves with the ms from `started` until the first tile's image has
 * loaded, and until every tile in view has its image (a tile waits 100 ms in
 * view before it asks for its thumbnail).
 */
const firstTiles = (started: number) => `new Promise((resolve) => {
  const started = ${started};
  let first = 0;
  const check = () => {
    const scroller = document.querySelector('[data-testid="library-scroll"]');
    const box = scroller && scroller.getBoundingClientRect();
    const tiles = scroller ? [...scroller.querySelectorAll('[data-testid="library-tile"]')].filter((tile) => {
      const r = tile.getBoundingClientRect();
      return r.bottom > box.top && r.top < box.bottom;
    }) : [];
    const loaded = tiles.filter((tile) => {
      const img = tile.querySelector('img');
      return img && img.complete && img.naturalWidth > 0;
    });
    if (first === 0 && loaded.length > 0) first = performance.now() - started;
    if (tiles.length > 0 && loaded.length === tiles.length) {
      resolve({ first, all: performance.now() - started, tiles: tiles.length });
    } else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})`;

/** The real window over the dev bridge on the big library: the Results grid. */
async function grid(): Promise<void> {
  buildRenderer();
  const options = { dataPrefix: 'restyle-bench-library-window-', libraryDir: corpus };
  await withBenchWindow(options, async ({ page }) => {
    // The Library opens on its default view (Photos, one tile per photo), then Results.
    const clickAt = (testId: string) =>
      page.evaluate(
        `(() => { const t = performance.now(); document.querySelector('[data-testid="${testId}"]').click(); return t; })()`,
      ) as Promise<number>;
    type Tiles = { first: number; all: number; tiles: number };
    const opened = (await page.evaluate(firstTiles(await clickAt('nav-library')))) as Tiles;
    const first = (await page.evaluate(firstTiles(await clickAt(RESULTS_VIEW_TESTID)))) as Tiles;
    console.log(`Results grid over ${RESULTS} results (Chromium headless, 1280x860, dev bridge):`);
    const tiles = (label: string, t: Tiles) =>
      console.log(
        `  ${label.padEnd(36)} first tile ${t.first.toFixed(0)} ms, all ${t.tiles} tiles in view ${t.all.toFixed(0)} ms`,
      );
    tiles('open Library (Photos) → images:', opened);
    tiles('Photos → Results → images:', first);
    await printScrolls(page, 'library-scroll');
  });
}

async function main(): Promise<void> {
  const made = await ensureCorpus();
  console.log(
    `library: ${made.results} results of ${made.photos} photos in ${made.folders} album folders ` +
      `(${made.rated} rated, ${made.favourites} favourites, ${made.reruns} reruns; the newest ${FULL_SIZE} 1024x768)`,
  );
  if (parts.has('rebuild')) await rebuild();
  if (parts.has('queries')) await queries(made);
  if (parts.has('thumbs')) await thumbs();
  if (parts.has('grid')) await grid();
}

if (process.argv[2] === '--rebuild') await rebuildChild(process.argv[3] ?? corpus);
else await main();
